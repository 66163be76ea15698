"""Generations (start, progress, outcome), the diff of a draft and publishing."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, StrictInt, StringConstraints

from resched.api.schemas.common import Day, Input, Instant, Output
from resched.api.schemas.program import Weights
from resched.api.schemas.schedules import ScheduleVersionOut
from resched.core.solver import Penalty
from resched.core.solver.shifts import Mode
from resched.services.generation import (
    GenerationKind,
    GenerationOutcome,
    GenerationRequest,
    Limits,
    PublishResult,
    StoredFinding,
    VersionDiff,
    spec_json,
)
from resched.services.generation.outcome import BlockReport
from resched.services.jobs.generations import GenerationRun

Reason = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=500)]
CodeList = Annotated[list[Annotated[str, StringConstraints(max_length=32)]], Field(max_length=50)]


class GenerationIn(Input):
    """``plan``: the year's rotation plan. ``shifts``: a ``block`` of the year, or ``start``
    to ``end`` (inclusive local dates). ``year``: the shifts of every block of the year, block
    after block, as one draft (no block, dates or mode; ``time_limit_s`` is the whole run's)."""

    kind: Literal["plan", "shifts", "year"]
    year: Annotated[str | None, Field(max_length=40, description="2026-27 or 2026")] = None
    block: Annotated[StrictInt | None, Field(ge=0, le=1000)] = None
    start: Day | None = None
    end: Day | None = None
    mode: Mode = Mode.FRESH
    time_limit_s: Annotated[float, Field(strict=True, gt=0, le=3600)] = 30.0
    seed: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)] = 0
    num_workers: Annotated[StrictInt, Field(ge=0, le=64)] = 0
    work_limit: Annotated[
        float | None,
        Field(
            strict=True,
            gt=0,
            le=100_000,
            description="CP-SAT deterministic time: a count of search work, the same on a busy "
            "machine as on an idle one, so a run with the same seed searches as far; the time "
            "limit still holds",
        ),
    ] = None
    weights: Weights = Field(default_factory=dict)
    heavy_rotations: CodeList = Field(default_factory=list)
    weekend_rotations: CodeList = Field(default_factory=list)

    def to_request(self) -> GenerationRequest:
        return GenerationRequest(
            kind=GenerationKind(self.kind),
            limits=Limits(
                self.time_limit_s,
                self.seed,
                self.num_workers,
                dict(self.weights),
                self.work_limit,
            ),
            year=self.year,
            block=self.block,
            start=self.start,
            end=self.end,
            mode=self.mode,
            heavy_rotations=frozenset(self.heavy_rotations),
            weekend_rotations=frozenset(self.weekend_rotations),
        )


class BlockOut(Output):
    """One block of a whole-year generation. ``bound``: the block's proven lower bound with the
    blocks before it fixed; ``gap``: (objective - bound) / objective."""

    number: int
    start: dt.date
    end: dt.date
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    # The widest spread within the block per counter (calls, weekends, nights, holidays) and
    # the shortest gap in nights between two calls of one resident (null: no two calls).
    spreads: dict[str, int]
    shortest_call_gap: int | None

    @classmethod
    def of(cls, b: BlockReport) -> BlockOut:
        return cls(
            number=b.number,
            start=b.start,
            end=b.end,
            status=b.status.value,
            objective=b.objective,
            bound=b.bound,
            gap=b.gap,
            seconds=b.seconds,
            spreads=dict(b.spreads),
            shortest_call_gap=b.shortest_call_gap,
        )


class ProgressOut(Output):
    """The search so far (while running: as of the worker's last heartbeat, about a second).
    ``blocks``: a whole-year run's finished blocks so far (otherwise empty)."""

    elapsed_s: float
    time_limit_s: float
    objective: float | None
    bound: float | None
    gap: float | None
    solutions: int
    blocks: list[BlockOut] = Field(default_factory=list)


class PenaltyOut(Output):
    name: str
    weight: int
    amount: int
    cost: int
    explanation: str
    person_id: int | None
    block: int | None
    date: dt.date | None

    @classmethod
    def of(cls, p: Penalty) -> PenaltyOut:
        return cls(
            name=p.name,
            weight=p.weight,
            amount=p.amount,
            cost=p.cost,
            explanation=p.explanation,
            person_id=p.person_id,
            block=p.block,
            date=p.date,
        )


class FindingOut(Output):
    severity: str
    rule: str
    message: str
    person_id: int | None
    start: dt.date | None
    end: dt.date | None

    @classmethod
    def of(cls, f: StoredFinding) -> FindingOut:
        return cls(
            severity=f.severity,
            rule=f.rule,
            message=f.message,
            person_id=f.person_id,
            start=f.start,
            end=f.end,
        )


class ChainOut(Output):
    """Two shifts of a resident closer than the program's minimum rest (rule ``min-rest``), or
    a shift the day after leaving night float (``night-float-free-day``)."""

    rule: str
    message: str
    person_id: int
    first_date: dt.date
    first_shift: str
    next_date: dt.date
    next_shift: str
    gap_hours: float


class OutcomeOut(Output):
    """How a generation ended; ``version_id`` is the stored draft (null: nothing stored)."""

    kind: str
    status: str
    message: str
    version_id: int | None
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    violations: int
    conflicts: list[str]
    penalties: list[PenaltyOut]
    findings: list[FindingOut]
    statistics: dict[str, Any]
    parameters: dict[str, Any]
    fairness: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Shifts: per counter and pool the spread in the range and the year to date, and "
            "each resident's shortest gap between two calls (resched.range-fairness/v1)."
        ),
    )
    chains: list[ChainOut] | None = None  # null: not reported (a rotation plan, an old draft)
    blocks: list[BlockOut]  # a whole-year generation's blocks, in order (otherwise empty)

    @classmethod
    def of(cls, o: GenerationOutcome) -> OutcomeOut:
        return cls(
            kind=o.kind.value,
            status=o.status.value,
            message=o.message,
            version_id=o.version_id,
            objective=o.objective,
            bound=o.best_bound,
            gap=o.gap,
            seconds=round(o.seconds, 3),
            violations=o.violations,
            conflicts=list(o.conflicts),
            penalties=[PenaltyOut.of(p) for p in o.penalties],
            findings=[FindingOut.of(f) for f in o.findings],
            statistics=dict(o.statistics),
            parameters=dict(o.parameters),
            fairness=None if o.fairness is None else dict(o.fairness),
            chains=None
            if o.chains is None
            else [ChainOut.model_validate(c, from_attributes=True) for c in o.chains],
            blocks=[BlockOut.of(b) for b in o.blocks],
        )


class GenerationOut(Output):
    """A generation run; ``id`` is its background job's id (``GET /jobs/{id}`` shows the same
    job). ``message`` is the job's latest sentence; ``error`` says why a failed run failed."""

    id: int
    kind: str
    state: Literal["queued", "running", "finished", "failed"]
    message: str
    started_by: str | None
    created_at: Instant
    cancel_requested: bool
    parameters: dict[str, Any]
    progress: ProgressOut
    outcome: OutcomeOut | None
    error: str | None

    @classmethod
    def of(cls, run: GenerationRun) -> GenerationOut:
        p = run.progress
        return cls(
            id=run.id,
            kind=run.spec.kind.value,
            state=run.state.value,
            message=run.message,
            started_by=run.started_by,
            created_at=run.created_at,
            cancel_requested=run.cancel_requested,
            parameters=spec_json(run.spec),
            progress=ProgressOut(
                elapsed_s=round(p.elapsed_s, 3),
                time_limit_s=run.time_limit_s,
                objective=p.objective,
                bound=p.bound,
                gap=p.gap,
                solutions=p.solutions,
                blocks=[BlockOut.of(b) for b in p.blocks],
            ),
            outcome=None if run.outcome is None else OutcomeOut.of(run.outcome),
            error=run.error,
        )


class ShiftChangeOut(Output):
    person_id: int
    person: str
    date: dt.date
    change: str
    before: list[str]
    after: list[str]


class BlockChangeOut(Output):
    person_id: int
    person: str
    block: int
    change: str
    before: list[str]
    after: list[str]


class DiffOut(Output):
    """Per person and date (shifts) and per person and block (rotations); ``against_id`` null:
    nothing was published, so everything is added."""

    version_id: int
    against_id: int | None
    shifts: list[ShiftChangeOut]
    blocks: list[BlockChangeOut]

    @classmethod
    def of(cls, d: VersionDiff) -> DiffOut:
        def name(person_id: int) -> str:
            return d.names.get(person_id, f"person {person_id}")

        return cls(
            version_id=d.version.id,
            against_id=None if d.against is None else d.against.id,
            shifts=[
                ShiftChangeOut(
                    person_id=c.person_id,
                    person=name(c.person_id),
                    date=c.date,
                    change=c.kind.value,
                    before=list(c.before),
                    after=list(c.after),
                )
                for c in d.shifts
            ],
            blocks=[
                BlockChangeOut(
                    person_id=c.person_id,
                    person=name(c.person_id),
                    block=c.block,
                    change=c.kind.value,
                    before=list(c.before),
                    after=list(c.after),
                )
                for c in d.blocks
            ],
        )


class PublishIn(Input):
    reason: Reason | None = None


class PublishOut(Output):
    version: ScheduleVersionOut
    archived_id: int | None
    violations: int

    @classmethod
    def of(cls, r: PublishResult) -> PublishOut:
        return cls(
            version=ScheduleVersionOut.of(r.version),
            archived_id=r.archived_id,
            violations=r.violations,
        )
