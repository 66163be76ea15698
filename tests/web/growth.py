"""More rows of the kinds that pile up while a program runs - shifts, requests, swap offers,
notices, audit events, jobs, imports, mail - written straight into the tables for any stored
program (the test seed, the demo, pediatrics). The query-count tests measure every route before
and after, so a route that reads per row shows up as a count that grew."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import NoticeKind, SwapKind, SwapStatus
from resched.core.model import AbsenceStatus, AbsenceType, RequestKind, Role
from resched.db.tables import (
    AbsenceRow,
    AcademicYearRow,
    AuditEventRow,
    ImportBatchRow,
    JobRow,
    MailOutboxRow,
    NotificationRow,
    PersonRow,
    PersonYearRow,
    RequestRow,
    ScheduleVersionRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
    SwapRequestRow,
    UserRow,
)

# The days the measured pages show (tests/web/route_queries.py): the schedule's October
# week, the seed's "today" (2026-11-30), and the days around the real one.
# An import's summary as the import service writes it (tests/services/imports).
SUMMARY = {"create": 0, "update": 0, "unchanged": 0, "problems": 0, "rows": 0, "notes": []}
SHOWN_DAYS = (dt.date(2026, 10, 12), dt.date(2026, 11, 30))


def _days(count: int) -> list[dt.date]:
    today = dt.datetime.now(dt.UTC).date()
    # The board lists offers from today on: the third row is always one of them.
    starts = [*SHOWN_DAYS, today + dt.timedelta(days=1), today - dt.timedelta(days=3)]
    return [
        starts[i % len(starts)] + dt.timedelta(days=i // len(starts) % 14) for i in range(count)
    ]


def grow_activity(factory: sessionmaker[Session], *, count: int) -> None:
    """``count`` more rows of each kind, spread over the stored program's residents, users and
    the shown days (no shift or swap row where the program has no schedule version yet)."""
    with factory() as session, session.begin():
        year = session.scalars(select(AcademicYearRow).order_by(AcademicYearRow.id)).first()
        assert year is not None, "a program with an academic year"
        residents = list(
            session.scalars(
                select(PersonRow.id)
                .join(PersonYearRow)
                .where(PersonRow.role == Role.RESIDENT, PersonYearRow.academic_year_id == year.id)
                .order_by(PersonRow.id)
            )
        )
        users = list(session.scalars(select(UserRow.id).order_by(UserRow.id)))
        shift_types = list(session.scalars(select(ShiftTypeRow.id).order_by(ShiftTypeRow.id)))
        version = session.scalars(
            select(ScheduleVersionRow.id)
            .where(ScheduleVersionRow.academic_year_id == year.id)
            .order_by(ScheduleVersionRow.status.desc(), ScheduleVersionRow.id)
        ).first()
        _personal(session, residents, shift_types, count)
        if version is not None and shift_types:
            _schedule(session, version, residents, shift_types, count)
        _office(session, users, count)


def _personal(session: Session, residents: list[int], shift_types: list[int], count: int) -> None:
    for i, day in enumerate(_days(count)):
        person = residents[i % len(residents)]
        session.add(
            RequestRow(
                person_id=person,
                kind=RequestKind.SHIFT_OFF if shift_types else RequestKind.DAY_OFF,
                start_date=day,
                end_date=day,
                shift_type_id=shift_types[0] if shift_types else None,
                note=f"grown {i}",
            )
        )
        session.add(
            AbsenceRow(
                person_id=person,
                start_date=day,
                end_date=day,
                type=AbsenceType.CONFERENCE,
                status=AbsenceStatus.APPROVED if i % 2 else AbsenceStatus.REQUESTED,
            )
        )


def _schedule(
    session: Session, version: int, residents: list[int], shift_types: list[int], count: int
) -> None:
    taken = set(
        session.execute(
            select(
                ShiftAssignmentRow.person_id,
                ShiftAssignmentRow.day,
                ShiftAssignmentRow.shift_type_id,
            ).where(ShiftAssignmentRow.version_id == version)
        ).all()
    )
    for i, day in enumerate(_days(count)):
        person = residents[i % len(residents)]
        shift = shift_types[i % len(shift_types)]
        if (person, day, shift) not in taken:
            taken.add((person, day, shift))
            session.add(
                ShiftAssignmentRow(
                    version_id=version, person_id=person, day=day, shift_type_id=shift
                )
            )
        # Every other offer is accepted by a colleague and waits for a coordinator.
        taker = residents[(i + 1) % len(residents)] if i % 2 and len(residents) > 1 else None
        session.add(
            SwapRequestRow(
                version_id=version,
                kind=SwapKind.GIVEAWAY,
                status=SwapStatus.PENDING if taker else SwapStatus.OPEN,
                from_person_id=person,
                to_person_id=taker,
                day=day,
                shift_type_id=shift,
                note=f"grown {i}",
            )
        )


def _office(session: Session, users: list[int], count: int) -> None:
    for i in range(count):
        for user in users:
            session.add(
                NotificationRow(
                    user_id=user,
                    kind=NoticeKind.SHIFT_CHANGED,
                    title=f"Grown notice {i}",
                    link="/me",
                )
            )
        user = users[i % len(users)]
        session.add(
            AuditEventRow(
                actor="chief",
                action="update",
                entity="person",
                entity_id=str(i),
                before={"name": "before"},
                after={"name": "after"},
            )
        )
        session.add(JobRow(kind="export", parameters={"grown": i}, requested_by=user))
        session.add(
            ImportBatchRow(
                kind="people",
                file_name=f"grown-{i}.csv",
                file_kind="csv",
                created_by="chief",
                summary=SUMMARY,
                problems=[],
                rows=[],
            )
        )
        session.add(MailOutboxRow(to_address=f"grown{i}@example.org", subject=f"Grown {i}"))
