"""Core objects as JSON, for the audit trail and JSON columns."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import Any


def snapshot(value: Any) -> Any:
    """A JSON-ready copy of a core object (dataclasses, enums, dates, sets, mappings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: snapshot(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | dt.time):  # dt.datetime is a dt.date
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): snapshot(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted(snapshot(v) for v in value)
    if isinstance(value, list | tuple):
        return [snapshot(v) for v in value]
    return value
