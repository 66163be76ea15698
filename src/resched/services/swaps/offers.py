"""Offering a shift, and taking an offer back: the offerer cancels, the named colleague
declines. Nothing here changes the schedule; decisions.py does."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.orm import Session

from resched.core.changes.kinds import NoticeKind, SwapKind, SwapStatus
from resched.core.errors import Conflict, Forbidden, Invalid, NotFound
from resched.db.repositories import AcademicYearRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.tables import ScheduleVersionRow, ShiftAssignmentRow, ShiftTypeRow, SwapRequestRow
from resched.services.audit import record
from resched.services.common import SessionFactory, fail, write
from resched.services.notices import notify_people
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

LIVE = (SwapStatus.OPEN, SwapStatus.PENDING)


@dataclass(frozen=True, slots=True)
class Offer:
    """What someone offers: ``person``'s ``shift`` on ``day``, to anyone or to ``to_person``;
    a trade asks for ``to_person``'s ``want_shift`` on ``want_day`` in return."""

    person_id: int
    day: dt.date
    shift: str
    kind: SwapKind = SwapKind.GIVEAWAY
    to_person_id: int | None = None
    want_day: dt.date | None = None
    want_shift: str | None = None
    note: str = ""


def offer(*, factory: SessionFactory, caller: Caller, offer: Offer, today: dt.date) -> Swap:
    """Put a shift on the board. Forbidden: someone else's shift (a coordinator may offer
    anyone's). NotFound naming the field: an unknown person or shift type. Invalid: a pickup,
    a day in the past, a swap with oneself, a trade without the colleague's shift. Conflict:
    the shift is not held, or already offered."""
    _check_shape(caller, offer, today)
    with write(factory) as session:
        giver = person(session, offer.person_id, "person_id")
        taker = person(session, offer.to_person_id, "to_person_id") if offer.to_person_id else None
        version_id, revision = version_for(session, offer.day)
        shift_id = shift_id_of(session, offer.shift, "shift")
        if not _holds(session, version_id, giver.id, offer.day, shift_id):
            raise Conflict(
                f"shift: {giver.name} holds no {offer.shift} shift on {offer.day.isoformat()}",
                details={"field": "shift"},
            )
        want_id = _wanted(session, version_id, offer, taker)
        _refuse_duplicate(session, version_id, giver.id, offer.day, shift_id)
        swap = _insert(session, offer, version_id, revision, shift_id, want_id)
        record(
            session,
            actor=caller.actor,
            action="swap.offer",
            entity=ENTITY,
            entity_id=swap.id,
            after={"swap": swap.words(), "kind": offer.kind.value},
        )
        if taker is not None:
            _tell_offered(session, swap, taker)
        return swap


def _insert(
    session: Session,
    offer: Offer,
    version_id: int,
    revision: int,
    shift_id: int,
    want_id: int | None,
) -> Swap:
    swap_id = session.scalar(
        insert(SwapRequestRow)
        .values(
            version_id=version_id,
            kind=offer.kind,
            status=SwapStatus.OPEN,
            from_person_id=offer.person_id,
            to_person_id=offer.to_person_id,
            day=offer.day,
            shift_type_id=shift_id,
            want_day=offer.want_day if want_id else None,
            want_shift_type_id=want_id,
            note=offer.note.strip(),
            revision=revision,
        )
        .returning(SwapRequestRow.id)
    )
    assert isinstance(swap_id, int)
    return load_swap(session, swap_id)


def cancel(*, factory: SessionFactory, caller: Caller, swap_id: int) -> Swap:
    """The offerer (or a coordinator) withdraws an open or pending swap."""
    version_id = version_of(factory, swap_id)
    with write(factory) as session:
        swap = locked_swap(session, version_id, swap_id)
        if not caller.coordinator and caller.person_id != swap.owner.id:
            raise Forbidden("only the one who asked cancels a swap", details={"field": "id"})
        _require_status(swap, LIVE, "cancelled")
        return _close(session, caller, swap, "swap.cancel")


def decline(*, factory: SessionFactory, caller: Caller, swap_id: int, note: str = "") -> Swap:
    """The named colleague says no to an open offer."""
    version_id = version_of(factory, swap_id)
    with write(factory) as session:
        swap = locked_swap(session, version_id, swap_id)
        if swap.giver is None or swap.taker is None or caller.person_id != swap.taker.id:
            raise Forbidden(
                "only the colleague it was offered to declines it", details={"field": "id"}
            )
        _require_status(swap, (SwapStatus.OPEN,), "declined")
        closed = _close(session, caller, swap, "swap.decline", note)
        notify_people(
            session,
            person_ids=[swap.giver.id],
            kind=NoticeKind.REQUEST_DECIDED,
            title=f"{swap.taker.name} declined your swap",
            body=closed.words(),
            link="/swaps",
        )
        return closed


def _close(session: Session, caller: Caller, swap: Swap, action: str, note: str = "") -> Swap:
    set_status(
        session, swap, {"status": SwapStatus.CANCELLED, "decision_note": note.strip()[:MAX_NOTE]}
    )
    record(
        session,
        actor=caller.actor,
        action=action,
        entity=ENTITY,
        entity_id=swap.id,
        before={"status": swap.status.value},
        after={"status": SwapStatus.CANCELLED.value},
        reason=note.strip() or None,
    )
    return load_swap(session, swap.id)


def require_status(swap: Swap, allowed: tuple[SwapStatus, ...], verb: str) -> None:
    if swap.status not in allowed:
        raise Conflict(
            f"swap {swap.id} is {swap.status.value}; it cannot be {verb}",
            details={"field": "status", "status": swap.status.value},
        )


_require_status = require_status


def _check_shape(caller: Caller, offer: Offer, today: dt.date) -> None:
    if not caller.coordinator and caller.person_id != offer.person_id:
        raise Forbidden("you can only offer your own shifts", details={"field": "person_id"})
    if offer.kind is SwapKind.PICKUP:
        fail("kind", "offer a shift as a give-away or a trade; take an open offer to pick it up")
    if offer.day < today:
        fail("day", f"{offer.day.isoformat()} is in the past")
    if offer.want_day is not None and offer.want_day < today:
        fail("want_day", f"{offer.want_day.isoformat()} is in the past")
    if offer.to_person_id == offer.person_id:
        fail("to_person_id", "a swap needs a colleague: you cannot swap with yourself")
    if len(offer.note) > MAX_NOTE:
        fail("note", f"a note is at most {MAX_NOTE} characters")
    if offer.kind is SwapKind.TRADE:
        if offer.to_person_id is None:
            fail("to_person_id", "a trade names the colleague you trade with")
        if offer.want_day is None or not offer.want_shift:
            fail("want_shift", "a trade names the colleague's shift you want (day and shift)")
    elif offer.want_day is not None or offer.want_shift:
        fail("want_shift", "only a trade asks for a shift in return")


def version_for(session: Session, day: dt.date) -> tuple[int, int]:
    """The published version of the academic year holding ``day``, and its revision."""
    year = next((y for y in AcademicYearRepository(session).all() if y.start <= day <= y.end), None)
    version_id = (
        ScheduleVersionRepository(session).published_by_year().get(year.id or 0) if year else None
    )
    if version_id is None:
        raise Invalid(
            f"day: no published schedule covers {day.isoformat()}", details={"field": "day"}
        )
    revision = session.scalar(
        select(ScheduleVersionRow.revision).where(ScheduleVersionRow.id == version_id)
    )
    return version_id, revision or 0


def shift_id_of(session: Session, code: str, field: str) -> int:
    found = session.scalar(select(ShiftTypeRow.id).where(ShiftTypeRow.code == code))
    if found is None:
        raise NotFound(f"{field}: no shift type {code!r}", details={"field": field})
    return found


def _holds(session: Session, version_id: int, person_id: int, day: dt.date, shift_id: int) -> bool:
    return (
        session.scalar(
            select(ShiftAssignmentRow.id)
            .where(
                ShiftAssignmentRow.version_id == version_id,
                ShiftAssignmentRow.person_id == person_id,
                ShiftAssignmentRow.day == day,
                ShiftAssignmentRow.shift_type_id == shift_id,
            )
            .limit(1)
        )
        is not None
    )


def _wanted(session: Session, version_id: int, offer: Offer, taker: Party | None) -> int | None:
    if offer.kind is not SwapKind.TRADE or taker is None or offer.want_day is None:
        return None
    want_id = shift_id_of(session, offer.want_shift or "", "want_shift")
    if not _holds(session, version_id, taker.id, offer.want_day, want_id):
        fail(
            "want_shift",
            f"{taker.name} holds no {offer.want_shift} shift on {offer.want_day.isoformat()}",
        )
    return want_id


def live_swap_id(
    session: Session, version_id: int, day: dt.date, shift_id: int, *who: ColumnElement[bool]
) -> int | None:
    """A live swap of the version about ``shift_id`` on ``day`` matching ``who``, if any."""
    return session.scalar(
        select(SwapRequestRow.id)
        .where(
            SwapRequestRow.version_id == version_id,
            SwapRequestRow.day == day,
            SwapRequestRow.shift_type_id == shift_id,
            SwapRequestRow.status.in_(LIVE),
            *who,
        )
        .limit(1)
    )


def _refuse_duplicate(
    session: Session, version_id: int, person_id: int, day: dt.date, shift_id: int
) -> None:
    existing = live_swap_id(
        session, version_id, day, shift_id, SwapRequestRow.from_person_id == person_id
    )
    if existing is not None:
        raise Conflict(
            f"shift: this shift is already offered (swap {existing})",
            details={"field": "shift", "swap": existing},
        )


def _tell_offered(session: Session, swap: Swap, taker: Party) -> None:
    what = "trade" if swap.kind is SwapKind.TRADE else "give-away"
    notify_people(
        session,
        person_ids=[taker.id],
        kind=NoticeKind.SWAP_OFFERED,
        title=f"{swap.owner.name} offers you a {what}",
        body=swap.words(),
        link="/swaps",
    )
