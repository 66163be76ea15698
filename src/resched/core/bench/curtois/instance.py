"""An instance of the Curtois & Qu benchmark as plain values (README of the instances)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DAYS_PER_WEEK = 7
SATURDAY = 5  # day 0 is a Monday
SUNDAY = 6


@dataclass(frozen=True, slots=True)
class ShiftType:
    id: str
    minutes: int
    forbidden_next: frozenset[str]


@dataclass(frozen=True, slots=True)
class Staff:
    id: str
    max_shifts: Mapping[str, int]  # shift id -> most of it in the horizon (0: cannot work it)
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_consecutive_off: int
    max_weekends: int


@dataclass(frozen=True, slots=True)
class Request:
    """A wish to work (on) or not to work (off) ``shift`` on ``day``; ``weight`` if broken."""

    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True, slots=True)
class CoverRow:
    day: int
    shift: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True, slots=True)
class Instance:
    days: int
    shifts: tuple[ShiftType, ...]
    staff: tuple[Staff, ...]
    days_off: Mapping[str, frozenset[int]]
    on_requests: tuple[Request, ...]
    off_requests: tuple[Request, ...]
    cover: tuple[CoverRow, ...]

    def shift(self, shift_id: str) -> ShiftType:
        return next(s for s in self.shifts if s.id == shift_id)

    def weekends(self) -> list[tuple[int, ...]]:
        """The horizon's weekends as their days inside it (the last may be cut short)."""
        found: list[tuple[int, ...]] = []
        for saturday in range(SATURDAY, self.days, DAYS_PER_WEEK):
            found.append(tuple(d for d in (saturday, saturday + 1) if d < self.days))
        return found
