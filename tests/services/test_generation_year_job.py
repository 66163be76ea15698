"""The generation job running a whole year: progress that advances block by block (never
back), each finished block in the job's details, and a cancel after a block that ends the job
as cancelled with nothing stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import ScheduleVersionRow
from resched.services.generation import (
    GenerationKind,
    GenerationRequest,
    make_spec,
    spec_json,
)
from resched.tasks.generation import generate
from resched.tasks.runner import JobCancelled, JobContext
from tests.generation_data import FAST, Tiny
from tests.year_data import BLOCKS, LABEL, store_short_year

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@dataclass
class Recording(JobContext):
    """A job context that keeps every report, and cancels once ``cancel_after`` blocks are done."""

    reports: list[tuple[float, str, dict[str, Any] | None]] = field(default_factory=list)
    cancel_after: int | None = None

    def report(self, progress: float, message: str, details: dict[str, Any] | None = None) -> None:
        super().report(progress, message, details)
        self.reports.append((progress, message, details))
        done = (details or {}).get("blocks_done")
        if self.cancel_after is not None and done == self.cancel_after:
            self.cancel.cancel()


@pytest.fixture(name="tiny")
def _tiny(session_factory: Factory) -> Tiny:
    return store_short_year(session_factory)


def _parameters(factory: Factory) -> dict[str, Any]:
    request = GenerationRequest(GenerationKind.YEAR, limits=FAST, year=LABEL)
    return spec_json(make_spec(factory=factory, request=request))


def _versions(factory: Factory) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(ScheduleVersionRow)) or 0


def test_progress_advances_block_by_block(session_factory: Factory, tiny: Tiny) -> None:
    context = Recording(session_factory, _parameters(session_factory), None)

    outcome = generate(context)

    assert not outcome.failed
    assert outcome.result is not None
    assert len(outcome.result["blocks"]) == BLOCKS
    shares = [share for share, _, _ in context.reports]
    assert shares == sorted(shares)  # never back
    done = [m for _, m, _ in context.reports if " done (" in m]
    assert [m.split(" done")[0] for m in done] == [f"Block {n}" for n in range(1, BLOCKS + 1)]
    assert done[-1].startswith(f"Block {BLOCKS} done ({BLOCKS} of {BLOCKS}): ")
    last = [d for _, _, d in context.reports if d and "blocks" in d][-1]
    assert [b["number"] for b in last["blocks"]] == list(range(1, BLOCKS + 1))
    assert all(b["gap"] is not None for b in last["blocks"])


def test_cancel_after_a_block_ends_the_job_cancelled_with_nothing_stored(
    session_factory: Factory, tiny: Tiny
) -> None:
    context = Recording(session_factory, _parameters(session_factory), None, cancel_after=1)
    before = _versions(session_factory)

    with pytest.raises(JobCancelled):
        generate(context)

    assert _versions(session_factory) == before
    assert sum(" done (" in m for _, m, _ in context.reports) == 1
