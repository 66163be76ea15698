"""Edit forms that someone else saved meanwhile (resched.services.versions).

Every edit form carries the ``row_version`` it was drawn at. A save refused as stale re-shows
the form with what the user typed, the message, and the item as it is now; the hidden version
becomes the current one, so saving again deliberately replaces it. A post without the field
(a tab opened before versions existed) is saved as before, last writer wins.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from resched.services.versions import StaleEdit

FIELD = "row_version"
MAX_DIGITS = 9


def pop_version(form: MutableMapping[str, Any]) -> int | None:
    """The version a posted form was drawn at (removed from ``form``); None when absent or
    not a number (then the save is not compared)."""
    value = form.pop(FIELD, "")
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isdigit() and len(text) <= MAX_DIGITS else None


def stale_context(exc: StaleEdit, current: Mapping[str, Any]) -> dict[str, Any]:
    """The template context of a refused save: the notice with the current values (the
    form's own field names, labelled readably, empty ones left out)."""
    shown = [
        (name.replace("_", " ").capitalize(), _text(value))
        for name, value in current.items()
        if name != FIELD and _text(value)
    ]
    return {"stale": {"message": exc.message, "current": shown}, FIELD: exc.current_version}


def _text(value: Any) -> str:
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value).strip()
