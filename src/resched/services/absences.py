"""Absences: whole local days away. Update replaces the whole absence (PUT semantics), but
never decides a request: approving or denying one is the leave decision's
(resched.services.leave.decide), which checks the shifts it leaves uncovered, records who
decided and why, and tells the requester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from resched.core.errors import Conflict
from resched.core.model import Absence, AbsenceStatus
from resched.db.records import Page
from resched.db.repositories import AbsenceRepository, PeopleRepository
from resched.services.audit import ActorLike, record, record_all_created, record_updated
from resched.services.common import (
    DEFAULT_PAGE_SIZE,
    SessionFactory,
    check_page,
    check_range,
    check_text,
    fail,
    found,
    read,
    write,
)
from resched.services.notices import notify_coordinators
from resched.services.versions import Edited, claim

ENTITY = "absence"
MAX_DAYS = 366  # deployments can be long, but more than a year is a typo
DECISIONS = frozenset({AbsenceStatus.APPROVED, AbsenceStatus.DENIED})


class DecidedElsewhere(Conflict):
    """An update that would approve or deny a request: the leave decision does that."""

    def __init__(self, absence_id: int, wanted: AbsenceStatus) -> None:
        verb = "approve" if wanted is AbsenceStatus.APPROVED else "deny"
        super().__init__(
            f"absence {absence_id} is a leave request: {verb} it with the leave decision "
            f"(POST /api/v1/absences/{absence_id}/{verb}, or the Leave page), which checks the "
            "shifts it leaves uncovered and tells the requester",
            details={"field": "status", "decision": f"/api/v1/absences/{absence_id}/{verb}"},
        )


def validate_absence(absence: Absence) -> None:
    if absence.end < absence.start:
        fail("end", "the absence ends before it starts")
    if (absence.end - absence.start).days + 1 > MAX_DAYS:
        fail("end", f"an absence lasts at most {MAX_DAYS} days")
    check_text(absence.note, "note", max_length=2000, required=False)


def _check_person(session: Session, *absences: Absence) -> None:
    wanted = {absence.person_id for absence in absences}
    unknown = sorted(wanted - PeopleRepository(session).existing_ids(wanted))
    if unknown:
        fail("person_id", f"unknown person {unknown[0]}")


def create_absence(
    *, factory: SessionFactory, absence: Absence, actor: ActorLike = None
) -> Absence:
    with write(factory) as session:
        (created,) = add_absences(session, [absence], actor=actor)
        if created.status is AbsenceStatus.REQUESTED:
            _tell_coordinators(session, created)
        return created


def _tell_coordinators(session: Session, absence: Absence) -> None:
    person = PeopleRepository(session).get(absence.person_id)
    who = person.name if person is not None else f"person {absence.person_id}"
    days = absence.start.isoformat()
    if absence.end != absence.start:
        days += f" to {absence.end.isoformat()}"
    notify_coordinators(
        session,
        title=f"Leave requested: {who}, {days}",
        body=f"{absence.type.value.capitalize()}. {absence.note}".strip(),
        link=f"/leave#leave-{absence.id}",
    )


def add_absences(
    session: Session, absences: Sequence[Absence], *, actor: ActorLike
) -> list[Absence]:
    """Check and store absences (each audited) in the caller's transaction."""
    for absence in absences:
        validate_absence(absence)
    _check_person(session, *absences)
    created = AbsenceRepository(session).add_all(absences)
    return record_all_created(session, actor=actor, entity=ENTITY, created=created)


def get_absence(*, factory: SessionFactory, absence_id: int) -> Absence:
    with read(factory) as session:
        absence = found(AbsenceRepository(session).get(absence_id), ENTITY, absence_id)
    return absence


def list_absences(
    *,
    factory: SessionFactory,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    person_id: int | None = None,
    status: AbsenceStatus | None = None,
    overlapping: tuple[dt.date, dt.date] | None = None,
) -> Page[Absence]:
    """Absences by start date; ``overlapping=(first, last)`` keeps those touching that range."""
    check_page(limit, offset)
    check_range(overlapping)
    with read(factory) as session:
        return AbsenceRepository(session).list_page(
            limit=limit, offset=offset, person_id=person_id, status=status, overlapping=overlapping
        )


def update_absence(
    *,
    factory: SessionFactory,
    absence_id: int,
    absence: Absence,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> Absence:
    """StaleEdit (409) when ``expected_version`` is given and no longer the stored one;
    DecidedElsewhere (409) when it would approve or deny a request."""
    validate_absence(absence)
    with write(factory) as session:
        repo = AbsenceRepository(session)
        before = found(repo.get(absence_id), ENTITY, absence_id)
        claim(session, Edited.ABSENCE, absence_id, expected_version)
        if before.status is AbsenceStatus.REQUESTED and absence.status in DECISIONS:
            raise DecidedElsewhere(absence_id, absence.status)
        _check_person(session, absence)
        after = repo.replace(absence_id, absence)
        return record_updated(
            session,
            actor=actor,
            entity=ENTITY,
            entity_id=absence_id,
            before=before,
            after=after,
        )


def delete_absence(
    *,
    factory: SessionFactory,
    absence_id: int,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> None:
    with write(factory) as session:
        remove_absence(
            session, absence_id=absence_id, actor=actor, expected_version=expected_version
        )


def remove_absence(
    session: Session, *, absence_id: int, actor: ActorLike, expected_version: int | None = None
) -> None:
    """``delete_absence`` in the caller's transaction (the undo of an import)."""
    repo = AbsenceRepository(session)
    before = found(repo.get(absence_id), ENTITY, absence_id)
    claim(session, Edited.ABSENCE, absence_id, expected_version)
    repo.delete(absence_id)
    record(
        session, actor=actor, action="delete", entity=ENTITY, entity_id=absence_id, before=before
    )
