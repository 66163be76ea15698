"""The feeds: a person's published shifts, or the program's (optionally one shift type), from
``PAST_DAYS`` back to the end of published data, and the shifts a change set removed in the
last ``PAST_DAYS`` days as cancelled events. Names and shifts only: never phone, e-mail,
absences or notes (whoever holds the address sees the feed).

Each day comes from its academic year's published version, as on My schedule. Four
statements whatever the number of shifts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from resched.core.changes.kinds import ItemOp
from resched.core.errors import NotFound
from resched.core.model import ShiftKind
from resched.db.repositories import AcademicYearRepository, ProgramRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.tables import (
    PersonRow,
    RotationRow,
    ScheduleChangeItemRow,
    ScheduleChangeRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
)
from resched.services.calendar_feed.ics import FeedEvent, build_calendar
from resched.services.common import SessionFactory, read
from resched.services.pages.my_schedule_reads import Span, record_spans
from resched.services.plan_spans import planned_spans
from resched.services.time_zone import program_zone
from resched.services.years import NO_PROGRAM_NAME

PAST_DAYS = 30
type Slot = tuple[int, int, dt.date, int]  # version, person, day, shift type


@dataclass(frozen=True, slots=True)
class _Last:
    revision: int
    op: ItemOp
    at: dt.datetime


def person_feed(*, factory: SessionFactory, person_id: int, now: dt.datetime) -> bytes:
    """``person_id``'s calendar; NotFound for an unknown person."""
    with read(factory) as session:
        person = session.get(PersonRow, person_id)
        if person is None:
            raise NotFound(f"There is no person {person_id}.", details={"field": "person_id"})
        where = ShiftAssignmentRow.person_id == person_id
        change_where = ScheduleChangeItemRow.person_id == person_id
        return _feed(session, now, f"Shifts of {person.name}", where, change_where, False)


def program_feed(
    *, factory: SessionFactory, now: dt.datetime, shift_code: str = "", rotation_code: str = ""
) -> bytes:
    """Everyone's shifts (a coordinator's calendar), or one shift type's (``shift_code``), or
    those of the people on a rotation (``rotation_code``) on the days they are on it."""
    with read(factory) as session:
        where: ColumnElement[bool] = true()
        change_where: ColumnElement[bool] = true()
        title = "Program shifts"
        if shift_code:
            type_id = session.scalar(select(ShiftTypeRow.id).where(ShiftTypeRow.code == shift_code))
            if type_id is None:
                raise NotFound(f"There is no shift type {shift_code}.", details={"field": "shift"})
            where = ShiftAssignmentRow.shift_type_id == type_id
            change_where = ScheduleChangeItemRow.shift_type_id == type_id
            title = f"Program shifts: {shift_code}"
        if rotation_code:
            if (
                session.scalar(select(RotationRow.id).where(RotationRow.code == rotation_code))
                is None
            ):
                raise NotFound(
                    f"There is no rotation {rotation_code}.", details={"field": "rotation"}
                )
            title = f"{title}, rotation {rotation_code}"
        return _feed(session, now, title, where, change_where, True, rotation_code)


def _feed(
    session: Session,
    now: dt.datetime,
    title: str,
    where: ColumnElement[bool],
    change_where: ColumnElement[bool],
    with_names: bool,
    rotation_code: str = "",
) -> bytes:
    program = ProgramRepository(session).get()
    zone = program_zone(program.timezone if program else None)
    since = now.astimezone(zone).date() - dt.timedelta(days=PAST_DAYS)
    years = AcademicYearRepository(session).all()
    records = record_spans(years, ScheduleVersionRepository(session).published_by_year())
    name = f"{title} ({program.name if program else NO_PROGRAM_NAME})"
    events: list[FeedEvent] = []
    if records:
        last = _last_changes(session, records, since, change_where)
        events = _current(session, records, since, where, last)
        held = {(e.person_code, e.day, e.shift_code) for e in events}
        recent = now - dt.timedelta(days=PAST_DAYS)
        events += [
            e
            for e in _removed(session, records, since, last, recent)
            if (e.person_code, e.day, e.shift_code) not in held
        ]
        if rotation_code:
            events = _on_rotation(session, records, since, rotation_code, events)
        events.sort(key=lambda e: (e.day, e.start, e.person_code, e.shift_code))
    return build_calendar(name=name, zone=zone, events=events, now=now, with_names=with_names)


def _on_rotation(
    session: Session,
    records: Mapping[int, Span],
    since: dt.date,
    rotation_code: str,
    events: list[FeedEvent],
) -> list[FeedEvent]:
    """The events of people on ``rotation_code`` in the published plans on the event's day
    (a half block counts its half)."""
    until = max(last for _, last in records.values())
    spans: dict[int, list[Span]] = {}
    for span in planned_spans(session, list(records), since, until):
        if span.rotation.code == rotation_code:
            spans.setdefault(span.person_id, []).append((span.first, span.last))
    return [e for e in events if any(a <= e.day <= b for a, b in spans.get(e.person_id, ()))]


def _in_record(records: Mapping[int, Span], version_id: int, day: dt.date) -> bool:
    first, last = records[version_id]
    return first <= day <= last


def _current(
    session: Session,
    records: Mapping[int, Span],
    since: dt.date,
    where: ColumnElement[bool],
    last: Mapping[Slot, _Last],
) -> list[FeedEvent]:
    stmt = (
        select(ShiftAssignmentRow, PersonRow.code, PersonRow.name, ShiftTypeRow)
        .join(PersonRow, PersonRow.id == ShiftAssignmentRow.person_id)
        .join(ShiftTypeRow, ShiftTypeRow.id == ShiftAssignmentRow.shift_type_id)
        .where(
            where,
            ShiftAssignmentRow.version_id.in_(list(records)),
            ShiftAssignmentRow.day >= since,
            ShiftTypeRow.kind != ShiftKind.OFF,
        )
    )
    events = []
    for row, code, name, shift in session.execute(stmt):
        if _in_record(records, row.version_id, row.day):
            slot = (row.version_id, row.person_id, row.day, row.shift_type_id)
            change = last.get(slot)
            revision = change.revision if change else 0
            number = sequence_of(row.version_id, revision)
            events.append(_event(row.person_id, code, name, row.day, shift, number))
    return events


# SEQUENCE grows across versions too: a newly published version's events (higher id) outrank
# whatever a calendar kept from the one it replaced, whose revisions may have run higher.
REVISIONS_PER_VERSION = 10_000


def sequence_of(version_id: int, revision: int) -> int:
    return version_id * REVISIONS_PER_VERSION + min(revision, REVISIONS_PER_VERSION - 1)


def _removed(
    session: Session,
    records: Mapping[int, Span],
    since: dt.date,
    last: Mapping[Slot, _Last],
    recent: dt.datetime,
) -> list[FeedEvent]:
    """Slots whose last change, made after ``recent``, removed the shift: cancelled events."""
    gone = {s: c for s, c in last.items() if c.op is ItemOp.REMOVE and c.at >= recent}
    if not gone:
        return []
    people = {s[1] for s in gone}
    types = {s[3] for s in gone}
    names = {p.id: p for p in session.scalars(select(PersonRow).where(PersonRow.id.in_(people)))}
    shifts = {
        t.id: t for t in session.scalars(select(ShiftTypeRow).where(ShiftTypeRow.id.in_(types)))
    }
    return [
        _event(
            p,
            names[p].code,
            names[p].name,
            day,
            shifts[t],
            sequence_of(version, change.revision),
            cancelled=True,
        )
        for (version, p, day, t), change in gone.items()
        if day >= since
        and _in_record(records, version, day)
        and shifts[t].kind is not ShiftKind.OFF
    ]


def _last_changes(
    session: Session, records: Mapping[int, Span], since: dt.date, where: ColumnElement[bool]
) -> dict[Slot, _Last]:
    """Per slot of the published versions, the latest change set that touched it."""
    stmt = (
        select(
            ScheduleChangeRow.version_id,
            ScheduleChangeItemRow.person_id,
            ScheduleChangeItemRow.day,
            ScheduleChangeItemRow.shift_type_id,
            ScheduleChangeRow.revision,
            ScheduleChangeItemRow.op,
            ScheduleChangeRow.created_at,
        )
        .join(ScheduleChangeRow, ScheduleChangeRow.id == ScheduleChangeItemRow.change_id)
        .where(
            where,
            ScheduleChangeRow.version_id.in_(list(records)),
            ScheduleChangeItemRow.day >= since,
        )
        .order_by(ScheduleChangeRow.revision, ScheduleChangeItemRow.id)
    )
    last: dict[Slot, _Last] = {}
    for version, person, day, type_id, revision, op, at in session.execute(stmt):
        last[(version, person, day, type_id)] = _Last(revision, op, at)  # later rows win
    return last


def _event(
    person_id: int,
    code: str,
    name: str,
    day: dt.date,
    shift: ShiftTypeRow,
    sequence: int,
    cancelled: bool = False,
) -> FeedEvent:
    return FeedEvent(
        person_code=code,
        person_name=name,
        day=day,
        shift_code=shift.code,
        shift_name=shift.name,
        start=shift.start_time,
        minutes=shift.minutes,
        sequence=sequence,
        cancelled=cancelled,
        person_id=person_id,
    )
