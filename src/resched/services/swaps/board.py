"""The swap board's lists: open offers anyone may take, one's own offers and requests, the
offers made to one, and the coordinators' queue of swaps waiting for approval."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_, select

from resched.core.changes.kinds import SwapStatus
from resched.core.errors import Forbidden
from resched.db.records import Page
from resched.db.tables import SwapRequestRow
from resched.services.common import DEFAULT_PAGE_SIZE, SessionFactory, check_page, read
from resched.services.swaps.model import Caller, Swap, load_swap, swap_query, to_swap


class Board(StrEnum):
    OPEN = "open"  # offers to anyone, still open, from today on
    MINE = "mine"  # what I offered or took, any status, newest first
    OFFERED = "offered"  # open offers naming me
    PENDING = "pending"  # waiting for a coordinator (coordinators only)


def list_swaps(
    *,
    factory: SessionFactory,
    caller: Caller,
    board: Board,
    today: dt.date,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
) -> Page[Swap]:
    check_page(limit, offset)
    where = _where(caller, board, today)
    with read(factory) as session:
        total = session.scalar(select(func.count()).select_from(SwapRequestRow).where(*where))
        order = (
            (SwapRequestRow.created_at.desc(), SwapRequestRow.id.desc())
            if board is Board.MINE
            else (SwapRequestRow.day, SwapRequestRow.id)
        )
        rows = session.execute(
            swap_query().where(*where).order_by(*order).limit(limit).offset(offset)
        ).all()
        items = tuple(to_swap(*row) for row in rows)
    return Page(items=items, total=total or 0, limit=limit, offset=offset)


def get_swap(*, factory: SessionFactory, caller: Caller, swap_id: int) -> Swap:
    """A swap, for its two sides and coordinators; an open offer to anyone, for everyone."""
    with read(factory) as session:
        swap = load_swap(session, swap_id)
    if caller.coordinator or caller.person_id in swap.sides or swap.open_to_anyone:
        return swap
    raise Forbidden("this swap is between other people", details={"field": "id"})


def _where(caller: Caller, board: Board, today: dt.date) -> list[ColumnElement[bool]]:
    me = caller.person_id if caller.person_id is not None else -1
    if board is Board.OPEN:
        return [
            SwapRequestRow.status == SwapStatus.OPEN,
            SwapRequestRow.to_person_id.is_(None),
            SwapRequestRow.day >= today,
        ]
    if board is Board.MINE:
        return [or_(SwapRequestRow.from_person_id == me, SwapRequestRow.to_person_id == me)]
    if board is Board.OFFERED:
        return [SwapRequestRow.status == SwapStatus.OPEN, SwapRequestRow.to_person_id == me]
    if not caller.coordinator:
        raise Forbidden(
            "only coordinators see the swaps waiting for approval", details={"field": "board"}
        )
    return [SwapRequestRow.status == SwapStatus.PENDING]
