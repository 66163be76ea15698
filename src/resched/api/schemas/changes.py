"""Changes to a stored schedule in place: the request (slots to remove and add), the preview of
what it would break, the change set as stored, and an undo."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, StrictInt, StringConstraints

from resched.api.schemas.common import Code, Day, Flag, Input, Instant, Note, Output
from resched.core.changes.kinds import ChangeKind, ItemOp, OverrideReason
from resched.core.rules import Finding, Severity
from resched.services.changes.apply import MAX_REASON
from resched.services.changes.check import MAX_ITEMS
from resched.services.changes.model import (
    AppliedChange,
    ChangePreview,
    ChangeRequest,
    Override,
    Slot,
)

Reason = Annotated[str, StringConstraints(strict=True, max_length=MAX_REASON)]


class SlotIn(Input):
    """One assignment: a person's code, the day the shift starts, a shift type's code."""

    person: Code
    day: Day
    shift: Code

    def to_core(self) -> Slot:
        return Slot(self.person, self.day, self.shift)


Slots = Annotated[list[SlotIn], Field(max_length=MAX_ITEMS)]


class ChangeIn(Input):
    """Take ``remove`` out of the schedule and put ``add`` in, all or nothing."""

    remove: Slots = Field(default_factory=list)
    add: Slots = Field(default_factory=list)

    def to_core(self) -> ChangeRequest:
        return ChangeRequest(
            remove=tuple(s.to_core() for s in self.remove),
            add=tuple(s.to_core() for s in self.add),
        )


class OverrideIn(Input):
    """Why a frozen assignment (inside the freeze horizon, or in the past) changes; ``other``
    needs a note."""

    reason: OverrideReason
    note: Note = ""

    def to_core(self) -> Override:
        return Override(self.reason, self.note)


class ApplyIn(ChangeIn):
    """``expected_revision``: the revision the preview answered (409 if the schedule changed
    since). ``allow_violations`` with a ``reason`` saves a change that breaks a rule."""

    expected_revision: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
    reason: Reason = ""
    override: OverrideIn | None = None
    allow_violations: Flag = False


class UndoIn(Input):
    override: OverrideIn | None = None


class FindingOut(Output):
    rule: str
    severity: Severity
    message: str
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, finding: Finding) -> FindingOut:
        return cls(
            rule=finding.rule,
            severity=finding.severity,
            message=finding.message,
            start=finding.start,
            end=finding.end,
        )


def _findings(found: tuple[Finding, ...]) -> list[FindingOut]:
    return [FindingOut.of(f) for f in found]


class PreviewOut(Output):
    """What the change would do: ``created`` findings (a violation there refuses the change),
    ``cleared`` ones, the ``frozen`` days needing an override, and the ``revision`` to send
    back as ``expected_revision``."""

    version_id: int
    revision: int
    published: bool
    created: list[FindingOut]
    cleared: list[FindingOut]
    frozen: list[dt.date]
    violations: int

    @classmethod
    def of(cls, preview: ChangePreview) -> PreviewOut:
        return cls(
            version_id=preview.version_id,
            revision=preview.revision,
            published=preview.published,
            created=_findings(preview.created),
            cleared=_findings(preview.cleared),
            frozen=list(preview.frozen),
            violations=len(preview.new_violations),
        )


class ItemOut(Output):
    op: ItemOp
    person: str
    day: dt.date
    shift: str


class ChangeOut(Output):
    id: int
    version_id: int
    revision: int
    kind: ChangeKind
    summary: str
    reason: str
    override: OverrideReason | None
    created_at: Instant
    created_by: str | None
    items: list[ItemOut]
    undoes_id: int | None
    undone_by_id: int | None
    warnings: list[FindingOut]  # what the change created short of a violation (when applied)

    @classmethod
    def of(cls, change: AppliedChange) -> ChangeOut:
        return cls(
            id=change.id,
            version_id=change.version_id,
            revision=change.revision,
            kind=change.kind,
            summary=change.summary,
            reason=change.reason,
            override=change.override,
            created_at=change.created_at,
            created_by=change.created_by,
            items=[
                ItemOut(op=i.op, person=i.slot.person, day=i.slot.day, shift=i.slot.shift)
                for i in change.items
            ],
            undoes_id=change.undoes_id,
            undone_by_id=change.undone_by_id,
            warnings=_findings(change.warnings),
        )
