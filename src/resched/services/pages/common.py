"""Pieces the page read models share: which year a page shows (by label, or the current one
of services/years.py) and row -> core conversions for the columns the pages need."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import NotFound
from resched.core.model import AcademicYear, BlockAssignment, Rotation
from resched.db.repositories import AcademicYearRepository
from resched.db.session import transaction
from resched.db.tables import BlockAssignmentRow
from resched.services.years import all_rotations, choose_year, load_program_info, program_today


def zone_label(now: dt.datetime, timezone: str) -> str:
    """``America/Chicago (CST)``: the zone a page names once, with the abbreviation in force
    at ``now`` (aware, in that zone) when it says more than the name."""
    abbreviation = now.tzname() or ""
    if not abbreviation or abbreviation == timezone:
        return timezone
    return f"{timezone} ({abbreviation})"


def all_years(session: Session) -> list[AcademicYear]:
    """Every academic year with its blocks, oldest first (three queries)."""
    return AcademicYearRepository(session).all()


def assignment_to_core(
    row: BlockAssignmentRow, number: int, codes: dict[int | None, str]
) -> BlockAssignment:
    return BlockAssignment(
        person_id=row.person_id,
        block_number=number,
        rotation_code=codes.get(row.rotation_id, "?"),
        half=row.half or None,  # the table stores 0 for "the whole block"
        locked=row.locked,
    )


def load_rotations(*, factory: sessionmaker[Session]) -> tuple[Rotation, ...]:
    """Every rotation's code, name and colour (one query): the colour stylesheet's source."""
    with transaction(factory) as session:
        return all_rotations(session)


@dataclass(frozen=True, slots=True)
class YearChoice:
    """The academic year a page shows, and the others it can switch to."""

    program_name: str
    year: AcademicYear | None
    labels: tuple[str, ...]


def resolve_year(
    *,
    factory: sessionmaker[Session],
    year_label: str | None = None,
    today: dt.date | None = None,
) -> YearChoice:
    """``year_label``'s year, or the current one (see ``choose_year``); NotFound for an
    unknown label. Four queries."""
    with transaction(factory) as session:
        program = load_program_info(session)
        years = all_years(session)
    year = pick_year(years, year_label, today or program_today(program.timezone))
    return YearChoice(program.name, year, tuple(y.label for y in years))


def pick_year(
    years: Sequence[AcademicYear], label: str | None, today: dt.date
) -> AcademicYear | None:
    if label is None:
        return choose_year(years, today)
    for year in years:
        if year.label == label:
            return year
    raise NotFound(f"There is no academic year {label!r}.", details={"year": label})
