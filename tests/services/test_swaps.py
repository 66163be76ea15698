"""The swap board on the demo and the pediatrics-like program: offers, take-overs applied at
once or approved by a coordinator as one change set, the freeze horizon's override, rules
and stale schedules refused, concurrent approvals serialised, bad input refused with nothing
written, and the notices."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import (
    ChangeKind,
    NoticeKind,
    OverrideReason,
    SwapKind,
    SwapStatus,
)
from resched.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from resched.core.model import ScheduleStatus
from resched.db.tables import (
    NotificationRow,
    ScheduleChangeRow,
    SwapRequestRow,
    UserRow,
)
from resched.services.changes.history import undo_change
from resched.services.changes.model import Override
from resched.services.generation.publish import publish_version
from resched.services.swaps.board import Board as View
from resched.services.swaps.board import list_swaps
from resched.services.swaps.decisions import accept, approve, deny
from resched.services.swaps.model import Caller, Swap
from resched.services.swaps.offers import Offer, cancel, decline, offer
from tests.accounts import add_user
from tests.plan_data import store_plan
from tests.swap_data import (
    COORDINATOR,
    Board,
    board_fixture,  # noqa: F401 - the "board" fixture
    holders,
    set_auto_approve,
)

Factory = sessionmaker[Session]
NOW = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)


def _holder(factory: Factory, board: Board, day: dt.date) -> list[int]:
    return holders(factory, board, day, board.shift, among=(board.a, board.b, board.c))


def _count(factory: Factory, table: type[object]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0  # type: ignore[arg-type]


def _notices(factory: Factory, board: Board, person_id: int) -> list[NoticeKind]:
    with factory() as session:
        return list(
            session.scalars(
                select(NotificationRow.kind)
                .join(UserRow, UserRow.id == NotificationRow.user_id)
                .where(UserRow.username == board.users[person_id])
                .order_by(NotificationRow.id)
            )
        )


def _offer(factory: Factory, board: Board, today: dt.date | None = None, **extra: object) -> Swap:
    what = Offer(person_id=board.a, day=board.day, shift=board.shift, **extra)  # type: ignore[arg-type]
    return offer(
        factory=factory, caller=board.caller(board.a), offer=what, today=today or board.far
    )


def _trade(factory: Factory, board: Board, today: dt.date | None = None) -> Swap:
    return _offer(
        factory,
        board,
        today,
        kind=SwapKind.TRADE,
        to_person_id=board.b,
        want_day=board.later(10),
        want_shift=board.shift,
    )


def test_a_give_away_taken_from_the_board_is_applied_at_once(
    session_factory: Factory, board: Board
) -> None:
    offered = _offer(session_factory, board)
    assert offered.status is SwapStatus.OPEN
    assert offered.open_to_anyone
    seen = list_swaps(
        factory=session_factory, caller=board.caller(board.b), board=View.OPEN, today=board.far
    )
    assert [s.id for s in seen.items] == [offered.id]

    taken = _accept(session_factory, board, board.b, offered.id)

    assert taken.status is SwapStatus.APPROVED
    assert taken.taker is not None
    assert taken.taker.id == board.b
    assert _holder(session_factory, board, board.day) == [board.b]
    with session_factory() as session:
        change = session.get(ScheduleChangeRow, taken.change_id)
    assert change is not None
    assert change.kind is ChangeKind.SWAP
    assert NoticeKind.REQUEST_DECIDED in _notices(session_factory, board, board.a)
    assert NoticeKind.REQUEST_DECIDED in _notices(session_factory, board, board.b)
    # An open offer is offered to nobody in particular: no "offered to you" notice.
    assert NoticeKind.SWAP_OFFERED not in _notices(session_factory, board, board.b)


def test_a_trade_waits_for_a_coordinator_then_moves_both_sides_in_one_change_set(
    session_factory: Factory, board: Board
) -> None:
    set_auto_approve(session_factory, False)
    chief = add_user(session_factory, "coordinator")
    offered = _trade(session_factory, board)
    assert _notices(session_factory, board, board.b) == [NoticeKind.SWAP_OFFERED]
    mine = list_swaps(
        factory=session_factory, caller=board.caller(board.b), board=View.OFFERED, today=board.far
    )
    assert [s.id for s in mine.items] == [offered.id]

    pending = _accept(session_factory, board, board.b, offered.id)
    assert pending.status is SwapStatus.PENDING
    assert _holder(session_factory, board, board.day) == [board.a]
    with session_factory() as session:  # the coordinators hear that it waits for them
        told = session.scalars(
            select(NotificationRow.kind).where(NotificationRow.user_id == chief)
        ).all()
    assert told == [NoticeKind.APPROVAL_NEEDED]
    queue = list_swaps(
        factory=session_factory, caller=COORDINATOR, board=View.PENDING, today=board.far
    )
    assert [s.id for s in queue.items] == [offered.id]

    done = approve(
        factory=session_factory, caller=COORDINATOR, swap_id=offered.id, today=board.far, now=NOW
    )

    assert done.status is SwapStatus.APPROVED
    assert _holder(session_factory, board, board.day) == [board.b]
    assert _holder(session_factory, board, board.later(10)) == [board.a]
    assert _count(session_factory, ScheduleChangeRow) == 1
    assert _notices(session_factory, board, board.b)[-1] is NoticeKind.REQUEST_DECIDED
    # The undo window: the change is undone through the history, which marks the swap.
    undo_change(
        factory=session_factory,
        change_id=done.change_id or 0,
        actor="coord",
        now=dt.datetime.now(dt.UTC),
        today=board.far,
    )
    assert _holder(session_factory, board, board.day) == [board.a]
    with session_factory() as session:
        assert session.get(SwapRequestRow, offered.id).status is SwapStatus.UNDONE  # type: ignore[union-attr]


def test_a_frozen_swap_waits_and_needs_the_override(session_factory: Factory, board: Board) -> None:
    offered = _offer(session_factory, board, board.near, to_person_id=board.b)
    pending = accept(
        factory=session_factory,
        caller=board.caller(board.b),
        swap_id=offered.id,
        today=board.near,
        now=NOW,
    )
    assert pending.status is SwapStatus.PENDING  # auto-approval stops at the freeze horizon
    ask = {
        "factory": session_factory,
        "caller": COORDINATOR,
        "swap_id": offered.id,
        "today": board.near,
        "now": NOW,
    }
    with pytest.raises(Invalid, match="freeze horizon") as caught:
        approve(**ask)  # type: ignore[arg-type]
    assert caught.value.details["field"] == "override"
    assert _holder(session_factory, board, board.day) == [board.a]
    done = approve(**ask, override=Override(OverrideReason.SICK_CALL))  # type: ignore[arg-type]
    assert done.status is SwapStatus.APPROVED
    assert _holder(session_factory, board, board.day) == [board.b]


def test_taking_a_shift_that_breaks_a_rule_is_refused_naming_the_finding(
    session_factory: Factory, board: Board
) -> None:
    offered = _offer(session_factory, board)
    with pytest.raises(Invalid, match="would break a rule") as caught:
        _accept(session_factory, board, board.clash, offered.id)
    assert caught.value.details["findings"]
    assert _holder(session_factory, board, board.day) == [board.a]
    with session_factory() as session:
        assert session.get(SwapRequestRow, offered.id).status is SwapStatus.OPEN  # type: ignore[union-attr]


def test_approval_revalidates_a_schedule_changed_since(
    session_factory: Factory, board: Board
) -> None:
    set_auto_approve(session_factory, False)
    first = _trade(session_factory, board)
    _accept(session_factory, board, board.b, first.id)
    # Meanwhile b gives day + 10 away to c, straight from the board (auto-approval back on).
    set_auto_approve(session_factory, True)
    other = offer(
        factory=session_factory,
        caller=board.caller(board.b),
        offer=Offer(
            person_id=board.b, day=board.later(10), shift=board.shift, to_person_id=board.c
        ),
        today=board.far,
    )
    _accept(session_factory, board, board.c, other.id)
    with pytest.raises(Conflict, match="holds no") as caught:
        approve(
            factory=session_factory, caller=COORDINATOR, swap_id=first.id, today=board.far, now=NOW
        )
    assert board.later(10).isoformat() in str(caught.value)
    assert _holder(session_factory, board, board.day) == [board.a]


def test_two_conflicting_approvals_at_once_one_wins_one_conflicts(
    session_factory: Factory, board: Board
) -> None:
    """a and c both trade for b's day + 10; approving both at once: one wins, one 409."""
    set_auto_approve(session_factory, False)
    first = _trade(session_factory, board)
    second = offer(
        factory=session_factory,
        caller=board.caller(board.c),
        offer=Offer(
            person_id=board.c,
            day=board.later(20),
            shift=board.shift,
            kind=SwapKind.TRADE,
            to_person_id=board.b,
            want_day=board.later(10),
            want_shift=board.shift,
        ),
        today=board.far,
    )
    for swap in (first, second):
        _accept(session_factory, board, board.b, swap.id)

    def approving(swap_id: int) -> Callable[[], Swap]:
        return lambda: approve(
            factory=session_factory, caller=COORDINATOR, swap_id=swap_id, today=board.far, now=NOW
        )

    outcomes = _at_once(approving(first.id), approving(second.id))
    assert len(outcomes) == 2, outcomes
    assert len([o for o in outcomes if isinstance(o, Conflict)]) == 1, outcomes
    won = next(o for o in outcomes if isinstance(o, Swap))
    assert _count(session_factory, ScheduleChangeRow) == 1
    assert _holder(session_factory, board, board.later(10)) == [won.giver.id]


def test_an_approval_and_a_denial_at_once_cannot_both_happen(
    session_factory: Factory, board: Board
) -> None:
    set_auto_approve(session_factory, False)
    swap = _trade(session_factory, board)
    _accept(session_factory, board, board.b, swap.id)

    def approving() -> Swap:
        return approve(
            factory=session_factory, caller=COORDINATOR, swap_id=swap.id, today=board.far, now=NOW
        )

    def denying() -> Swap:
        return deny(
            factory=session_factory, caller=COORDINATOR, swap_id=swap.id, reason="no", now=NOW
        )

    outcomes = _at_once(approving, denying)
    assert len([o for o in outcomes if isinstance(o, Conflict)]) == 1, outcomes
    (won,) = [o for o in outcomes if isinstance(o, Swap)]
    with session_factory() as session:
        stored = session.get(SwapRequestRow, swap.id)
        assert stored is not None
    assert stored.status is won.status
    applied = _count(session_factory, ScheduleChangeRow)
    assert applied == (1 if won.status is SwapStatus.APPROVED else 0)


def _at_once(*calls: Callable[[], Swap]) -> list[object]:
    """Run the calls in threads released together: what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes: list[object] = []

    def attempt(call: Callable[[], Swap]) -> None:
        start.wait()
        try:
            outcomes.append(call())
        except DomainError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=attempt, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(outcomes) == len(calls), outcomes
    return outcomes


def _accept(factory: Factory, board: Board, person_id: int, swap_id: int) -> Swap:
    return accept(
        factory=factory, caller=board.caller(person_id), swap_id=swap_id, today=board.far, now=NOW
    )


def test_deny_cancel_and_decline(session_factory: Factory, board: Board) -> None:
    set_auto_approve(session_factory, False)
    offered = _trade(session_factory, board)
    with pytest.raises(Forbidden):
        decline(factory=session_factory, caller=board.caller(board.c), swap_id=offered.id)
    declined = decline(factory=session_factory, caller=board.caller(board.b), swap_id=offered.id)
    assert declined.status is SwapStatus.CANCELLED
    again = _trade(session_factory, board)  # no longer a duplicate
    _accept(session_factory, board, board.b, again.id)
    with pytest.raises(Forbidden):
        deny(
            factory=session_factory,
            caller=board.caller(board.b),
            swap_id=again.id,
            reason="no",
            now=NOW,
        )
    with pytest.raises(Invalid) as caught:
        deny(factory=session_factory, caller=COORDINATOR, swap_id=again.id, reason=" ", now=NOW)
    assert caught.value.details["field"] == "reason"
    denied = deny(
        factory=session_factory,
        caller=COORDINATOR,
        swap_id=again.id,
        reason="short-staffed that week",
        now=NOW,
    )
    assert denied.status is SwapStatus.DENIED
    assert _notices(session_factory, board, board.a)[-1] is NoticeKind.REQUEST_DECIDED
    assert _notices(session_factory, board, board.b)[-1] is NoticeKind.REQUEST_DECIDED
    with pytest.raises(Conflict, match="denied"):
        approve(
            factory=session_factory, caller=COORDINATOR, swap_id=again.id, today=board.far, now=NOW
        )
    third = _offer(session_factory, board)
    with pytest.raises(Forbidden):
        cancel(factory=session_factory, caller=board.caller(board.b), swap_id=third.id)
    assert (
        cancel(factory=session_factory, caller=board.caller(board.a), swap_id=third.id).status
        is SwapStatus.CANCELLED
    )
    assert _holder(session_factory, board, board.day) == [board.a]


def _bad_offers(board: Board) -> list[tuple[Caller, Offer, dt.date, type[DomainError], str]]:
    a, shift, day = board.a, board.shift, board.day
    mine = board.caller(a)
    return [
        (board.caller(board.b), Offer(a, day, shift), board.far, Forbidden, "person_id"),
        (mine, Offer(a, day, shift), board.later(1), Invalid, "day"),
        (mine, Offer(a, board.later(3), shift), board.far, Conflict, "shift"),
        (mine, Offer(a, day, shift, to_person_id=a), board.far, Invalid, "to_person_id"),
        (mine, Offer(a, day, shift, to_person_id=99999), board.far, NotFound, "to_person_id"),
        (COORDINATOR, Offer(99999, day, shift), board.far, NotFound, "person_id"),
        (mine, Offer(a, day, "NOPE"), board.far, NotFound, "shift"),
        (mine, Offer(a, day, shift, kind=SwapKind.PICKUP), board.far, Invalid, "kind"),
        (
            mine,
            Offer(a, day, shift, SwapKind.TRADE, board.b, board.far - dt.timedelta(days=1), shift),
            board.far,
            Invalid,
            "want_day",
        ),
        (
            mine,
            Offer(a, day, shift, kind=SwapKind.TRADE, to_person_id=board.b),
            board.far,
            Invalid,
            "want_shift",
        ),
        (
            mine,
            Offer(
                a,
                day,
                shift,
                kind=SwapKind.TRADE,
                to_person_id=board.b,
                want_day=board.later(11),
                want_shift=shift,
            ),
            board.far,
            Invalid,
            "want_shift",
        ),
        (
            mine,
            Offer(
                a,
                day,
                shift,
                kind=SwapKind.TRADE,
                to_person_id=board.b,
                want_day=board.later(10),
                want_shift="NOPE",
            ),
            board.far,
            NotFound,
            "want_shift",
        ),
    ]


def test_bad_offers_are_refused_naming_the_field_and_write_nothing(
    session_factory: Factory, board: Board
) -> None:
    for caller, what, today, error, field in _bad_offers(board):
        with pytest.raises(error) as caught:
            offer(factory=session_factory, caller=caller, offer=what, today=today)
        assert caught.value.details["field"] == field, (what, caught.value)
    assert _count(session_factory, SwapRequestRow) == 0
    _offer(session_factory, board)
    with pytest.raises(Conflict, match="already offered"):
        _offer(session_factory, board)
    assert _count(session_factory, SwapRequestRow) == 1


def test_bad_takers_are_refused_and_write_nothing(session_factory: Factory, board: Board) -> None:
    named = _offer(session_factory, board, to_person_id=board.b)
    with pytest.raises(Forbidden):  # offered to someone else
        _accept(session_factory, board, board.c, named.id)
    cancel(factory=session_factory, caller=board.caller(board.a), swap_id=named.id)
    with pytest.raises(Conflict, match="cancelled"):
        _accept(session_factory, board, board.b, named.id)
    anyone = _offer(session_factory, board)
    with pytest.raises(Invalid) as caught:  # one's own shift
        _accept(session_factory, board, board.a, anyone.id)
    assert caught.value.details["field"] == "person_id"
    with pytest.raises(NotFound):
        _accept(session_factory, board, board.b, 99999)
    assert _count(session_factory, ScheduleChangeRow) == 0
    assert _holder(session_factory, board, board.day) == [board.a]


def test_publishing_a_new_version_cancels_the_live_swaps_of_the_old_one(
    session_factory: Factory, board: Board
) -> None:
    """An open give-away and a pending trade of the published version: publishing a new
    version cancels both with the reason and tells both sides; the board no longer shows the
    offer, and nobody can take it from a schedule that is gone."""
    set_auto_approve(session_factory, False)
    pending = _accept(session_factory, board, board.b, _trade(session_factory, board).id)
    open_offer = offer(
        factory=session_factory,
        caller=board.caller(board.c),
        offer=Offer(person_id=board.c, day=board.later(20), shift=board.shift),
        today=board.far,
    )
    assert pending.status is SwapStatus.PENDING
    before = _notices(session_factory, board, board.c).count(NoticeKind.REQUEST_DECIDED)
    draft = store_plan(session_factory, board.duties.plan.year_id, [], ScheduleStatus.DRAFT)

    publish_version(factory=session_factory, version_id=draft, actor="coord", reason="new plan")

    with session_factory() as session:
        rows = {r.id: r for r in session.scalars(select(SwapRequestRow))}
    for swap_id in (open_offer.id, pending.id):
        assert rows[swap_id].status is SwapStatus.CANCELLED
        assert f"replaced by version {draft}" in rows[swap_id].decision_note
    seen = list_swaps(
        factory=session_factory, caller=board.caller(board.c), board=View.OPEN, today=board.far
    )
    assert seen.total == 0
    after = _notices(session_factory, board, board.c).count(NoticeKind.REQUEST_DECIDED)
    assert after == before + 1
    assert NoticeKind.REQUEST_DECIDED in _notices(session_factory, board, board.a)
    with pytest.raises(Conflict):
        _accept(session_factory, board, board.a, open_offer.id)
