"""Requests: a day off, a shift wanted or not wanted, a rotation or vacation in the plan. The
generators read the open and granted ones (db/repositories/generation.weighed_requests) and
weigh each by its ``weight``; a coordinator grants or declines them, their person withdraws them.

A request names an existing person (a resident, for a rotation or vacation request: the
rotation plan holds residents only), shift type (shift requests) or rotation (rotation
requests), lies inside one academic year, and does not repeat an open or granted request of
the same person for the same thing and dates. Update replaces the whole request.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.orm import Session

from resched.core.model import Request, RequestKind, RequestStatus, Role
from resched.core.requests import PLAN_KINDS
from resched.db.records import Page
from resched.db.repositories import AcademicYearRepository, PeopleRepository
from resched.db.repositories.requests import RequestRepository
from resched.services.audit import ActorLike, record, record_created, record_updated
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

ENTITY = "request"
DEFAULT_WEIGHT = 1
MAX_WEIGHT = 10
# Requests that still stand: a second one asking the same is a duplicate.
ACTIVE = frozenset({RequestStatus.OPEN, RequestStatus.GRANTED})
_SHIFT_KINDS = frozenset({RequestKind.SHIFT_ON, RequestKind.SHIFT_OFF})


def validate_request(request: Request) -> None:
    """What a request must be on its own; the database checks follow in the transaction."""
    if request.end < request.start:
        fail("end", "the request ends before it starts")
    if not 0 <= request.weight <= MAX_WEIGHT:
        fail("weight", f"the weight is 0 to {MAX_WEIGHT}")
    check_text(request.note, "note", max_length=2000, required=False)
    wants_shift = request.kind in _SHIFT_KINDS
    wants_rotation = request.kind is RequestKind.ROTATION
    if wants_shift and not request.shift_code:
        fail("shift_code", "a shift request names its shift type")
    if not wants_shift and request.shift_code is not None:
        fail("shift_code", f"a {_kind_text(request.kind)} request names no shift type")
    if wants_rotation and not request.rotation_code:
        fail("rotation_code", "a rotation request names its rotation")
    if not wants_rotation and request.rotation_code is not None:
        fail("rotation_code", f"a {_kind_text(request.kind)} request names no rotation")


def _kind_text(kind: RequestKind) -> str:
    return kind.value.replace("_", "-")


def _check_stored(
    session: Session, repo: RequestRepository, request: Request, own_id: int | None = None
) -> None:
    person = PeopleRepository(session).get(request.person_id)
    if person is None:
        fail("person_id", f"unknown person {request.person_id}")
    if request.kind in PLAN_KINDS and person.role is not Role.RESIDENT:
        # The rotation plan holds residents only: such a wish could never be honoured.
        fail(
            "kind",
            f"{person.name} is not a resident: rotation and vacation requests are for residents",
        )
    if request.shift_code is not None and request.shift_code not in repo.shift_ids:
        fail("shift_code", f"unknown shift type {request.shift_code!r}")
    if request.rotation_code is not None and request.rotation_code not in repo.rotation_ids:
        fail("rotation_code", f"unknown rotation {request.rotation_code!r}")
    _check_within_a_year(session, request.start, request.end)
    if request.status in ACTIVE:
        same = [i for i in repo.same_as(request, ACTIVE) if i != own_id]
        if same:
            fail("start", f"the same request is already made (request {same[0]})", existing=same[0])


def _check_within_a_year(session: Session, start: dt.date, end: dt.date) -> None:
    years = AcademicYearRepository(session).overlapping(start, start)
    if not years:
        fail("start", f"{start.isoformat()} is in no academic year of the program")
    year = years[0]
    if end > year.end:
        fail("end", f"a request ends within its academic year ({year.label} ends {year.end})")


def create_request(
    *, factory: SessionFactory, request: Request, actor: ActorLike = None
) -> Request:
    validate_request(request)
    with write(factory) as session:
        repo = RequestRepository(session)
        _check_stored(session, repo, request)
        return record_created(session, actor=actor, entity=ENTITY, created=repo.add(request))


def get_request(*, factory: SessionFactory, request_id: int) -> Request:
    with read(factory) as session:
        request = found(RequestRepository(session).get(request_id), ENTITY, request_id)
    return request


def list_requests(
    *,
    factory: SessionFactory,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    person_id: int | None = None,
    kind: RequestKind | None = None,
    status: RequestStatus | None = None,
    overlapping: tuple[dt.date, dt.date] | None = None,
) -> Page[Request]:
    """Requests by start date; ``overlapping=(first, last)`` keeps those touching that range."""
    check_page(limit, offset)
    check_range(overlapping)
    with read(factory) as session:
        return RequestRepository(session).list_page(
            limit=limit,
            offset=offset,
            person_id=person_id,
            kind=kind,
            status=status,
            overlapping=overlapping,
        )


def update_request(
    *, factory: SessionFactory, request_id: int, request: Request, actor: ActorLike = None
) -> Request:
    validate_request(request)
    with write(factory) as session:
        repo = RequestRepository(session)
        before = found(repo.get(request_id), ENTITY, request_id)
        _check_stored(session, repo, request, own_id=request_id)
        after = found(repo.replace(request_id, request), ENTITY, request_id)
        return record_updated(
            session, actor=actor, entity=ENTITY, entity_id=request_id, before=before, after=after
        )


def withdraw_request(
    *, factory: SessionFactory, request_id: int, actor: ActorLike = None
) -> Request:
    """The request, withdrawn: the generators no longer weigh it; the record stays."""
    current = get_request(factory=factory, request_id=request_id)
    if current.status not in ACTIVE:
        fail("status", f"this request is already {current.status.value}")
    withdrawn = dataclasses.replace(current, status=RequestStatus.WITHDRAWN, id=None)
    return update_request(factory=factory, request_id=request_id, request=withdrawn, actor=actor)


def delete_request(*, factory: SessionFactory, request_id: int, actor: ActorLike = None) -> None:
    with write(factory) as session:
        repo = RequestRepository(session)
        before = found(repo.get(request_id), ENTITY, request_id)
        repo.delete(request_id)
        record(
            session,
            actor=actor,
            action="delete",
            entity=ENTITY,
            entity_id=request_id,
            before=before,
        )
