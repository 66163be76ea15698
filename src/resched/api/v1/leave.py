"""Leave decisions with a repair of the published schedule, and emergency coverage.

A repair proposal is a background generation job in repair mode (202, poll
``GET /generations/{id}`` or ``GET /absences/{id}/proposal``); approving with it applies the
proposal as one change set in the decision's transaction. A proposal computed before the
schedule last changed is refused (409: propose again). Coordinators only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.schemas.common import Output
from resched.api.schemas.generation import GenerationOut
from resched.api.schemas.leave import (
    ApproveIn,
    DecisionOut,
    DenyIn,
    EmergencyIn,
    ProposalOut,
    PublishRepairIn,
    RepairIn,
)
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.jobs import job_queue
from resched.http.params import MAX_ID
from resched.services.jobs import JobQueue
from resched.services.leave.decide import (
    Decider,
    approve_leave,
    deny_leave,
    make_decider,
    publish_repair,
)
from resched.services.leave.emergency import declare_emergency
from resched.services.leave.proposal import get_proposal, start_repair
from resched.services.leave.queue import leave_queue
from resched.services.permissions import Permission, Principal

router = APIRouter(tags=["leave"])
Coordinator = Annotated[Principal, require(Permission.ABSENCES_MANAGE)]
AbsenceId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueueDep = Annotated[JobQueue, Depends(job_queue)]


class EmergencyOut(Output):
    proposal: ProposalOut
    run: GenerationOut | None


def _decider(
    request: Request, factory: SessionFactoryDep, principal: Coordinator, actor: ActorDep
) -> Decider:
    return make_decider(
        factory=factory, actor=actor, user_id=principal.user_id, now=request_now(request)
    )


DeciderDep = Annotated[Decider, Depends(_decider)]


@router.get("/leave/queue")
def get_leave_queue(factory: SessionFactoryDep, principal: Coordinator) -> list[ProposalOut]:
    """Requested absences, earliest first, with the shifts each touches and its proposal."""
    return [ProposalOut.of(p) for p in leave_queue(factory=factory)]


@router.post("/absences/{absence_id}/repair", status_code=202)
def start_absence_repair(
    absence_id: AbsenceId,
    factory: SessionFactoryDep,
    principal: Coordinator,
    actor: ActorDep,
    queue: QueueDep,
    body: RepairIn | None = None,
) -> GenerationOut:
    """Start the repair proposal's job (422 when the person holds no shifts then)."""
    run = start_repair(
        factory=factory,
        queue=queue,
        absence_id=absence_id,
        actor=actor,
        requested_by=principal.user_id,
        limits=(body or RepairIn()).limits(),
    )
    return GenerationOut.of(run)


@router.get("/absences/{absence_id}/proposal")
def get_absence_proposal(
    absence_id: AbsenceId, factory: SessionFactoryDep, principal: Coordinator
) -> ProposalOut:
    return ProposalOut.of(get_proposal(factory=factory, absence_id=absence_id))


@router.post("/absences/{absence_id}/approve")
def approve_absence(
    absence_id: AbsenceId, body: ApproveIn, factory: SessionFactoryDep, decider: DeciderDep
) -> DecisionOut:
    """With ``accept_repair``, the proposal is applied with the approval, or nothing is."""
    decision = approve_leave(
        factory=factory,
        absence_id=absence_id,
        decider=decider,
        accept_repair=body.accept_repair,
        reason=body.reason,
        override=None if body.override is None else body.override.to_core(),
    )
    return DecisionOut.of(decision)


@router.post("/absences/{absence_id}/deny")
def deny_absence(
    absence_id: AbsenceId, body: DenyIn, factory: SessionFactoryDep, decider: DeciderDep
) -> DecisionOut:
    decision = deny_leave(
        factory=factory, absence_id=absence_id, decider=decider, reason=body.reason
    )
    return DecisionOut.of(decision)


@router.post("/emergency", status_code=201)
def start_emergency(
    body: EmergencyIn, factory: SessionFactoryDep, decider: DeciderDep, queue: QueueDep
) -> EmergencyOut:
    """The absence, approved at once, and its repair job (none when nothing is touched)."""
    found = declare_emergency(
        factory=factory,
        queue=queue,
        unavailable=body.to_core(),
        decider=decider,
        limits=body.limits(),
    )
    proposal = get_proposal(factory=factory, absence_id=found.touched.record.id)
    return EmergencyOut(
        proposal=ProposalOut.of(proposal),
        run=None if found.run is None else GenerationOut.of(found.run),
    )


@router.post("/absences/{absence_id}/publish-repair")
def publish_absence_repair(
    absence_id: AbsenceId, body: PublishRepairIn, factory: SessionFactoryDep, decider: DeciderDep
) -> DecisionOut:
    """Apply an approved absence's proposal (emergency coverage): frozen days need
    ``override``."""
    decision = publish_repair(
        factory=factory,
        absence_id=absence_id,
        decider=decider,
        override=None if body.override is None else body.override.to_core(),
        reason=body.reason,
    )
    return DecisionOut.of(decision)
