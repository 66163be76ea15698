"""The vocabulary of residency scheduling as plain, immutable dataclasses.

Everything here is pure: no database, no web, no clock. Adapters convert their own rows and
schemas to and from these objects in one place each (db/mappers.py, api/schemas.py).

Identity: people have an integer ``id`` (the database key, or an index made by a reader) and a
short ``code`` (a stable handle such as ``r1`` used by files and exports). Shift types and
rotations are referenced by their ``code``, which is unique within a program.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from enum import StrEnum

from resched.core.generation_settings import GenerationSettings


class Role(StrEnum):
    """What a person is in the program (not what a user account may do)."""

    RESIDENT = "resident"
    FACULTY = "faculty"


class ShiftKind(StrEnum):
    """How the duty-hour rules see a shift type (ACGME.md, Definitions)."""

    WORK = "work"
    IN_HOUSE_CALL = "in_house_call"
    NIGHT_FLOAT = "night_float"
    AT_HOME_CALL = "at_home_call"
    OFF = "off"

    @property
    def is_duty(self) -> bool:
        return self in (ShiftKind.WORK, ShiftKind.IN_HOUSE_CALL, ShiftKind.NIGHT_FLOAT)


class AbsenceType(StrEnum):
    VACATION = "vacation"
    SICK = "sick"
    PARENTAL = "parental"
    BEREAVEMENT = "bereavement"
    CONFERENCE = "conference"
    DEPLOYMENT = "deployment"
    TDY = "tdy"
    OTHER = "other"


class AbsenceStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DENIED = "denied"
    CANCELLED = "cancelled"


class AssignmentSource(StrEnum):
    GENERATED = "generated"
    MANUAL = "manual"
    SWAP = "swap"
    REPAIR = "repair"


class LoggedWorkKind(StrEnum):
    MOONLIGHTING = "moonlighting"
    HOME_CALL = "home_call"
    EXTRA = "extra"


class RequestKind(StrEnum):
    DAY_OFF = "day_off"
    SHIFT_ON = "shift_on"
    SHIFT_OFF = "shift_off"
    ROTATION = "rotation"
    VACATION = "vacation"


class RequestStatus(StrEnum):
    OPEN = "open"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ScheduleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class BlockSchemeKind(StrEnum):
    FOUR_WEEK = "four_week"
    MONTHLY = "monthly"
    CUSTOM = "custom"


class HolidayRule(StrEnum):
    """Whether a coverage requirement holds on the academic year's holidays."""

    ANY = "any"  # holidays are days like any other
    NOT_ON_HOLIDAYS = "not_on_holidays"  # never on a holiday (clinics closed on Thanksgiving)
    HOLIDAYS_ONLY = "holidays_only"  # only on holidays (a holiday rota)


class Averaging(StrEnum):
    ROLLING = "rolling"
    BLOCK = "block"


def _default_supervision_ratio() -> dict[int, int]:
    return {1: 2, 2: 4, 3: 4}


@dataclass(frozen=True, slots=True)
class RuleConfig:
    """The program-configurable limits of ACGME.md, with their defaults."""

    hours_per_week_limit: float = 80.0
    averaging: Averaging = Averaging.ROLLING
    merge_gap_minutes: int = 120
    night_float_max_consecutive: int = 6
    supervision_ratio: Mapping[int, int] = field(default_factory=_default_supervision_ratio)
    approaching_hours: float = 76.0
    max_continuous_hours: float = 24.0
    transition_hours: float = 4.0
    rest_after_24h_hours: float = 14.0
    rest_between_periods_hours: float = 8.0
    call_every_nth_night: int = 3
    free_day_every_n_days: int = 7

    def ratio_for(self, pgy: int) -> int:
        """Residents one supervisor may oversee at this PGY; levels above the table take the
        ratio of the highest level listed (ACGME.md: "higher levels: 4")."""
        if pgy in self.supervision_ratio:
            return self.supervision_ratio[pgy]
        return self.supervision_ratio[max(self.supervision_ratio)]


@dataclass(frozen=True, slots=True)
class Program:
    name: str
    timezone: str = "UTC"
    rules: RuleConfig = field(default_factory=RuleConfig)
    freeze_horizon_days: int = 7
    id: int | None = None
    generation: GenerationSettings = field(default_factory=GenerationSettings)
    # The approval policy of changes after publishing and how long one can be undone.
    auto_approve_changes: bool = True
    undo_window_hours: int = 24
    # The shift type code of backup (jeopardy) cover; None: not configured.
    jeopardy_shift: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of the rotation plan: inclusive local dates."""

    number: int
    start: dt.date
    end: dt.date
    name: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True, slots=True)
class Holiday:
    """A named holiday of an academic year (``AcademicYear.holidays`` holds the bare dates)."""

    day: dt.date
    name: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class BlockScheme:
    """How a new academic year is cut into blocks: ``block_count`` four-week blocks
    (FOUR_WEEK), one block per calendar month (MONTHLY), or the explicit inclusive ``spans``
    (CUSTOM), which must cover the year exactly."""

    kind: BlockSchemeKind
    block_count: int = 13
    spans: tuple[tuple[dt.date, dt.date], ...] = ()


@dataclass(frozen=True, slots=True)
class AcademicYear:
    """An academic year (usually Jul 1 - Jun 30) with its block scheme."""

    label: str
    start: dt.date
    end: dt.date
    scheme: BlockSchemeKind
    blocks: tuple[Block, ...]
    holidays: tuple[dt.date, ...] = ()
    id: int | None = None


# A phone or pager number as people write them: digits with spaces, dashes, dots, brackets, a
# leading "+", "#" or "*", and "x" for an extension ("+1 (555) 010-0100 x12", "4-1234", "#321");
# at most 32 characters. No lookarounds: the API schema uses the same pattern.
CONTACT_NUMBER_PATTERN = r"^[+(#*]?[0-9][0-9() .#*/xX+-]{0,30}$"
CONTACT_NUMBER_MAX = 32


@dataclass(frozen=True, slots=True)
class Person:
    """A resident or faculty member. ``pgy`` is the level in the academic year being considered
    (a person's level belongs to a (person, year) pair; see ``pgy_by_year`` in the database)."""

    id: int
    code: str
    name: str
    role: Role
    pgy: int | None = None
    email: str | None = None
    credentials: frozenset[str] = frozenset()
    active: bool = True
    # How to reach the person on duty (the Today page links them): free text such as
    # "+1 555 0100" or "4-1234", checked by services.people.
    phone: str | None = None
    pager: str | None = None


@dataclass(frozen=True, slots=True)
class ShiftType:
    code: str
    name: str
    start: dt.time
    minutes: int
    kind: ShiftKind
    transition_minutes: int = 0
    requires_supervision: bool = False
    supervised_by: tuple[str, ...] = ()
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Capacity:
    """How many residents of PGY levels [pgy_min, pgy_max] a rotation takes in one block."""

    pgy_min: int
    pgy_max: int
    min_count: int
    max_count: int


@dataclass(frozen=True, slots=True)
class YearlyRequirement:
    """How many blocks of a rotation a resident of ``pgy`` does in a year."""

    pgy: int
    min_blocks: int
    max_blocks: int


@dataclass(frozen=True, slots=True)
class WeeklyQuota:
    """Each resident on a rotation works between ``min_count`` and ``max_count`` shifts of
    ``shift_codes`` per week (Mon-Sun), on days the schedule chooses: what a fixed weekly pattern
    cannot say, e.g. "one continuity-clinic half-day a week" spread over the whole clinic week.
    A week cut by a block boundary or by leave asks for at most ``max_count`` and no minimum."""

    shift_codes: tuple[str, ...]
    min_count: int
    max_count: int


@dataclass(frozen=True, slots=True)
class Rotation:
    """A rotation of the annual plan. ``weekly_pattern`` maps an ISO weekday (1 = Monday) to the
    shift codes a resident on this rotation works by default that day.

    ``not_adjacent_to``: rotations that may not be in the slot directly before or after this
    one, in either order (itself: "never two blocks of this in a row").

    ``prerequisites``: rotation codes a resident must have done first. A resident may be on this
    rotation in a slot (block, or half block) only if, for EACH prerequisite, they have done at
    least one whole block's worth of it (a whole block, or two halves) in earlier slots of the
    same planned academic year. Only the planned year counts: rotations done in earlier years
    are not known to the planner, so a prerequisite also binds residents who did it last year.
    A rotation cannot be its own prerequisite.
    """

    code: str
    name: str
    weekly_pattern: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    capacities: tuple[Capacity, ...] = ()
    requirements: tuple[YearlyRequirement, ...] = ()
    leave_eligible: bool = False
    allows_half_block: bool = False
    not_adjacent_to: tuple[str, ...] = ()
    colour: str = "#cccccc"
    weekly_quotas: tuple[WeeklyQuota, ...] = ()
    id: int | None = None
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Who may fill a coverage requirement. Empty sets mean "no restriction"."""

    roles: frozenset[Role] = frozenset()
    pgy_min: int | None = None
    pgy_max: int | None = None
    rotations: frozenset[str] = frozenset()
    credentials: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CoverageRequirement:
    """A daily demand: between ``min_count`` and ``max_count`` eligible people on ``shift_code``
    on each of ``weekdays`` (ISO, 1 = Monday).

    ``dates``, when not empty, limits the demand to those dates (still only on its weekdays);
    ``except_dates`` are dates it never applies on. Together they say what a weekday rule
    cannot: a different shift on the night the clocks go back, a holiday rota.

    ``holidays`` relates the demand to the academic year's holidays: ANY ignores them,
    NOT_ON_HOLIDAYS drops the demand on a holiday, HOLIDAYS_ONLY keeps it only on holidays
    (still only on its weekdays and dates).
    """

    shift_code: str
    weekdays: frozenset[int]
    min_count: int
    max_count: int
    eligibility: Eligibility = field(default_factory=Eligibility)
    name: str = ""
    id: int | None = None
    dates: frozenset[dt.date] = frozenset()
    except_dates: frozenset[dt.date] = frozenset()
    holidays: HolidayRule = HolidayRule.ANY

    def applies_on(self, day: dt.date, holidays: Set[dt.date]) -> bool:
        """Whether the demand holds on ``day``: its weekday, its dates, not an excepted date,
        and its holiday rule given ``holidays`` (the academic year's holiday dates). The
        holidays are required: a caller that forgot them would schedule closed clinics."""
        if day.isoweekday() not in self.weekdays or day in self.except_dates:
            return False
        if self.dates and day not in self.dates:
            return False
        if self.holidays is HolidayRule.NOT_ON_HOLIDAYS:
            return day not in holidays
        if self.holidays is HolidayRule.HOLIDAYS_ONLY:
            return day in holidays
        return True


@dataclass(frozen=True, slots=True)
class BlockAssignment:
    """One cell of the rotation plan. ``half`` is None for the whole block, else 1 or 2."""

    person_id: int
    block_number: int
    rotation_code: str
    half: int | None = None
    locked: bool = False


@dataclass(frozen=True, slots=True)
class Assignment:
    """A person on a shift type on the local date the shift starts."""

    person_id: int
    date: dt.date
    shift_code: str
    source: AssignmentSource = AssignmentSource.MANUAL
    locked: bool = False
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Absence:
    """Whole local days away, ``start`` to ``end`` inclusive."""

    person_id: int
    start: dt.date
    end: dt.date
    type: AbsenceType
    status: AbsenceStatus = AbsenceStatus.APPROVED
    note: str = ""
    id: int | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Request:
    """A wish the generator honours softly, with a weight."""

    person_id: int
    kind: RequestKind
    start: dt.date
    end: dt.date
    shift_code: str | None = None
    rotation_code: str | None = None
    weight: int = 1
    status: RequestStatus = RequestStatus.OPEN
    note: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class LoggedWork:
    """Hours worked beyond the schedule, as local date-times (naive, in the program timezone)."""

    person_id: int
    start: dt.datetime
    end: dt.datetime
    kind: LoggedWorkKind
    note: str = ""
    id: int | None = None
