"""The My schedule read model at fixed instants, on the demo (America/Chicago, four-week
blocks) and on a pediatrics-like program (America/New_York, calendar months, a DST night):
the person's shifts as a list and a month, leave and days off, their rotation, their requests,
and hours that agree with the validator's accounting of the same window."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import NotFound
from resched.core.model import (
    Absence,
    AbsenceStatus,
    AbsenceType,
    Assignment,
    Request,
    RequestKind,
    ShiftKind,
)
from resched.core.rules import account_residents
from resched.db.repositories import PeopleRepository
from resched.services import absences, requests
from resched.services.demo import load_demo
from resched.services.pages.my_schedule import MyDay, MyScheduleView, load_my_schedule
from resched.services.pages.my_schedule_hours import window_of
from resched.services.read_cache import clear_read_caches
from resched.services.schedules import check_schedule
from tests.conftest import StatementCounter
from tests.today_data import DEMO_DAY, Duties, store_demo_duties, store_peds_duties, store_shifts

Factory = sessionmaker[Session]


@pytest.fixture
def demo(session_factory: Factory) -> Duties:
    return store_demo_duties(session_factory)


def _day(view: MyScheduleView, day: dt.date) -> MyDay:
    return next(d for week in view.weeks for d in week if d.day == day)


def _codes(day: MyDay) -> list[str]:
    return [s.shift.code for s in day.shifts]


def test_the_upcoming_list_and_the_month_of_a_resident(
    session_factory: Factory, demo: Duties
) -> None:
    view = load_my_schedule(factory=session_factory, person_id=demo.call, now=demo.at(6))
    assert view.today == DEMO_DAY
    assert view.published
    assert view.zone_label == "America/Chicago (CDT)"
    (first, *_) = view.upcoming
    assert (first.day, _codes(first), first.is_today) == (DEMO_DAY, ["CALL"], True)
    call = first.shifts[0]
    assert call.starts == dt.datetime(2026, 10, 14, 7, tzinfo=demo.zone)
    assert call.overnight  # a 24-hour call ends the next morning
    # The month: whole weeks, Monday to Sunday, around October 2026.
    assert view.month == dt.date(2026, 10, 1)
    assert view.weeks[0][0].day == dt.date(2026, 9, 28)
    assert view.weeks[-1][-1].day == dt.date(2026, 11, 1)
    assert all(len(week) == 7 and week[0].day.weekday() == 0 for week in view.weeks)
    assert not view.weeks[0][0].in_month
    # Nothing on the next day: published, so a day off; the rotation is the plan's.
    after = _day(view, DEMO_DAY + dt.timedelta(days=1))
    assert after.day_off
    assert not _day(view, DEMO_DAY).day_off
    planned = next(
        c.rotation_code
        for c in demo.plan.plan
        if c.person_id == demo.call and c.block_number == _day(view, DEMO_DAY).rotation.block  # type: ignore[union-attr]
    )
    assert _day(view, DEMO_DAY).rotation.rotation.code == planned  # type: ignore[union-attr]
    assert [s.code for s in view.shift_types] == ["CALL"]
    assert view.hours is not None
    assert view.hours.applies


def test_a_faculty_member_sees_every_shift_type_they_hold(
    session_factory: Factory, demo: Duties
) -> None:
    view = load_my_schedule(factory=session_factory, person_id=demo.faculty, now=demo.at(6))
    today = _day(view, DEMO_DAY)
    assert _codes(today) == ["ATTEND", "FAC-CALL"]  # by start: 07:00, then 17:00
    assert {s.shift.kind for s in today.shifts} >= {ShiftKind.AT_HOME_CALL}
    assert today.rotation is None
    assert view.hours is not None
    assert not view.hours.applies


def test_hours_agree_with_the_validator(session_factory: Factory, demo: Duties) -> None:
    person = demo.day_shift
    window = window_of(DEMO_DAY)
    # Ward days most of the four weeks, a call, a night before the window spilling into it,
    # and three approved leave days the average leaves out.
    call_day = DEMO_DAY + dt.timedelta(days=2)
    days = [window.start + dt.timedelta(days=k) for k in range(28) if k % 7 != 6]
    # DEMO_DAY already holds the ward day of store_demo_duties.
    shifts = [Assignment(person, d, "WARD") for d in days if d not in (DEMO_DAY, call_day)]
    shifts += [
        Assignment(person, window.start - dt.timedelta(days=1), "NIGHT"),
        Assignment(person, call_day, "CALL"),
    ]
    store_shifts(session_factory, demo.plan.version_id, shifts)
    leave = window.start + dt.timedelta(days=8)
    absences.create_absence(
        factory=session_factory,
        absence=Absence(person, leave, leave + dt.timedelta(days=2), AbsenceType.VACATION),
    )
    view = load_my_schedule(factory=session_factory, person_id=person, now=demo.at(6))
    hours = view.hours
    assert hours is not None
    assert hours.window.start == window.start
    assert hours.window.end == window.end
    assert hours.window.leave_days == 3
    assert hours.week.start == window.end - dt.timedelta(days=6)

    # The validator over a wider range: the window with the same days, the same numbers.
    checked = check_schedule(
        factory=session_factory,
        version_id=demo.plan.version_id,
        start=window.start - dt.timedelta(days=7),
        end=window.end + dt.timedelta(days=7),
    )
    (account,) = [a for a in account_residents(checked.context) if a.person.id == person]
    same = next(w for w in account.windows if w.start == window.start)
    assert (same.seconds, same.leave_days, same.average) == (
        hours.window.seconds,
        hours.window.leave_days,
        hours.window.average,
    )
    assert same.level is hours.window.level
    week = next(w for w in account.weeks if w.start == hours.week.start)
    assert week.seconds == hours.week.seconds
    assert hours.week.hours > 40  # a call and ward days: really counted


def test_leave_days_and_the_dst_night(session_factory: Factory) -> None:
    peds = store_peds_duties(session_factory)
    resident = peds.plan.residents[0]
    october = load_my_schedule(
        factory=session_factory, person_id=resident, now=peds.at(6), month=dt.date(2026, 10, 1)
    )
    leave = [d.day for week in october.weeks for d in week if d.on_leave]
    assert leave == [dt.date(2026, 10, 8) + dt.timedelta(days=k) for k in range(5)]
    assert not any(_day(october, d).day_off for d in leave)
    assert [a.type for a in october.absences] == [AbsenceType.VACATION]
    # The night the clocks go back: 19:00 EDT to 07:00 EST, 13 hours of real time.
    night = _day(october, dt.date(2026, 10, 31)).shifts[0]
    assert (night.starts.hour, night.ends.hour) == (19, 7)
    assert night.ends.astimezone(dt.UTC) - night.starts.astimezone(dt.UTC) == dt.timedelta(hours=13)
    assert october.zone_label == "America/New_York (EST)"
    # Month navigation: November's grid starts on the Monday before the first.
    november = load_my_schedule(
        factory=session_factory, person_id=resident, now=peds.at(6), month=dt.date(2026, 11, 1)
    )
    assert november.weeks[0][0].day == dt.date(2026, 10, 26)
    assert (november.previous_month, november.next_month) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 1),
    )
    assert _day(november, dt.date(2026, 11, 1)).is_today
    assert _day(november, dt.date(2026, 10, 31)).in_month is False


def test_an_off_shift_type_is_a_day_off_and_the_attending_has_no_rotation(
    session_factory: Factory,
) -> None:
    peds = store_peds_duties(session_factory)
    off = load_my_schedule(
        factory=session_factory, person_id=peds.plan.residents[4], now=peds.at(8)
    )
    today = off.upcoming[0]
    assert (_codes(today), today.day_off) == (["OFF"], True)
    attending = load_my_schedule(factory=session_factory, person_id=peds.faculty, now=peds.at(8))
    assert _codes(attending.upcoming[0]) == ["DAY"]
    assert attending.rotations == ()


def test_requests_and_requested_leave(session_factory: Factory, demo: Duties) -> None:
    person = demo.day_shift
    later = DEMO_DAY + dt.timedelta(days=20)
    requests.create_request(
        factory=session_factory,
        request=Request(person, RequestKind.DAY_OFF, later, later, note="A wedding"),
    )
    absences.create_absence(
        factory=session_factory,
        absence=Absence(
            person, later, later, AbsenceType.CONFERENCE, status=AbsenceStatus.REQUESTED
        ),
    )
    view = load_my_schedule(factory=session_factory, person_id=person, now=demo.at(6))
    assert "A wedding" in [r.note for r in view.requests]  # beside the demo's own
    assert {r.person_id for r in view.requests} == {person}
    assert [a.status for a in view.absences] == [AbsenceStatus.REQUESTED]
    day = _day(
        load_my_schedule(
            factory=session_factory, person_id=person, now=demo.at(6), month=later.replace(day=1)
        ),
        later,
    )
    assert day.absences
    assert not day.on_leave


def test_no_published_schedule(session_factory: Factory) -> None:
    load_demo(factory=session_factory)
    with session_factory() as session:
        person = PeopleRepository(session).in_year(0)[0]
    now = dt.datetime(2026, 10, 14, 12, tzinfo=dt.UTC)
    view = load_my_schedule(factory=session_factory, person_id=person.id, now=now)
    assert not view.published
    assert view.upcoming == () or all(not d.shifts for d in view.upcoming)
    assert not any(d.day_off or d.shifts for week in view.weeks for d in week)
    assert view.hours is not None
    assert view.hours.week.seconds == 0


def test_an_unknown_person(session_factory: Factory, demo: Duties) -> None:
    with pytest.raises(NotFound):
        load_my_schedule(factory=session_factory, person_id=999_999, now=demo.at(6))


def test_statements_do_not_grow_with_the_schedule(
    session_factory: Factory, demo: Duties, statement_counter: StatementCounter
) -> None:
    def load() -> None:
        clear_read_caches()  # the calendar read too, each time
        load_my_schedule(factory=session_factory, person_id=demo.day_shift, now=demo.at(6))

    before = statement_counter.count(load)
    assert before <= 16
    store_shifts(
        session_factory,
        demo.plan.version_id,
        [Assignment(demo.day_shift, DEMO_DAY + dt.timedelta(days=d), "WARD") for d in range(1, 40)],
    )
    assert statement_counter.count(load) == before
