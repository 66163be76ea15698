"""The shapes of a change to a stored schedule, as the services, API and pages pass them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from resched.core.changes.kinds import ChangeKind, ItemOp, OverrideReason
from resched.core.rules import Finding, Severity


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """One assignment named as people name it: a person's code, a day, a shift type's code."""

    person: str
    day: dt.date
    shift: str

    def words(self) -> str:
        return f"{self.person} {self.shift} on {self.day.isoformat()}"


@dataclass(frozen=True, slots=True)
class ChangeRequest:
    """Take ``remove`` out of the schedule and put ``add`` in, all or nothing."""

    remove: tuple[Slot, ...] = ()
    add: tuple[Slot, ...] = ()

    @property
    def days(self) -> list[dt.date]:
        return sorted({s.day for s in (*self.remove, *self.add)})

    def inverse(self) -> ChangeRequest:
        return ChangeRequest(remove=self.add, add=self.remove)


@dataclass(frozen=True, slots=True)
class Override:
    """A coordinator's reason for changing frozen assignments."""

    reason: OverrideReason
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChangePreview:
    """What a change would do, without doing it: the findings it creates and clears, the
    frozen days it touches, and the revision it was checked against (pass it back as
    ``expected_revision`` so that a change made meanwhile is caught)."""

    version_id: int
    revision: int
    published: bool
    created: tuple[Finding, ...]
    cleared: tuple[Finding, ...]
    frozen: tuple[dt.date, ...]

    @property
    def new_violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.created if f.severity is Severity.VIOLATION)

    @property
    def new_warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.created if f.severity is not Severity.VIOLATION)


@dataclass(frozen=True, slots=True)
class ChangeItem:
    op: ItemOp
    slot: Slot


@dataclass(frozen=True, slots=True)
class AppliedChange:
    """One change set as stored: the revision it produced and its items."""

    id: int
    version_id: int
    revision: int
    kind: ChangeKind
    summary: str
    reason: str
    override: OverrideReason | None
    created_at: dt.datetime
    created_by: str | None
    items: tuple[ChangeItem, ...]
    undoes_id: int | None = None
    undone_by_id: int | None = None
    warnings: tuple[Finding, ...] = ()

    @property
    def request(self) -> ChangeRequest:
        return ChangeRequest(
            remove=tuple(i.slot for i in self.items if i.op is ItemOp.REMOVE),
            add=tuple(i.slot for i in self.items if i.op is ItemOp.ADD),
        )
