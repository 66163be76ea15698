"""The decision variables of the rotation plan, behind names instead of index tuples."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ortools.sat.python import cp_model

from resched.core.model import Person, Rotation
from resched.core.solver.plan.grid import Slot

PersonRef = Person | int
RotationRef = Rotation | str


def _pid(person: PersonRef) -> int:
    return person if isinstance(person, int) else person.id


def _code(rotation: RotationRef) -> str:
    return rotation if isinstance(rotation, str) else rotation.code


class PlanVars:
    """One Boolean per (resident, slot, rotation): true when the resident does that rotation in
    that slot. Every resident-slot pair is on exactly one rotation (added by the builder)."""

    def __init__(
        self,
        model: cp_model.CpModel,
        residents: Sequence[Person],
        slots: Sequence[Slot],
        rotations: Sequence[Rotation],
    ) -> None:
        self.model = model
        self.residents = tuple(residents)
        self.slots = tuple(slots)
        self.rotations = tuple(rotations)
        self._on: dict[tuple[int, int, str], cp_model.IntVar] = {
            (p.id, s.index, r.code): model.new_bool_var(f"on[{p.code},{s.index},{r.code}]")
            for p in residents
            for s in slots
            for r in rotations
        }

    def on(self, person: PersonRef, slot: Slot, rotation: RotationRef) -> cp_model.IntVar:
        """True when ``person`` does ``rotation`` in ``slot``."""
        return self._on[(_pid(person), slot.index, _code(rotation))]

    def cell(self, person: PersonRef, slot: Slot) -> list[cp_model.IntVar]:
        """The choices of one resident in one slot, one per rotation."""
        return [self.on(person, slot, r) for r in self.rotations]

    def any_of(self, person: PersonRef, slot: Slot, codes: Iterable[str]) -> cp_model.LinearExpr:
        """1 when the resident is on one of ``codes`` in ``slot``, else 0."""
        wanted = set(codes)
        return sum_of(self.on(person, slot, r) for r in self.rotations if r.code in wanted)

    def units(self, person: PersonRef, codes: Iterable[str]) -> cp_model.LinearExpr:
        """Slots of the year the resident spends on any of ``codes``."""
        wanted = set(codes)
        return sum_of(
            self.on(person, s, r) for s in self.slots for r in self.rotations if r.code in wanted
        )

    def headcount(
        self, rotation: RotationRef, slot: Slot, people: Iterable[Person]
    ) -> cp_model.LinearExpr:
        """How many of ``people`` are on ``rotation`` in ``slot``."""
        return sum_of(self.on(p, slot, rotation) for p in people)


def sum_of(terms: Iterable[cp_model.LinearExprT]) -> cp_model.LinearExpr:
    """A typed sum: the built-in ``sum`` of CP-SAT variables starts from the int 0, which the
    type checker cannot follow."""
    return cp_model.LinearExpr.sum(list(terms))
