"""The codes a write can refer to: shift types and rotations are referred to by code (weekly
patterns, supervisors, coverage eligibility), in JSON no foreign key guards.

``KnownCodes.load`` reads every stored code once (two small queries: a catalogue holds tens of
entries); ``adding`` counts the codes of a batch being stored in the same transaction, so the
demo loader can add a whole catalogue at once through the same checks as one API call.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from resched.db.repositories import RotationRepository, ShiftTypeRepository


@dataclass(frozen=True, slots=True)
class KnownCodes:
    shift_ids: Mapping[str, int]
    rotation_ids: Mapping[str, int]
    shifts_added: frozenset[str] = frozenset()
    rotations_added: frozenset[str] = frozenset()

    @classmethod
    def load(cls, session: Session) -> KnownCodes:
        return cls(
            shift_ids=ShiftTypeRepository(session).ids_by_code(),
            rotation_ids=RotationRepository(session).ids_by_code(),
        )

    def adding(self, *, shifts: Iterable[str] = (), rotations: Iterable[str] = ()) -> KnownCodes:
        return dataclasses.replace(
            self,
            shifts_added=self.shifts_added | set(shifts),
            rotations_added=self.rotations_added | set(rotations),
        )

    @property
    def shift_codes(self) -> frozenset[str]:
        return frozenset(self.shift_ids) | self.shifts_added

    @property
    def rotation_codes(self) -> frozenset[str]:
        return frozenset(self.rotation_ids) | self.rotations_added
