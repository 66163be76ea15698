"""The block-plan grid: residents of one academic year grouped by PGY, one cell per block.

A fixed number of queries (seven) whatever the number of residents, blocks or assignments.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Person, Role
from resched.db.mappers.people import person_from_row
from resched.db.session import transaction
from resched.db.tables import BlockAssignmentRow, BlockRow, PersonRow, PersonYearRow
from resched.services.pages.common import all_years, assignment_to_core, pick_year
from resched.services.plan_grid import PlanView, group_by_pgy
from resched.services.years import (
    all_rotations,
    chosen_versions,
    load_program_info,
    program_today,
)


def load_plan(
    *,
    factory: sessionmaker[Session],
    year_label: str | None = None,
    pgy: int | None = None,
    today: dt.date | None = None,
    include_drafts: bool = True,
) -> PlanView:
    """The plan of ``year_label`` (default: the current academic year), optionally only the
    residents of one PGY level. Raises NotFound for an unknown year label."""
    with transaction(factory) as session:
        program = load_program_info(session)
        years = all_years(session)
        today = today or program_today(program.timezone)
        year = pick_year(years, year_label, today)
        rotations = all_rotations(session)
        if year is None or year.id is None:
            return PlanView(program.name, (), None, None, rotations, (), (), pgy)
        levels = _resident_levels(session, year.id)
        version = chosen_versions(session, [year.id], include_drafts=include_drafts).get(year.id)
        assignments = _assignments(session, version.id) if version else []
    codes = {rotation.id: rotation.code for rotation in rotations}
    cells = [assignment_to_core(row, number, codes) for row, number in assignments]
    groups = group_by_pgy(year, levels, cells, pgy)
    pgy_levels = tuple(sorted({level for _, level in levels}))
    labels = tuple(y.label for y in years)
    return PlanView(
        program.name,
        labels,
        year,
        version,
        rotations,
        groups,
        pgy_levels,
        pgy,
        len(assignments),
        today,
    )


def _resident_levels(session: Session, year_id: int) -> list[tuple[Person, int]]:
    rows = session.execute(
        select(PersonRow, PersonYearRow.pgy)
        .join(PersonYearRow, PersonYearRow.person_id == PersonRow.id)
        .where(PersonYearRow.academic_year_id == year_id, PersonRow.role == Role.RESIDENT)
        .order_by(PersonYearRow.pgy, PersonRow.name, PersonRow.id)
    ).all()
    return [(person_from_row(row, pgy), pgy) for row, pgy in rows]


def _assignments(session: Session, version_id: int) -> list[tuple[BlockAssignmentRow, int]]:
    rows = session.execute(
        select(BlockAssignmentRow, BlockRow.number)
        .join(BlockRow, BlockRow.id == BlockAssignmentRow.block_id)
        .where(BlockAssignmentRow.version_id == version_id)
        .order_by(BlockRow.number, BlockAssignmentRow.half)
    ).all()
    return [(row, number) for row, number in rows]
