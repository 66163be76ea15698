"""Hypothesis strategies: small random schedules, dense enough to break rules, near DST changes."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from resched.core.model import (
    Absence,
    AbsenceStatus,
    AbsenceType,
    Assignment,
    Averaging,
    LoggedWork,
    LoggedWorkKind,
    Person,
    Program,
    Role,
    RuleConfig,
    ShiftKind,
    ShiftType,
)
from resched.core.rules import DateRange, ScheduleInput


def _shift(
    code: str,
    start: str,
    minutes: int,
    kind: ShiftKind,
    transition: int = 0,
    supervised_by: tuple[str, ...] = (),
) -> ShiftType:
    return ShiftType(
        code,
        code,
        dt.time.fromisoformat(start),
        minutes,
        kind,
        transition,
        requires_supervision=bool(supervised_by),
        supervised_by=supervised_by,
    )


SHIFT_TYPES = (
    _shift("DAY", "07:00", 720, ShiftKind.WORK),
    _shift("LONG", "06:00", 960, ShiftKind.WORK),
    _shift("CALL", "07:00", 1440, ShiftKind.IN_HOUSE_CALL, 240),
    _shift("NIGHT", "19:00", 720, ShiftKind.NIGHT_FLOAT),
    _shift("HOME", "17:00", 840, ShiftKind.AT_HOME_CALL),
    _shift("OFF", "00:00", 1440, ShiftKind.OFF),
    _shift("CLIN", "08:00", 240, ShiftKind.WORK, supervised_by=("PREC",)),
    _shift("PREC", "08:00", 240, ShiftKind.WORK),
)
CODES = [s.code for s in SHIFT_TYPES]
# Dense schedules: days and calls dominate so hours-80 and call-q3 actually fire.
WEIGHTED_CODES = [
    "DAY",
    "DAY",
    "LONG",
    "LONG",
    "CALL",
    "CALL",
    "NIGHT",
    "HOME",
    "OFF",
    "CLIN",
    "CLIN",
    "PREC",
]
STARTS = (dt.date(2026, 7, 1), dt.date(2026, 10, 20), dt.date(2027, 3, 1))
ZONES = ("America/Chicago", "UTC", "Europe/Berlin")


@st.composite
def people(draw: st.DrawFn) -> tuple[Person, ...]:
    residents = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    faculty = draw(st.integers(0, 2))
    found = [
        Person(i + 1, f"r{i}", f"Resident {i}", Role.RESIDENT, pgy=p)
        for i, p in enumerate(residents)
    ]
    found += [
        Person(len(found) + j + 1, f"f{j}", f"Faculty {j}", Role.FACULTY) for j in range(faculty)
    ]
    return tuple(found)


@st.composite
def assignment(draw: st.DrawFn, person_ids: list[int], start: dt.date, days: int) -> Assignment:
    return Assignment(
        person_id=draw(st.sampled_from(person_ids)),
        date=start + dt.timedelta(days=draw(st.integers(-1, days))),
        shift_code=draw(st.sampled_from(WEIGHTED_CODES)),
    )


@st.composite
def schedules(draw: st.DrawFn, max_assignments: int = 80) -> ScheduleInput:
    who = draw(people())
    ids = [p.id for p in who]
    start = draw(st.sampled_from(STARTS)) + dt.timedelta(days=draw(st.integers(0, 10)))
    days = draw(st.integers(5, 40))
    rules = RuleConfig(
        merge_gap_minutes=draw(st.sampled_from([60, 120])),
        night_float_max_consecutive=draw(st.sampled_from([0, 2, 6])),
        averaging=draw(st.sampled_from([Averaging.ROLLING, Averaging.ROLLING, Averaging.BLOCK])),
    )
    assignments = draw(st.lists(assignment(ids, start, days), max_size=max_assignments))
    assignments += draw(st.lists(_run(ids, start, days), max_size=2).map(_flatten))
    absences = draw(st.lists(_absence(ids, start, days), max_size=3))
    logged = draw(st.lists(_logged(ids, start, days), max_size=3))
    return ScheduleInput(
        program=Program("Random", timezone=draw(st.sampled_from(ZONES)), rules=rules),
        people=who,
        shift_types=SHIFT_TYPES,
        assignments=tuple(assignments),
        range=DateRange(start, start + dt.timedelta(days=days - 1)),
        absences=tuple(absences),
        logged_work=tuple(logged),
    )


@st.composite
def _absence(draw: st.DrawFn, ids: list[int], start: dt.date, days: int) -> Absence:
    first = start + dt.timedelta(days=draw(st.integers(0, days)))
    return Absence(
        person_id=draw(st.sampled_from(ids)),
        start=first,
        end=first + dt.timedelta(days=draw(st.integers(0, 8))),
        type=AbsenceType.VACATION,
        status=draw(st.sampled_from([AbsenceStatus.APPROVED] * 3 + [AbsenceStatus.REQUESTED])),
    )


@st.composite
def _logged(draw: st.DrawFn, ids: list[int], start: dt.date, days: int) -> LoggedWork:
    begin = dt.datetime.combine(start, dt.time()) + dt.timedelta(
        days=draw(st.integers(0, days)), minutes=draw(st.integers(0, 23 * 60))
    )
    return LoggedWork(
        person_id=draw(st.sampled_from(ids)),
        start=begin,
        end=begin + dt.timedelta(minutes=draw(st.integers(30, 14 * 60))),
        kind=draw(st.sampled_from(list(LoggedWorkKind))),
    )


@st.composite
def _run(draw: st.DrawFn, ids: list[int], start: dt.date, days: int) -> list[Assignment]:
    """Someone on the same shift day after day: how duty-hour rules get broken in practice."""
    person = draw(st.sampled_from(ids))
    code = draw(st.sampled_from(["DAY", "LONG", "NIGHT", "CALL"]))
    first = draw(st.integers(-1, days))
    step = 2 if code == "CALL" else 1
    length = draw(st.integers(3, 30))
    return [
        Assignment(person, start + dt.timedelta(days=first + i), code)
        for i in range(0, length, step)
    ]


def _flatten(runs: list[list[Assignment]]) -> list[Assignment]:
    return [a for run in runs for a in run]
