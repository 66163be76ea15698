"""A short academic year of the tiny program (tests.generation_data) for whole-year generation:
four one-week blocks, everyone on the wards, nothing generated yet. A block boundary every
seven nights, so the rule windows that cross one are many and the solves stay tiny."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import AcademicYear, Block, BlockAssignment, BlockSchemeKind, ScheduleStatus
from tests.generation_data import Tiny, store_tiny, store_version

Factory = sessionmaker[Session]
YEAR_START = dt.date(2026, 7, 1)
BLOCKS = 4
BLOCK_DAYS = 7
LABEL = "2026-27"


def short_year() -> AcademicYear:
    blocks = tuple(
        Block(
            number=n,
            start=YEAR_START + dt.timedelta(days=BLOCK_DAYS * (n - 1)),
            end=YEAR_START + dt.timedelta(days=BLOCK_DAYS * n - 1),
            name=f"Week {n}",
        )
        for n in range(1, BLOCKS + 1)
    )
    return AcademicYear(
        label=LABEL,
        start=YEAR_START,
        end=blocks[-1].end,
        scheme=BlockSchemeKind.FOUR_WEEK,
        blocks=blocks,
        holidays=(),
    )


def store_short_year(factory: Factory) -> Tiny:
    """The tiny program in the short year, with a published plan (everyone on the wards)."""
    tiny = store_tiny(factory, short_year())
    plan = [BlockAssignment(p, n, "WARDS") for p in tiny.residents for n in range(1, BLOCKS + 1)]
    store_version(factory, tiny, status=ScheduleStatus.PUBLISHED, plan=plan)
    return tiny
