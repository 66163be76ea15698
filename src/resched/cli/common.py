"""Shared CLI plumbing: settings, the database, and turning domain errors into exit code 2."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from resched.core.errors import DomainError

if TYPE_CHECKING:
    # Types only: SQLAlchemy and pydantic take seconds to import on a slow machine, and
    # ``resched --help`` should not wait for them (they are imported where used).
    from sqlalchemy.orm import Session, sessionmaker

    from resched.settings import Settings

EXIT_BAD_INPUT = 2


def fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_BAD_INPUT)


def operator() -> str:
    """Who ran the command, for the audit trail: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except OSError:  # no user name in the environment (some containers)
        return "cli"


def load_settings(database_url: str | None = None) -> Settings:
    from pydantic import ValidationError

    from resched.settings import SecretFileError, Settings

    try:
        settings = Settings()
    except SecretFileError as exc:
        raise fail(f"invalid settings: {exc}") from None
    except ValidationError as exc:
        problems = "; ".join(
            f"RESCHED_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise fail(f"invalid settings: {problems}") from None
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings


@contextmanager
def domain_errors_exit() -> Iterator[None]:
    """A domain error is the user's input being wrong: say so plainly and exit 2."""
    try:
        yield
    except DomainError as exc:
        details = exc.details.get("errors") if exc.details else None
        typer.echo(f"error: {exc.message}", err=True)
        if isinstance(details, list):
            for item in details[:20]:
                typer.echo(f"  {item.get('path', '')}: {item.get('message', '')}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


@contextmanager
def session_factory_for(database_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory for one command, with its engine disposed afterwards."""
    from resched.db.session import create_engine_for, make_session_factory

    engine = create_engine_for(database_url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def parse_date(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    # Only YYYY-MM-DD: fromisoformat alone would also take 20260701 or 2026-W27-3.
    if len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise fail(f"{option}: expected a date YYYY-MM-DD, got {value!r}")


@contextmanager
def database_errors() -> Iterator[None]:
    """A database that is missing or not migrated is a setup problem, not a crash."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        yield
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        raise fail(f"the database is not ready ({reason}); run `resched db upgrade`") from None


@contextmanager
def database(database_url: str | None) -> Iterator[sessionmaker[Session]]:
    """The session factory of the configured database (or ``database_url``), with setup
    problems reported as such."""
    settings = load_settings(database_url)
    with database_errors(), session_factory_for(settings.database_url) as factory:
        yield factory
