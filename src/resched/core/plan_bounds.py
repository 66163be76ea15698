"""Counting bounds of a rotation plan: cheap necessary conditions checked before any solving.

Each check compares a number of places with a number of residents who need them. Passing every
check does not prove a plan exists (sequencing rules and the interplay of ranges are left to the
solver), but a failed check proves none does, and its message says which numbers disagree.

Capacities are grouped by their PGY range (e.g. PGY-1 and PGY-2..3); every resident must fall in
exactly one group, since overlapping groups cannot be checked by counting alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from resched.core.model import (
    Absence,
    AbsenceStatus,
    Block,
    Capacity,
    Person,
    Role,
    Rotation,
)

PgyRange = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Group:
    pgy: PgyRange
    members: tuple[Person, ...]

    @property
    def label(self) -> str:
        return _label(self.pgy)


def _label(pgy: PgyRange) -> str:
    low, high = pgy
    return f"PGY-{low}" if low == high else f"PGY-{low}..{high}"


def _capacity(rotation: Rotation, pgy: PgyRange) -> tuple[int, int]:
    found: Capacity | None = next(
        (c for c in rotation.capacities if (c.pgy_min, c.pgy_max) == pgy), None
    )
    return (found.min_count, found.max_count) if found else (0, 0)


def _yearly(rotation: Rotation, pgy: int, blocks: int) -> tuple[int, int]:
    # No requirement means the rotation is allowed but not required: anything from 0 to the year.
    for requirement in rotation.requirements:
        if requirement.pgy == pgy:
            return requirement.min_blocks, requirement.max_blocks
    return 0, blocks


def _groups(
    residents: Sequence[Person], rotations: Sequence[Rotation]
) -> tuple[list[_Group], list[str]]:
    ranges = sorted({(c.pgy_min, c.pgy_max) for r in rotations for c in r.capacities})
    problems: list[str] = []
    for index, (low, high) in enumerate(ranges[1:], start=1):
        if low <= ranges[index - 1][1]:
            previous = _label(ranges[index - 1])
            problems.append(f"capacity groups {previous} and {_label((low, high))} overlap")
    groups = [
        _Group(pgy, tuple(p for p in residents if p.pgy is not None and pgy[0] <= p.pgy <= pgy[1]))
        for pgy in ranges
    ]
    for person in residents:
        if person.pgy is None:
            problems.append(f"resident {person.code} has no PGY level")
        elif not any(low <= person.pgy <= high for low, high in ranges):
            problems.append(f"resident {person.code} (PGY-{person.pgy}) has no rotation capacity")
    return groups, problems


def _check_block_places(group: _Group, rotations: Sequence[Rotation]) -> list[str]:
    low = sum(_capacity(r, group.pgy)[0] for r in rotations)
    high = sum(_capacity(r, group.pgy)[1] for r in rotations)
    n = len(group.members)
    if low <= n <= high:
        return []
    return [
        f"{group.label}: {n} residents to place every block, but the rotations take "
        f"{low}-{high} per block"
    ]


def _rotation_window(
    rotation: Rotation, group: _Group, blocks: int
) -> tuple[tuple[int, int], tuple[int, int]]:
    """(blocks the group's residents need in a year, places the rotation offers in a year)."""
    need_low = sum(_yearly(rotation, p.pgy or 0, blocks)[0] for p in group.members)
    need_high = sum(_yearly(rotation, p.pgy or 0, blocks)[1] for p in group.members)
    cap_low, cap_high = _capacity(rotation, group.pgy)
    return (need_low, need_high), (cap_low * blocks, cap_high * blocks)


def _check_yearly_places(group: _Group, rotations: Sequence[Rotation], blocks: int) -> list[str]:
    problems: list[str] = []
    total_low = total_high = 0
    for rotation in rotations:
        (need_low, need_high), (offer_low, offer_high) = _rotation_window(rotation, group, blocks)
        low, high = max(need_low, offer_low), min(need_high, offer_high)
        if low > high:
            problems.append(
                f"{rotation.name}, {group.label}: {len(group.members)} residents need "
                f"{need_low}-{need_high} blocks a year, but {blocks} blocks offer "
                f"{offer_low}-{offer_high} places"
            )
        total_low, total_high = total_low + low, total_high + high
    wanted = blocks * len(group.members)
    if not problems and not total_low <= wanted <= total_high:
        problems.append(
            f"{group.label}: the rotations can fill {total_low}-{total_high} resident-blocks a "
            f"year, but {len(group.members)} residents x {blocks} blocks = {wanted}"
        )
    return problems


def _check_resident_ranges(
    residents: Sequence[Person], rotations: Sequence[Rotation], blocks: int
) -> list[str]:
    problems: list[str] = []
    for pgy in sorted({p.pgy for p in residents if p.pgy is not None}):
        low = sum(_yearly(r, pgy, blocks)[0] for r in rotations)
        high = sum(_yearly(r, pgy, blocks)[1] for r in rotations)
        if not low <= blocks <= high:
            problems.append(
                f"PGY-{pgy}: yearly requirements add up to {low}-{high} blocks, "
                f"but the year has {blocks}"
            )
    return problems


def _leave_slots(group: _Group, rotations: Sequence[Rotation]) -> int:
    """Residents of the group that can be on leave-eligible rotations in one block."""
    eligible = sum(_capacity(r, group.pgy)[1] for r in rotations if r.leave_eligible)
    bound = sum(_capacity(r, group.pgy)[0] for r in rotations if not r.leave_eligible)
    return max(0, min(eligible, len(group.members) - bound))


def _leave_blocks(pgy: int, rotations: Sequence[Rotation], blocks: int) -> int:
    """Blocks a resident of ``pgy`` can spend on leave-eligible rotations in a year."""
    eligible = sum(_yearly(r, pgy, blocks)[1] for r in rotations if r.leave_eligible)
    bound = sum(_yearly(r, pgy, blocks)[0] for r in rotations if not r.leave_eligible)
    return max(0, min(eligible, blocks - bound))


def _touched_blocks(absence: Absence, blocks: Sequence[Block]) -> set[int]:
    return {b.number for b in blocks if absence.start <= b.end and b.start <= absence.end}


def _check_absences(
    group: _Group,
    rotations: Sequence[Rotation],
    blocks: Sequence[Block],
    absences: Sequence[Absence],
) -> list[str]:
    """An approved absence needs its resident on a leave-eligible rotation in every block it
    touches; count those residents per block and per resident against what the table allows."""
    members = {p.id: p for p in group.members}
    absent: dict[int, set[int]] = {}  # block number -> person ids
    touched: dict[int, set[int]] = {}  # person id -> block numbers
    for absence in absences:
        if absence.status is AbsenceStatus.APPROVED and absence.person_id in members:
            for number in _touched_blocks(absence, blocks):
                absent.setdefault(number, set()).add(absence.person_id)
                touched.setdefault(absence.person_id, set()).add(number)
    problems: list[str] = []
    slots = _leave_slots(group, rotations)
    for number, people in sorted(absent.items()):
        if len(people) > slots:
            problems.append(
                f"block {number}: {len(people)} {group.label} residents are away, but only "
                f"{slots} can be on leave-eligible rotations"
            )
    for person_id, numbers in sorted(touched.items()):
        person = members[person_id]
        allowed = _leave_blocks(person.pgy or 0, rotations, len(blocks))
        if len(numbers) > allowed:
            problems.append(
                f"resident {person.code}: absences touch {len(numbers)} blocks, but a "
                f"PGY-{person.pgy} resident has at most {allowed} leave-eligible blocks"
            )
    return problems


def check_plan_bounds(
    *,
    people: Sequence[Person],
    rotations: Sequence[Rotation],
    blocks: Sequence[Block],
    absences: Sequence[Absence] = (),
) -> list[str]:
    """Problems that make every rotation plan impossible, as messages; empty when none is found.

    Checks that per-block capacities can place every active resident every block, that each
    rotation's yearly places meet its residents' yearly ranges, that each PGY level's ranges admit
    exactly the number of blocks, and that approved absences fit on leave-eligible rotations.
    """
    residents = [p for p in people if p.role is Role.RESIDENT and p.active]
    groups, problems = _groups(residents, rotations)
    for group in groups:
        problems += _check_block_places(group, rotations)
        problems += _check_yearly_places(group, rotations, len(blocks))
        problems += _check_absences(group, rotations, blocks, absences)
    problems += _check_resident_ranges(residents, rotations, len(blocks))
    return problems
