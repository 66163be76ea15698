"""FastAPI dependencies shared by the routers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session, sessionmaker

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


def get_session_factory(request: Request) -> sessionmaker[Session]:
    """The session factory the app factory put on ``app.state`` (resched.main.create_app)."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


def get_actor(request: Request) -> str | None:
    """Who is acting, for the audit trail: the authenticated username once authentication sets
    ``request.state.username``; None (recorded as "system") until then."""
    username = getattr(request.state, "username", None)
    return username if isinstance(username, str) else None


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    offset: int


def get_page(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
ActorDep = Annotated[str | None, Depends(get_actor)]
PageDep = Annotated[PageParams, Depends(get_page)]
