"""A fingerprint of everything a schedule check reads (``schedules._load``), in one query.

The check of a stored version is a function of: the program row (time zone and the rule
configuration), the academic years and their blocks, the people and their PGY levels, the
shift types, the absences (the approved ones are read), the logged work, the versions (which
one is the record of each year: the look-back) and the shift assignments of the version and of
the published versions. For each of those tables the query reads aggregates that every way the
code writes it moves:

- rows added or removed: ``count`` and ``max(id)`` (ids only grow; a row deleted and another
  added in one transaction still moves ``max(id)`` or the sums below);
- ``Versioned`` rows edited through the ORM (program, person - a PGY change too, being a child
  row of the person -, shift type): ``sum(row_version)``, raised by each transaction that
  changes a row (resched.db.versioning); not for absences, a table that grows with the years,
  where no index holds ``row_version`` and a hot page would scan it (tests/web/
  test_query_plans.py): an edited absence moves the audit id below;
- absences decided by Core UPDATEs (status only, services/leave): the approved rows' ``count``
  and ``sum(id)``;
- PGY levels (``person_year`` rows, also inserted by rollover): ``count`` and
  ``sum(person_id)`` (from the primary key's index; a level changed in place raises its
  person's ``row_version``);
- assignments: each version's ``revision`` and ``status`` (every change set raises the revision,
  services/changes/apply.py; publishing moves statuses) and, for the versions read, the
  assignments' ``count``/``max(id)``/``sum(id)`` over the days read (the other published
  versions only over the look-back: a program's history of years is not scanned per view).

And, over all of them, the newest audit event's id: every write through the application is
audited in its own transaction and the audit trail is append-only (its rows are never deleted,
so on SQLite too its ids only grow), so any committed write moves it. The aggregates above
alone miss one case: on SQLite a row inserted after the newest row was deleted takes that
row's id again, and a fresh row's ``row_version`` is 1 like its predecessor's, so deleting the
newest absence and entering another left every aggregate as it was.

Years and blocks are only ever inserted or deleted (services/academic_years.py); logged work
only inserted. What is keyed on this never serves a check of data that has since changed
through the application. (A hand edit in SQL that leaves all of these unchanged would.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from resched.core.model import AbsenceStatus, ScheduleStatus
from resched.db.tables import (
    AbsenceRow,
    AcademicYearRow,
    AuditEventRow,
    BlockRow,
    LoggedWorkRow,
    PersonRow,
    PersonYearRow,
    ProgramRow,
    ScheduleVersionRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
)

type Stamp = tuple[Any, ...]


def versions_read(session: Session, version_id: int) -> tuple[tuple[int, str, int, int], ...]:
    """(id, status, revision, year) of the version and of every published one (one query)."""
    rows = session.execute(
        select(
            ScheduleVersionRow.id,
            ScheduleVersionRow.status,
            ScheduleVersionRow.revision,
            ScheduleVersionRow.academic_year_id,
        )
        .where(
            (ScheduleVersionRow.id == version_id)
            | (ScheduleVersionRow.status == ScheduleStatus.PUBLISHED)
        )
        .order_by(ScheduleVersionRow.id)
    ).all()
    return tuple((r[0], str(r[1]), r[2], r[3]) for r in rows)


type Days = tuple[dt.date, dt.date] | None  # first and last day read; None: every day


def input_stamp(
    session: Session, own: int, others: Sequence[int], own_days: Days, other_days: Days
) -> Stamp:
    """The aggregates of the module doc (one query): the assignments of the version ``own``
    over ``own_days``, and of the published versions ``others`` over ``other_days``."""
    approved = AbsenceRow.status == AbsenceStatus.APPROVED
    parts = [
        _agg(func.max(AuditEventRow.id), AuditEventRow),
        *_shape(ProgramRow, ProgramRow.row_version),
        *_shape(AcademicYearRow, AcademicYearRow.id),
        *_shape(BlockRow, BlockRow.id),
        *_shape(PersonRow, PersonRow.row_version),
        # PGY rows: their count and person ids from the primary key's index (a PGY changed in
        # place raises its person's row_version; every change moves the audit id).
        _agg(func.count(), PersonYearRow),
        _agg(func.sum(PersonYearRow.person_id), PersonYearRow),
        *_shape(ShiftTypeRow, ShiftTypeRow.row_version),
        # Not sum(row_version): no index holds it, and the audit id above moves with every edit.
        *_shape(AbsenceRow, AbsenceRow.id),
        _agg(func.count(), AbsenceRow, approved),
        _agg(func.sum(AbsenceRow.id), AbsenceRow, approved),
        *_shape(LoggedWorkRow, LoggedWorkRow.id),
        *_shape(ShiftAssignmentRow, ShiftAssignmentRow.id, *_assigned([own], own_days)),
        *_shape(ShiftAssignmentRow, ShiftAssignmentRow.id, *_assigned(others, other_days)),
    ]
    return tuple(session.execute(select(*parts)).one())


def _assigned(version_ids: Sequence[int], days: Days) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [ShiftAssignmentRow.version_id.in_(list(version_ids))]
    if days is not None:
        where.append(ShiftAssignmentRow.day.between(*days))
    return where


def _shape(
    table: Any, summed: InstrumentedAttribute[int], *where: ColumnElement[bool]
) -> list[Any]:
    ident: InstrumentedAttribute[int] = table.id
    return [
        _agg(func.count(), table, *where),
        _agg(func.max(ident), table, *where),
        _agg(func.sum(summed), table, *where),
    ]


def _agg(value: Any, table: Any, *where: ColumnElement[bool]) -> Any:
    query: Select[Any] = select(func.coalesce(value, 0)).select_from(table)
    if where:
        query = query.where(*where)
    return query.scalar_subquery()
