"""Picking up an open slot on the demo and the pediatrics-like program: an eligible resident
volunteers for a shift short of people, applied at once or approved by a coordinator after the
slot is checked again; a filled slot, an ineligible volunteer, a past day and unknown codes are
refused naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import ChangeKind, SwapKind, SwapStatus
from resched.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from resched.db.tables import ScheduleChangeRow, SwapRequestRow
from resched.services.swaps.board import Board as View
from resched.services.swaps.board import list_swaps
from resched.services.swaps.decisions import accept, approve
from resched.services.swaps.model import Caller
from resched.services.swaps.offers import Offer, offer
from resched.services.swaps.pickups import pick_up
from resched.services.swaps.slots import list_open_slots
from tests.swap_data import (
    COORDINATOR,
    SLOT_SHIFT,
    Board,
    add_open_slot,
    board_fixture,  # noqa: F401 - the "board" fixture
    holders,
    set_auto_approve,
)

Factory = sessionmaker[Session]
NOW = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)


def _on_slot(factory: Factory, board: Board, day: dt.date) -> list[int]:
    return holders(factory, board, day, SLOT_SHIFT)


def _pick(factory: Factory, board: Board, caller: Caller, day: dt.date, **extra: object):  # type: ignore[no-untyped-def]
    return pick_up(
        factory=factory,
        caller=caller,
        day=day,
        shift=SLOT_SHIFT,
        today=board.far,
        now=NOW,
        **extra,  # type: ignore[arg-type]
    )


def test_an_open_slot_is_listed_picked_up_and_no_longer_open(
    session_factory: Factory, board: Board
) -> None:
    day = add_open_slot(session_factory, board)
    slots = list_open_slots(factory=session_factory, today=day, days=1)
    assert (day, SLOT_SHIFT) in {(g.day, g.shift_code) for g in slots.gaps}

    done = _pick(session_factory, board, board.caller(board.b), day)

    assert done.kind is SwapKind.PICKUP
    assert done.giver is None
    assert done.status is SwapStatus.APPROVED
    assert _on_slot(session_factory, board, day) == [board.b]
    with session_factory() as session:
        change = session.get(ScheduleChangeRow, done.change_id)
        assert change is not None
    assert change.kind is ChangeKind.SWAP
    slots = list_open_slots(factory=session_factory, today=day, days=1)
    assert (day, SLOT_SHIFT) not in {(g.day, g.shift_code) for g in slots.gaps}
    with pytest.raises(Conflict, match="no open") as caught:
        _pick(session_factory, board, board.caller(board.c), day)
    assert caught.value.details["field"] == "shift"
    mine = list_swaps(
        factory=session_factory, caller=board.caller(board.b), board=View.MINE, today=board.far
    )
    assert [s.id for s in mine.items] == [done.id]


def test_a_pending_pickup_is_checked_again_when_approved(
    session_factory: Factory, board: Board
) -> None:
    day = add_open_slot(session_factory, board)
    set_auto_approve(session_factory, False)
    first = _pick(session_factory, board, board.caller(board.b), day)
    second = _pick(session_factory, board, board.caller(board.c), day)
    assert (first.status, second.status) == (SwapStatus.PENDING, SwapStatus.PENDING)
    assert _on_slot(session_factory, board, day) == []
    with pytest.raises(Conflict, match="already asked"):
        _pick(session_factory, board, board.caller(board.b), day)

    def approving(swap_id: int) -> object:
        return approve(
            factory=session_factory, caller=COORDINATOR, swap_id=swap_id, today=board.far, now=NOW
        )

    assert approving(first.id).status is SwapStatus.APPROVED  # type: ignore[attr-defined]
    with pytest.raises(Conflict, match="no open"):
        approving(second.id)
    assert _on_slot(session_factory, board, day) == [board.b]


def test_bad_pickups_are_refused_naming_the_field_and_write_nothing(
    session_factory: Factory, board: Board
) -> None:
    day = add_open_slot(session_factory, board)
    faculty = Caller("coord", None, coordinator=True)
    cases: list[tuple[Callable[[], object], type[DomainError], str]] = [
        (
            lambda: _pick(session_factory, board, faculty, day, person_id=board.duties.faculty),
            Invalid,
            "person_id",
        ),
        (
            lambda: _pick(
                session_factory, board, board.caller(board.b), board.far - dt.timedelta(1)
            ),
            Invalid,
            "day",
        ),
        (
            lambda: _pick(session_factory, board, board.caller(board.b), board.later(6)),
            Conflict,
            "shift",
        ),
        (
            lambda: pick_up(
                factory=session_factory,
                caller=board.caller(board.b),
                day=day,
                shift="NOPE",
                today=board.far,
                now=NOW,
            ),
            NotFound,
            "shift",
        ),
        (lambda: _pick(session_factory, board, Caller("x", None), day), Forbidden, "person_id"),
        (
            lambda: _pick(session_factory, board, faculty, day, person_id=99999),
            NotFound,
            "person_id",
        ),
    ]
    for call, error, field in cases:
        with pytest.raises(error) as caught:
            call()
        assert caught.value.details["field"] == field, caught.value
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(SwapRequestRow)) == 0
        assert session.scalar(select(func.count()).select_from(ScheduleChangeRow)) == 0


def test_taking_over_a_shift_needs_the_eligibility_its_coverage_asks(
    session_factory: Factory, board: Board
) -> None:
    """The evening clinic is for residents: a faculty member cannot take it over, whatever the
    duty-hour rules say; a resident can."""
    day = add_open_slot(session_factory, board)
    _pick(session_factory, board, board.caller(board.b), day)
    offered = offer(
        factory=session_factory,
        caller=board.caller(board.b),
        offer=Offer(person_id=board.b, day=day, shift=SLOT_SHIFT),
        today=board.far,
    )
    with pytest.raises(Invalid, match="not eligible") as caught:
        accept(
            factory=session_factory,
            caller=COORDINATOR,
            swap_id=offered.id,
            today=board.far,
            now=NOW,
            taker_id=board.duties.faculty,
        )
    assert caught.value.details["field"] == "person_id"
    assert _on_slot(session_factory, board, day) == [board.b]
    taken = accept(
        factory=session_factory,
        caller=board.caller(board.c),
        swap_id=offered.id,
        today=board.far,
        now=NOW,
    )
    assert taken.status is SwapStatus.APPROVED
    assert _on_slot(session_factory, board, day) == [board.c]
