"""The feeds: a person's published shifts, or the program's (optionally one shift type), from
``PAST_DAYS`` back to the end of published data, and as cancelled events the shifts a change
set removed in the last ``PAST_DAYS`` days, and those of a version replaced by a republish in
the last ``PAST_DAYS`` days that the new record lacks. Names and shifts only: never phone,
e-mail, absences or notes (whoever holds the address sees the feed).

Each day comes from its academic year's published version, as on My schedule. A fixed number
of statements whatever the number of shifts or versions: the replaced versions come with the
records (one statement) and their shifts and changes with the records' own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
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
from resched.services.calendar_feed.replaced import (
    publication_numbers,
    records_of,
    replaced_since,
)
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
    history = ScheduleVersionRepository(session).publication_history()
    published = records_of(history)
    numbers = publication_numbers(history)
    records = record_spans(years, published)
    recent = now - dt.timedelta(days=PAST_DAYS)
    # Only the years that have a record (and so a span) in the feed.
    replaced = {
        old: record
        for old, record in replaced_since(history, published, recent).items()
        if record in records
    }
    name = f"{title} ({program.name if program else NO_PROGRAM_NAME})"
    events: list[FeedEvent] = []
    if records:
        last = _last_changes(session, [*records, *replaced], since, change_where)
        events, dropped = _shifts(session, records, replaced, numbers, since, where, last)
        removed = _removed(session, records, replaced, numbers, since, last, recent)
        events += _cancelled(events, dropped + removed)
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


def _key(event: FeedEvent) -> tuple[str, dt.date, str]:
    return (event.person_code, event.day, event.shift_code)  # what its UID names


def _cancelled(held: Sequence[FeedEvent], cancelled: Sequence[FeedEvent]) -> list[FeedEvent]:
    """One cancelled event per slot the records do not hold (a slot a change set removed and
    a republish dropped too comes once, with the higher SEQUENCE): a UID twice in a calendar is
    invalid."""
    kept = {_key(e) for e in held}
    chosen: dict[tuple[str, dt.date, str], FeedEvent] = {}
    for event in cancelled:
        key = _key(event)
        if key not in kept and (key not in chosen or chosen[key].sequence < event.sequence):
            chosen[key] = event
    return list(chosen.values())


def _shifts(
    session: Session,
    records: Mapping[int, Span],
    replaced: Mapping[int, int],
    numbers: Mapping[int, int],
    since: dt.date,
    where: ColumnElement[bool],
    last: Mapping[Slot, _Last],
) -> tuple[list[FeedEvent], list[FeedEvent]]:
    """The records' shifts, and as cancelled events those of the versions they replaced (the
    caller drops the ones a record still holds)."""
    stmt = (
        select(ShiftAssignmentRow, PersonRow.code, PersonRow.name, ShiftTypeRow)
        .join(PersonRow, PersonRow.id == ShiftAssignmentRow.person_id)
        .join(ShiftTypeRow, ShiftTypeRow.id == ShiftAssignmentRow.shift_type_id)
        .where(
            where,
            ShiftAssignmentRow.version_id.in_([*records, *replaced]),
            ShiftAssignmentRow.day >= since,
            ShiftTypeRow.kind != ShiftKind.OFF,
        )
    )
    events, dropped = [], []
    for row, code, name, shift in session.execute(stmt):
        record = replaced.get(row.version_id)
        if record is not None:
            if _in_record(records, record, row.day):
                number = _replaced_sequence(numbers, record)
                dropped.append(_event(row.person_id, code, name, row.day, shift, number, True))
        elif _in_record(records, row.version_id, row.day):
            slot = (row.version_id, row.person_id, row.day, row.shift_type_id)
            change = last.get(slot)
            revision = change.revision if change else 0
            number = sequence_of(numbers[row.version_id], revision)
            events.append(_event(row.person_id, code, name, row.day, shift, number))
    return events, dropped


# SEQUENCE grows across versions too: a newly published version's events (a higher publication
# number, replaced.publication_numbers) outrank whatever a calendar kept from the one it
# replaced, whose revisions may have run higher.
REVISIONS_PER_VERSION = 10_000


def sequence_of(number: int, revision: int) -> int:
    """``number``: a version's publication number (its id unless published out of order)."""
    return number * REVISIONS_PER_VERSION + min(revision, REVISIONS_PER_VERSION - 1)


def _replaced_sequence(numbers: Mapping[int, int], record: int) -> int:
    """A cancelled slot of a version ``record`` replaced: above any number the replaced
    version sent (at most ``sequence_of(its number, REVISIONS_PER_VERSION - 1)``), since the
    record's publication number is above the replaced one's."""
    return sequence_of(numbers[record], 0)


def _removed(
    session: Session,
    records: Mapping[int, Span],
    replaced: Mapping[int, int],
    numbers: Mapping[int, int],
    since: dt.date,
    last: Mapping[Slot, _Last],
    recent: dt.datetime,
) -> list[FeedEvent]:
    """Slots whose last change, made after ``recent``, removed the shift: cancelled events (in
    a replaced version too: a calendar not refreshed since still holds the shift)."""
    gone = {s: c for s, c in last.items() if c.op is ItemOp.REMOVE and c.at >= recent}
    if not gone:
        return []
    people = {s[1] for s in gone}
    types = {s[3] for s in gone}
    names = {p.id: p for p in session.scalars(select(PersonRow).where(PersonRow.id.in_(people)))}
    shifts = {
        t.id: t for t in session.scalars(select(ShiftTypeRow).where(ShiftTypeRow.id.in_(types)))
    }
    events = []
    for (version, p, day, t), change in gone.items():
        record = replaced.get(version, version)
        if day < since or not _in_record(records, record, day):
            continue
        if shifts[t].kind is ShiftKind.OFF:
            continue
        number = (
            sequence_of(numbers[version], change.revision)
            if record == version
            else _replaced_sequence(numbers, record)
        )
        events.append(_event(p, names[p].code, names[p].name, day, shifts[t], number, True))
    return events


def _last_changes(
    session: Session, versions: Sequence[int], since: dt.date, where: ColumnElement[bool]
) -> dict[Slot, _Last]:
    """Per slot of ``versions``, the latest change set that touched it."""
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
            ScheduleChangeRow.version_id.in_(versions),
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
