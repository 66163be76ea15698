"""What the undo of every kind shares: find everything that blocks it first, then refuse
with the whole list (409), or write. Never half an undo."""

from __future__ import annotations

from typing import Any

from resched.core.errors import Conflict


def check_unchanged(
    blockers: list[str], entity: str, item: dict[str, Any], current: Any | None
) -> None:
    """``item`` is a record apply wrote (``after``: its state then); ``current`` its state
    now (None once deleted). A record changed or deleted since would be lost by the undo."""
    name = f"{entity} {_name(item['after'])}"
    if current is None:
        blockers.append(f"{name} was deleted after the import")
    elif current != item["after"]:
        blockers.append(f"{name} was changed after the import")


def _name(after: dict[str, Any]) -> str:
    return str(after.get("code") or after.get("id"))


def refuse_if_blocked(blockers: list[str]) -> None:
    if blockers:
        shown = "; ".join(blockers[:5]) + (
            f"; and {len(blockers) - 5} more" if len(blockers) > 5 else ""
        )
        raise Conflict(f"the import cannot be undone: {shown}", details={"blocked_by": blockers})
