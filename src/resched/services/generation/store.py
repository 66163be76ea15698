"""Storing a solved schedule as a new draft version, in one audited transaction.

A draft is the base version (inputs.py) with the generated part replaced: a rotation-plan draft
holds the new plan and the base's shifts; a shift draft (a range, or the whole year) holds the
base's plan, the base's shifts outside the range and the generated shifts inside it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import update
from sqlalchemy.orm import Session

from resched.core.model import Assignment, BlockAssignment, ScheduleStatus
from resched.db.repositories import RotationRepository, ShiftTypeRepository
from resched.db.repositories.generation import add_block_assignments, block_ids, save_generation
from resched.db.repositories.schedule import ScheduleVersionRepository, ShiftAssignmentRepository
from resched.db.tables import AbsenceRow
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, write
from resched.services.generation.inputs import Base
from resched.services.generation.outcome import GenerationOutcome, report_json
from resched.services.generation.specs import GenerationSpec, ShiftSpec, YearSpec

ACTION = "generate"
ENTITY = "schedule_version"
MAX_LABEL = 120


def store_draft(
    *,
    factory: SessionFactory,
    spec: GenerationSpec,
    base: Base,
    generated: tuple[BlockAssignment, ...] | tuple[Assignment, ...],
    outcome: GenerationOutcome,
    actor: ActorLike,
) -> int:
    """The new draft's id; ``generated`` is the solution (plan cells or shifts)."""
    plan, shifts = _contents(spec, base, generated)
    label = f"{spec.describe()}, generated"[:MAX_LABEL]
    with write(factory) as session:
        repo = ScheduleVersionRepository(session)
        version_id = repo.add(
            academic_year_id=spec.year_id, label=label, status=ScheduleStatus.DRAFT
        )
        _add(session, spec.year_id, version_id, plan, shifts)
        save_generation(session, version_id, report_json(outcome), outcome.violations)
        if isinstance(spec, ShiftSpec) and spec.leave is not None:
            # The absence's proposal is this draft (read by resched.services.leave).
            session.execute(
                update(AbsenceRow)
                .where(AbsenceRow.id == spec.leave.absence_id)
                .values(repair_version_id=version_id)
            )
        version = repo.get(version_id)
        record(
            session,
            actor=actor,
            action=ACTION,
            entity=ENTITY,
            entity_id=version_id,
            after=version,
            reason=f"{outcome.status.value}: {outcome.message}"[:500],
        )
    return version_id


def _contents(
    spec: GenerationSpec,
    base: Base,
    generated: tuple[BlockAssignment, ...] | tuple[Assignment, ...],
) -> tuple[list[BlockAssignment], list[Assignment]]:
    if not isinstance(spec, ShiftSpec | YearSpec):
        return [c for c in generated if isinstance(c, BlockAssignment)], list(base.shifts)
    kept = [a for a in base.shifts if not spec.start <= a.date <= spec.end]
    return list(base.plan), kept + [a for a in generated if isinstance(a, Assignment)]


def _add(
    session: Session,
    year_id: int,
    version_id: int,
    plan: Iterable[BlockAssignment],
    shifts: Iterable[Assignment],
) -> None:
    rotation_ids = RotationRepository(session).ids_by_code()
    add_block_assignments(session, version_id, plan, block_ids(session, year_id), rotation_ids)
    shift_ids = ShiftTypeRepository(session).ids_by_code()
    ShiftAssignmentRepository(session).add_many(version_id, shifts, shift_ids)
