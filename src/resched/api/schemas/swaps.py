"""The swap board: offers, their decisions, and swaps as the board shows them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StringConstraints

from resched.api.schemas.common import Code, Day, Id, Input, Note, Output
from resched.core.changes.kinds import OverrideReason, SwapKind, SwapStatus
from resched.core.coverage_gaps import CoverageGap
from resched.services.changes.model import Override
from resched.services.swaps.model import Party, Swap
from resched.services.swaps.offers import Offer

Reason = Annotated[str, StringConstraints(strict=True, max_length=2000)]


class SwapIn(Input):
    """Offer ``person_id``'s ``shift`` on ``day``: a give-away to anyone (no ``to_person_id``)
    or to a named colleague, or a trade for the colleague's ``want_shift`` on ``want_day``."""

    person_id: Id
    day: Day
    shift: Code
    kind: SwapKind = SwapKind.GIVEAWAY
    to_person_id: Id | None = None
    want_day: Day | None = None
    want_shift: Code | None = None
    note: Note = ""

    def to_offer(self) -> Offer:
        return Offer(
            person_id=self.person_id,
            day=self.day,
            shift=self.shift,
            kind=self.kind,
            to_person_id=self.to_person_id,
            want_day=self.want_day,
            want_shift=self.want_shift,
            note=self.note,
        )


class AcceptIn(Input):
    person_id: Id | None = Field(
        None, description="who takes it (coordinators only; others take it themselves)"
    )


class DeclineIn(Input):
    note: Note = ""


class ApproveIn(Input):
    override: OverrideReason | None = Field(
        None, description="needed when the swap touches days inside the freeze horizon"
    )
    override_note: Note = ""
    note: Note = ""

    def to_override(self) -> Override | None:
        return Override(self.override, self.override_note) if self.override else None


class DenyIn(Input):
    reason: Reason


class PartyOut(Output):
    id: int
    code: str
    name: str

    @classmethod
    def of(cls, party: Party) -> PartyOut:
        return cls(id=party.id, code=party.code, name=party.name)


class SwapOut(Output):
    id: int
    version_id: int
    kind: SwapKind
    status: SwapStatus
    giver: PartyOut | None  # None: a pickup of an open slot
    taker: PartyOut | None
    day: dt.date
    shift: str
    want_day: dt.date | None
    want_shift: str | None
    note: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    change_id: int | None

    @classmethod
    def of(cls, swap: Swap) -> SwapOut:
        return cls(
            id=swap.id,
            version_id=swap.version_id,
            kind=swap.kind,
            status=swap.status,
            giver=PartyOut.of(swap.giver) if swap.giver else None,
            taker=PartyOut.of(swap.taker) if swap.taker else None,
            day=swap.day,
            shift=swap.shift,
            want_day=swap.want_day,
            want_shift=swap.want_shift,
            note=swap.note,
            created_at=swap.created_at,
            decided_at=swap.decided_at,
            decision_note=swap.decision_note,
            change_id=swap.change_id,
        )


class PickupIn(Input):
    """Volunteer for an open ``shift`` slot on ``day``."""

    day: Day
    shift: Code
    person_id: Id | None = Field(None, description="who picks it up (coordinators only)")


class SlotOut(Output):
    day: dt.date
    shift: str
    requirement: str
    have: int
    need: int

    @classmethod
    def of(cls, gap: CoverageGap) -> SlotOut:
        return cls(
            day=gap.day,
            shift=gap.shift_code,
            requirement=gap.requirement,
            have=gap.have,
            need=gap.need,
        )
