"""Deciding a leave request, and publishing an emergency's repair: one transaction each.

The published version is locked first (``lock_for_change``), then everything is read again:
two coordinators deciding at once are served one after the other, and the second sees the
first's decision. A proposal is applied only against the revision it was computed from
(anything else is 409: propose again); ``apply_in`` re-validates it, checks the freeze horizon
and tells everyone whose shifts changed. The requester is told the decision. A decision moves
the absence's ``row_version`` on (an edit form opened before it is then refused as stale) and,
given ``expected_version`` (the version the deciding page read), is refused when someone else
saved the absence since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from resched.core.changes.kinds import ChangeKind, NoticeKind
from resched.core.errors import Conflict, Invalid
from resched.core.model import AbsenceStatus, AssignmentSource
from resched.db.repositories import ProgramRepository
from resched.db.tables import AbsenceRow
from resched.services.audit import ActorLike, record
from resched.services.changes.apply import apply_in, lock_for_change
from resched.services.changes.model import AppliedChange, Override, Slot
from resched.services.common import SessionFactory, read, write
from resched.services.leave.proposal import STALE, check_open, proposal_in
from resched.services.leave.touched import ENTITY, LeaveRecord, Touched, load_record, touched_in
from resched.services.notices import notify_people
from resched.services.versions import Edited, claim
from resched.services.years import program_today

MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class Decision:
    """The absence after the decision, the change set applied with it (None: none), and the
    shifts the person still holds on the days away (approved without a repair)."""

    record: LeaveRecord
    change: AppliedChange | None
    orphaned: tuple[Slot, ...]


@dataclass(frozen=True, slots=True)
class Decider:
    """Who decides and when: the audit's actor, the account recorded as ``decided_by``, the
    program's today (the freeze horizon) and now (``decided_at``)."""

    actor: ActorLike
    user_id: int | None
    today: dt.date
    now: dt.datetime


def approve_leave(
    *,
    factory: SessionFactory,
    absence_id: int,
    decider: Decider,
    accept_repair: bool,
    reason: str = "",
    override: Override | None = None,
    expected_version: int | None = None,
) -> Decision:
    """Approve a requested absence, with its repair proposal applied in the same transaction
    (``accept_repair``) or without one: then, while the person still holds shifts on those
    days, only with a ``reason`` (the gap is the coordinator's call)."""
    why = _reason(reason, required=False)
    version_id = _version_of(factory, absence_id)
    with write(factory) as session:
        touched = _locked(session, version_id, absence_id)
        _require_status(touched, AbsenceStatus.REQUESTED)
        if not accept_repair and touched.shifts and not why:
            held = "; ".join(s.words() for s in touched.shifts)
            raise Invalid(
                f"{touched.record.person_name} still holds shifts on these days ({held}): "
                "approve with a repair, or give a reason to leave them uncovered",
                details={"field": "reason", "orphaned": [s.words() for s in touched.shifts]},
            )
        _set_decision(
            session, touched.record, AbsenceStatus.APPROVED, decider, why, expected_version
        )
        applied = None
        if accept_repair:
            applied = _apply_proposal(session, touched, decider, ChangeKind.LEAVE, why, override)
        orphaned = () if applied is not None else touched.shifts
        _tell(session, touched.record, "approved", why)
        return Decision(load_record(session, absence_id), applied, orphaned)


def deny_leave(
    *,
    factory: SessionFactory,
    absence_id: int,
    decider: Decider,
    reason: str,
    expected_version: int | None = None,
) -> Decision:
    why = _reason(reason, required=True)
    version_id = _version_of(factory, absence_id)
    with write(factory) as session:
        touched = _locked(session, version_id, absence_id)
        _require_status(touched, AbsenceStatus.REQUESTED)
        _set_decision(session, touched.record, AbsenceStatus.DENIED, decider, why, expected_version)
        _tell(session, touched.record, "denied", why)
        return Decision(load_record(session, absence_id), None, ())


def publish_repair(
    *,
    factory: SessionFactory,
    absence_id: int,
    decider: Decider,
    override: Override | None,
    reason: str = "",
) -> Decision:
    """Apply an approved absence's proposal (emergency coverage) as one change set."""
    why = _reason(reason, required=False)
    version_id = _version_of(factory, absence_id)
    with write(factory) as session:
        touched = _locked(session, version_id, absence_id)
        _require_status(touched, AbsenceStatus.APPROVED)
        applied = _apply_proposal(session, touched, decider, ChangeKind.EMERGENCY, why, override)
        return Decision(load_record(session, absence_id), applied, ())


def _version_of(factory: SessionFactory, absence_id: int) -> int | None:
    """The published version to lock, found in a read of its own before the write
    transaction starts, so that transaction writes (takes the lock) before it reads."""
    with read(factory) as peek:
        version = touched_in(peek, absence_id).version
    return None if version is None else version.id


def _locked(session: Session, version_id: int | None, absence_id: int) -> Touched:
    """Lock the published version, then read it all again inside the lock."""
    if version_id is not None:
        lock_for_change(session, version_id)
    touched = touched_in(session, absence_id)
    if (touched.version.id if touched.version else None) != version_id:
        raise Conflict(STALE, details={"field": "proposal"})
    return touched


def _require_status(touched: Touched, wanted: AbsenceStatus) -> None:
    status = touched.record.absence.status
    if status is not wanted:
        raise Conflict(
            f"absence {touched.record.id} is {status.value}, not {wanted.value}",
            details={"field": "absence_id", "status": status.value},
        )


def _apply_proposal(
    session: Session,
    touched: Touched,
    decider: Decider,
    kind: ChangeKind,
    reason: str,
    override: Override | None,
) -> AppliedChange | None:
    check_open(touched)
    stored = proposal_in(session, touched)
    if stored is None:
        raise Conflict(
            "there is no repair proposal yet: propose one first", details={"field": "proposal"}
        )
    change = stored.change
    if not stored.current or touched.version is None:
        raise Conflict(STALE, details={"field": "proposal"})
    if not change.remove and not change.add:
        return None  # the repair found nothing to change
    record_ = touched.record
    applied = apply_in(
        session,
        version_id=touched.version.id,
        change=change,
        kind=kind,
        actor=decider.actor,
        today=decider.today,
        expected_revision=touched.version.revision,
        reason=reason,
        override=override,
        summary=f"{kind.value.title()}: {record_.person_name} away {_days(record_)}",
        source=AssignmentSource.REPAIR,
    )
    session.execute(
        update(AbsenceRow).where(AbsenceRow.id == record_.id).values(change_id=applied.id)
    )
    return applied


def _set_decision(
    session: Session,
    leave: LeaveRecord,
    status: AbsenceStatus,
    decider: Decider,
    note: str,
    expected_version: int | None,
) -> None:
    # The UPDATE below is a bulk one, which leaves row_version alone: claimed here, so an
    # edit form drawn before the decision cannot save the request back over it.
    claim(session, Edited.ABSENCE, leave.id, expected_version)
    done = session.execute(
        update(AbsenceRow)
        .where(AbsenceRow.id == leave.id, AbsenceRow.status == leave.absence.status)
        .values(
            status=status, decided_at=decider.now, decided_by=decider.user_id, decision_note=note
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"absence {leave.id} was decided meanwhile", details={"field": "absence_id"})
    record(
        session,
        actor=decider.actor,
        action=f"leave.{'approve' if status is AbsenceStatus.APPROVED else 'deny'}",
        entity=ENTITY,
        entity_id=leave.id,
        before=leave.absence,
        after=load_record(session, leave.id).absence,
        reason=note or None,
    )


def _tell(session: Session, leave: LeaveRecord, verdict: str, note: str) -> None:
    body = f"{leave.absence.type.value.title()} {_days(leave)}: {verdict}."
    notify_people(
        session,
        person_ids=[leave.absence.person_id],
        kind=NoticeKind.REQUEST_DECIDED,
        title=f"Your leave request was {verdict}",
        body=body + (f"\nReason: {note}" if note else ""),
        link="/me",
    )


def _days(leave: LeaveRecord) -> str:
    start, end = leave.absence.start, leave.absence.end
    return start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}"


def _reason(reason: str, *, required: bool) -> str:
    why = reason.strip()
    if required and not why:
        raise Invalid("give a reason", details={"field": "reason"})
    if len(why) > MAX_REASON:
        raise Invalid(f"a reason is at most {MAX_REASON} characters", details={"field": "reason"})
    return why


def make_decider(
    *, factory: SessionFactory, actor: ActorLike, user_id: int | None, now: dt.datetime
) -> Decider:
    """A decider at ``now``, with today in the program's time zone."""
    with read(factory) as session:
        program = ProgramRepository(session).get()
    return Decider(actor, user_id, program_today(program.timezone if program else "UTC", now), now)
