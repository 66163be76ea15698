"""The Today read model at fixed instants: who is on now, today and tonight, by rotation and
shift type, with their contact, on the demo and on a pediatrics-like program (a DST night)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.coverage_gaps import coverage_gaps
from resched.core.model import Assignment, CoverageRequirement, Eligibility, Person, Role
from resched.db.repositories import AcademicYearRepository
from resched.services.pages import load_rotations
from resched.services.pages.today import (
    FACULTY,
    TodayView,
    has_published_schedule,
    load_today,
)
from tests.conftest import StatementCounter
from tests.today_data import Duties, store_demo_duties, store_peds_duties, store_shifts

Factory = sessionmaker[Session]


def _who(groups: object) -> dict[int, tuple[str, str]]:
    """Person id -> (group label, shift code) over a section's groups."""
    found = {}
    for group in groups:  # type: ignore[attr-defined]
        for shift in group.shifts:
            for duty in shift.people:
                found[duty.person.id] = (group.label, shift.shift.code)
    return found


@pytest.fixture
def demo(session_factory: Factory) -> Duties:
    return store_demo_duties(session_factory)


def _rotation_name(factory: Factory, duties: Duties, person_id: int) -> str:
    with factory() as session:
        (year,) = AcademicYearRepository(session).all()
    block = next(b for b in year.blocks if b.start <= duties.day <= b.end)
    code = next(
        c.rotation_code
        for c in duties.plan.plan
        if c.person_id == person_id and c.block_number == block.number
    )
    return next(r.name for r in load_rotations(factory=factory) if r.code == code)


def test_a_night_that_began_yesterday_is_on_now_in_the_morning(
    session_factory: Factory, demo: Duties
) -> None:
    view = load_today(factory=session_factory, now=demo.at(6))
    on_now = _who(view.on_now)
    assert on_now == {
        demo.night_before: (_rotation_name(session_factory, demo, demo.night_before), "NIGHT")
    }
    assert demo.older_night not in on_now
    # The night is not today's nor tonight's: it is dated yesterday.
    assert demo.night_before not in _who(view.today) | _who(view.tonight)


def test_day_shifts_and_calls_by_rotation_and_shift_type(
    session_factory: Factory, demo: Duties
) -> None:
    view = load_today(factory=session_factory, now=demo.at(10))
    on_now = _who(view.on_now)
    assert demo.night_before not in on_now  # ended at 07:00
    assert on_now[demo.day_shift] == (_rotation_name(session_factory, demo, demo.day_shift), "WARD")
    assert on_now[demo.call][1] == "CALL"
    assert on_now[demo.faculty] == (FACULTY, "ATTEND")
    today = _who(view.today)
    assert set(today) == {demo.day_shift, demo.call, demo.faculty}
    tonight = _who(view.tonight)
    # The 24-hour call covers the night too; the faculty's call from home starts at 17:00.
    assert tonight == {
        demo.call: (_rotation_name(session_factory, demo, demo.call), "CALL"),
        demo.faculty: (FACULTY, "FAC-CALL"),
    }
    assert view.zone_label == "America/Chicago (CDT)"
    assert view.now.utcoffset() == dt.timedelta(hours=-5)


def test_contacts_come_with_the_person(session_factory: Factory, demo: Duties) -> None:
    view = load_today(factory=session_factory, now=demo.at(6))
    (duty,) = [d for g in view.on_now for s in g.shifts for d in s.people]
    assert (duty.person.phone, duty.person.pager) == ("+1 (312) 555-0100", "4-1234")
    assert duty.starts == dt.datetime(2026, 10, 13, 19, tzinfo=demo.zone)
    assert duty.ends == dt.datetime(2026, 10, 14, 7, tzinfo=demo.zone)


def test_the_instant_is_read_in_the_program_zone(session_factory: Factory, demo: Duties) -> None:
    # 03:00 UTC on the 15th is still the evening of the 14th in Chicago.
    view = load_today(factory=session_factory, now=dt.datetime(2026, 10, 15, 3, tzinfo=dt.UTC))
    assert view.day == demo.day
    assert set(_who(view.on_now)) == {demo.call, demo.faculty}


def test_the_dst_night_ends_at_seven_on_the_wall_clock(session_factory: Factory) -> None:
    peds = store_peds_duties(session_factory)
    early = load_today(factory=session_factory, now=peds.at(6, 30))
    assert set(_who(early.on_now)) == {peds.night_before}
    (duty,) = [d for g in early.on_now for s in g.shifts for d in s.people]
    # The clocks went back: 13 hours of real time (same-zone subtraction would say 12).
    assert duty.ends.astimezone(dt.UTC) - duty.starts.astimezone(dt.UTC) == dt.timedelta(hours=13)
    assert duty.ends.hour == 7
    assert early.zone_label == "America/New_York (EST)"
    late = load_today(factory=session_factory, now=peds.at(7, 30))
    assert set(_who(late.on_now)) == {peds.day_shift, peds.faculty}
    # Kind "off" is no duty; the attending has no rotation.
    assert set(_who(late.today)) == {peds.day_shift, peds.faculty}
    assert _who(late.tonight) == {peds.call: (_who(late.tonight)[peds.call][0], "NIGHT")}
    assert _who(late.today)[peds.faculty] == (FACULTY, "DAY")
    assert _who(late.today)[peds.day_shift][0] in {"Pediatric Wards", "PICU", "Nursery", "Clinic"}


def test_no_program_or_no_published_schedule(session_factory: Factory) -> None:
    now = dt.datetime(2026, 10, 14, 12, tzinfo=dt.UTC)
    assert load_today(factory=session_factory, now=now) == TodayView("resched", "UTC", now, None)
    assert not has_published_schedule(factory=session_factory)


def test_a_day_outside_every_year_has_no_duties(session_factory: Factory, demo: Duties) -> None:
    view = load_today(factory=session_factory, now=dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC))
    assert view.version_id is None
    assert view.on_now == ()
    assert has_published_schedule(factory=session_factory)


def test_the_coordinator_summary(session_factory: Factory, demo: Duties) -> None:
    view = load_today(factory=session_factory, now=demo.at(10), coordinator=True)
    summary = view.coordinator
    assert summary is not None
    assert (summary.start, summary.end) == (demo.day, demo.day + dt.timedelta(days=27))
    assert summary.open_requests > 0  # the demo's requests
    # Hardly anyone works: the demo's coverage rules are short nearly every day.
    assert summary.gap_count > 20
    assert summary.gaps[0].day == demo.day
    assert all(g.have < g.need for g in summary.gaps)
    assert summary.job_count == 0
    assert load_today(factory=session_factory, now=demo.at(10)).coordinator is None


def test_statements_do_not_grow_with_the_schedule(
    session_factory: Factory, statement_counter: StatementCounter
) -> None:
    duties = store_demo_duties(session_factory, extra_days=0)
    small = statement_counter.count(
        lambda: load_today(factory=session_factory, now=duties.at(10), coordinator=True)
    )
    plain = statement_counter.count(lambda: load_today(factory=session_factory, now=duties.at(10)))
    assert plain <= 12
    assert small <= 40
    # Every resident on a ward day for three more weeks: the same statements.
    from resched.core.model import Assignment

    store_shifts(
        session_factory,
        duties.plan.version_id,
        [
            Assignment(p, duties.day + dt.timedelta(days=d), "WARD")
            for p in duties.plan.residents
            for d in range(1, 22)
        ],
    )
    assert (
        statement_counter.count(
            lambda: load_today(factory=session_factory, now=duties.at(10), coordinator=True)
        )
        == small
    )


def test_coverage_gaps_count_only_the_eligible() -> None:
    day = dt.date(2026, 10, 14)  # a Wednesday
    senior = Person(1, "s", "Senior", Role.RESIDENT, pgy=3)
    intern = Person(2, "i", "Intern", Role.RESIDENT, pgy=1)
    need = CoverageRequirement(
        "CALL",
        frozenset({3}),
        1,
        2,
        Eligibility(pgy_min=2, rotations=frozenset({"WARD"})),
        name="Senior call",
    )
    plan = {1: [(day, day, "WARD")], 2: [(day, day, "WARD")]}
    only_intern = [Assignment(2, day, "CALL")]
    (gap,) = coverage_gaps([need], only_intern, [senior, intern], plan, frozenset(), day, day)
    assert (gap.day, gap.requirement, gap.have, gap.need) == (day, "Senior call", 0, 1)
    both = [*only_intern, Assignment(1, day, "CALL")]
    assert coverage_gaps([need], both, [senior, intern], plan, frozenset(), day, day) == []
    # The senior off the ward rotation does not count; on a holiday-free Thursday nothing is due.
    assert len(coverage_gaps([need], both, [senior, intern], {}, frozenset(), day, day)) == 1
    next_day = day + dt.timedelta(days=1)
    assert coverage_gaps([need], [], [senior], plan, frozenset(), next_day, next_day) == []
