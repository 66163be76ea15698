"""A demo server of its own with a published schedule written around the server's today.

Pages that read the wall clock (Today, My schedule, the schedule views) are tested on shifts
placed relative to the current date in the program's zone, so their assertions name no date.
Each such module gets its own database: publishing in the shared one would change the landing
page of the other browser tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page
from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.model import ScheduleStatus
from resched.db.session import create_engine_for, make_session_factory
from resched.db.tables import AcademicYearRow, ProgramRow, ScheduleVersionRow, ShiftTypeRow
from tests.e2e.conftest import PATIENCE_MS, run_resched, serve

# How far the page is wider than the screen (0 or less: no sideways scroll).
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@dataclass(frozen=True, slots=True)
class Publishing:
    """An open transaction with a new published version of the first academic year."""

    session: Session
    version_id: int
    today: dt.date  # the server's today in the program's zone
    shift_ids: dict[str, int]  # shift type code -> id


@contextmanager
def publishing(database_url: str, label: str) -> Iterator[Publishing]:
    """A published version in one transaction, committed when the block ends."""
    engine = create_engine_for(database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            zone = ZoneInfo(session.scalars(select(ProgramRow.timezone)).one())
            year = session.scalars(select(AcademicYearRow)).first()
            assert year is not None
            version = ScheduleVersionRow(
                academic_year_id=year.id,
                status=ScheduleStatus.PUBLISHED,
                label=label,
                published_at=dt.datetime.now(dt.UTC),
            )
            session.add(version)
            session.flush()
            # .all(): a Result has keys(), so dict() would read it as a mapping.
            shifts = dict(session.execute(select(ShiftTypeRow.code, ShiftTypeRow.id)).all())
            yield Publishing(session, version.id, dt.datetime.now(zone).date(), shifts)
    finally:
        engine.dispose()


@contextmanager
def demo_server(directory: Path, prepare: Callable[[str], None]) -> Iterator[str]:
    """A server on a migrated demo database that ``prepare`` (given its URL) completes."""
    url = f"sqlite:///{directory / 'resched.db'}"
    run_resched("db", "upgrade", "--database-url", url)
    run_resched("demo", "--database-url", url)
    prepare(url)
    with serve(url, directory / "server.log") as base_url:
        yield base_url


@contextmanager
def fresh_page(browser: Browser, base_url: str, viewport: dict[str, int]) -> Iterator[Page]:
    """A page in a new, signed-out browser context of the given size."""
    context = browser.new_context(base_url=base_url, viewport=viewport)  # type: ignore[arg-type]
    context.set_default_timeout(PATIENCE_MS)
    try:
        yield context.new_page()
    finally:
        context.close()
