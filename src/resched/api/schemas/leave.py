"""Leave requests' decisions, repair proposals and emergency coverage."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt

from resched.api.schemas.common import Day, Id, Input, Note, Output
from resched.api.schemas.generation import Reason
from resched.core.changes.kinds import OverrideReason
from resched.core.model import AbsenceStatus, AbsenceType
from resched.services.changes.model import ChangeRequest, Override, Slot
from resched.services.generation import Limits
from resched.services.leave.decide import Decision
from resched.services.leave.emergency import EmergencyType, Unavailable
from resched.services.leave.proposal import Proposal
from resched.services.leave.touched import LeaveRecord


class OverrideIn(Input):
    """Why frozen days (inside the freeze horizon, or past) may change."""

    reason: OverrideReason
    note: Note = ""

    def to_core(self) -> Override:
        return Override(self.reason, self.note)


class RepairIn(Input):
    """The repair solve's limits (the defaults suit the web; tests bound the work)."""

    time_limit_s: Annotated[float, Field(strict=True, gt=0, le=3600)] = 30.0
    seed: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)] = 0
    num_workers: Annotated[StrictInt, Field(ge=0, le=64)] = 0
    work_limit: Annotated[float | None, Field(strict=True, gt=0, le=100_000)] = None

    def limits(self) -> Limits:
        return Limits(self.time_limit_s, self.seed, self.num_workers, {}, self.work_limit)


class ApproveIn(Input):
    accept_repair: StrictBool = True
    reason: Reason = ""
    override: OverrideIn | None = None


class DenyIn(Input):
    reason: Reason


class PublishRepairIn(Input):
    override: OverrideIn | None = None
    reason: Reason = ""


class EmergencyIn(RepairIn):
    person_id: Id
    start: Day
    end: Day | None = None
    type: EmergencyType
    note: Note = ""

    def to_core(self) -> Unavailable:
        return Unavailable(self.person_id, self.start, self.type, self.end, self.note)


class SlotOut(Output):
    person: str
    day: dt.date
    shift: str
    words: str

    @classmethod
    def of(cls, slot: Slot) -> SlotOut:
        return cls(person=slot.person, day=slot.day, shift=slot.shift, words=slot.words())


class ChangeOut(Output):
    remove: list[SlotOut]
    add: list[SlotOut]

    @classmethod
    def of(cls, change: ChangeRequest) -> ChangeOut:
        return cls(
            remove=[SlotOut.of(s) for s in change.remove], add=[SlotOut.of(s) for s in change.add]
        )


class LeaveOut(Output):
    id: int
    person_id: int
    person: str
    person_name: str
    start: dt.date
    end: dt.date
    type: AbsenceType
    status: AbsenceStatus
    note: str
    decided_at: dt.datetime | None
    decision_note: str
    repair_version_id: int | None
    change_id: int | None

    @classmethod
    def of(cls, record: LeaveRecord) -> LeaveOut:
        a = record.absence
        return cls(
            id=record.id,
            person_id=a.person_id,
            person=record.person_code,
            person_name=record.person_name,
            start=a.start,
            end=a.end,
            type=a.type,
            status=a.status,
            note=a.note,
            decided_at=record.decided_at,
            decision_note=record.decision_note,
            repair_version_id=record.repair_version_id,
            change_id=record.change_id,
        )


class ProposalOut(Output):
    """``state``: not_needed (no shifts on those days), none (not asked yet), running, failed,
    ready, stale (the schedule changed since: propose again), applied."""

    absence: LeaveOut
    touched: list[SlotOut]
    range_start: dt.date | None
    range_end: dt.date | None
    state: str
    change: ChangeOut | None
    warnings: list[str]
    run_id: int | None
    message: str

    @classmethod
    def of(cls, proposal: Proposal) -> ProposalOut:
        touched = proposal.touched
        first, last = touched.range or (None, None)
        return cls(
            absence=LeaveOut.of(touched.record),
            touched=[SlotOut.of(s) for s in touched.shifts],
            range_start=first,
            range_end=last,
            state=proposal.state.value,
            change=None if proposal.change is None else ChangeOut.of(proposal.change),
            warnings=list(proposal.warnings),
            run_id=proposal.run_id,
            message=proposal.message,
        )


class DecisionOut(Output):
    absence: LeaveOut
    change_id: int | None
    revision: int | None
    orphaned: list[SlotOut]

    @classmethod
    def of(cls, decision: Decision) -> DecisionOut:
        change = decision.change
        return cls(
            absence=LeaveOut.of(decision.record),
            change_id=None if change is None else change.id,
            revision=None if change is None else change.revision,
            orphaned=[SlotOut.of(s) for s in decision.orphaned],
        )
