"""Validation grows linearly with piled-up assignments: counted in executed lines of the core,
never in seconds (a busy machine must not fail it, a quadratic validator must).

Before this was fixed, ``double-booked`` reported every overlapping pair, so n copies of one
assignment (or n distinct shifts at the same hours) cost n(n-1)/2 findings."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from hypothesis import HealthCheck, given, settings

from resched.core.interchange import parse_schedule
from resched.core.rules import DateRange, ScheduleContext, ScheduleInput, check_all
from resched.core.rules.engine import PERSON_RULES
from resched.core.rules.timeline import Placements
from tests.core.builders import Doc
from tests.core.rules.strategies import schedules

CORE = os.path.join(os.sep, "resched", "core", "")
# Linear work doubles with n; quadratic work quadruples. The fixed part of the schedule pulls
# both ratios towards 1, so the sizes are chosen for the piled-up part to dominate.
LINEAR_RATIO = 2.6


def executed_lines(work: Callable[[], Any]) -> int:
    """How many lines of resched.core run during ``work`` (a loop body counts per iteration)."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    def global_(frame: FrameType, event: str, arg: Any) -> Any:
        return local if CORE in frame.f_code.co_filename else None

    previous = sys.gettrace()
    sys.settrace(global_)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def one_resident() -> Doc:
    doc = Doc("2026-07-01", days=14).resident("r1", pgy=2).faculty("f1")
    return doc.shift("DAY", "07:00", 720).assign_days("r1", "DAY", range(0, 14, 2))


def repeated(n: int) -> ScheduleInput:
    """The schedule with one assignment n more times (the reader refuses this; a programmatic
    caller can still build it)."""
    schedule = parse_schedule(one_resident().doc)
    extra = (schedule.assignments[0],) * n
    return dataclasses.replace(schedule, assignments=schedule.assignments + extra)


def stacked(n: int) -> ScheduleInput:
    """n distinct shift types at the same hours, all given to one person on one day."""
    doc = one_resident()
    for i in range(n):
        doc.shift(f"S{i}", "07:00", 720).assign("f1", 3, f"S{i}")
    return parse_schedule(doc.doc)


def validation_lines(schedule: ScheduleInput) -> int:
    return executed_lines(lambda: check_all(ScheduleContext(schedule)))


def test_repeated_assignments_are_validated_in_linear_work() -> None:
    small, large = validation_lines(repeated(300)), validation_lines(repeated(600))
    assert large / small < LINEAR_RATIO, (small, large)


def test_stacked_distinct_assignments_are_validated_in_linear_work() -> None:
    small, large = validation_lines(stacked(300)), validation_lines(stacked(600))
    assert large / small < LINEAR_RATIO, (small, large)


def test_each_repeated_copy_is_reported_once() -> None:
    found = check_all(ScheduleContext(repeated(5)))
    assert [f.rule for f in found].count("double-booked") == 5


def overlapping_earlier(schedule: ScheduleInput) -> list[tuple[int, float]]:
    """Brute force over all pairs: each assignment overlapping one sorted before it, as (person,
    hours of its largest overlap with those): the oracle for ``double-booked``."""
    context = ScheduleContext(schedule)
    booked = Placements(context.shift_types, context.zone, context.frame.bounds).book(
        schedule.assignments
    )
    expected = []
    for j, later in enumerate(booked):
        overlaps = [
            min(earlier[1].end, later[1].end) - later[1].start
            for earlier in booked[:j]
            if earlier[4].person_id == later[4].person_id and earlier[1].end > later[1].start
        ]
        if overlaps:
            expected.append((later[4].person_id, round(max(overlaps) / 3600, 2)))
    return sorted(expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules())
def test_double_booked_matches_the_pairwise_oracle(schedule: ScheduleInput) -> None:
    dates = [a.date for a in schedule.assignments] or [schedule.range.start]
    # Every finding in range, so the oracle need not know which dates a finding names.
    everything = dataclasses.replace(schedule, range=DateRange(min(dates), max(dates)))
    found = [f for f in check_all(ScheduleContext(everything)) if f.rule == "double-booked"]
    assert sorted((f.person_id, f.value) for f in found) == overlapping_earlier(everything)


def idle_residents(count: int, days: int) -> ScheduleInput:
    """One busy resident and ``count`` residents with nothing to do, over ``days`` days."""
    doc = Doc("2026-07-01", days=days).resident("r1", pgy=2).shift("DAY", "07:00", 720)
    doc.assign_days("r1", "DAY", range(0, 14, 2))
    for i in range(count):
        doc.resident(f"idle{i}", pgy=1)
    return parse_schedule(doc.doc)


def test_idle_people_cost_nothing_per_day_of_the_range() -> None:
    # A document may list thousands of people with no assignment and a range of three years:
    # their rules are skipped, so the work does not grow with the range's days.
    alone = validation_lines(idle_residents(0, 1098))
    crowded = validation_lines(idle_residents(50, 1098))
    assert crowded / alone < 1.5, (alone, crowded)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules())
def test_people_without_assignments_or_logged_work_break_no_rule(schedule: ScheduleInput) -> None:
    """What the shortcut for idle people relies on, checked on each rule itself (leave,
    approved or not, is all such a person may have)."""
    context = ScheduleContext(schedule)
    busy = {a.person_id for a in schedule.assignments} | {w.person_id for w in schedule.logged_work}
    for person in schedule.people:
        if person.id not in busy:
            timeline = context.timeline(person.id)
            assert [f for rule in PERSON_RULES for f in rule.check(context, timeline)] == []


def on_leave(absences: int, *, days: int, spanning: bool) -> ScheduleInput:
    """One resident with ``absences`` approved absences: one-day ones on consecutive days, each
    with a shift on it (every one an absence-conflict), or all spanning the whole range."""
    doc = Doc("2026-07-01", days=days).resident("r1", pgy=2).shift("DAY", "07:00", 720)
    if spanning:  # one shift, so the resident is checked at all
        doc.assign("r1", 0, "DAY")
    for k in range(absences):
        if spanning:
            doc.absence("r1", 0, days - 1)
        else:
            doc.absence("r1", k, k).assign("r1", k, "DAY")
    return parse_schedule(doc.doc)


def test_conflicts_with_many_absences_are_found_in_linear_work() -> None:
    small = validation_lines(on_leave(300, days=600, spanning=False))
    large = validation_lines(on_leave(600, days=600, spanning=False))
    assert large / small < LINEAR_RATIO, (small, large)


def test_piled_up_absences_cost_their_number_not_their_number_times_days() -> None:
    one = validation_lines(on_leave(1, days=400, spanning=True))
    many = validation_lines(on_leave(200, days=400, spanning=True))
    assert many / one < 2, (one, many)
