"""The vocabulary of changes after publishing, shared by the tables, services and pages."""

from __future__ import annotations

from enum import StrEnum


class ChangeKind(StrEnum):
    """Why a change set was applied to a schedule version."""

    EDIT = "edit"  # a coordinator edited cells
    SWAP = "swap"  # a trade, give-away or pickup from the swap board
    LEAVE = "leave"  # the repair accepted with a leave request
    EMERGENCY = "emergency"  # emergency coverage after someone became unavailable
    UNDO = "undo"  # the inverse of an earlier change


class ItemOp(StrEnum):
    ADD = "add"
    REMOVE = "remove"


class OverrideReason(StrEnum):
    """Why a coordinator changed a frozen assignment (the freeze horizon's override)."""

    SICK_CALL = "sick_call"
    DEPLOYMENT = "deployment"
    SAFETY = "safety"
    COVERAGE_GAP = "coverage_gap"
    EMERGENCY_LEAVE = "emergency_leave"
    OTHER = "other"  # needs a note


OVERRIDE_LABELS: dict[OverrideReason, str] = {
    OverrideReason.SICK_CALL: "Sick call",
    OverrideReason.DEPLOYMENT: "Deployment",
    OverrideReason.SAFETY: "Safety",
    OverrideReason.COVERAGE_GAP: "Coverage gap",
    OverrideReason.EMERGENCY_LEAVE: "Emergency leave",
    OverrideReason.OTHER: "Other (with a note)",
}


class SwapKind(StrEnum):
    GIVEAWAY = "giveaway"  # offered to anyone (or to a named colleague), nothing in return
    TRADE = "trade"  # a shift for a named colleague's shift
    PICKUP = "pickup"  # someone takes an open (uncovered) slot


class SwapStatus(StrEnum):
    OPEN = "open"  # on the board (or waiting for the named colleague to accept)
    PENDING = "pending"  # accepted by both sides, waiting for a coordinator
    APPROVED = "approved"  # executed: the schedule changed
    DENIED = "denied"  # a coordinator said no (with a reason)
    CANCELLED = "cancelled"  # withdrawn by the one who offered it, or declined by the colleague
    UNDONE = "undone"  # executed, then reversed within the undo window

    @property
    def finished(self) -> bool:
        return self not in (SwapStatus.OPEN, SwapStatus.PENDING)


class NoticeKind(StrEnum):
    REQUEST_DECIDED = "request_decided"
    SWAP_OFFERED = "swap_offered"
    SHIFT_CHANGED = "shift_changed"
    SCHEDULE_PUBLISHED = "schedule_published"
    APPROVAL_NEEDED = "approval_needed"  # to coordinators: a swap or leave request waits
