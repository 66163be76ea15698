"""The Requests page's read model: one page of requests with who asked, and whether the last
generation honoured each; the choices its form offers (people, shift types, rotations)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from resched.core.model import Request, RequestKind, RequestStatus
from resched.core.requests import Honoured
from resched.db.records import Page
from resched.db.tables import PersonRow, RotationRow, ShiftTypeRow
from resched.services import request_outcomes, requests
from resched.services.common import DEFAULT_PAGE_SIZE, SessionFactory, read

type Choice = tuple[str, str]


@dataclass(frozen=True, slots=True)
class RequestLine:
    request: Request
    person_name: str
    honoured: Honoured | None


@dataclass(frozen=True, slots=True)
class RequestsView:
    lines: tuple[RequestLine, ...]
    total: int
    offset: int
    limit: int
    people: tuple[Choice, ...]
    shift_types: tuple[Choice, ...]
    rotations: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class RequestFilter:
    person_id: int | None = None
    kind: RequestKind | None = None
    status: RequestStatus | None = None


def load_requests_view(
    *,
    factory: SessionFactory,
    only: RequestFilter,
    offset: int = 0,
    limit: int = DEFAULT_PAGE_SIZE,
) -> RequestsView:
    page: Page[Request] = requests.list_requests(
        factory=factory,
        limit=limit,
        offset=offset,
        person_id=only.person_id,
        kind=only.kind,
        status=only.status,
    )
    answers = request_outcomes.honoured_by_last_generation(factory=factory, requests=page.items)
    with read(factory) as session:
        people = session.execute(
            select(PersonRow.id, PersonRow.name).order_by(PersonRow.name, PersonRow.id)
        ).all()
        shifts = session.execute(
            select(ShiftTypeRow.code, ShiftTypeRow.name).order_by(ShiftTypeRow.code)
        ).all()
        rotations = session.execute(
            select(RotationRow.code, RotationRow.name).order_by(RotationRow.code)
        ).all()
    names: dict[int, str] = dict(people)
    lines = tuple(
        RequestLine(r, names.get(r.person_id, f"person {r.person_id}"), answers.get(r.id or 0))
        for r in page.items
    )
    return RequestsView(
        lines=lines,
        total=page.total,
        offset=page.offset,
        limit=page.limit,
        people=tuple((str(pid), name) for pid, name in people),
        shift_types=tuple((code, f"{code} - {name}") for code, name in shifts),
        rotations=tuple((code, f"{code} - {name}") for code, name in rotations),
    )
