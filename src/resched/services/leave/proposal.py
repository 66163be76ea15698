"""A leave request's repair proposal: a shift generation in repair mode over the days it
touches, with the request treated as approved for that solve only (the published data stays
as it is). The job stores a draft (recorded as the absence's ``repair_version_id``); the
proposal is what that draft changes against the published version it was asked against."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from resched.core.errors import Conflict, Invalid
from resched.core.model import AbsenceStatus
from resched.core.solver.shifts import Mode
from resched.db.repositories.generation import generation_of
from resched.db.repositories.schedule import ScheduleVersionRepository, ShiftAssignmentRepository
from resched.db.tables import JobRow
from resched.services.audit import ActorLike
from resched.services.changes.model import ChangeRequest, Slot
from resched.services.common import SessionFactory, read
from resched.services.generation import GenerationKind, GenerationRequest, Limits, make_spec
from resched.services.generation.basis import LeaveBasis
from resched.services.generation.outcome import outcome_from_report
from resched.services.generation.specs import ShiftSpec, spec_from_json
from resched.services.jobs import JobQueue
from resched.services.jobs.generations import GenerationRun, get_generation_run, start_generation
from resched.services.jobs.kinds import JobKind
from resched.services.leave.touched import (
    LeaveRecord,
    Touched,
    load_record,
    person_codes,
    touched_by,
    touched_in,
)

STALE = "the schedule changed since the proposal; propose again"


class ProposalState(StrEnum):
    NOT_NEEDED = "not_needed"  # the person holds no shifts on those days
    NONE = "none"  # nobody has asked for one yet
    RUNNING = "running"  # the repair job is queued or solving
    FAILED = "failed"  # the job found no repair (infeasible, timed out) or failed
    READY = "ready"  # a draft holds the repair: ``change`` is what it does
    STALE = "stale"  # ready, but the schedule changed since: propose again
    APPLIED = "applied"  # accepted: the change set ``change_id`` holds it


@dataclass(frozen=True, slots=True)
class Proposal:
    touched: Touched
    state: ProposalState
    change: ChangeRequest | None = None
    warnings: tuple[str, ...] = ()
    run_id: int | None = None
    message: str = ""


def start_repair(
    *,
    factory: SessionFactory,
    queue: JobQueue,
    absence_id: int,
    actor: ActorLike,
    requested_by: int | None,
    limits: Limits | None = None,
) -> GenerationRun:
    """Submit the repair job (202 at the edges). Invalid when no repair is needed; Conflict
    for a decided request."""
    with read(factory) as session:
        touched = touched_in(session, absence_id)
    check_open(touched)
    if touched.range is None or touched.version is None:
        raise Invalid(
            f"{touched.record.person_name} holds no published shifts on these days: "
            "no repair is needed, approve directly",
            details={"field": "absence_id"},
        )
    basis = LeaveBasis(absence_id, touched.version.id, touched.version.revision)
    request = GenerationRequest(
        GenerationKind.SHIFTS,
        limits=limits or Limits(),
        start=touched.range[0],
        end=touched.range[1],
        mode=Mode.REPAIR,
        leave=basis,
    )
    spec = make_spec(factory=factory, request=request)
    return start_generation(
        factory=factory, queue=queue, spec=spec, actor=actor, requested_by=requested_by
    )


def check_open(touched: Touched) -> None:
    """A repair is for a request still open, or an approved absence not yet repaired."""
    record = touched.record
    status = record.absence.status
    if status in (AbsenceStatus.DENIED, AbsenceStatus.CANCELLED) or record.change_id is not None:
        raise Conflict(
            f"absence {record.id} is {status.value}"
            + (" and already repaired" if record.change_id is not None else ""),
            details={"field": "absence_id", "status": status.value},
        )


@dataclass(frozen=True, slots=True)
class Stored:
    """A stored proposal: its change and warnings, when its draft was stored, and whether the
    published schedule is still what it was asked against."""

    change: ChangeRequest
    warnings: tuple[str, ...]
    created_at: dt.datetime
    current: bool


def get_proposal(*, factory: SessionFactory, absence_id: int) -> Proposal:
    with read(factory) as session:
        record = load_record(session, absence_id)
    return proposals_of(factory=factory, records=[record])[0]


def proposals_of(*, factory: SessionFactory, records: Sequence[LeaveRecord]) -> list[Proposal]:
    """Where each absence's repair proposal stands, the reads shared by all of them (the
    approval queue lists up to 200): only an absence with a stored draft or a repair job reads
    those."""
    with read(factory) as session:
        touched = touched_by(session, records)
        runs = _latest_runs(session, [r.id for r in records])
        stored = [proposal_in(session, t) for t in touched]
    return [
        _proposal(factory, t, runs.get(t.record.id), s)
        for t, s in zip(touched, stored, strict=True)
    ]


def _proposal(
    factory: SessionFactory, touched: Touched, run_id: int | None, stored: Stored | None
) -> Proposal:
    if touched.record.change_id is not None:
        return Proposal(touched, ProposalState.APPLIED, stored.change if stored else None)
    if touched.range is None:
        return Proposal(touched, ProposalState.NOT_NEEDED)
    run = None if run_id is None else get_generation_run(factory=factory, run_id=run_id)
    if run is not None and (stored is None or run.created_at > stored.created_at):
        # The newest attempt is later than the stored proposal: it tells where things stand.
        if not run.state.done:
            return Proposal(touched, ProposalState.RUNNING, run_id=run.id, message=run.message)
        if run.outcome is None or run.outcome.version_id is None:
            message = run.error or (run.outcome.message if run.outcome else "")
            return Proposal(touched, ProposalState.FAILED, run_id=run.id, message=message)
    if stored is None:
        return Proposal(touched, ProposalState.NONE)
    state = ProposalState.READY if stored.current else ProposalState.STALE
    message = "" if stored.current else STALE
    return Proposal(touched, state, stored.change, stored.warnings, run_id, message)


def proposal_in(session: Session, touched: Touched) -> Stored | None:
    """The absence's stored proposal (None: none stored)."""
    draft_id = touched.record.repair_version_id
    found = None if draft_id is None else generation_of(session, draft_id)
    draft = None if draft_id is None else ScheduleVersionRepository(session).get(draft_id)
    if draft_id is None or draft is None or found is None or found.report is None:
        return None
    outcome = outcome_from_report(draft_id, found.report)
    spec = spec_from_json(outcome.parameters)
    if not isinstance(spec, ShiftSpec) or spec.leave is None:
        return None
    basis = spec.leave
    version = touched.version
    current = version is not None and (version.id, version.revision) == (
        basis.version_id,
        basis.revision,
    )
    change = _difference(session, draft_id, basis.version_id, spec)
    warnings = tuple(f.message for f in outcome.findings)
    return Stored(change, warnings, draft.created_at, current)


def _difference(session: Session, draft_id: int, base_id: int, spec: ShiftSpec) -> ChangeRequest:
    rows = ShiftAssignmentRepository(session).between([draft_id, base_id], spec.start, spec.end)
    new = {(a.person_id, a.date, a.shift_code) for vid, a in rows if vid == draft_id}
    old = {(a.person_id, a.date, a.shift_code) for vid, a in rows if vid == base_id}
    codes = person_codes(session, {p for p, _, _ in new ^ old})
    return ChangeRequest(
        remove=tuple(sorted(Slot(codes[p], d, s) for p, d, s in old - new)),
        add=tuple(sorted(Slot(codes[p], d, s) for p, d, s in new - old)),
    )


def _latest_runs(session: Session, absence_ids: Sequence[int]) -> dict[int, int]:
    """Absence id -> its newest repair job (the job's parameters name the absence)."""
    if not absence_ids:
        return {}
    named = JobRow.parameters["leave"]["absence_id"].as_integer()
    rows = session.execute(
        select(named, func.max(JobRow.id))
        .where(JobRow.kind == JobKind.GENERATION.value, named.in_(absence_ids))
        .group_by(named)
    ).all()
    return {int(absence): int(job) for absence, job in rows}
