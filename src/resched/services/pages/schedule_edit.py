"""What the schedule's edit panel and change history show: one person's shifts on one day of a
version (and whether the day is frozen), and the version's change sets with whether each can
still be undone. Reads only: the changes themselves go through services/changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.changes.freeze import frozen_days
from resched.core.errors import Invalid, NotFound
from resched.core.model import Program, ScheduleStatus, ShiftType
from resched.db.records import Page
from resched.db.repositories import AcademicYearRepository, ProgramRepository, ShiftTypeRepository
from resched.db.repositories.schedule import (
    ScheduleVersion,
    ScheduleVersionRepository,
    ShiftAssignmentRepository,
)
from resched.db.tables import PersonRow
from resched.services.changes.history import list_changes, undoable
from resched.services.changes.model import AppliedChange
from resched.services.common import SessionFactory, read
from resched.services.schedules import ENTITY
from resched.services.years import program_today

HISTORY_PAGE = 50


@dataclass(frozen=True, slots=True)
class EditCell:
    """One person x day cell of a version, as the edit panel shows it."""

    version: ScheduleVersion
    person: str  # code
    name: str
    day: dt.date
    held: tuple[ShiftType, ...]  # the person's shifts that day
    shifts: tuple[ShiftType, ...]  # every shift type (what can be added)
    frozen: bool  # a published version's day inside the freeze horizon (or past)
    horizon_days: int
    others: tuple[tuple[str, str], ...]  # (code, name) of the other active people, by name

    @property
    def published(self) -> bool:
        return self.version.status is ScheduleStatus.PUBLISHED


@dataclass(frozen=True, slots=True)
class ShownChange:
    change: AppliedChange
    undo_problem: str | None  # why it cannot be undone (None: it can, unless a later change
    # touched the same people and days, which the undo itself checks)
    frozen: bool  # undoing it changes frozen days: it needs an override


@dataclass(frozen=True, slots=True)
class ChangeHistory:
    version: ScheduleVersion
    page: Page[ShownChange]
    names: dict[str, str]  # person code -> name
    shifts: dict[str, str]  # shift code -> name
    window_hours: int


def load_edit_cell(
    *, factory: SessionFactory, version_id: int, person: str, day: dt.date, now: dt.datetime
) -> EditCell:
    """NotFound for an unknown version (``version``) or person (``person``); Invalid for a
    day outside the version's academic year (``day``)."""
    with read(factory) as session:
        version, program = _version(session, version_id)
        year = AcademicYearRepository(session).get(version.academic_year_id)
        if year is None or not year.start <= day <= year.end:
            raise Invalid(
                f"day: {day.isoformat()} is outside this schedule's academic year",
                details={"field": "day"},
            )
        found = session.execute(
            select(PersonRow.id, PersonRow.name).where(PersonRow.code == person)
        ).first()
        if found is None:
            raise NotFound(f"person: no person {person!r}", details={"field": "person"})
        shifts = tuple(ShiftTypeRepository(session).all())
        others = session.execute(
            select(PersonRow.code, PersonRow.name)
            .where(PersonRow.active.is_(True), PersonRow.code != person)
            .order_by(PersonRow.name, PersonRow.code)
        ).all()
        held_codes = {
            a.shift_code
            for _, a in ShiftAssignmentRepository(session).between([version_id], day, day)
            if a.person_id == found.id
        }
    today = program_today(program.timezone, now)
    published = version.status is ScheduleStatus.PUBLISHED
    frozen = published and bool(
        frozen_days([day], today=today, horizon_days=program.freeze_horizon_days)
    )
    return EditCell(
        version=version,
        person=person,
        name=found.name,
        day=day,
        held=tuple(s for s in shifts if s.code in held_codes),
        shifts=shifts,
        frozen=frozen,
        horizon_days=program.freeze_horizon_days,
        others=tuple((code, name) for code, name in others),
    )


def load_change_history(
    *, factory: SessionFactory, version_id: int, offset: int, now: dt.datetime
) -> ChangeHistory:
    """The version's change sets, newest first, each with whether it can still be undone."""
    with read(factory) as session:
        version, program = _version(session, version_id)
        names = dict(session.execute(select(PersonRow.code, PersonRow.name)).all())
        shifts = {s.code: s.name for s in ShiftTypeRepository(session).all()}
    found = list_changes(factory=factory, version_id=version_id, limit=HISTORY_PAGE, offset=offset)
    today = program_today(program.timezone, now)
    published = version.status is ScheduleStatus.PUBLISHED
    window = program.undo_window_hours
    shown = tuple(
        ShownChange(
            change=c,
            undo_problem=undoable(c, now=now, window_hours=window),
            frozen=published
            and bool(
                frozen_days(
                    [i.slot.day for i in c.items],
                    today=today,
                    horizon_days=program.freeze_horizon_days,
                )
            ),
        )
        for c in found.items
    )
    page = Page(items=shown, total=found.total, limit=found.limit, offset=found.offset)
    return ChangeHistory(version, page, names, shifts, window)


def _version(session: Session, version_id: int) -> tuple[ScheduleVersion, Program]:
    version = ScheduleVersionRepository(session).get(version_id)
    program = ProgramRepository(session).get()
    if version is None or program is None:
        raise NotFound(
            f"version: no schedule version {version_id}",
            details={"entity": ENTITY, "field": "version"},
        )
    return version, program
