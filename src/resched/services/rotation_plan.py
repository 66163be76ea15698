"""The rotation plan of an academic year as data: read it, and change or lock one cell.

Which version: the one asked for, else the year's version of record (the published one), else
its newest draft (``services.years.chosen_versions``). Archived versions are history and do
not change.

A cell edit changes the version **in place**, in one transaction with an audit event
(``plan.cell``: the cell before and after, who, and why). A published plan is the record, so
changing it needs a reason; a new published version per edit would copy the year's shift
schedule each time and scatter one plan over many versions, while the audit trail already
keeps every published state. A draft saved with broken rules counts them among its violations,
so publishing it needs a reason too. Before anything is written the change is checked
(``core.solver.plan.cell``): what it breaks, mends or leaves broken, in words. A change that
breaks a rule is saved only when confirmed, and the audit reason then says how many rules it
broke. ``dry_run`` answers the check and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from resched.core.errors import Conflict, Invalid, NotFound
from resched.core.model import (
    AcademicYear,
    BlockAssignment,
    Person,
    Role,
    Rotation,
    ScheduleStatus,
)
from resched.core.solver.plan import PlanProblem
from resched.core.solver.plan.cell import CellChange, CellCheck, check_cell_change
from resched.db.repositories import AcademicYearRepository, PeopleRepository, RotationRepository
from resched.db.repositories.generation import (
    add_block_assignments,
    block_assignments,
    block_ids,
    lock_version,
)
from resched.db.repositories.schedule import ScheduleVersionRepository, approved_absences_between
from resched.db.tables import BlockAssignmentRow, ScheduleVersionRow
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, read, write
from resched.services.schedules import ENTITY
from resched.services.versions import check_cell_unchanged
from resched.services.years import PlanVersion, chosen_versions

ACTION = "plan.cell"
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class YearPlan:
    """A year's blocks, its residents with their PGY level (by level, then name), the
    shown version's cells (none when the year has no version the reader may see) and the
    program's rotations."""

    year: AcademicYear
    version: PlanVersion | None
    residents: tuple[Person, ...]
    assignments: tuple[BlockAssignment, ...]
    rotations: tuple[Rotation, ...] = ()

    @property
    def halves(self) -> bool:
        """Whether a cell may be split: some rotation allows half blocks."""
        return any(r.allows_half_block for r in self.rotations)

    def cell(self, person_id: int, block: int) -> tuple[BlockAssignment, ...]:
        return tuple(
            a for a in self.assignments if (a.person_id, a.block_number) == (person_id, block)
        )


@dataclass(frozen=True, slots=True)
class CellEdit:
    """The version a cell edit is about, the check, and whether it was written."""

    version: PlanVersion
    check: CellCheck
    saved: bool


def get_year_plan(
    *,
    factory: SessionFactory,
    academic_year_id: int,
    version_id: int | None = None,
    include_drafts: bool = True,
) -> YearPlan:
    """NotFound for an unknown year, and for a version that is not the year's or is a draft
    hidden from the reader (its existence is not theirs)."""
    with read(factory) as session:
        year = _year(session, academic_year_id)
        version = _version(session, year, version_id, include_drafts, editing=False)
        cells = block_assignments(session, version.id) if version else []
        residents = _residents(session, academic_year_id)
        rotations = tuple(RotationRepository(session).all())
        return YearPlan(year, version, residents, tuple(cells), rotations)


def check_plan_cell(
    *,
    factory: SessionFactory,
    academic_year_id: int,
    change: CellChange,
    version_id: int | None = None,
) -> CellEdit:
    """What ``change`` would break or mend; writes nothing. Errors as ``edit_plan_cell``."""
    with read(factory) as session:
        version, check = _checked(session, academic_year_id, change, version_id)
    return CellEdit(version, check, saved=False)


def edit_plan_cell(
    *,
    factory: SessionFactory,
    academic_year_id: int,
    change: CellChange,
    actor: ActorLike,
    reason: str = "",
    confirm: bool = False,
    version_id: int | None = None,
    expected_cell: str | None = None,
) -> CellEdit:
    """Change one cell (module doc). NotFound for an unknown year or version; Conflict for a
    cell that no longer holds ``expected_cell`` (versions.cell_signature of the cell the form
    was opened on: someone saved it meanwhile), a year with no plan yet or an archived
    version; Invalid naming the field for a change the plan cannot take (``person_id``,
    ``block``, ``half``, ``rotation_code``, ``locked``), a published plan changed without a
    ``reason``, or a break not confirmed (``confirm``, with the findings). Nothing is written
    on any error; an edit that changes nothing is not audited."""
    why = reason.strip()
    if len(why) > MAX_REASON:
        raise Invalid(f"a reason is at most {MAX_REASON} characters", details={"field": "reason"})
    with write(factory) as session:
        version, check = _checked(session, academic_year_id, change, version_id, lock=True)
        check_cell_unchanged(expected_cell, check.before)
        if not check.changed:
            return CellEdit(version, check, saved=False)
        _require_reason(version, why)
        _require_confirm(check, confirm)
        _store(session, academic_year_id, version.id, check)
        if check.breaks and version.status is ScheduleStatus.DRAFT:
            _flag_violations(session, version.id, len(check.breaks))
        record(
            session,
            actor=actor,
            action=ACTION,
            entity=ENTITY,
            entity_id=version.id,
            before=_audited(change, check.before),
            after=_audited(change, check.after),
            reason=_audit_reason(why, len(check.breaks)),
        )
    return CellEdit(version, check, saved=True)


def _checked(
    session: Session,
    academic_year_id: int,
    change: CellChange,
    version_id: int | None,
    *,
    lock: bool = False,
) -> tuple[PlanVersion, CellCheck]:
    """The version and the check; ``lock`` holds the version (PostgreSQL: its row) from
    before the plan is read, so two edits of one plan never check against a stale plan."""
    year = _year(session, academic_year_id)
    version = _version(session, year, version_id, include_drafts=True, editing=True)
    assert version is not None
    assert year.id is not None
    if lock and lock_version(session, version.id) is not version.status:
        raise Conflict(f"version {version.id} changed meanwhile; try again")
    residents = _residents(session, year.id)
    absences = approved_absences_between(session, year.start, year.end)
    ids = {p.id for p in residents}
    problem = PlanProblem(
        residents=residents,
        rotations=tuple(RotationRepository(session).all()),
        blocks=year.blocks,
        absences=tuple(a for a in absences if a.person_id in ids),
    )
    plan = block_assignments(session, version.id)
    return version, check_cell_change(problem, plan, change)


def _year(session: Session, academic_year_id: int) -> AcademicYear:
    year = AcademicYearRepository(session).get(academic_year_id)
    if year is None or year.id is None:
        raise NotFound(
            f"academic year {academic_year_id} not found",
            details={"entity": "academic_year", "id": academic_year_id},
        )
    return year


def _version(
    session: Session,
    year: AcademicYear,
    version_id: int | None,
    include_drafts: bool,
    *,
    editing: bool,
) -> PlanVersion | None:
    assert year.id is not None
    if version_id is None:
        chosen = chosen_versions(session, [year.id], include_drafts=include_drafts).get(year.id)
        if chosen is None and editing:
            raise Conflict(
                f"{year.label} has no rotation plan yet: generate (or import) one first",
                details={"field": "version_id"},
            )
        return chosen
    found = ScheduleVersionRepository(session).get(version_id)
    hidden = found is not None and found.status is ScheduleStatus.DRAFT and not include_drafts
    if found is None or hidden or found.academic_year_id != year.id:
        raise NotFound(
            f"{year.label} has no schedule version {version_id}",
            details={"entity": ENTITY, "id": version_id, "field": "version_id"},
        )
    if editing and found.status is ScheduleStatus.ARCHIVED:
        raise Conflict(
            f"version {version_id} is archived; only a draft or the published plan changes",
            details={"field": "version_id", "status": found.status.value},
        )
    return PlanVersion(found.id, found.status, found.label)


def _residents(session: Session, academic_year_id: int) -> tuple[Person, ...]:
    people = PeopleRepository(session).in_year(academic_year_id)
    residents = [p for p in people if p.role is Role.RESIDENT and p.pgy is not None]
    return tuple(sorted(residents, key=lambda p: (p.pgy or 0, p.name, p.id)))


def _require_reason(version: PlanVersion, why: str) -> None:
    if version.status is ScheduleStatus.PUBLISHED and not why:
        raise Invalid(
            "the published plan changes only with a reason, which the audit trail keeps",
            details={"field": "reason"},
        )


def _require_confirm(check: CellCheck, confirm: bool) -> None:
    if check.breaks and not confirm:
        words = "; ".join(f.message for f in check.breaks)
        raise Invalid(
            f"this change breaks {len(check.breaks)} rule(s): {words}. Confirm to save it anyway",
            details={
                "field": "confirm",
                "breaks": [f.message for f in check.breaks],
            },
        )


def _store(session: Session, academic_year_id: int, version_id: int, check: CellCheck) -> None:
    numbers = block_ids(session, academic_year_id)
    first = (check.before or check.after)[0]
    session.execute(
        delete(BlockAssignmentRow).where(
            BlockAssignmentRow.version_id == version_id,
            BlockAssignmentRow.person_id == first.person_id,
            BlockAssignmentRow.block_id == numbers[first.block_number],
        )
    )
    rotation_ids = RotationRepository(session).ids_by_code()
    add_block_assignments(session, version_id, check.after, numbers, rotation_ids)


def _flag_violations(session: Session, version_id: int, breaks: int) -> None:
    """A draft saved with broken rules is published only with a reason (publish.py reads
    ``violation_count``). Mends do not lower it: the count is a floor a reason must clear,
    not a tally kept exact by hand edits."""
    session.execute(
        update(ScheduleVersionRow)
        .where(ScheduleVersionRow.id == version_id)
        .values(violation_count=ScheduleVersionRow.violation_count + breaks)
    )


def _audited(change: CellChange, cells: tuple[BlockAssignment, ...]) -> dict[str, object]:
    return {"person_id": change.person_id, "block": change.block_number, "cells": list(cells)}


def _audit_reason(why: str, breaks: int) -> str | None:
    if breaks:
        return f"saved with {breaks} rule(s) broken" + (f": {why}" if why else "")
    return why or None
