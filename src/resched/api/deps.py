"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session, sessionmaker

from resched.http.auth import current_principal, request_actor
from resched.http.database import request_factory
from resched.http.params import Offset
from resched.services.audit import Actor
from resched.services.common import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from resched.services.permissions import Principal


def get_actor(
    request: Request, principal: Annotated[Principal, Depends(current_principal)]
) -> Actor:
    """Who is acting, for the audit trail: the signed-in user, this request's id and the
    client's address."""
    return request_actor(request, principal)


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    offset: int


def get_page(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    offset: Offset = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


SessionFactoryDep = Annotated[sessionmaker[Session], Depends(request_factory)]
ActorDep = Annotated[Actor, Depends(get_actor)]
PageDep = Annotated[PageParams, Depends(get_page)]
