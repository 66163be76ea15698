"""The approval policy: who must approve a change that both sides agreed on."""

from __future__ import annotations

from enum import StrEnum


class Route(StrEnum):
    APPLY = "apply"  # applied at once
    COORDINATOR = "coordinator"  # waits for a coordinator's approval


def route_change(*, auto_approve: bool, frozen: bool) -> Route:
    """A change that breaks no rule (violations are refused before this is asked) is applied
    at once when the program auto-approves and it lies outside the freeze horizon. Warnings
    (limits approached, not broken) do not stop auto-approval: they are shown to everyone."""
    if auto_approve and not frozen:
        return Route.APPLY
    return Route.COORDINATOR
