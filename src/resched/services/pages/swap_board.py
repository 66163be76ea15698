"""The /swaps page's read model: the board with, for each open offer, whether the viewer may
take it (and the rule's words when not); the offers made to them; their own; and, for
coordinators, the queue waiting for approval with each swap's warnings and frozen days.

The offer form's: the shift offered, the colleagues who could legally take it (the candidate
finder, fairest and most willing first) and everyone else a trade may name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from resched.core.coverage_gaps import CoverageGap
from resched.core.errors import DomainError
from resched.core.model import Person
from resched.db.repositories import PeopleRepository, ShiftTypeRepository
from resched.services.candidates import find_candidates
from resched.services.common import SessionFactory, read
from resched.services.swaps.board import Board, list_swaps
from resched.services.swaps.decisions import preview_takes, take_problems
from resched.services.swaps.model import Caller, Swap
from resched.services.swaps.offers import version_for
from resched.services.swaps.slots import list_open_slots

# The page checks whether the viewer may take this many offers (each a rule check on the
# year's schedule, read once for all of them).
CHECKED_OFFERS = 20
SLOTS_SHOWN = 20
NOT_LINKED = "your account is not linked to a person of the program"


@dataclass(frozen=True, slots=True)
class OpenOffer:
    swap: Swap
    why_not: str | None  # None: the viewer may take it


@dataclass(frozen=True, slots=True)
class Waiting:
    swap: Swap
    warnings: tuple[str, ...]
    frozen: tuple[dt.date, ...]
    problem: str | None  # why approving it would fail now (the schedule changed, a rule)


@dataclass(frozen=True, slots=True)
class SwapBoardView:
    linked: bool  # the account has a person: it can offer and take
    open: tuple[OpenOffer, ...]
    offered: tuple[Swap, ...]
    mine: tuple[Swap, ...]
    waiting: tuple[Waiting, ...] | None  # None: not a coordinator
    slots: tuple[CoverageGap, ...]  # open slots to pick up, the first SLOTS_SHOWN
    slot_count: int


def load_swap_board(*, factory: SessionFactory, caller: Caller, today: dt.date) -> SwapBoardView:
    def page(board: Board) -> tuple[Swap, ...]:
        return list_swaps(factory=factory, caller=caller, board=board, today=today).items

    me = caller.person_id
    gaps = list_open_slots(factory=factory, today=today).gaps
    others = [s for s in page(Board.OPEN) if me not in s.sides]
    checked = others[:CHECKED_OFFERS]
    why_not: list[str | None] = (
        take_problems(factory=factory, swaps=checked, taker_id=me, today=today)
        if me is not None
        else [NOT_LINKED] * len(checked)
    )
    offers = tuple(
        OpenOffer(s, why_not[i] if i < CHECKED_OFFERS else None) for i, s in enumerate(others)
    )
    return SwapBoardView(
        linked=me is not None,
        open=offers,
        offered=page(Board.OFFERED) if me is not None else (),
        mine=page(Board.MINE) if me is not None else (),
        waiting=_waiting(factory, page(Board.PENDING), today) if caller.coordinator else None,
        slots=gaps[:SLOTS_SHOWN],
        slot_count=len(gaps),
    )


def _waiting(
    factory: SessionFactory, swaps: tuple[Swap, ...], today: dt.date
) -> tuple[Waiting, ...]:
    waiting = []
    for swap, checked in zip(
        swaps, preview_takes(factory=factory, swaps=swaps, today=today), strict=True
    ):
        if isinstance(checked, DomainError):
            waiting.append(Waiting(swap, (), (), checked.message))
            continue
        problem = "; ".join(f.message for f in checked.violations[:2]) or None
        warnings = tuple(f.message for f in checked.warnings)
        waiting.append(Waiting(swap, warnings, checked.frozen, problem))
    return tuple(waiting)


@dataclass(frozen=True, slots=True)
class OfferForm:
    person: Person
    day: dt.date
    shift: str
    shift_name: str
    legal: tuple[Person, ...]  # could take it: fairest and most willing first
    others: tuple[Person, ...]  # everyone else a trade may name
    shifts: tuple[tuple[str, str], ...]  # code, name: what a trade may ask for
    problem: str | None  # why the shift cannot be offered (not held, no schedule)


def load_offer_form(
    *, factory: SessionFactory, person_id: int, day: dt.date, shift: str
) -> OfferForm:
    with read(factory) as session:
        everyone = [p for p in PeopleRepository(session).in_year(0) if p.active]
        shift_types = ShiftTypeRepository(session).all()
        try:
            version_id: int | None = version_for(session, day)[0]
        except DomainError:
            version_id = None
    me = next(p for p in everyone if p.id == person_id)
    names = {s.code: s.name for s in shift_types}
    legal: tuple[Person, ...] = ()
    problem = None
    try:
        if version_id is None:
            raise DomainError(f"no published schedule covers {day.isoformat()}")
        found = find_candidates(
            factory=factory,
            version_id=version_id,
            person=me.code,
            day=day,
            shift=shift,
            include_drafts=False,
        )
        legal = tuple(c.person for c in found.candidates)
    except DomainError as exc:
        problem = exc.message
    chosen = {p.id for p in legal}
    # A trade is between peers: residents with residents, faculty with faculty.
    others = tuple(
        p for p in everyone if p.id not in chosen and p.id != person_id and p.role is me.role
    )
    return OfferForm(
        me,
        day,
        shift,
        names.get(shift, shift),
        legal,
        others,
        tuple(sorted(names.items())),
        problem,
    )
