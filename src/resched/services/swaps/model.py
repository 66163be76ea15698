"""The swap board's shapes: who acts, and a swap as the board shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session, aliased

from resched.core.changes.kinds import SwapKind, SwapStatus
from resched.core.errors import Conflict, Forbidden, NotFound
from resched.db.tables import PersonRow, ShiftTypeRow, SwapRequestRow
from resched.services.audit import ActorLike
from resched.services.changes.apply import lock_for_change
from resched.services.changes.model import ChangeRequest, Slot
from resched.services.common import SessionFactory, read

ENTITY = "swap_request"
MAX_NOTE = 2000


@dataclass(frozen=True, slots=True)
class Caller:
    """Who acts: the audit's actor, their person (None for an account without one) and
    whether they manage everyone's requests (coordinators act for anyone and decide)."""

    actor: ActorLike
    person_id: int | None
    coordinator: bool = False

    def require_coordinator(self) -> None:
        if not self.coordinator:
            raise Forbidden("only a coordinator decides a swap", details={"field": "status"})


@dataclass(frozen=True, slots=True)
class Party:
    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Swap:
    """One swap request; ``giver`` gives ``shift`` on ``day`` away (None: a pickup of an open
    slot), ``taker`` takes it (None while open to anyone), and for a trade ``taker`` gives
    ``want_shift`` on ``want_day``."""

    id: int
    version_id: int
    kind: SwapKind
    status: SwapStatus
    giver: Party | None
    taker: Party | None
    day: dt.date
    shift: str
    want_day: dt.date | None
    want_shift: str | None
    note: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    change_id: int | None

    @property
    def open_to_anyone(self) -> bool:
        return self.taker is None

    def change(self, taker: Party) -> ChangeRequest:
        """The schedule change it makes when ``taker`` takes it."""
        remove = [Slot(self.giver.code, self.day, self.shift)] if self.giver else []
        add = [Slot(taker.code, self.day, self.shift)]
        if self.giver and self.want_day is not None and self.want_shift is not None:
            remove.append(Slot(taker.code, self.want_day, self.want_shift))
            add.append(Slot(self.giver.code, self.want_day, self.want_shift))
        return ChangeRequest(remove=tuple(remove), add=tuple(add))

    @property
    def owner(self) -> Party:
        """Who asked: the one offering, or the volunteer of a pickup."""
        found = self.giver or self.taker
        assert found is not None  # a swap has at least one side
        return found

    @property
    def sides(self) -> list[int]:
        return [p.id for p in (self.giver, self.taker) if p is not None]

    def words(self) -> str:
        if self.giver is None:
            who = f", picked up by {self.taker.name}" if self.taker else ""
            return f"the open {self.shift} slot on {self.day.isoformat()}{who}"
        text = f"{self.giver.name}'s {self.shift} on {self.day.isoformat()}"
        if self.want_day is not None and self.taker is not None:
            text += f" for {self.taker.name}'s {self.want_shift} on {self.want_day.isoformat()}"
        return text


def swap_query() -> Select[SwapRequestRow, PersonRow, PersonRow, str, str]:
    giver, taker = aliased(PersonRow), aliased(PersonRow)
    shift, want = aliased(ShiftTypeRow), aliased(ShiftTypeRow)
    return (
        select(SwapRequestRow, giver, taker, shift.code, want.code)
        .outerjoin(giver, giver.id == SwapRequestRow.from_person_id)
        .outerjoin(taker, taker.id == SwapRequestRow.to_person_id)
        .join(shift, shift.id == SwapRequestRow.shift_type_id)
        .outerjoin(want, want.id == SwapRequestRow.want_shift_type_id)
    )


def party(row: PersonRow) -> Party:
    return Party(row.id, row.code, row.name)


def to_swap(
    row: SwapRequestRow,
    giver: PersonRow | None,
    taker: PersonRow | None,
    shift: str,
    want: str | None,
) -> Swap:
    return Swap(
        id=row.id,
        version_id=row.version_id,
        kind=row.kind,
        status=row.status,
        giver=party(giver) if giver is not None else None,
        taker=party(taker) if taker is not None else None,
        day=row.day,
        shift=shift,
        want_day=row.want_day,
        want_shift=want,
        note=row.note,
        created_at=row.created_at,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        change_id=row.change_id,
    )


def load_swap(session: Session, swap_id: int) -> Swap:
    found = session.execute(swap_query().where(SwapRequestRow.id == swap_id)).first()
    if found is None:
        raise NotFound(f"swap {swap_id} not found", details={"entity": ENTITY, "id": swap_id})
    return to_swap(*found)


def version_of(factory: SessionFactory, swap_id: int) -> int:
    """The swap's version, read before a write transaction (whose first statement must be the
    version's lock): a swap never changes version."""
    with read(factory) as session:
        return load_swap(session, swap_id).version_id


def locked_swap(session: Session, version_id: int, swap_id: int) -> Swap:
    """Take the version's write lock, then read the swap: every change of a swap's status
    runs under the lock its execution takes, so an approval and a denial (or a cancel) of the
    same swap run one after the other and the second sees what the first decided."""
    lock_for_change(session, version_id)
    return load_swap(session, swap_id)


def set_status(session: Session, swap: Swap, values: dict[str, object]) -> None:
    """Write the swap's new state, only if it is still what was read (a guard beside the lock)."""
    done = session.execute(
        update(SwapRequestRow)
        .where(SwapRequestRow.id == swap.id, SwapRequestRow.status == swap.status)
        .values(values)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(f"swap {swap.id} changed meanwhile; reload it", details={"field": "status"})


def person(session: Session, person_id: int, field: str) -> Party:
    row = session.get(PersonRow, person_id)
    if row is None:
        raise NotFound(f"{field}: no person {person_id}", details={"field": field})
    return party(row)
