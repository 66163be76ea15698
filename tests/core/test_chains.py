"""The chain report (core/chains.py): pairs of a resident's shifts closer than the program's
minimum rest outside its allowed sequences, and shifts on the day after leaving night float."""

from __future__ import annotations

import dataclasses
import datetime as dt

from resched.core.chains import find_chains
from resched.core.generation_settings import GenerationSettings
from resched.core.intervals import DateRange
from resched.core.model import Assignment, Person, Program, Role, ShiftKind, ShiftType
from resched.core.rest import MIN_REST, NIGHT_FLOAT_FREE_DAY
from resched.core.rules.context import ScheduleInput

MON = dt.date(2026, 7, 6)
TUE = MON + dt.timedelta(days=1)


def _shift(code: str, start: int, hours: int, kind: ShiftKind = ShiftKind.WORK) -> ShiftType:
    return ShiftType(code, code, dt.time(start), hours * 60, kind)


SHIFTS = (
    _shift("ED-D", 7, 12),
    _shift("ED-N", 19, 12),
    _shift("AM", 8, 4),
    _shift("PM", 13, 4),
    _shift("DAY", 7, 10),
    _shift("HOME", 17, 14, ShiftKind.AT_HOME_CALL),
    _shift("NIGHT", 19, 12, ShiftKind.NIGHT_FLOAT),
    _shift("EVE", 18, 4),
)
RESIDENT = Person(1, "r1", "Dr Rest", Role.RESIDENT, pgy=2)
FACULTY = Person(2, "f1", "Dr Faculty", Role.FACULTY)


def _chains(
    *shifts: tuple[dt.date, str], person: Person = RESIDENT, min_rest: float = 10.0
) -> list[tuple[str, str, str, float]]:
    program = Program("P", timezone="America/Chicago")
    program = dataclasses.replace(program, generation=GenerationSettings(min_rest_hours=min_rest))
    schedule = ScheduleInput(
        program,
        (RESIDENT, FACULTY),
        SHIFTS,
        tuple(Assignment(person.id, day, code) for day, code in shifts),
        DateRange(MON, TUE),
    )
    return [
        (c.rule, c.first.shift_code, c.next.shift_code, c.gap_hours) for c in find_chains(schedule)
    ]


def test_a_day_and_a_night_make_a_chain() -> None:
    assert _chains((MON, "ED-D"), (MON, "ED-N")) == [(MIN_REST, "ED-D", "ED-N", 0.0)]


def test_allowed_sequences_are_no_chain() -> None:
    assert _chains((MON, "AM"), (MON, "PM"), (MON, "HOME"), (TUE, "DAY")) == []


def test_a_0700_day_after_night_float_is_one_chain() -> None:
    assert _chains((MON, "NIGHT"), (TUE, "DAY")) == [(MIN_REST, "NIGHT", "DAY", 0.0)]


def test_a_shift_the_day_after_night_float_is_a_chain_despite_the_rest() -> None:
    assert _chains((MON, "NIGHT"), (TUE, "EVE")) == [(NIGHT_FLOAT_FREE_DAY, "NIGHT", "EVE", 11.0)]
    assert _chains((MON, "ED-N"), (TUE, "EVE")) == []  # 11 h after a night off night float
    assert _chains((MON, "NIGHT"), (TUE, "NIGHT")) == []  # the run goes on


def test_the_programs_minimum_rest_decides() -> None:
    assert _chains((MON, "ED-N"), (TUE, "EVE"), min_rest=12) == [(MIN_REST, "ED-N", "EVE", 11.0)]


def test_faculty_and_shifts_before_the_range_are_not_reported() -> None:
    assert _chains((MON, "ED-D"), (MON, "ED-N"), person=FACULTY) == []
    before = MON - dt.timedelta(days=1)
    assert _chains((before, "ED-D"), (before, "ED-N")) == []


def test_the_message_names_the_resident_the_shifts_and_the_gap() -> None:
    program = Program("P", timezone="America/Chicago")
    schedule = ScheduleInput(
        program,
        (RESIDENT,),
        SHIFTS,
        (Assignment(1, MON, "ED-N"), Assignment(1, TUE, "DAY")),
        DateRange(MON, TUE),
    )
    (chain,) = find_chains(schedule)
    assert chain.message == "Dr Rest: ED-N on Jul 6 then DAY on Jul 7, 0 h apart"
