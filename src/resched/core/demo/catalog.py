"""The fixed vocabulary of the demo program (DEMO.md): its shift types and its rotation table.

The table is written at its reference size (12 residents per PGY level); sizing.py turns it into
per-block capacities for the size asked for. Yearly requirements are per resident and so do not
depend on the size of the program.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from resched.core.generation_settings import GenerationSettings
from resched.core.model import ShiftKind, ShiftType, WeeklyQuota

WARDS, ICU, NIGHT_FLOAT, EMERGENCY = "WARDS", "ICU", "NF", "EM"
CARDIOLOGY, AMBULATORY, ELECTIVE = "CARDS", "AMB", "ELEC"

# The program's generation settings (DEMO.md): Wards, ICU, Night Float and Emergency are the
# demanding rotations the planner spreads; each ward resident has at least one free weekend day
# in two. The weights stay the solvers' defaults.
DEMO_GENERATION = GenerationSettings(
    heavy_rotations=frozenset({WARDS, ICU, NIGHT_FLOAT, EMERGENCY}),
    weekend_rotations=frozenset({WARDS}),
)

_EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)
_WEEKDAYS = (1, 2, 3, 4, 5)
_SUNDAY_TO_THURSDAY = (7, 1, 2, 3, 4)

PgyRange = tuple[int, int]
Span = tuple[int, int]


def _shift(
    code: str,
    name: str,
    start: str,
    hours: int,
    kind: ShiftKind,
    *,
    transition_hours: int = 0,
    supervisor: str | None = None,
) -> ShiftType:
    hour, minute = (int(part) for part in start.split(":"))
    return ShiftType(
        code=code,
        name=name,
        start=dt.time(hour, minute),
        minutes=hours * 60,
        kind=kind,
        transition_minutes=transition_hours * 60,
        requires_supervision=supervisor is not None,
        supervised_by=(supervisor,) if supervisor else (),
    )


def demo_shift_types() -> tuple[ShiftType, ...]:
    """The shift types table of DEMO.md, and CALL-DST (see clocks.py)."""
    work, call, at_home = ShiftKind.WORK, ShiftKind.IN_HOUSE_CALL, ShiftKind.AT_HOME_CALL
    return (
        _shift("WARD", "Ward day", "07:00", 10, work),
        _shift("CALL", "24 h in-house call", "07:00", 24, call, transition_hours=4),
        # The call of the night the clocks go back (clocks.py): 24 h of real time.
        _shift("CALL-DST", "In-house call, DST night", "07:00", 23, call, transition_hours=4),
        _shift("ICU", "ICU day", "07:00", 12, work),
        _shift("NIGHT", "Night float", "19:00", 12, ShiftKind.NIGHT_FLOAT),
        _shift("ED-D", "Emergency day", "07:00", 12, work),
        _shift("ED-N", "Emergency night", "19:00", 12, work),
        _shift("CLIN-AM", "Clinic AM", "08:00", 4, work, supervisor="PRECEPT-AM"),
        _shift("CLIN-PM", "Clinic PM", "13:00", 4, work, supervisor="PRECEPT-PM"),
        _shift("PRECEPT-AM", "Precepting AM", "08:00", 4, work),
        _shift("PRECEPT-PM", "Precepting PM", "13:00", 4, work),
        _shift("DAYJOB", "Day service", "08:00", 9, work),
        _shift("BACKUP", "Backup (jeopardy) call from home", "17:00", 14, at_home),
        _shift("ATTEND", "Ward attending", "07:00", 10, work),
        _shift("FAC-CALL", "Faculty call from home", "17:00", 14, at_home),
    )


@dataclass(frozen=True, slots=True)
class RotationSpec:
    """One row of DEMO.md's rotation table at the reference size."""

    code: str
    name: str
    intern_places: Span  # PGY-1 residents per block (min, max)
    senior_places: Span  # PGY-2+ residents per block (min, max)
    yearly: tuple[Span, Span, Span]  # blocks a year (min, max) for PGY-1, PGY-2, PGY-3
    leave_eligible: bool
    colour: str
    weekly_pattern: Mapping[int, tuple[str, ...]]
    weekly_quotas: tuple[WeeklyQuota, ...] = ()
    not_adjacent_to: tuple[str, ...] = ()


def _pattern(days: tuple[int, ...], *codes: str) -> dict[int, tuple[str, ...]]:
    return dict.fromkeys(days, codes)


# Residents off Wards, ICU and Night Float keep one continuity-clinic half-day a week; the day
# varies by person so that no session overflows, which a rotation-wide pattern cannot express.
_CONTINUITY = (WeeklyQuota(("CLIN-AM", "CLIN-PM"), 1, 1),)

# Ambulatory residents hold 6 sessions a week: full clinic days Mon/Wed/Fri, DAYJOB Tue/Thu.
_AMBULATORY_PATTERN = _pattern((1, 3, 5), "CLIN-AM", "CLIN-PM") | _pattern((2, 4), "DAYJOB")

ROTATION_TABLE: tuple[RotationSpec, ...] = (
    RotationSpec(
        WARDS, "Wards", (5, 5), (4, 4), ((5, 6), (2, 3), (2, 3)), False, "#4e79a7",
        _pattern(_EVERY_DAY, "WARD"),
    ),
    RotationSpec(
        ICU, "ICU", (2, 2), (2, 2), ((2, 3), (1, 2), (1, 2)), False, "#e15759",
        _pattern(_EVERY_DAY, "ICU"), not_adjacent_to=(NIGHT_FLOAT,),
    ),
    RotationSpec(
        NIGHT_FLOAT, "Night Float", (1, 1), (1, 1), ((1, 2), (1, 1), (0, 1)), False, "#6b4c9a",
        _pattern(_SUNDAY_TO_THURSDAY, "NIGHT"), not_adjacent_to=(NIGHT_FLOAT, ICU),
    ),
    # Emergency shifts come from the ED-D/ED-N coverage, not from a fixed weekly pattern.
    RotationSpec(
        EMERGENCY, "Emergency", (1, 1), (2, 2), ((1, 2), (1, 2), (1, 2)), False, "#f28e2b",
        {}, weekly_quotas=_CONTINUITY,
    ),
    RotationSpec(
        CARDIOLOGY, "Cardiology", (0, 1), (2, 2), ((0, 1), (1, 2), (0, 1)), True, "#b07aa1",
        _pattern(_WEEKDAYS, "DAYJOB"), weekly_quotas=_CONTINUITY,
    ),
    RotationSpec(
        AMBULATORY, "Ambulatory Clinic", (1, 2), (4, 4), ((1, 2), (2, 3), (2, 3)), True,
        "#59a14f", _AMBULATORY_PATTERN,
    ),
    RotationSpec(
        ELECTIVE, "Elective", (0, 2), (9, 9), ((0, 2), (3, 5), (4, 6)), True, "#c9a227",
        _pattern(_WEEKDAYS, "DAYJOB"), weekly_quotas=_CONTINUITY,
    ),
)  # fmt: skip
