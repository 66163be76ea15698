"""What a repair proposal for a leave request carries through its generation job."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LeaveBasis:
    """A repair proposal for a leave request: the absence is treated as approved for this solve
    only, and the published version and revision it was asked against tell a proposal that
    went stale (the schedule changed meanwhile) from one that still applies."""

    absence_id: int
    version_id: int
    revision: int

    def json(self) -> dict[str, int]:
        return {
            "absence_id": self.absence_id,
            "version_id": self.version_id,
            "revision": self.revision,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> LeaveBasis | None:
        if data is None:
            return None
        return cls(int(data["absence_id"]), int(data["version_id"]), int(data["revision"]))
