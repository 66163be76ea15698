"""A person's hours this week and their rolling four-week average, counted by the validator.

The numbers come from the validator's own accounting (core.rules.account_person over a
ScheduleContext of the person alone), never re-derived here: shift times converted in the
program's zone across DST, work clipped at local midnights, logged moonlighting added, days of
approved leave left out of the hours and of the average's denominator (ACGME.md). A window the
Compliance page shows over the same 28 days has the same average.

The week is Monday to Sunday holding today; the window is the 28 days ending on that Sunday
(this week and the three before), whatever the program's averaging (rolling or by block).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from resched.core.calendar import monday_of
from resched.core.model import Absence, Assignment, LoggedWork, Person, Program, Role, ShiftType
from resched.core.rules import DateRange, ScheduleContext, ScheduleInput, Tally, account_person

WEEK_DAYS = 7
WINDOW_DAYS = 28


@dataclass(frozen=True, slots=True)
class HoursSummary:
    """``week`` and ``window`` are the validator's tallies; ``limit`` the program's hours per
    week, which binds residents only (``applies``)."""

    week: Tally
    window: Tally
    limit: float
    approaching: float
    applies: bool


def week_of(day: dt.date) -> DateRange:
    """Monday to Sunday holding ``day``."""
    monday = monday_of(day)
    return DateRange(monday, monday + dt.timedelta(days=WEEK_DAYS - 1))


def window_of(day: dt.date) -> DateRange:
    """The four weeks ending on the Sunday of ``day``'s week."""
    end = week_of(day).end
    return DateRange(end - dt.timedelta(days=WINDOW_DAYS - 1), end)


def reach_days(shift_types: Iterable[ShiftType]) -> int:
    """How many days before a range a shift can start and still put hours into it (as the
    validator widens its leave window: the longest shift, a partial day, a 25-hour day)."""
    longest = max((s.minutes + s.transition_minutes for s in shift_types), default=0)
    return longest // (24 * 60) + 2


def count_hours(
    *,
    program: Program,
    person: Person,
    shift_types: Sequence[ShiftType],
    assignments: Sequence[Assignment],
    absences: Sequence[Absence],
    logged_work: Sequence[LoggedWork],
    today: dt.date,
) -> HoursSummary:
    """The week and four-week window of ``today`` for ``person``. ``assignments`` may reach
    outside the window (the night before it spills in; later shifts are ignored)."""
    window = window_of(today)
    schedule = ScheduleInput(
        program=program,
        people=(person,),
        shift_types=tuple(shift_types),
        assignments=tuple(a for a in assignments if a.person_id == person.id),
        range=window,
        absences=tuple(a for a in absences if a.person_id == person.id),
        logged_work=tuple(w for w in logged_work if w.person_id == person.id),
    )
    account = account_person(ScheduleContext(schedule), person.id)
    rules = program.rules
    return HoursSummary(
        week=account.weeks[-1],  # weeks count from the window's Monday: the last is this one
        window=account.total,
        limit=float(rules.hours_per_week_limit),
        approaching=float(rules.approaching_hours),
        applies=person.role is Role.RESIDENT,
    )
