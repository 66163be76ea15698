"""The rotation plan of a year as data, and one cell's change with what it breaks."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from resched.api.schemas.common import Code, Flag, Id, Input, Output
from resched.core.model import BlockAssignment, Person, ScheduleStatus
from resched.core.solver.plan.cell import CellChange, CellFinding, Effect, Kind
from resched.services.rotation_plan import CellEdit, YearPlan
from resched.services.years import PlanVersion

BlockNumber = Annotated[StrictInt, Field(ge=1, le=400)]
Reason = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=500)]


class PlanVersionOut(Output):
    id: int
    status: ScheduleStatus
    label: str

    @classmethod
    def of(cls, version: PlanVersion) -> PlanVersionOut:
        return cls(id=version.id, status=version.status, label=version.label)


class PlanBlockOut(Output):
    number: int
    name: str
    start: dt.date
    end: dt.date


class CellOut(Output):
    """One assignment: the whole block (``half`` null) or one half of it."""

    block: int
    half: Literal[1, 2] | None
    rotation_code: str
    locked: bool

    @classmethod
    def of(cls, cell: BlockAssignment) -> CellOut:
        half: Literal[1, 2] | None = 1 if cell.half == 1 else 2 if cell.half == 2 else None
        return cls(
            block=cell.block_number, half=half, rotation_code=cell.rotation_code, locked=cell.locked
        )


class ResidentPlanOut(Output):
    person_id: int
    code: str
    name: str
    pgy: int
    cells: list[CellOut]


class YearPlanOut(Output):
    """The plan shown: ``version`` null when the year has none the reader may see."""

    academic_year_id: int
    academic_year_label: str
    version: PlanVersionOut | None
    blocks: list[PlanBlockOut]
    residents: list[ResidentPlanOut]

    @classmethod
    def of(cls, plan: YearPlan) -> YearPlanOut:
        by_person: dict[int, list[CellOut]] = {}
        for cell in plan.assignments:
            by_person.setdefault(cell.person_id, []).append(CellOut.of(cell))
        assert plan.year.id is not None
        return cls(
            academic_year_id=plan.year.id,
            academic_year_label=plan.year.label,
            version=PlanVersionOut.of(plan.version) if plan.version else None,
            blocks=[
                PlanBlockOut(number=b.number, name=b.name, start=b.start, end=b.end)
                for b in plan.year.blocks
            ],
            residents=[_resident(p, by_person.get(p.id, [])) for p in plan.residents],
        )


def _resident(person: Person, cells: list[CellOut]) -> ResidentPlanOut:
    return ResidentPlanOut(
        person_id=person.id, code=person.code, name=person.name, pgy=person.pgy or 0, cells=cells
    )


class CellIn(Input):
    """Set one resident's block, or half of it, to a rotation (``rotation_code`` null empties
    it), locked or not. ``version_id`` defaults to the year's published plan, else its newest
    draft. ``dry_run`` only checks. A change that breaks a rule needs ``confirm``; a change of
    the published plan needs a ``reason``."""

    person_id: Id
    block: BlockNumber
    half: Literal[1, 2] | None = None
    rotation_code: Code | None
    locked: Flag = False
    version_id: Id | None = None
    reason: Reason = ""
    confirm: Flag = False
    dry_run: Flag = False

    def to_core(self) -> CellChange:
        return CellChange(
            person_id=self.person_id,
            block_number=self.block,
            rotation_code=self.rotation_code,
            half=self.half,
            locked=self.locked,
        )


class FindingOut(Output):
    kind: Kind
    effect: Effect
    message: str

    @classmethod
    def of(cls, finding: CellFinding) -> FindingOut:
        return cls(kind=finding.kind, effect=finding.effect, message=finding.message)


class CellEditOut(Output):
    """The cell before and after, what the change breaks, mends or leaves broken (breaks
    first), and whether it was saved (false for a dry run or a change that changes nothing)."""

    version: PlanVersionOut
    saved: bool
    before: list[CellOut]
    after: list[CellOut]
    breaks: int
    findings: list[FindingOut]

    @classmethod
    def of(cls, edit: CellEdit) -> CellEditOut:
        check = edit.check
        return cls(
            version=PlanVersionOut.of(edit.version),
            saved=edit.saved,
            before=[CellOut.of(c) for c in check.before],
            after=[CellOut.of(c) for c in check.after],
            breaks=len(check.breaks),
            findings=[FindingOut.of(f) for f in check.findings],
        )
