"""The input and output of the annual rotation planner, and the names of its soft goals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from resched.core.model import (
    Absence,
    AbsenceStatus,
    Block,
    BlockAssignment,
    Person,
    Request,
    Rotation,
)

# Penalty names: the keys of SolveConfig.weights and of Penalty.name.
ROTATION_REQUEST = "rotation_request"
VACATION_REQUEST = "vacation_request"
HEAVY_STREAK = "heavy_streak"
HEAVY_BALANCE = "heavy_balance"
SPLIT_BLOCK = "split_block"

# A denied wish costs more than an uneven year, and a vacation off a leave-eligible rotation
# (which the coordinator must then repair by hand) more than a rotation wish.
DEFAULT_WEIGHTS: Mapping[str, int] = {
    ROTATION_REQUEST: 10,
    VACATION_REQUEST: 20,
    HEAVY_STREAK: 5,
    HEAVY_BALANCE: 3,
    # Half blocks are allowed, not wanted: each split is one more hand-over for the team.
    SPLIT_BLOCK: 1,
}


@dataclass(frozen=True, slots=True)
class PlanProblem:
    """Everything the planner needs for one academic year.

    Only approved absences are hard (the resident must be on a leave-eligible rotation in every
    block an absence touches); ROTATION and VACATION requests are soft. ``heavy_rotations`` are
    the demanding ones whose runs longer than ``max_heavy_run`` blocks are penalised and whose
    counts are balanced within each PGY level; the program names them (none by default).
    ``weights`` are the program's own weights over ``DEFAULT_WEIGHTS``.
    """

    residents: tuple[Person, ...]
    rotations: tuple[Rotation, ...]
    blocks: tuple[Block, ...]
    absences: tuple[Absence, ...] = ()
    requests: tuple[Request, ...] = ()
    locked: tuple[BlockAssignment, ...] = ()
    heavy_rotations: frozenset[str] = frozenset()
    max_heavy_run: int = 2
    weights: Mapping[str, int] = field(default_factory=dict)

    @property
    def halves(self) -> int:
        """Planning units per block: 2 when any rotation may take half a block."""
        return 2 if any(r.allows_half_block for r in self.rotations) else 1

    @property
    def approved_absences(self) -> tuple[Absence, ...]:
        return tuple(a for a in self.absences if a.status is AbsenceStatus.APPROVED)

    def rotation(self, code: str) -> Rotation:
        return next(r for r in self.rotations if r.code == code)

    def resident(self, person_id: int) -> Person:
        return next(p for p in self.residents if p.id == person_id)


@dataclass(frozen=True, slots=True)
class RotationPlan:
    """A resident x block plan. A cell is one ``BlockAssignment`` for the whole block (``half``
    None) or two, one per half, where the rotations differ within the block."""

    assignments: tuple[BlockAssignment, ...]

    def rotation_at(self, person_id: int, block: int, half: int | None = None) -> str | None:
        """The rotation of a resident in a block (or half): a whole-block cell answers for
        either half."""
        for a in self.assignments:
            same_cell = a.person_id == person_id and a.block_number == block
            if same_cell and (a.half is None or half is None or a.half == half):
                return a.rotation_code
        return None

    def for_person(self, person_id: int) -> tuple[BlockAssignment, ...]:
        return tuple(a for a in self.assignments if a.person_id == person_id)
