"""/swaps: the swap board. Offer a shift (a give-away to anyone or to a named colleague, or a
trade for the colleague's shift), take or accept it, decline or cancel it; coordinators approve
or deny what waits for them (``board=pending``). Taking a swap checks it against the rules
(422 naming the finding); it is applied at once when the program auto-approves and no day is
inside the freeze horizon, else it waits for a coordinator. Approving re-validates (409 when
the schedule changed under it) and needs ``override`` for frozen days. Executed swaps are
undone through the version's change history.

Lists: ``board=open`` (offers to anyone, everyone signed in), ``mine`` (offered or taken by
me), ``offered`` (open offers naming me), ``pending`` (coordinators). ``GET /swaps/slots``
lists the open slots (coverage gaps) anyone eligible may pick up with ``POST /swaps/pickups``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.schemas import PageOut
from resched.api.schemas.swaps import (
    AcceptIn,
    ApproveIn,
    DeclineIn,
    DenyIn,
    PickupIn,
    SlotOut,
    SwapIn,
    SwapOut,
)
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.params import MAX_ID
from resched.services.audit import Actor
from resched.services.fairness import today_of_program
from resched.services.permissions import Permission, Principal
from resched.services.swaps import board, decisions, offers, pickups, slots
from resched.services.swaps.model import Caller

router = APIRouter(prefix="/swaps", tags=["swaps"])
SwapId = Annotated[int, Path(ge=1, le=MAX_ID)]
Member = Annotated[Principal, require(Permission.REQUESTS_OWN)]
Coordinator = Annotated[Principal, require(Permission.REQUESTS_MANAGE)]


def _caller(principal: Principal, actor: Actor) -> Caller:
    return Caller(actor, principal.person_id, principal.can(Permission.REQUESTS_MANAGE))


@router.get("")
def list_swaps(
    request: Request,
    factory: SessionFactoryDep,
    page: PageDep,
    principal: Member,
    actor: ActorDep,
    board_name: Annotated[board.Board, Query(alias="board")] = board.Board.OPEN,
) -> PageOut[SwapOut]:
    today = today_of_program(factory=factory, now=request_now(request))
    found = board.list_swaps(
        factory=factory,
        caller=_caller(principal, actor),
        board=board_name,
        today=today,
        limit=page.limit,
        offset=page.offset,
    )
    return PageOut[SwapOut].of(found, SwapOut.of)


@router.get("/slots")
def list_slots(
    request: Request,
    factory: SessionFactoryDep,
    principal: Member,
    days: Annotated[int, Query(ge=1, le=slots.SLOT_DAYS)] = slots.SLOT_DAYS,
) -> list[SlotOut]:
    """The open slots (coverage gaps) from the program's today on, within its academic year."""
    today = today_of_program(factory=factory, now=request_now(request))
    found = slots.list_open_slots(factory=factory, today=today, days=days)
    return [SlotOut.of(g) for g in found.gaps]


@router.post("/pickups", status_code=201)
def pick_up(
    body: PickupIn,
    request: Request,
    factory: SessionFactoryDep,
    principal: Member,
    actor: ActorDep,
) -> SwapOut:
    now = request_now(request)
    done = pickups.pick_up(
        factory=factory,
        caller=_caller(principal, actor),
        day=body.day,
        shift=body.shift,
        today=today_of_program(factory=factory, now=now),
        now=now,
        person_id=body.person_id,
    )
    return SwapOut.of(done)


@router.get("/{swap_id}")
def get_swap(
    swap_id: SwapId, factory: SessionFactoryDep, principal: Member, actor: ActorDep
) -> SwapOut:
    return SwapOut.of(
        board.get_swap(factory=factory, caller=_caller(principal, actor), swap_id=swap_id)
    )


@router.post("", status_code=201)
def create_swap(
    body: SwapIn, request: Request, factory: SessionFactoryDep, principal: Member, actor: ActorDep
) -> SwapOut:
    today = today_of_program(factory=factory, now=request_now(request))
    made = offers.offer(
        factory=factory, caller=_caller(principal, actor), offer=body.to_offer(), today=today
    )
    return SwapOut.of(made)


@router.post("/{swap_id}/accept")
def accept_swap(
    swap_id: SwapId,
    request: Request,
    factory: SessionFactoryDep,
    principal: Member,
    actor: ActorDep,
    body: AcceptIn | None = None,
) -> SwapOut:
    now = request_now(request)
    taken = decisions.accept(
        factory=factory,
        caller=_caller(principal, actor),
        swap_id=swap_id,
        today=today_of_program(factory=factory, now=now),
        now=now,
        taker_id=body.person_id if body else None,
    )
    return SwapOut.of(taken)


@router.post("/{swap_id}/decline")
def decline_swap(
    swap_id: SwapId,
    factory: SessionFactoryDep,
    principal: Member,
    actor: ActorDep,
    body: DeclineIn | None = None,
) -> SwapOut:
    caller = _caller(principal, actor)
    note = body.note if body else ""
    return SwapOut.of(offers.decline(factory=factory, caller=caller, swap_id=swap_id, note=note))


@router.post("/{swap_id}/cancel")
def cancel_swap(
    swap_id: SwapId, factory: SessionFactoryDep, principal: Member, actor: ActorDep
) -> SwapOut:
    caller = _caller(principal, actor)
    return SwapOut.of(offers.cancel(factory=factory, caller=caller, swap_id=swap_id))


@router.post("/{swap_id}/approve")
def approve_swap(
    swap_id: SwapId,
    request: Request,
    factory: SessionFactoryDep,
    principal: Coordinator,
    actor: ActorDep,
    body: ApproveIn | None = None,
) -> SwapOut:
    now = request_now(request)
    done = decisions.approve(
        factory=factory,
        caller=_caller(principal, actor),
        swap_id=swap_id,
        today=today_of_program(factory=factory, now=now),
        now=now,
        override=body.to_override() if body else None,
        note=body.note if body else "",
    )
    return SwapOut.of(done)


@router.post("/{swap_id}/deny")
def deny_swap(
    swap_id: SwapId,
    body: DenyIn,
    request: Request,
    factory: SessionFactoryDep,
    principal: Coordinator,
    actor: ActorDep,
) -> SwapOut:
    done = decisions.deny(
        factory=factory,
        caller=_caller(principal, actor),
        swap_id=swap_id,
        reason=body.reason,
        now=request_now(request),
    )
    return SwapOut.of(done)
