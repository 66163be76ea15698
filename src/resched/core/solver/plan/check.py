"""``check_plan``: every hard rule of the rotation plan, checked on a finished plan.

Deliberately independent of the CP-SAT model (house rule 2): it reads the plan cell by cell and
counts, so a modelling mistake in the solver shows up here instead of in a published plan. It
shares only the definition of slots (grid.py) and of a rotation's PGY groups (``capacity_for``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

from resched.core.model import Person, Rotation
from resched.core.solver.plan.grid import Cells, Slot, expand_cells, plan_slots
from resched.core.solver.plan.problem import PlanProblem, RotationPlan
from resched.core.solver.plan.wording import block_range, who, yearly_range


def _cells(
    problem: PlanProblem, plan: RotationPlan, slots: tuple[Slot, ...]
) -> tuple[Cells, list[str]]:
    cells, problems = expand_cells(plan.assignments, slots)
    residents = {p.id for p in problem.residents}
    codes = {r.code for r in problem.rotations}
    for a in plan.assignments:
        if a.person_id not in residents:
            problems.append(f"person {a.person_id} is not a resident of this plan")
        if a.rotation_code not in codes:
            problems.append(f"block {a.block_number}: unknown rotation {a.rotation_code!r}")
    for person in problem.residents:
        missing = [s.label for s in slots if (person.id, s.index) not in cells]
        if missing:
            problems.append(f"{who(person)} has no rotation in {', '.join(missing)}")
    return cells, problems


def _check_halves(problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...]) -> Iterator[str]:
    """A block split between two rotations needs both to allow half blocks."""
    for person in problem.residents:
        for first, second in pairwise(slots):
            if first.block != second.block:
                continue
            a, b = cells.get((person.id, first.index)), cells.get((person.id, second.index))
            if a and b and a != b:
                for code in (a, b):
                    if not _rotation(problem, code).allows_half_block:
                        block = first.block
                        yield f"{who(person)}: {code} cannot be done for half of block {block}"


def _rotation(problem: PlanProblem, code: str) -> Rotation:
    found = [r for r in problem.rotations if r.code == code]
    return found[0] if found else Rotation(code=code, name=code)


def _check_yearly(problem: PlanProblem, cells: Cells) -> Iterator[str]:
    units = Counter((person_id, code) for (person_id, _), code in cells.items())
    for person in problem.residents:
        for rotation in problem.rotations:
            low, high = yearly_range(rotation, person.pgy or 0, len(problem.blocks))
            done = units[(person.id, rotation.code)]
            if not low * problem.halves <= done <= high * problem.halves:
                yield (
                    f"{who(person)}: {block_range(done, problem.halves)} of {rotation.name} "
                    f"in the year, but PGY-{person.pgy} needs {low}-{high}"
                )


def _in_group(person: Person, low: int, high: int) -> bool:
    return person.pgy is not None and low <= person.pgy <= high


def _check_capacity(problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...]) -> Iterator[str]:
    for rotation in problem.rotations:
        for slot in slots:
            on = [p for p in problem.residents if cells.get((p.id, slot.index)) == rotation.code]
            for cap in rotation.capacities:
                count = sum(_in_group(p, cap.pgy_min, cap.pgy_max) for p in on)
                if not cap.min_count <= count <= cap.max_count:
                    yield (
                        f"{slot.label}: {count} PGY-{cap.pgy_min}..{cap.pgy_max} residents on "
                        f"{rotation.name}, needs {cap.min_count}-{cap.max_count}"
                    )
            for p in on:
                if not any(_in_group(p, c.pgy_min, c.pgy_max) for c in rotation.capacities):
                    yield f"{slot.label}: {rotation.name} takes no PGY-{p.pgy}, but has {who(p)}"


def _check_leave(problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...]) -> Iterator[str]:
    residents = {p.id: p for p in problem.residents}
    for absence in problem.approved_absences:
        person = residents.get(absence.person_id)
        if person is None:
            continue
        for slot in slots:
            code = cells.get((person.id, slot.index))
            away = slot.touches(absence.start, absence.end)
            if code and away and not _rotation(problem, code).leave_eligible:
                yield (
                    f"{who(person)} is on approved leave {absence.start}..{absence.end} "
                    f"in {slot.label}, but on {code}, which is not leave-eligible"
                )


def _forbidden(problem: PlanProblem, a: str, b: str) -> bool:
    return b in _rotation(problem, a).not_adjacent_to or a in _rotation(problem, b).not_adjacent_to


def _check_sequences(problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...]) -> Iterator[str]:
    for person in problem.residents:
        for first, second in pairwise(slots):
            a, b = cells.get((person.id, first.index)), cells.get((person.id, second.index))
            if not a or not b or (first.block == second.block and a == b):
                continue  # the same rotation across the halves of one block is one stint
            if _forbidden(problem, a, b):
                yield f"{who(person)}: {a} in {first.label} directly followed by {b}"


def _check_prerequisites(
    problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...]
) -> Iterator[str]:
    """Walks each resident's year in order, counting slots done per rotation: a rotation whose
    prerequisite has fewer than a block's worth (``halves`` slots) behind it is reported once,
    at its first such slot."""
    for person in problem.residents:
        done: Counter[str] = Counter()
        reported: set[tuple[str, str]] = set()
        for slot in slots:
            code = cells.get((person.id, slot.index))
            if code is None:
                continue
            for before in _rotation(problem, code).prerequisites:
                if (
                    before != code
                    and done[before] < problem.halves
                    and (code, before) not in reported
                ):
                    reported.add((code, before))
                    yield (
                        f"{who(person)}: {code} in {slot.label} without a block of {before} "
                        "before it"
                    )
            done[code] += 1


def _check_locks(problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...]) -> Iterator[str]:
    for lock in problem.locked:
        for slot in slots:
            if slot.block == lock.block_number and lock.half in (None, slot.half):
                found = cells.get((lock.person_id, slot.index))
                if found != lock.rotation_code:
                    yield (
                        f"person {lock.person_id}: {slot.label} is locked to "
                        f"{lock.rotation_code}, but the plan has {found}"
                    )


def check_plan(problem: PlanProblem, plan: RotationPlan) -> list[str]:
    """Every broken hard rule of ``plan``, one message each; empty when the plan is valid."""
    slots = plan_slots(problem.blocks, problem.halves)
    cells, problems = _cells(problem, plan, slots)
    problems += _check_halves(problem, cells, slots)
    problems += _check_yearly(problem, cells)
    problems += _check_capacity(problem, cells, slots)
    problems += _check_leave(problem, cells, slots)
    problems += _check_sequences(problem, cells, slots)
    problems += _check_prerequisites(problem, cells, slots)
    problems += _check_locks(problem, cells, slots)
    return problems
