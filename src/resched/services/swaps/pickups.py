"""Picking up an open slot: someone eligible volunteers for a shift the coverage requirements
say is short of people that day. Checked like a swap (no new violation, the freeze horizon,
the approval policy) and recorded on the board as a pickup with no giver."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert
from sqlalchemy.orm import Session

from resched.core.changes.kinds import SwapKind, SwapStatus
from resched.core.changes.policy import Route, route_change
from resched.core.errors import Conflict, Forbidden
from resched.core.model import AssignmentSource
from resched.db.tables import SwapRequestRow
from resched.services.audit import record
from resched.services.changes.apply import lock_for_change
from resched.services.changes.check import Checked, check_in, require_legal
from resched.services.changes.model import ChangeRequest, Slot
from resched.services.common import SessionFactory, fail, read, write
from resched.services.swaps.decisions import execute, tell_routed
from resched.services.swaps.model import (
    ENTITY,
    Caller,
    Party,
    Swap,
    load_swap,
    person,
    set_status,
)
from resched.services.swaps.offers import live_swap_id, shift_id_of, version_for
from resched.services.swaps.slots import require_open_slot


def pick_up(
    *,
    factory: SessionFactory,
    caller: Caller,
    day: dt.date,
    shift: str,
    today: dt.date,
    now: dt.datetime,
    person_id: int | None = None,
) -> Swap:
    """``caller`` (or, for a coordinator, ``person_id``) takes an open ``shift`` slot on ``day``.
    Conflict naming ``shift`` when the slot is not open (or already asked for by them);
    Invalid naming ``day`` (past) or ``person_id`` (not eligible, or a new violation)."""
    chosen = person_id if caller.coordinator and person_id is not None else caller.person_id
    if chosen is None:
        raise Forbidden(
            "your account is not linked to a person who could take a shift",
            details={"field": "person_id"},
        )
    if day < today:
        fail("day", f"{day.isoformat()} is in the past")
    with read(factory) as session:
        version_id = version_for(session, day)[0]
    with write(factory) as session:
        lock_for_change(session, version_id)
        volunteer = person(session, chosen, "person_id")
        shift_id = shift_id_of(session, shift, "shift")
        _refuse_twice(session, version_id, volunteer.id, day, shift_id)
        require_open_slot(session, version_id, day, shift, volunteer.id)
        change = ChangeRequest(add=(Slot(volunteer.code, day, shift),))
        checked = check_in(session, version_id, change, today, AssignmentSource.SWAP)
        require_legal(checked, allow_violations=False, reason="")
        swap = _insert(session, checked, volunteer, day, shift_id)
        return _settle(session, caller, swap, volunteer, checked, today, now)


def _settle(
    session: Session,
    caller: Caller,
    swap: Swap,
    volunteer: Party,
    checked: Checked,
    today: dt.date,
    now: dt.datetime,
) -> Swap:
    """Apply the pickup now or leave it for a coordinator, as the approval policy says."""
    route = route_change(
        auto_approve=checked.program.auto_approve_changes, frozen=bool(checked.frozen)
    )
    if route is Route.APPLY:
        values = execute(session, caller, swap, volunteer, today, now, None)
    else:
        values = {"status": SwapStatus.PENDING}
    set_status(session, swap, values)
    done = load_swap(session, swap.id)
    record(
        session,
        actor=caller.actor,
        action="swap.pickup",
        entity=ENTITY,
        entity_id=swap.id,
        after={"swap": done.words(), "status": done.status.value},
    )
    tell_routed(session, done, route)
    return done


def _insert(
    session: Session, checked: Checked, volunteer: Party, day: dt.date, shift_id: int
) -> Swap:
    swap_id = session.scalar(
        insert(SwapRequestRow)
        .values(
            version_id=checked.version.id,
            kind=SwapKind.PICKUP,
            status=SwapStatus.OPEN,
            to_person_id=volunteer.id,
            day=day,
            shift_type_id=shift_id,
            revision=checked.version.revision,
        )
        .returning(SwapRequestRow.id)
    )
    assert isinstance(swap_id, int)
    return load_swap(session, swap_id)


def _refuse_twice(
    session: Session, version_id: int, person_id: int, day: dt.date, shift_id: int
) -> None:
    existing = live_swap_id(
        session,
        version_id,
        day,
        shift_id,
        SwapRequestRow.to_person_id == person_id,
        SwapRequestRow.from_person_id.is_(None),
    )
    if existing is not None:
        raise Conflict(
            f"shift: you already asked for this slot (swap {existing})",
            details={"field": "shift", "swap": existing},
        )
