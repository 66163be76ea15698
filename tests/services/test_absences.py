"""Absences: CRUD, filters, validation."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import NoticeKind
from resched.core.errors import Invalid, NotFound
from resched.core.model import Absence, AbsenceStatus, AbsenceType
from resched.db.tables import NotificationRow
from resched.services import absences, people
from tests import builders
from tests.accounts import add_user

Factory = sessionmaker[Session]


@pytest.fixture
def person_id(session_factory: Factory) -> int:
    person = people.create_person(factory=session_factory, profile=builders.resident("r1"))
    assert person.id is not None
    return person.id


def test_absence_crud(session_factory: Factory, person_id: int) -> None:
    created = absences.create_absence(factory=session_factory, absence=builders.absence(person_id))
    assert created.id is not None
    approved = dataclasses.replace(created, status=AbsenceStatus.APPROVED)
    assert (
        absences.update_absence(factory=session_factory, absence_id=created.id, absence=approved)
        == approved
    )
    absences.delete_absence(factory=session_factory, absence_id=created.id)
    with pytest.raises(NotFound):
        absences.get_absence(factory=session_factory, absence_id=created.id)


def test_list_filters(session_factory: Factory, person_id: int) -> None:
    august = builders.absence(person_id, status=AbsenceStatus.REQUESTED)
    october = builders.absence(
        person_id,
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 2),
        status=AbsenceStatus.APPROVED,
    )
    for absence in (october, august):
        absences.create_absence(factory=session_factory, absence=absence)
    everything = absences.list_absences(factory=session_factory)
    assert [a.start for a in everything.items] == [august.start, october.start]
    touching = absences.list_absences(
        factory=session_factory, overlapping=(dt.date(2026, 8, 7), dt.date(2026, 9, 30))
    )
    assert [a.start for a in touching.items] == [august.start]
    approved = absences.list_absences(factory=session_factory, status=AbsenceStatus.APPROVED)
    assert approved.total == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": dt.date(2026, 8, 1)}, "end"),
        ({"end": dt.date(2027, 9, 1)}, "end"),
        ({"person_id": 999_999}, "person_id"),
    ],
)
def test_invalid_absences(
    session_factory: Factory, person_id: int, change: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        absences.create_absence(
            factory=session_factory,
            absence=builders.absence(**{"person_id": person_id, **change}),  # type: ignore[arg-type]
        )
    assert caught.value.details["field"] == field
    assert absences.list_absences(factory=session_factory).total == 0


def test_a_leave_request_is_announced_to_the_coordinators(
    session_factory: Factory, person_id: int
) -> None:
    chief = add_user(session_factory, "coordinator")
    resident = add_user(session_factory, "resident")
    requested = absences.create_absence(
        factory=session_factory,
        absence=Absence(
            person_id,
            dt.date(2026, 8, 3),
            dt.date(2026, 8, 7),
            AbsenceType.VACATION,
            AbsenceStatus.REQUESTED,
        ),
    )
    absences.create_absence(  # recorded as approved: nothing waits for anyone
        factory=session_factory,
        absence=Absence(
            person_id, dt.date(2026, 9, 1), dt.date(2026, 9, 1), AbsenceType.CONFERENCE
        ),
    )
    with session_factory() as session:
        told = session.execute(
            select(NotificationRow.user_id, NotificationRow.kind, NotificationRow.link)
        ).all()
    assert [tuple(t) for t in told] == [
        (chief, NoticeKind.APPROVAL_NEEDED, f"/leave#leave-{requested.id}")
    ]
    assert resident not in {t[0] for t in told}
