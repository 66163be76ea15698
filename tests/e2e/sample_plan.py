"""A clearly labelled sample rotation plan for the demo program, so the browser test can drive
the grid before schedule generation exists. Written straight into the tables (no service writes
block plans yet) as a draft, round-robin over the rotations: it is page data, not a valid plan."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.model import Role, ScheduleStatus
from resched.db.session import create_engine_for, make_session_factory
from resched.db.tables import (
    AcademicYearRow,
    BlockAssignmentRow,
    BlockRow,
    PersonRow,
    PersonYearRow,
    RotationRow,
    ScheduleVersionRow,
)

SAMPLE_LABEL = "Sample for the browser test (not generated)"


def add_sample_plan(database_url: str) -> int:
    """Adds the draft to the first academic year; returns the number of cells written."""
    engine = create_engine_for(database_url)
    try:
        with make_session_factory(engine)() as session, session.begin():
            return _write(session)
    finally:
        engine.dispose()


def _write(session: Session) -> int:
    year = session.scalars(select(AcademicYearRow).order_by(AcademicYearRow.start_date)).first()
    assert year is not None, "the demo program has an academic year"
    blocks = session.scalars(
        select(BlockRow).where(BlockRow.academic_year_id == year.id).order_by(BlockRow.number)
    ).all()
    rotations = session.scalars(select(RotationRow).order_by(RotationRow.id)).all()
    residents = session.scalars(
        select(PersonRow.id)
        .join(PersonYearRow, PersonYearRow.person_id == PersonRow.id)
        .where(PersonYearRow.academic_year_id == year.id, PersonRow.role == Role.RESIDENT)
        .order_by(PersonRow.id)
    ).all()
    version = ScheduleVersionRow(
        academic_year_id=year.id, status=ScheduleStatus.DRAFT, label=SAMPLE_LABEL
    )
    session.add(version)
    session.flush()
    for index, person_id in enumerate(residents):
        for block in blocks:
            rotation = rotations[(index + block.number) % len(rotations)]
            session.add(
                BlockAssignmentRow(
                    version_id=version.id,
                    person_id=person_id,
                    block_id=block.id,
                    half=0,
                    rotation_id=rotation.id,
                )
            )
    return len(residents) * len(blocks)
