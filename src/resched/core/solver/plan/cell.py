"""One cell of a rotation plan changed by hand: the new plan, and what the change breaks,
mends or leaves broken, in a coordinator's words.

The same hard rules as ``check_plan`` (capacities per block, yearly requirements, half blocks,
approved leave on leave-eligible rotations, rotations that must not follow each other,
prerequisites, a rotation in every block), each measured before and after the change over what
the change can touch: the edited resident's year and the block's capacity of every rotation the
cell held or holds. A rule broken only after is a break, one broken only before is mended, one
broken both times is still broken (shown when the change touches it, so the coordinator sees
that the edit did not fix it). Locks are not rules here: they bind the generator, not the
coordinator, who may change a locked cell.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise

from resched.core.errors import Invalid
from resched.core.model import BlockAssignment, Person, Rotation
from resched.core.solver.plan.grid import Cells, Slot, expand_cells, plan_slots, slots_of
from resched.core.solver.plan.problem import PlanProblem
from resched.core.solver.plan.wording import block_range, pgy_label, who, yearly_range


@dataclass(frozen=True, slots=True)
class CellChange:
    """Set one resident's block (``half`` None) or half of it to ``rotation_code`` (None:
    empty it), locked or not."""

    person_id: int
    block_number: int
    rotation_code: str | None
    half: int | None = None
    locked: bool = False


class Effect(StrEnum):
    BREAKS = "breaks"  # fine before, broken after
    MENDS = "mends"  # broken before, fine after
    STILL = "still"  # broken before and after


class Kind(StrEnum):
    CAPACITY = "capacity"
    YEARLY = "yearly_requirement"
    PREREQUISITE = "prerequisite"
    NOT_ADJACENT = "not_adjacent"
    LEAVE = "leave"
    HALF_BLOCK = "half_block"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class CellFinding:
    kind: Kind
    effect: Effect
    message: str


@dataclass(frozen=True, slots=True)
class CellCheck:
    """The cell's assignments before and after, the whole plan after, and the findings
    (breaks first)."""

    before: tuple[BlockAssignment, ...]
    after: tuple[BlockAssignment, ...]
    plan: tuple[BlockAssignment, ...]
    findings: tuple[CellFinding, ...]

    @property
    def breaks(self) -> tuple[CellFinding, ...]:
        return tuple(f for f in self.findings if f.effect is Effect.BREAKS)

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True, slots=True)
class _State:
    """One rule's state for one subject: broken or not, the words for each effect, and
    whether it concerns the edited cell (only those are reported as still broken)."""

    broken: bool
    words: str
    near: bool = True


type _Key = tuple[object, ...]


def check_cell_change(
    problem: PlanProblem, plan: Sequence[BlockAssignment], change: CellChange
) -> CellCheck:
    """The plan with ``change`` applied and what it breaks or mends. ``Invalid`` (details:
    ``errors`` with the field paths ``person_id``, ``block``, ``half``, ``rotation_code``,
    ``locked``) for a change this plan cannot take."""
    _validate(problem, change)
    before = tuple(_cell(plan, change.person_id, change.block_number))
    after = _new_cell(before, change)
    rest = [a for a in plan if a not in before]
    new_plan = tuple(sorted((*rest, *after), key=_order))
    person = problem.resident(change.person_id)
    slots = plan_slots(problem.blocks, problem.halves)
    touched = slots_of(slots, change.block_number)
    codes = {a.rotation_code for a in (*before, *after)}
    old = _states(problem, expand_cells(plan, slots)[0], person, slots, touched, codes)
    new = _states(problem, expand_cells(new_plan, slots)[0], person, slots, touched, codes)
    return CellCheck(before, after, new_plan, tuple(_compare(old, new)))


def _order(a: BlockAssignment) -> tuple[int, int, int]:
    return (a.block_number, a.half or 0, a.person_id)


def _cell(plan: Iterable[BlockAssignment], person_id: int, block: int) -> list[BlockAssignment]:
    return sorted(
        (a for a in plan if a.person_id == person_id and a.block_number == block), key=_order
    )


def _new_cell(before: Sequence[BlockAssignment], change: CellChange) -> tuple[BlockAssignment, ...]:
    """Each half as (rotation, lock) after the change; equal halves become one whole block."""
    halves: dict[int, tuple[str, bool] | None] = {1: None, 2: None}
    for a in before:
        for half in (1, 2) if a.half is None else (a.half,):
            halves[half] = (a.rotation_code, a.locked)
    wanted = None if change.rotation_code is None else (change.rotation_code, change.locked)
    for half in (1, 2) if change.half is None else (change.half,):
        halves[half] = wanted
    p, b = change.person_id, change.block_number
    if halves[1] == halves[2]:
        whole = halves[1]
        return () if whole is None else (BlockAssignment(p, b, whole[0], None, whole[1]),)
    return tuple(
        BlockAssignment(p, b, value[0], half, value[1])
        for half, value in halves.items()
        if value is not None
    )


def _validate(problem: PlanProblem, change: CellChange) -> None:
    errors: list[tuple[str, str]] = []
    if all(p.id != change.person_id for p in problem.residents):
        errors.append(("person_id", "not a resident with a PGY level in this academic year"))
    if all(b.number != change.block_number for b in problem.blocks):
        errors.append(("block", f"the year has no block {change.block_number}"))
    if change.half is not None and change.half not in (1, 2):
        errors.append(("half", "a half is 1 or 2, or none for the whole block"))
    elif change.half is not None and problem.halves == 1:
        errors.append(("half", "no rotation allows half blocks"))
    codes = {r.code for r in problem.rotations}
    if change.rotation_code is not None and change.rotation_code not in codes:
        errors.append(("rotation_code", f"no rotation has the code {change.rotation_code!r}"))
    if change.rotation_code is None and change.locked:
        errors.append(("locked", "an empty cell cannot be locked"))
    if errors:
        raise Invalid(
            "; ".join(f"{path}: {message}" for path, message in errors),
            details={
                "field": errors[0][0],
                "errors": [{"path": path, "message": message} for path, message in errors],
            },
        )


def _compare(old: dict[_Key, _State], new: dict[_Key, _State]) -> Iterable[CellFinding]:
    found: list[CellFinding] = []
    for key in sorted(old.keys() | new.keys(), key=repr):
        kind = key[0]
        assert isinstance(kind, Kind)
        was, now = old.get(key), new.get(key)
        broke_before = was is not None and was.broken
        broke_after = now is not None and now.broken
        if broke_after and not broke_before:
            assert now is not None
            found.append(CellFinding(kind, Effect.BREAKS, now.words))
        elif broke_before and not broke_after:
            assert was is not None
            mended = now.words if now is not None else f"no longer: {was.words}"
            found.append(CellFinding(kind, Effect.MENDS, mended))
        elif broke_before and now is not None and (now.near or was != now):
            found.append(CellFinding(kind, Effect.STILL, now.words))
    order = {Effect.BREAKS: 0, Effect.STILL: 1, Effect.MENDS: 2}
    return sorted(found, key=lambda f: order[f.effect])


def _states(
    problem: PlanProblem,
    cells: Cells,
    person: Person,
    slots: tuple[Slot, ...],
    touched: list[Slot],
    codes: set[str],
) -> dict[_Key, _State]:
    states: dict[_Key, _State] = {}
    states |= _capacity(problem, cells, person, touched, codes)
    states |= _yearly(problem, cells, person, codes)
    states |= _empty(cells, person, touched)
    states |= _half_blocks(problem, cells, person, touched)
    states |= _leave(problem, cells, person, touched)
    states |= _adjacent(problem, cells, person, slots, touched)
    states |= _prerequisites(problem, cells, person, slots, codes)
    return states


def _rotation(problem: PlanProblem, code: str) -> Rotation:
    return next((r for r in problem.rotations if r.code == code), Rotation(code=code, name=code))


def _counted(count: int, low: int, high: int, noun: str) -> str:
    if count > high:
        return f"{noun}, more than its maximum of {high}"
    if count < low:
        return f"{noun}, fewer than its minimum of {low}"
    return f"{noun}, within its {low}-{high}"


def _residents(count: int, pgy: str) -> str:
    return f"{count} {pgy} resident" + ("" if count == 1 else "s")


def _capacity(
    problem: PlanProblem, cells: Cells, person: Person, touched: list[Slot], codes: set[str]
) -> dict[_Key, _State]:
    """Each involved rotation's places in each slot of the block, for the resident's group."""
    states: dict[_Key, _State] = {}
    level = person.pgy or 0
    for code in sorted(codes):
        rotation = _rotation(problem, code)
        groups = [c for c in rotation.capacities if c.pgy_min <= level <= c.pgy_max]
        for slot in touched:
            on = [p for p in problem.residents if cells.get((p.id, slot.index)) == code]
            if not groups and person in on:
                words = f"{slot.label}: {rotation.name} takes no PGY-{level} residents"
                states[(Kind.CAPACITY, code, slot.index, "none")] = _State(True, words)
            for cap in groups:
                count = sum(
                    1 for p in on if p.pgy is not None and cap.pgy_min <= p.pgy <= cap.pgy_max
                )
                group = pgy_label(cap.pgy_min, cap.pgy_max)
                noun = f"{slot.label}: {_residents(count, group)} on {rotation.name}"
                broken = not cap.min_count <= count <= cap.max_count
                words = _counted(count, cap.min_count, cap.max_count, noun)
                states[(Kind.CAPACITY, code, slot.index, cap.pgy_min)] = _State(broken, words)
    return states


def _yearly(
    problem: PlanProblem, cells: Cells, person: Person, codes: set[str]
) -> dict[_Key, _State]:
    units = Counter(code for (pid, _), code in cells.items() if pid == person.id)
    states: dict[_Key, _State] = {}
    for code in sorted(codes):
        rotation = _rotation(problem, code)
        low, high = yearly_range(rotation, person.pgy or 0, len(problem.blocks))
        done = units[code]
        noun = f"{who(person)}: {block_range(done, problem.halves)} of {rotation.name} in the year"
        need = f"PGY-{person.pgy} requirement of {low}-{high} blocks"
        if done < low * problem.halves:
            words = f"{noun}, fewer than the {need}"
        elif done > high * problem.halves:
            words = f"{noun}, more than the {need}"
        else:
            words = f"{noun}, meets the {need}"
        broken = not low * problem.halves <= done <= high * problem.halves
        states[(Kind.YEARLY, code)] = _State(broken, words)
    return states


def _empty(cells: Cells, person: Person, touched: list[Slot]) -> dict[_Key, _State]:
    return {
        (Kind.EMPTY, slot.index): _State(True, f"{who(person)} has no rotation in {slot.label}")
        for slot in touched
        if (person.id, slot.index) not in cells
    }


def _half_blocks(
    problem: PlanProblem, cells: Cells, person: Person, touched: list[Slot]
) -> dict[_Key, _State]:
    states: dict[_Key, _State] = {}
    for first, second in pairwise(touched):
        a, b = cells.get((person.id, first.index)), cells.get((person.id, second.index))
        for code in (a, b) if a and b and a != b else ():
            if not _rotation(problem, code).allows_half_block:
                name = _rotation(problem, code).name
                words = f"{who(person)}: {name} cannot be done for half of block {first.block}"
                states[(Kind.HALF_BLOCK, code)] = _State(True, words)
    return states


def _leave(
    problem: PlanProblem, cells: Cells, person: Person, touched: list[Slot]
) -> dict[_Key, _State]:
    states: dict[_Key, _State] = {}
    for absence in problem.approved_absences:
        if absence.person_id != person.id:
            continue
        for slot in touched:
            code = cells.get((person.id, slot.index))
            if code and slot.touches(absence.start, absence.end):
                rotation = _rotation(problem, code)
                eligible = "is" if rotation.leave_eligible else "is not"
                words = (
                    f"{who(person)} is on approved leave {absence.start}..{absence.end} in "
                    f"{slot.label}, and {rotation.name} {eligible} leave-eligible"
                )
                key = (Kind.LEAVE, slot.index, absence.start)
                states[key] = _State(not rotation.leave_eligible, words)
    return states


def _forbidden(problem: PlanProblem, a: str, b: str) -> bool:
    return b in _rotation(problem, a).not_adjacent_to or a in _rotation(problem, b).not_adjacent_to


def _adjacent(
    problem: PlanProblem, cells: Cells, person: Person, slots: tuple[Slot, ...], touched: list[Slot]
) -> dict[_Key, _State]:
    """Pairs of consecutive slots with at least one in the edited block."""
    states: dict[_Key, _State] = {}
    near = {s.index for s in touched}
    for first, second in pairwise(slots):
        if first.index not in near and second.index not in near:
            continue
        a, b = cells.get((person.id, first.index)), cells.get((person.id, second.index))
        if not a or not b or (first.block == second.block and a == b):
            continue
        if _forbidden(problem, a, b):
            words = (
                f"{who(person)}: {_rotation(problem, a).name} in {first.label} directly "
                f"followed by {_rotation(problem, b).name} in {second.label}, which must not "
                "follow each other"
            )
            states[(Kind.NOT_ADJACENT, first.index)] = _State(True, words)
    return states


def _prerequisites(
    problem: PlanProblem, cells: Cells, person: Person, slots: tuple[Slot, ...], codes: set[str]
) -> dict[_Key, _State]:
    """The resident's year in order: a rotation whose prerequisite has less than a block done
    before its first slot (as ``check_plan`` counts)."""
    states: dict[_Key, _State] = {}
    done: Counter[str] = Counter()
    for slot in slots:
        code = cells.get((person.id, slot.index))
        if code is None:
            continue
        for before in _rotation(problem, code).prerequisites:
            key = (Kind.PREREQUISITE, code, before)
            if before != code and done[before] < problem.halves and key not in states:
                words = (
                    f"{who(person)}: {_rotation(problem, code).name} in {slot.label} without "
                    f"a block of {_rotation(problem, before).name} before it"
                )
                states[key] = _State(True, words, near=bool({code, before} & codes))
        done[code] += 1
    return states
