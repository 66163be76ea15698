"""The Schedule page's rows, legend and agenda (services/pages/schedule_view.py builds the rest
of the view): the version's shifts on the shown days with their people, rotations and local
times, the days away and the holidays."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.intervals import assignment_interval, local_datetime
from resched.core.model import (
    AcademicYear,
    Assignment,
    Person,
    Role,
    Rotation,
    ShiftKind,
    ShiftType,
)
from resched.db.repositories import AcademicYearRepository
from resched.db.repositories.schedule import approved_absences_between
from resched.db.tables import ShiftAssignmentRow, ShiftTypeRow
from resched.services.pages.schedule_filters import ScheduleFilters, by_start, keep_person
from resched.services.pages.schedule_range import compact_codes, days_shown, each_day, neighbours
from resched.services.pages.schedule_rows import (
    Day,
    OnShift,
    ShownShift,
    agenda,
    group_rows,
    on_call,
)
from resched.services.plan_spans import plan_between

if TYPE_CHECKING:
    from resched.services.pages.schedule_view import ScheduleQuery, ScheduleView


def filled(
    session: Session,
    view: ScheduleView,
    query: ScheduleQuery,
    year: AcademicYear,
    people: Sequence[Person],
    shifts: Sequence[ShiftType],
) -> ScheduleView:
    """``view`` with the rows, legend and agenda of its version's shifts on the shown days
    (four queries)."""
    assert view.version is not None
    start, end = days_shown(query.kind, view.anchor)
    found = _shifts_between(session, view.version.id, start, end)
    plan = plan_between(session, view.version.id, start, end)
    leave = approved_absences_between(session, start, end)
    holidays = {h.day: h.name for h in AcademicYearRepository(session).holidays(year.id or 0)}
    by_code = {s.code: s for s in shifts}
    rotation_on = {
        (person_id, day): rotation
        for person_id, spans in plan.items()
        for first, last, rotation in spans
        for day in each_day(max(first, start), min(last, end))
    }
    on_rotation = {pid for (pid, _), r in rotation_on.items() if r.code == query.filters.rotation}
    kept_people = {p.id: p for p in people if keep_person(p, query.filters, on_rotation)}
    duties = _duties(
        [a for a in found if a.person_id in kept_people and _wanted(a, by_code, query)],
        kept_people,
        by_code,
        rotation_on,
        ZoneInfo(view.timezone),
    )
    labels = compact_codes(by_code)
    legend = tuple(
        ShownShift(shift, labels[shift.code], on_call(shift))
        for shift in sorted({d.shift.code: d.shift for d in duties}.values(), key=by_start)
    )
    days = tuple(
        Day(d, d == view.today, holidays.get(d), year.start <= d <= year.end)
        for d in each_day(start, end)
    )
    away = {
        (a.person_id, d): a.type
        for a in leave
        if a.person_id in kept_people
        for d in each_day(max(a.start, start), min(a.end, end))
    }
    rows_of = _row_people(kept_people.values(), duties, query.filters)
    previous, after = neighbours(query.kind, view.anchor)
    return dataclasses.replace(
        view,
        days=days,
        groups=group_rows(query.grouping, days, duties, rows_of, legend, away),
        legend=legend,
        agenda=agenda(days, duties, away, kept_people),
        previous=previous,
        next=after,
    )


def _shifts_between(
    session: Session, version_id: int, start: dt.date, end: dt.date
) -> list[Assignment]:
    """The version's shifts on ``start``..``end``: only the columns the page shows (one query;
    the repository's read also converts each row's source, a tenth of a month's time)."""
    stmt = (
        select(ShiftAssignmentRow.person_id, ShiftAssignmentRow.day, ShiftTypeRow.code)
        .join(ShiftTypeRow, ShiftTypeRow.id == ShiftAssignmentRow.shift_type_id)
        .where(
            ShiftAssignmentRow.version_id == version_id,
            ShiftAssignmentRow.day >= start,
            ShiftAssignmentRow.day <= end,
        )
    )
    return [Assignment(person, day, code) for person, day, code in session.execute(stmt)]


def _wanted(assignment: Assignment, shifts: Mapping[str, ShiftType], query: ScheduleQuery) -> bool:
    shift = shifts.get(assignment.shift_code)
    if shift is None or (shift.kind is ShiftKind.OFF and query.filters.shift != shift.code):
        return False  # "off" is no duty: shown only when asked for by name
    if query.calls_only and not on_call(shift):
        return False
    return query.filters.shift is None or shift.code == query.filters.shift


def _row_people(
    people: Iterable[Person], duties: Sequence[OnShift], filters: ScheduleFilters
) -> list[Person]:
    """Who gets a row: everyone with a shift shown; without a shift filter also the active
    residents with a PGY level this year and the active faculty (a free month is news too)."""
    working = {d.person.id for d in duties}
    if filters.shift is not None:
        return [p for p in people if p.id in working]
    return [
        p
        for p in people
        if p.id in working
        or (p.active and (p.role is Role.FACULTY or (p.role is Role.RESIDENT and p.pgy)))
    ]


def _duties(
    assignments: Sequence[Assignment],
    people: Mapping[int, Person],
    shifts: Mapping[str, ShiftType],
    rotation_on: Mapping[tuple[int, dt.date], Rotation],
    zone: ZoneInfo,
) -> list[OnShift]:
    """The assignments with their people, shift types, rotations and local times (the
    validator's conversion: a night across a DST change ends at the right instant), each
    shift type's times worked out once a day."""
    times: dict[tuple[str, dt.date], tuple[dt.datetime, dt.datetime]] = {}
    duties = []
    for a in assignments:
        shift = shifts[a.shift_code]
        key = (a.shift_code, a.date)
        if key not in times:
            interval = assignment_interval(a.date, shift, zone)
            times[key] = (
                local_datetime(interval.start, zone),
                local_datetime(interval.scheduled_end, zone),
            )
        starts, ends = times[key]
        duties.append(
            OnShift(
                people[a.person_id],
                shift,
                a.date,
                starts,
                ends,
                rotation_on.get((a.person_id, a.date)),
            )
        )
    return duties
