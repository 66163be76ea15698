"""/requests: days off, shifts wanted or not wanted, rotations and vacation in the plan - the
wishes the generators weigh. Each carries ``honoured``: whether the latest generated schedule
of its academic year grants it (resched.services.request_outcomes).

Filters: ``person_id``, ``kind``, ``status``, and ``start``/``end`` for the requests touching
that range (both inclusive; give both or neither). PATCH changes the fields it names.

Coordinators see and change every request. Residents and faculty see only their own, make
one, change or withdraw it while it is open; the decision and the weight are a coordinator's
(resched.services.permissions.check_request_change).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import PageOut
from resched.api.schemas.common import Day
from resched.api.schemas.requests import RequestIn, RequestOut, RequestPatch
from resched.core.errors import Invalid, NotFound
from resched.core.model import Request, RequestKind, RequestStatus
from resched.http.auth import require
from resched.http.params import MAX_ID
from resched.services import request_outcomes, requests
from resched.services.common import SessionFactory
from resched.services.permissions import (
    Permission,
    Principal,
    check_request_change,
    readable_request_person_id,
)

router = APIRouter(prefix="/requests", tags=["requests"])
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]
Requester = Annotated[Principal, require(Permission.REQUESTS_OWN)]


def _visible(factory: SessionFactory, principal: Principal, request_id: int) -> Request:
    """The request, if this principal may see it; someone else's is a 404 as if it did not
    exist."""
    found = requests.get_request(factory=factory, request_id=request_id)
    if principal.can(Permission.REQUESTS_MANAGE) or found.person_id == principal.person_id:
        return found
    raise NotFound(
        f"request {request_id} not found", details={"entity": "request", "id": request_id}
    )


def _out(factory: SessionFactory, request: Request) -> RequestOut:
    answers = request_outcomes.honoured_by_last_generation(factory=factory, requests=[request])
    return RequestOut.of(request, answers.get(request.id or 0))


@router.get("")
def list_requests(
    factory: SessionFactoryDep,
    page: PageDep,
    principal: Requester,
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    kind: RequestKind | None = None,
    status: RequestStatus | None = None,
    start: Day | None = None,
    end: Day | None = None,
) -> PageOut[RequestOut]:
    if (start is None) != (end is None):
        raise Invalid("give both start and end, or neither", details={"field": "end"})
    result = requests.list_requests(
        factory=factory,
        limit=page.limit,
        offset=page.offset,
        person_id=readable_request_person_id(principal, person_id),
        kind=kind,
        status=status,
        overlapping=None if start is None or end is None else (start, end),
    )
    answers = request_outcomes.honoured_by_last_generation(factory=factory, requests=result.items)
    return PageOut[RequestOut].of(result, lambda r: RequestOut.of(r, answers.get(r.id or 0)))


@router.post("", status_code=201)
def create_request(
    body: RequestIn, factory: SessionFactoryDep, principal: Requester, actor: ActorDep
) -> RequestOut:
    check_request_change(
        principal,
        person_id=body.person_id,
        new_status=body.status,
        weight_changed=body.weight != requests.DEFAULT_WEIGHT,
    )
    created = requests.create_request(factory=factory, request=body.to_core(), actor=actor)
    return _out(factory, created)


@router.get("/{request_id}")
def get_request(
    request_id: RequestId, factory: SessionFactoryDep, principal: Requester
) -> RequestOut:
    return _out(factory, _visible(factory, principal, request_id))


@router.patch("/{request_id}")
def update_request(
    request_id: RequestId,
    body: RequestPatch,
    factory: SessionFactoryDep,
    principal: Requester,
    actor: ActorDep,
) -> RequestOut:
    current = _visible(factory, principal, request_id)
    changed = body.apply(current)
    check_request_change(
        principal,
        person_id=current.person_id,
        old_status=current.status,
        new_status=changed.status,
        weight_changed=changed.weight != current.weight,
    )
    check_request_change(principal, person_id=changed.person_id, new_status=changed.status)
    updated = requests.update_request(
        factory=factory, request_id=request_id, request=changed, actor=actor
    )
    return _out(factory, updated)


@router.delete("/{request_id}", status_code=204)
def delete_request(
    request_id: RequestId, factory: SessionFactoryDep, principal: Requester, actor: ActorDep
) -> None:
    current = _visible(factory, principal, request_id)
    check_request_change(
        principal, person_id=current.person_id, old_status=current.status, new_status=None
    )
    requests.delete_request(factory=factory, request_id=request_id, actor=actor)
