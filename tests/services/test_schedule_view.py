"""The Schedule page's read model at a fixed instant: day, week and month ranges, the filters,
rows per shift type, drafts for coordinators only and the absences a reader may see, on the
demo and on a pediatrics-like program (calendar months, a DST night, one week of leave)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid, NotFound
from resched.core.model import AbsenceType, Assignment, ScheduleStatus
from resched.services.pages.schedule_filters import ScheduleFilters
from resched.services.pages.schedule_range import Grouping, ViewKind, compact_codes
from resched.services.pages.schedule_view import ScheduleQuery, ScheduleView, load_schedule_view
from resched.services.permissions import AbsenceVisibility
from tests.conftest import StatementCounter
from tests.plan_data import store_plan
from tests.today_data import Duties, store_demo_duties, store_peds_duties, store_shifts

Factory = sessionmaker[Session]


@pytest.fixture
def demo(session_factory: Factory) -> Duties:
    return store_demo_duties(session_factory, extra_days=2)


def _load(factory: Factory, duties: Duties, **query: object) -> ScheduleView:
    drafts = bool(query.pop("include_drafts", False))
    return load_schedule_view(
        factory=factory,
        query=ScheduleQuery(**query),  # type: ignore[arg-type]
        now=duties.at(6, 30),
        include_drafts=drafts,
    )


def _codes(view: ScheduleView) -> dict[str, tuple[str, ...]]:
    """Row code -> the labels in its cells, day by day, joined."""
    return {
        row.code: tuple("+".join(e.label for e in cell.entries) for cell in row.cells)
        for group in view.groups
        for row in group.rows
    }


def _person_codes(view: ScheduleView) -> set[str]:
    return {row.code for group in view.groups for row in group.rows}


def test_the_month_of_today_by_default(session_factory: Factory, demo: Duties) -> None:
    view = _load(session_factory, demo)
    assert view.kind is ViewKind.MONTH
    assert view.version is not None
    assert view.version.id == demo.plan.version_id
    assert (view.start, view.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [d.day for d in view.days if d.is_today] == [demo.day]
    assert (view.previous, view.next) == (dt.date(2026, 9, 1), dt.date(2026, 11, 1))
    # Every resident and faculty member has a row, grouped by PGY then faculty.
    assert [g.label for g in view.groups] == ["PGY-1", "PGY-2", "PGY-3", "Faculty"]
    assert view.row_count == 36 + 16
    index = (demo.day - view.start).days
    rows = {row.code: row for g in view.groups for row in g.rows}
    code = next(p.code for p in view.choices.people if p.id == demo.call)
    (call,) = rows[code].cells[index].entries
    assert (call.label, call.title, call.on_call) == ("CALL", "24 h in-house call", True)
    assert {s.shift.code for s in view.legend} == {"WARD", "CALL", "NIGHT", "FAC-CALL", "ATTEND"}
    assert {s.shift.code for s in view.legend if s.on_call} == {"CALL", "FAC-CALL"}


def test_day_and_week_ranges(session_factory: Factory, demo: Duties) -> None:
    week = _load(session_factory, demo, kind=ViewKind.WEEK)
    assert (week.start, week.end) == (dt.date(2026, 10, 12), dt.date(2026, 10, 18))
    assert week.start.isoweekday() == 1
    assert (week.previous, week.next) == (dt.date(2026, 10, 5), dt.date(2026, 10, 19))
    day = _load(session_factory, demo, kind=ViewKind.DAY, anchor=dt.date(2026, 10, 14))
    assert [d.day for d in day.days] == [demo.day]
    (listed,) = day.agenda
    on = {s.shift.code: (s.on_call, [p.person.id for p in s.people]) for s in listed.shifts}
    assert on["CALL"] == (True, [demo.call])
    assert on["WARD"] == (False, [demo.day_shift])
    assert on["FAC-CALL"] == (True, [demo.faculty])
    call = next(s for s in listed.shifts if s.shift.code == "CALL").people[0]
    assert call.starts.tzinfo is not None
    assert call.ends - call.starts == dt.timedelta(hours=24)
    assert call.rotation is not None  # the resident's rotation that day, from the plan


def test_filters_narrow_the_rows(session_factory: Factory, demo: Duties) -> None:
    everyone = _load(session_factory, demo)
    pgy2 = _load(session_factory, demo, filters=ScheduleFilters(pgy=2))
    assert [g.label for g in pgy2.groups] == ["PGY-2"]
    assert pgy2.row_count == 12
    call = _load(session_factory, demo, filters=ScheduleFilters(shift="CALL"))
    assert call.row_count == 1
    assert {s.shift.code for s in call.legend} == {"CALL"}
    rotation = next(c.rotation_code for c in demo.plan.plan if c.person_id == demo.call)
    on_rotation = _load(session_factory, demo, filters=ScheduleFilters(rotation=rotation))
    october = (4, 5)  # the demo's four-week blocks holding October
    expected = {
        c.person_id
        for c in demo.plan.plan
        if c.rotation_code == rotation and c.block_number in october
    }
    assert 0 < on_rotation.row_count < everyone.row_count
    assert on_rotation.row_count == len(expected)
    person_code = next(r.code for g in everyone.groups for r in g.rows if r.label)
    one = _load(session_factory, demo, filters=ScheduleFilters(person=person_code))
    assert _person_codes(one) == {person_code}


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        (ScheduleFilters(person="nobody"), "person"),
        (ScheduleFilters(rotation="NOPE"), "rotation"),
        (ScheduleFilters(shift="NOPE"), "shift"),
    ],
)
def test_an_unknown_code_is_refused_never_read_as_everyone(
    session_factory: Factory, demo: Duties, filters: ScheduleFilters, field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        _load(session_factory, demo, filters=filters)
    assert refused.value.details == {"field": field}


def test_rows_per_shift_type_on_call_first(session_factory: Factory, demo: Duties) -> None:
    view = _load(session_factory, demo, grouping=Grouping.SHIFT)
    assert [g.label for g in view.groups][:2] == ["In-house call", "At-home call"]
    rows = {row.code: row for g in view.groups for row in g.rows}
    index = (demo.day - view.start).days
    (on_call,) = rows["CALL"].cells[index].entries
    assert on_call.on_call
    people = {p.id: p for p in view.choices.people}
    assert on_call.title == people[demo.call].name
    assert on_call.label == people[demo.call].name.split()[-1]


def test_drafts_only_for_readers_allowed_them(session_factory: Factory, demo: Duties) -> None:
    draft = store_plan(session_factory, demo.plan.year_id, [], ScheduleStatus.DRAFT)
    store_shifts(session_factory, draft, [Assignment(demo.call, demo.day, "NIGHT")])
    with pytest.raises(NotFound):
        _load(session_factory, demo, version_id=draft)
    view = _load(session_factory, demo, version_id=draft, include_drafts=True)
    assert view.version is not None
    assert view.version.status is ScheduleStatus.DRAFT
    assert _codes(view)  # rows
    assert {s.shift.code for s in view.legend} == {"NIGHT"}
    # The published default is untouched by the draft.
    assert {s.shift.code for s in _load(session_factory, demo).legend} >= {"CALL", "WARD"}


def test_a_bounded_number_of_statements(
    session_factory: Factory, demo: Duties, statement_counter: StatementCounter
) -> None:
    small = statement_counter.count(lambda: _load(session_factory, demo, kind=ViewKind.DAY))
    store_shifts(
        session_factory,
        demo.plan.version_id,
        [Assignment(p, dt.date(2026, 10, 20), "WARD") for p in demo.plan.residents],
    )
    month = statement_counter.count(lambda: _load(session_factory, demo))
    assert small == month
    assert month <= 15


def test_pediatrics_dst_night_holidays_and_leave(session_factory: Factory) -> None:
    peds = store_peds_duties(session_factory)
    view = _load(session_factory, peds)
    assert (view.start, view.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert [g.label for g in view.groups] == ["PGY-1", "PGY-2", "PGY-3", "Faculty"]
    eve = peds.day - dt.timedelta(days=1)
    before = _load(session_factory, peds, kind=ViewKind.DAY, anchor=eve)
    night = next(s for s in before.agenda[0].shifts if s.shift.code == "NIGHT").people[0]
    assert night.person.id == peds.night_before
    elapsed = night.ends.astimezone(dt.UTC) - night.starts.astimezone(dt.UTC)
    assert elapsed == dt.timedelta(hours=13)  # the clocks go back that night
    assert (night.starts.hour, night.ends.hour) == (19, 7)
    day = _load(session_factory, peds, kind=ViewKind.DAY)
    assert all(s.shift.code != "OFF" for s in day.agenda[0].shifts)  # "off" is no duty
    # The week of leave in October: seen by those who may, hidden from others.
    october = dt.date(2026, 10, 1)
    first = peds.plan.residents[0]

    def away_days(visibility: AbsenceVisibility | None) -> list[int]:
        shown = load_schedule_view(
            factory=session_factory,
            query=ScheduleQuery(anchor=october),
            now=peds.at(6, 30),
            **({"absences": visibility} if visibility else {}),
        )
        code = next(p.code for p in shown.choices.people if p.id == first)
        row = next(r for g in shown.groups for r in g.rows if r.code == code)
        return [c.away for c in row.cells if c.away is not None]

    assert away_days(None) == [AbsenceType.VACATION] * 5
    assert away_days(AbsenceVisibility(everyone=False, own_person_id=None)) == []
    assert (
        away_days(AbsenceVisibility(everyone=False, own_person_id=first))
        == [AbsenceType.VACATION] * 5
    )


def test_no_published_schedule_for_the_day(session_factory: Factory, demo: Duties) -> None:
    view = _load(session_factory, demo, anchor=dt.date(2030, 1, 1))
    assert view.version is None
    assert view.groups == ()


def test_compact_codes_are_short_and_unique() -> None:
    codes = ["WARD", "CLIN-AM", "CLIN-PM", "PRECEPT-AM", "PRECEPT-PM", "BACKUP", "BACK", "CALL-DST"]
    labels = compact_codes(codes)
    assert labels["WARD"] == "WARD"
    assert labels["BACK"] == "BACK"
    assert labels["CLIN-AM"] == "CLAM"
    assert all(len(v) <= 4 for v in labels.values())
    assert len(set(labels.values())) == len(codes)


def test_pediatrics_filters_rows_and_shift_types(session_factory: Factory) -> None:
    peds = store_peds_duties(session_factory)
    r = peds.plan.residents
    codes = {p.id: p.code for p in _load(session_factory, peds).choices.people}
    pgy1 = _load(session_factory, peds, filters=ScheduleFilters(pgy=1))
    assert _person_codes(pgy1) == {codes[r[0]], codes[r[1]]}  # levels 1, 1, 2, 2, 3
    picu = _load(session_factory, peds, filters=ScheduleFilters(rotation="PICU"))
    assert _person_codes(picu) == {codes[r[3]]}  # the only one on PICU in November
    nights = _load(session_factory, peds, filters=ScheduleFilters(shift="NIGHT"))
    assert _person_codes(nights) == {codes[r[3]]}  # the nights before were in October
    by_shift = _load(session_factory, peds, grouping=Grouping.SHIFT)
    assert [(g.label, [row.code for row in g.rows]) for g in by_shift.groups] == [
        ("Night float", ["NIGHT"]),
        ("Day work", ["DAY"]),
    ]
    assert not any(d.is_holiday for d in by_shift.days)  # a year created without holidays


def test_holidays_are_marked(session_factory: Factory, demo: Duties) -> None:
    november = _load(session_factory, demo, anchor=dt.date(2026, 11, 2))
    marked = {d.day: d.holiday for d in november.days if d.is_holiday}
    assert dt.date(2026, 11, 26) in marked  # Thanksgiving
    assert all(d.is_today is False for d in november.days)
