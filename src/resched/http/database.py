"""The app's database for a request: the session factory the app factory put on ``app.state``
(resched.main.create_app), read one way by the API, the pages and the HTTP edge alike."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import HTTPConnection


def request_factory(connection: HTTPConnection) -> sessionmaker[Session]:
    """The session factory of the app serving ``connection`` (typed: ``app.state`` is not)."""
    factory: sessionmaker[Session] = connection.app.state.session_factory
    return factory
