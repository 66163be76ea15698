"""A short academic year of the tiny program (tests.generation_data) for whole-year generation:
four one-week blocks, everyone on the wards, nothing generated yet. A block boundary every
seven nights, so the rule windows that cross one are many and the solves stay tiny."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    AcademicYear,
    Assignment,
    Block,
    BlockAssignment,
    BlockSchemeKind,
    ScheduleStatus,
)
from resched.core.solver.shifts import ShiftProblem
from resched.services.generation.inputs import Base, load_base, shift_problem
from resched.services.generation.specs import YearSpec
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


def block_problem(
    factory: Factory, spec: YearSpec, block: Block, earlier: tuple[Assignment, ...]
) -> ShiftProblem:
    """Block ``block``'s own model as the year builds it, with ``earlier`` as its history (the
    tests' scorer: read from the database, independent of the run's state)."""
    with factory() as session:
        plan = load_base(session, spec.year_id).plan
        return shift_problem(session, spec.block_spec(block), Base(None, plan, earlier))
