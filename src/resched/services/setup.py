"""The first start: what a new program has set up so far, as a checklist of steps.

An empty database (no program, or no academic year) sends an administrator to the setup page
after signing in: load the demo program, or set up their own through the same pages and
services as later changes. Each step says whether it is done and what it holds; the first step
not done is the next one. The last step, generating the rotation plan, is done once a plan
exists for a year.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from resched.core.model import Role
from resched.db.tables import (
    AcademicYearRow,
    BlockAssignmentRow,
    BlockRow,
    CoverageRequirementRow,
    HolidayRow,
    PersonRow,
    ProgramRow,
    RotationRow,
    ShiftTypeRow,
)
from resched.services.common import SessionFactory, read


@dataclass(frozen=True, slots=True)
class SetupStep:
    """``key`` names the step (and its anchor on the page); ``summary`` what it holds."""

    key: str
    title: str
    href: str
    done: bool
    summary: str


@dataclass(frozen=True, slots=True)
class SetupStatus:
    steps: tuple[SetupStep, ...]

    @property
    def empty(self) -> bool:
        """Nothing a program needs first: no program settings and no academic year."""
        return not any(step.done for step in self.steps[:2])

    @property
    def next_step(self) -> SetupStep | None:
        return next((step for step in self.steps if not step.done), None)

    @property
    def complete(self) -> bool:
        return self.next_step is None


def needs_setup(*, factory: SessionFactory) -> bool:
    """True while the database holds no program or no academic year: the first start."""
    with read(factory) as session:
        program = session.scalar(select(ProgramRow.id).limit(1))
        year = session.scalar(select(AcademicYearRow.id).limit(1))
    return program is None or year is None


def _count(
    session: Session, column: InstrumentedAttribute[int], *where: ColumnElement[bool]
) -> int:
    return session.scalar(select(func.count(column)).where(*where)) or 0


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _program(session: Session) -> SetupStep:
    row = session.execute(select(ProgramRow.name, ProgramRow.timezone).limit(1)).first()
    summary = f"{row.name}, time zone {row.timezone}" if row else "Name and time zone"
    return SetupStep("program", "Program", "/program/settings", row is not None, summary)


def _years(session: Session) -> SetupStep:
    years = session.execute(select(AcademicYearRow.id, AcademicYearRow.label)).all()
    if not years:
        summary = "The academic year, its blocks and holidays"
        return SetupStep("year", "Year, blocks and holidays", "/program/years", False, summary)
    blocks = _count(session, BlockRow.id)
    holidays = _count(session, HolidayRow.id)
    labels = ", ".join(label for _, label in years)
    summary = f"{labels}: {_plural(blocks, 'block')}, {_plural(holidays, 'holiday')}"
    return SetupStep("year", "Year, blocks and holidays", "/program/years", True, summary)


def _catalog(session: Session) -> tuple[SetupStep, ...]:
    found = []
    for key, title, href, column, noun in (
        ("shift-types", "Shift types", "/program/shift-types", ShiftTypeRow.id, "shift type"),
        ("rotations", "Rotations", "/program/rotations", RotationRow.id, "rotation"),
        ("coverage", "Coverage", "/program/coverage", CoverageRequirementRow.id, "rule"),
    ):
        count = _count(session, column)
        found.append(SetupStep(key, title, href, count > 0, _plural(count, noun)))
    return tuple(found)


def _people(session: Session) -> SetupStep:
    residents = _count(session, PersonRow.id, PersonRow.role == Role.RESIDENT)
    faculty = _count(session, PersonRow.id, PersonRow.role == Role.FACULTY)
    summary = f"{_plural(residents, 'resident')}, {faculty} faculty"
    return SetupStep("people", "People", "/people/new", residents > 0, summary)


def _plan(session: Session) -> SetupStep:
    placed = session.scalar(select(BlockAssignmentRow.id).limit(1)) is not None
    summary = "A plan is made" if placed else "Residents on rotations, block by block"
    return SetupStep("plan", "Generate the rotation plan", "/generate", placed, summary)


def load_setup_status(*, factory: SessionFactory) -> SetupStatus:
    with read(factory) as session:
        steps = (
            _program(session),
            _years(session),
            *_catalog(session),
            _people(session),
            _plan(session),
        )
    return SetupStatus(steps)
