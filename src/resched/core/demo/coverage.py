"""The daily coverage of DEMO.md, sized from the rotation capacities.

At the reference size the numbers are DEMO.md's. At other sizes the counts follow the teams:
each group on Wards, the ICU team and the Emergency team take call or shifts at about the
reference frequency (ward and ICU call every fourth night at most, which keeps call-q3 and the
80-hour average within reach), Night Float works all its residents, and faculty demand follows
the number of ward teams and clinic places. Sizes at which these frequencies are impossible are
refused here with the reason, rather than left for the solver to find infeasible.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from resched.core.demo.catalog import (
    AMBULATORY,
    CARDIOLOGY,
    ELECTIVE,
    EMERGENCY,
    ICU,
    NIGHT_FLOAT,
    WARDS,
)
from resched.core.demo.sizing import INTERNS, REFERENCE_PER_PGY, SENIORS
from resched.core.errors import Invalid
from resched.core.model import (
    CoverageRequirement,
    Eligibility,
    Role,
    Rotation,
    RuleConfig,
)

_EVERY_DAY = frozenset(range(1, 8))
_WEEKDAYS = frozenset(range(1, 6))
_SUNDAY_TO_THURSDAY = frozenset({7, 1, 2, 3, 4})
_CALL_EVERY_NTH = 4  # ward and ICU call: every fourth night at most, as in DEMO.md
_REFERENCE_CLINIC_PLACES = 8  # residents per clinic session at the reference size
_AMBULATORY_SESSIONS, _CLINIC_SESSIONS = 6, 10  # per week: an ambulatory resident's, the clinic's


@dataclass(frozen=True, slots=True)
class Sizes:
    """The counts the coverage is derived from, kept so callers can explain them."""

    ward_interns: int
    ward_seniors: int
    icu_team: int
    night_interns: int
    night_seniors: int
    emergency_team: int
    elective_min: int
    ambulatory_max: int
    continuity_max: int
    clinic_places: int
    precept_max: int


def _places(rotations: Sequence[Rotation], code: str, group: tuple[int, int]) -> tuple[int, int]:
    rotation = next(r for r in rotations if r.code == code)
    capacity = next(c for c in rotation.capacities if (c.pgy_min, c.pgy_max) == group)
    return capacity.min_count, capacity.max_count


def _both(rotations: Sequence[Rotation], code: str) -> tuple[int, int]:
    intern, senior = _places(rotations, code, INTERNS), _places(rotations, code, SENIORS)
    return intern[0] + senior[0], intern[1] + senior[1]


def measure(rotations: Sequence[Rotation], per_pgy: int, rules: RuleConfig) -> Sizes:
    clinic_places = -(-_REFERENCE_CLINIC_PLACES * per_pgy // REFERENCE_PER_PGY)
    # Off Wards, ICU and Night Float, everyone not on Ambulatory needs a continuity half-day.
    inpatient = sum(_both(rotations, code)[0] for code in (WARDS, ICU, NIGHT_FLOAT))
    return Sizes(
        ward_interns=_places(rotations, WARDS, INTERNS)[0],
        ward_seniors=_places(rotations, WARDS, SENIORS)[0],
        icu_team=_both(rotations, ICU)[0],
        night_interns=_places(rotations, NIGHT_FLOAT, INTERNS)[0],
        night_seniors=_places(rotations, NIGHT_FLOAT, SENIORS)[0],
        emergency_team=_both(rotations, EMERGENCY)[0],
        elective_min=_both(rotations, ELECTIVE)[0],
        ambulatory_max=_both(rotations, AMBULATORY)[1],
        continuity_max=3 * per_pgy - inpatient - _both(rotations, AMBULATORY)[0],
        clinic_places=clinic_places,
        # Worst case: a full session of PGY-1 residents at their ratio.
        precept_max=-(-clinic_places // rules.ratio_for(1)),
    )


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise Invalid(message, details={"field": "residents"})


def check_sizes(sizes: Sizes, residents: int) -> None:
    """Refuse sizes whose coverage cannot be legal, naming the team that is too small."""
    at = f"with {residents} residents"
    for team, count in (("PGY-1 residents on Wards", sizes.ward_interns),
                        ("PGY-2+ residents on Wards", sizes.ward_seniors),
                        ("residents in the ICU", sizes.icu_team)):  # fmt: skip
        _require(count >= _CALL_EVERY_NTH, f"{at}, {count} {team} cannot share a call every night")
    _require(
        sizes.emergency_team >= 3,
        f"{at}, {sizes.emergency_team} Emergency residents cannot cover a day and a night "
        "shift every day",
    )
    _require(
        sizes.elective_min >= 4,
        f"{at}, {sizes.elective_min} Elective residents cannot hold backup every night",
    )
    clinic_free = _CLINIC_SESSIONS * sizes.clinic_places
    clinic_free -= _AMBULATORY_SESSIONS * sizes.ambulatory_max
    _require(
        sizes.ambulatory_max <= sizes.clinic_places and sizes.continuity_max <= clinic_free,
        f"{at}, {sizes.clinic_places} places per clinic session cannot seat the ambulatory "
        "and continuity residents",
    )


def minimum_faculty(sizes: Sizes) -> int:
    """Ward attendings and a full set of preceptors on the same weekday, plus one to spare for
    an absence (faculty call is from home and may fall to a faculty member who also worked)."""
    return sizes.ward_seniors + sizes.precept_max + 1


def _residents(
    pgy_min: int | None = None, pgy_max: int | None = None, *rotations: str
) -> Eligibility:
    return Eligibility(
        roles=frozenset({Role.RESIDENT}),
        pgy_min=pgy_min,
        pgy_max=pgy_max,
        rotations=frozenset(rotations),
    )


def _need(
    shift: str, days: frozenset[int], low: int, high: int, who: Eligibility, name: str
) -> CoverageRequirement:
    return CoverageRequirement(shift, days, low, high, eligibility=who, name=name)


def demo_coverage(sizes: Sizes) -> tuple[CoverageRequirement, ...]:
    """The coverage section of DEMO.md, one requirement per line of it (two where it names
    two groups of people for the same shift)."""
    ward_intern_calls = max(1, sizes.ward_interns // _CALL_EVERY_NTH)
    ward_senior_calls = max(1, sizes.ward_seniors // _CALL_EVERY_NTH)
    icu_calls = max(1, sizes.icu_team // _CALL_EVERY_NTH)
    emergency = max(1, sizes.emergency_team // 3)
    clinic = _residents(None, None, AMBULATORY, EMERGENCY, CARDIOLOGY, ELECTIVE)
    faculty = Eligibility(roles=frozenset({Role.FACULTY}))
    every, week = _EVERY_DAY, _WEEKDAYS
    return (
        _need("CALL", every, ward_intern_calls, ward_intern_calls, _residents(1, 1, WARDS),
              "Ward call, PGY-1"),
        _need("CALL", every, ward_senior_calls, ward_senior_calls, _residents(2, None, WARDS),
              "Ward call, PGY-2+"),
        _need("CALL", every, icu_calls, icu_calls, _residents(None, None, ICU), "ICU call"),
        _need("ICU", every, 1, sizes.icu_team - icu_calls, _residents(None, None, ICU),
              "ICU day team"),
        _need("NIGHT", _SUNDAY_TO_THURSDAY, sizes.night_interns, sizes.night_interns,
              _residents(1, 1, NIGHT_FLOAT), "Night float, PGY-1"),
        _need("NIGHT", _SUNDAY_TO_THURSDAY, sizes.night_seniors, sizes.night_seniors,
              _residents(2, None, NIGHT_FLOAT), "Night float, PGY-2+"),
        _need("ED-D", every, emergency, emergency, _residents(None, None, EMERGENCY),
              "Emergency day"),
        _need("ED-N", every, emergency, emergency, _residents(None, None, EMERGENCY),
              "Emergency night"),
        _need("CLIN-AM", week, 0, sizes.clinic_places, clinic, "Clinic AM"),
        _need("CLIN-PM", week, 0, sizes.clinic_places, clinic, "Clinic PM"),
        _need("BACKUP", every, 1, 1, _residents(None, None, ELECTIVE), "Backup call"),
        _need("ATTEND", every, sizes.ward_seniors, sizes.ward_seniors, faculty,
              "Ward attendings, one per team"),
        _need("PRECEPT-AM", week, 1, sizes.precept_max, faculty, "Precepting AM"),
        _need("PRECEPT-PM", week, 1, sizes.precept_max, faculty, "Precepting PM"),
        _need("FAC-CALL", every, 1, 1, faculty, "Faculty call"),
    )  # fmt: skip
