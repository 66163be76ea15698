"""What a draft changes against another version (by default its year's published one): per
person and date the shifts added, removed or changed, and per person and block the rotations.

``diff_shifts`` and ``diff_blocks`` are pure; ``diff_versions`` reads both versions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from resched.core.errors import NotFound
from resched.core.model import Assignment, BlockAssignment
from resched.db.repositories import PeopleRepository
from resched.db.repositories.generation import block_assignments
from resched.db.repositories.schedule import (
    ScheduleVersion,
    ScheduleVersionRepository,
    ShiftAssignmentRepository,
)
from resched.services.common import SessionFactory, read
from resched.services.schedules import ENTITY

_ALL_DAYS = (dt.date.min, dt.date.max)


class ChangeKind(StrEnum):
    ADDED = "added"  # nothing before, something now
    REMOVED = "removed"  # something before, nothing now
    CHANGED = "changed"  # something else now


@dataclass(frozen=True, slots=True)
class ShiftChange:
    person_id: int
    date: dt.date
    before: tuple[str, ...]  # shift codes in the other version, sorted
    after: tuple[str, ...]  # shift codes in the draft, sorted

    @property
    def kind(self) -> ChangeKind:
        return _kind(self.before, self.after)


@dataclass(frozen=True, slots=True)
class BlockChange:
    person_id: int
    block: int
    before: tuple[str, ...]  # rotation codes, "CODE" or "CODE (half N)", sorted
    after: tuple[str, ...]

    @property
    def kind(self) -> ChangeKind:
        return _kind(self.before, self.after)


@dataclass(frozen=True, slots=True)
class VersionDiff:
    """``against`` None: there was nothing to compare with (nothing published yet), so every
    assignment of the draft counts as added. ``names`` maps person id -> display name."""

    version: ScheduleVersion
    against: ScheduleVersion | None
    shifts: tuple[ShiftChange, ...]
    blocks: tuple[BlockChange, ...]
    names: Mapping[int, str]

    def count(self, kind: ChangeKind) -> int:
        changes: list[ShiftChange | BlockChange] = [*self.shifts, *self.blocks]
        return sum(1 for c in changes if c.kind == kind)


def _kind(before: tuple[str, ...], after: tuple[str, ...]) -> ChangeKind:
    if not before:
        return ChangeKind.ADDED
    return ChangeKind.REMOVED if not after else ChangeKind.CHANGED


def _grouped[K: Hashable](pairs: Iterable[tuple[K, str]]) -> dict[K, tuple[str, ...]]:
    found: dict[K, list[str]] = defaultdict(list)
    for key, value in pairs:
        found[key].append(value)
    return {key: tuple(sorted(values)) for key, values in found.items()}


def diff_shifts(draft: Iterable[Assignment], other: Iterable[Assignment]) -> list[ShiftChange]:
    """Per (person, date) whose shifts differ, ordered by date then person."""
    new = _grouped(((a.person_id, a.date), a.shift_code) for a in draft)
    old = _grouped(((a.person_id, a.date), a.shift_code) for a in other)
    keys = sorted(set(new) | set(old), key=lambda k: (k[1], k[0]))
    return [
        ShiftChange(pid, day, old.get((pid, day), ()), new.get((pid, day), ()))
        for pid, day in keys
        if old.get((pid, day), ()) != new.get((pid, day), ())
    ]


def _cell(a: BlockAssignment) -> str:
    return a.rotation_code if a.half is None else f"{a.rotation_code} (half {a.half})"


def diff_blocks(
    draft: Iterable[BlockAssignment], other: Iterable[BlockAssignment]
) -> list[BlockChange]:
    """Per (person, block) whose rotations differ, ordered by block then person."""
    new = _grouped(((a.person_id, a.block_number), _cell(a)) for a in draft)
    old = _grouped(((a.person_id, a.block_number), _cell(a)) for a in other)
    keys = sorted(set(new) | set(old), key=lambda k: (k[1], k[0]))
    return [
        BlockChange(pid, block, old.get((pid, block), ()), new.get((pid, block), ()))
        for pid, block in keys
        if old.get((pid, block), ()) != new.get((pid, block), ())
    ]


def diff_versions(
    *, factory: SessionFactory, version_id: int, against_id: int | None = None
) -> VersionDiff:
    """``version_id`` against ``against_id``, by default against the published version of the
    same academic year (none published: against nothing). NotFound for an unknown version."""
    with read(factory) as session:
        repo = ScheduleVersionRepository(session)
        version = repo.get(version_id)
        if version is None:
            raise NotFound(f"{ENTITY} {version_id} not found", details={"entity": ENTITY})
        if against_id is None:
            against_id = repo.published_by_year().get(version.academic_year_id)
        against = None if against_id is None else repo.get(against_id)
        if against_id is not None and against is None:
            raise NotFound(f"{ENTITY} {against_id} not found", details={"field": "against"})
        shifts = ShiftAssignmentRepository(session).between(
            [version_id] + ([against_id] if against_id is not None else []), *_ALL_DAYS
        )
        mine = [a for vid, a in shifts if vid == version_id]
        theirs = [a for vid, a in shifts if vid == against_id and vid != version_id]
        plan = block_assignments(session, version_id)
        old_plan = block_assignments(session, against_id) if against_id is not None else []
        if against_id == version_id:
            theirs, old_plan = mine, plan
        names = {p.id: p.name for p in PeopleRepository(session).in_year(version.academic_year_id)}
    return VersionDiff(
        version,
        against,
        tuple(diff_shifts(mine, theirs)),
        tuple(diff_blocks(plan, old_plan)),
        names,
    )
