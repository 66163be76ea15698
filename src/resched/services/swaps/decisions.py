"""Taking a swap and deciding it.

Every step that may change the schedule takes the version's write lock first
(``lock_for_change``), then reads the swap and the schedule, so two approvals of swaps touching
the same shift run one after the other and the second sees what the first wrote: it fails
with a 409 naming the slot no longer held, and a swap approved twice fails as no longer
pending. The change itself is ``apply_in``: atomic, re-validated against the rules and the
freeze horizon, audited, announced, and undone like any change (history.undo_change marks the
swap undone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.changes.kinds import ChangeKind, NoticeKind, SwapStatus
from resched.core.changes.policy import Route, route_change
from resched.core.errors import DomainError, Forbidden, Invalid
from resched.core.model import AssignmentSource
from resched.db.tables import UserRow
from resched.services.audit import as_actor, record
from resched.services.changes.apply import apply_in
from resched.services.changes.check import (
    Checked,
    Loaded,
    check_in,
    load_for_checks,
    require_legal,
)
from resched.services.changes.model import Override
from resched.services.common import SessionFactory, check_text, read, write
from resched.services.notices import notify_coordinators, notify_people
from resched.services.swaps.model import (
    ENTITY,
    MAX_NOTE,
    Caller,
    Party,
    Swap,
    load_swap,
    locked_swap,
    person,
    set_status,
    version_of,
)
from resched.services.swaps.offers import LIVE, require_status
from resched.services.swaps.slots import (
    EligibilityReads,
    eligibility_reads,
    ineligible,
    require_open_slot,
)


def accept(
    *,
    factory: SessionFactory,
    caller: Caller,
    swap_id: int,
    today: dt.date,
    now: dt.datetime,
    taker_id: int | None = None,
) -> Swap:
    """The named colleague accepts, or someone takes an open give-away (a coordinator may
    name the taker). Refused (422, the finding's words) when taking it breaks a rule; then
    applied at once when the policy allows (approved) or left for a coordinator (pending)."""
    version_id = version_of(factory, swap_id)
    with write(factory) as session:
        swap = locked_swap(session, version_id, swap_id)
        require_status(swap, (SwapStatus.OPEN,), "accepted")
        taker = _taker(session, caller, swap, taker_id)
        _require_eligible(session, swap, taker)
        checked = check_in(session, version_id, swap.change(taker), today, AssignmentSource.SWAP)
        require_legal(checked, allow_violations=False, reason="")
        route = route_change(
            auto_approve=checked.program.auto_approve_changes, frozen=bool(checked.frozen)
        )
        values: dict[str, object] = {"to_person_id": taker.id}
        if route is Route.APPLY:
            values |= execute(session, caller, swap, taker, today, now, None)
        else:
            values |= {"status": SwapStatus.PENDING, "revision": checked.version.revision}
        set_status(session, swap, values)
        record(
            session,
            actor=caller.actor,
            action="swap.accept",
            entity=ENTITY,
            entity_id=swap.id,
            before={"status": swap.status.value},
            after={"status": str(values["status"]), "taker": taker.code},
        )
        done = load_swap(session, swap.id)
        tell_routed(session, done, route)
        return done


def approve(
    *,
    factory: SessionFactory,
    caller: Caller,
    swap_id: int,
    today: dt.date,
    now: dt.datetime,
    override: Override | None = None,
    note: str = "",
) -> Swap:
    """A coordinator approves a pending swap: re-validated now (409 naming the slot when the
    schedule changed under it; 422 for a new violation, or a frozen day without ``override``)
    and executed as one change set."""
    caller.require_coordinator()
    check_text(note, "note", max_length=MAX_NOTE, required=False)
    version_id = version_of(factory, swap_id)
    with write(factory) as session:
        swap = locked_swap(session, version_id, swap_id)
        require_status(swap, (SwapStatus.PENDING,), "approved")
        assert swap.taker is not None  # a pending swap has its taker
        if swap.giver is None:  # a pickup: someone may have filled the slot meanwhile
            require_open_slot(session, version_id, swap.day, swap.shift, swap.taker.id)
        _require_eligible(session, swap, swap.taker)  # the plan may have changed since
        values = execute(session, caller, swap, swap.taker, today, now, override)
        set_status(session, swap, values | {"decision_note": note.strip()})
        record(
            session,
            actor=caller.actor,
            action="swap.approve",
            entity=ENTITY,
            entity_id=swap.id,
            before={"status": swap.status.value},
            after={"status": SwapStatus.APPROVED.value, "change": values["change_id"]},
            reason=note.strip() or None,
        )
        done = load_swap(session, swap.id)
        tell_decided(session, done, "approved")
        return done


def deny(
    *, factory: SessionFactory, caller: Caller, swap_id: int, reason: str, now: dt.datetime
) -> Swap:
    """A coordinator refuses an open or pending swap, saying why."""
    caller.require_coordinator()
    check_text(reason, "reason", max_length=MAX_NOTE)
    version_id = version_of(factory, swap_id)
    with write(factory) as session:
        swap = locked_swap(session, version_id, swap_id)
        require_status(swap, LIVE, "denied")
        set_status(
            session,
            swap,
            {
                "status": SwapStatus.DENIED,
                "decided_at": now,
                "decided_by": user_id(session, caller),
                "decision_note": reason.strip(),
            },
        )
        record(
            session,
            actor=caller.actor,
            action="swap.deny",
            entity=ENTITY,
            entity_id=swap.id,
            before={"status": swap.status.value},
            after={"status": SwapStatus.DENIED.value},
            reason=reason.strip(),
        )
        done = load_swap(session, swap.id)
        tell_decided(session, done, "denied")
        return done


def take_problems(
    *, factory: SessionFactory, swaps: Sequence[Swap], taker_id: int, today: dt.date
) -> list[str | None]:
    """Why ``taker_id`` may not take each of ``swaps`` now (None when they may): not eligible
    for a shift it gives them, a slot no longer held, or the rule it would break (the board's
    "why not"). Each version is read once for all the offers on it."""
    problems: list[str | None] = []
    with read(factory) as session:
        taker = person(session, taker_id, "person_id")
        loaded: dict[int, tuple[Loaded, EligibilityReads] | DomainError] = {}
        for version_id in {s.version_id for s in swaps}:
            days = [s.day for s in swaps if s.version_id == version_id]
            days += [s.want_day for s in swaps if s.version_id == version_id and s.want_day]
            try:
                loaded[version_id] = (
                    load_for_checks(session, version_id),
                    eligibility_reads(session, version_id, min(days), max(days)),
                )
            except DomainError as exc:
                loaded[version_id] = exc
        for swap in swaps:
            reads = loaded[swap.version_id]
            if isinstance(reads, DomainError):
                problems.append(reads.message)
                continue
            problems.append(_problem(session, swap, taker, today, *reads))
    return problems


def _problem(
    session: Session,
    swap: Swap,
    taker: Party,
    today: dt.date,
    loaded: Loaded,
    reads: EligibilityReads,
) -> str | None:
    try:
        change = swap.change(taker)
        problem = ineligible(session, swap.version_id, change.add, _ids(swap, taker), reads)
        if problem:
            return problem
        checked = check_in(
            session, swap.version_id, change, today, AssignmentSource.SWAP, loaded=loaded
        )
    except DomainError as exc:
        return exc.message
    return "; ".join(f.message for f in checked.violations[:2]) or None


def _require_eligible(session: Session, swap: Swap, taker: Party) -> None:
    problem = ineligible(session, swap.version_id, swap.change(taker).add, _ids(swap, taker))
    if problem:
        raise Invalid(problem, details={"field": "person_id"})


def _ids(swap: Swap, taker: Party) -> dict[str, int]:
    return {p.code: p.id for p in (swap.giver, taker) if p is not None}


def preview_takes(
    *, factory: SessionFactory, swaps: Sequence[Swap], today: dt.date
) -> list[Checked | DomainError]:
    """What approving each of ``swaps`` (each with its taker) would do, nothing written: the
    coordinators' queue. Each version is read once for all its swaps."""
    previews: list[Checked | DomainError] = []
    with read(factory) as session:
        loaded: dict[int, Loaded | DomainError] = {}
        for version_id in {s.version_id for s in swaps}:
            try:
                loaded[version_id] = load_for_checks(session, version_id)
            except DomainError as exc:
                loaded[version_id] = exc
        for swap in swaps:
            reads = loaded[swap.version_id]
            assert swap.taker is not None
            try:
                if isinstance(reads, DomainError):
                    raise reads
                change = swap.change(swap.taker)
                source = AssignmentSource.SWAP
                previews.append(
                    check_in(session, swap.version_id, change, today, source, loaded=reads)
                )
            except DomainError as exc:
                previews.append(exc)
    return previews


def execute(
    session: Session,
    caller: Caller,
    swap: Swap,
    taker: Party,
    today: dt.date,
    now: dt.datetime,
    override: Override | None,
) -> dict[str, object]:
    applied = apply_in(
        session,
        version_id=swap.version_id,
        change=swap.change(taker),
        kind=ChangeKind.SWAP,
        actor=caller.actor,
        today=today,
        override=override,
        summary=f"swap {swap.id}: {swap.words()} to {taker.name}",
        source=AssignmentSource.SWAP,
    )
    return {
        "status": SwapStatus.APPROVED,
        "change_id": applied.id,
        "decided_at": now,
        "decided_by": user_id(session, caller),
    }


def _taker(session: Session, caller: Caller, swap: Swap, taker_id: int | None) -> Party:
    if swap.taker is not None:
        if caller.person_id != swap.taker.id and not caller.coordinator:
            raise Forbidden("this swap was offered to someone else", details={"field": "id"})
        return swap.taker
    chosen = taker_id if caller.coordinator and taker_id is not None else caller.person_id
    if chosen is None:
        raise Forbidden(
            "your account is not linked to a person who could take a shift",
            details={"field": "person_id"},
        )
    if swap.giver is not None and chosen == swap.giver.id:
        raise Invalid("you cannot take your own shift", details={"field": "person_id"})
    return person(session, chosen, "person_id")


def user_id(session: Session, caller: Caller) -> int | None:
    name = as_actor(caller.actor).username
    if name is None:
        return None
    return session.scalar(select(UserRow.id).where(UserRow.username == name))


def tell_routed(session: Session, swap: Swap, route: Route) -> None:
    """Applied at once: both sides hear the decision; waiting: the coordinators hear of it."""
    if route is Route.APPLY:
        tell_decided(session, swap, "approved")
        return
    notify_coordinators(
        session,
        title=f"Swap waiting for approval: {swap.shift} on {swap.day.isoformat()}",
        body=swap.words(),
        link="/swaps#swaps-waiting",
    )


def tell_decided(session: Session, swap: Swap, verdict: str) -> None:
    sides = swap.sides
    why = f"\n{swap.decision_note}" if swap.decision_note else ""
    notify_people(
        session,
        person_ids=sides,
        kind=NoticeKind.REQUEST_DECIDED,
        title=f"Swap {verdict}: {swap.shift} on {swap.day.isoformat()}",
        body=swap.words() + why,
        link="/swaps",
    )
