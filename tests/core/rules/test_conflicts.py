"""double-booked and absence-conflict, for everyone; only approved absences are leave."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from resched.core.interchange import parse_schedule
from resched.core.model import AbsenceStatus
from resched.core.rules import ScheduleContext, check_all
from tests.core.builders import Doc


def base() -> Doc:
    doc = Doc("2026-07-01").resident("r1", pgy=2).faculty("f1")
    doc.shift("CALL", "07:00", 1440, "in_house_call", transition=240)
    doc.shift("DAY", "07:00", 720).shift("NIGHT", "19:00", 720, "night_float")
    return doc.shift("OFF", "00:00", 1440, "off")


def test_post_call_day_overlapping_the_transition_is_double_booked() -> None:
    [finding] = base().assign("r1", 0, "CALL").assign("r1", 1, "DAY").violations("double-booked")
    assert finding.value == 4.0
    assert (finding.start.isoformat(), finding.end.isoformat()) == ("2026-07-01", "2026-07-02")
    assert "CALL on Jul 1 overlaps DAY on Jul 2 by 4 h" in finding.message


def test_intervals_that_only_touch_are_not_double_booked() -> None:
    assert base().assign("r1", 0, "DAY").assign("r1", 0, "NIGHT").violations("double-booked") == []


def test_the_same_shift_twice_is_double_booked() -> None:
    # The reader refuses a repeated assignment; a programmatic caller still hears about it.
    schedule = parse_schedule(base().assign("r1", 3, "DAY").doc)
    twice = replace(schedule, assignments=schedule.assignments * 2)
    found = [f for f in check_all(ScheduleContext(twice)) if f.rule == "double-booked"]
    assert [f.value for f in found] == [12.0]


def test_each_assignment_overlapping_an_earlier_one_is_reported_once() -> None:
    # Three shifts piled on one another: two findings (not one per pair, which would be three),
    # each against the earlier shift it overlaps most.
    doc = base().shift("LATE", "09:00", 720).shift("MID", "08:00", 120)
    found = doc.assign("r1", 0, "DAY").assign("r1", 0, "LATE").assign("r1", 0, "MID")
    messages = sorted(f.message for f in found.violations("double-booked"))
    assert messages == [
        "Dr r1: DAY on Jul 1 overlaps LATE on Jul 1 by 10 h",
        "Dr r1: DAY on Jul 1 overlaps MID on Jul 1 by 2 h",
    ]


def test_faculty_can_be_double_booked() -> None:
    [finding] = base().assign("f1", 0, "DAY").assign("f1", 0, "OFF").violations("double-booked")
    assert finding.person_id == 2


def vacation() -> Doc:
    return base().absence("r1", 5, 9).absence("f1", 5, 9, "conference")


def test_assignment_on_a_leave_day_conflicts() -> None:
    [finding] = vacation().assign("r1", 6, "DAY").violations("absence-conflict")
    assert finding.value == 12.0
    assert "vacation Jul 6-Jul 10" in finding.message


def test_call_spilling_into_leave_conflicts() -> None:
    [finding] = vacation().assign("r1", 4, "CALL").violations("absence-conflict")
    assert finding.value == 11.0  # 00:00 to 11:00 on the first leave day


def test_day_before_leave_is_fine() -> None:
    assert vacation().assign("r1", 4, "DAY").violations("absence-conflict") == []


def test_faculty_absence_conflicts_too() -> None:
    assert len(vacation().assign("f1", 9, "DAY").violations("absence-conflict")) == 1


def test_unapproved_absences_are_not_leave() -> None:
    schedule = parse_schedule(vacation().assign("r1", 6, "DAY").doc)
    for status in (AbsenceStatus.REQUESTED, AbsenceStatus.DENIED, AbsenceStatus.CANCELLED):
        absences = tuple(replace(a, status=status) for a in schedule.absences)
        found = check_all(ScheduleContext(replace(schedule, absences=absences)))
        assert [f for f in found if f.rule == "absence-conflict"] == []
    assert (
        len([f for f in check_all(ScheduleContext(schedule)) if f.rule == "absence-conflict"]) == 1
    )


def test_leave_range_uses_local_days() -> None:
    doc = vacation().assign("r1", 4, "NIGHT")  # 19:00 day 4 to 07:00 day 5
    [finding] = doc.violations("absence-conflict")
    assert finding.value == 7.0
    assert finding.end == dt.date(2026, 7, 6)
