"""``score_plan``: the soft goals a finished plan misses, as named penalties with reasons.

Pure code over the plan's cells, so any plan (generated or edited by hand) can be explained. For
a generated plan the penalties add up to the solver's objective (objectives.py keeps its terms
exact); the planner checks that they do.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import pairwise

from resched.core.model import Person, Request, RequestKind
from resched.core.solver.plan.grid import Cells, Slot, expand_cells, plan_slots
from resched.core.solver.plan.problem import (
    HEAVY_BALANCE,
    HEAVY_STREAK,
    ROTATION_REQUEST,
    SPLIT_BLOCK,
    VACATION_REQUEST,
    PlanProblem,
    RotationPlan,
)
from resched.core.solver.plan.wording import block_range, who
from resched.core.solver.result import Penalty


def _request_penalties(
    problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...], weights: Mapping[str, int]
) -> Iterator[Penalty]:
    residents = {p.id: p for p in problem.residents}
    leave = {r.code for r in problem.rotations if r.leave_eligible}
    codes = {r.code for r in problem.rotations}
    for request in problem.requests:
        person = residents.get(request.person_id)
        if person is None or request.weight <= 0:
            continue
        if request.kind is RequestKind.ROTATION and request.rotation_code in codes:
            name, wanted = ROTATION_REQUEST, {request.rotation_code}
        elif request.kind is RequestKind.VACATION:
            name, wanted = VACATION_REQUEST, leave
        else:
            continue
        if weights[name] == 0:
            continue  # a goal weighted 0 is switched off, not missed
        for slot in slots:
            got = cells.get((person.id, slot.index))
            if slot.touches(request.start, request.end) and got not in wanted:
                yield _request_penalty(name, weights[name], request, person, slot, got)


def _request_penalty(
    name: str, weight: int, request: Request, person: Person, slot: Slot, got: str | None
) -> Penalty:
    if name == ROTATION_REQUEST:
        why = f"{who(person)} asked for {request.rotation_code} in {slot.label} but is on {got}"
    else:
        why = (
            f"{who(person)} asked for vacation {request.start}..{request.end}, but is on "
            f"{got} in {slot.label}, which is not leave-eligible"
        )
    return Penalty(name, weight, request.weight, why, person.id, slot.block)


def _streak_penalties(
    problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...], weight: int
) -> Iterator[Penalty]:
    length = (problem.max_heavy_run + 1) * problem.halves
    if not problem.heavy_rotations or weight == 0 or length > len(slots):
        return
    for person in problem.residents:
        heavy = [cells.get((person.id, s.index)) in problem.heavy_rotations for s in slots]
        for start in range(len(slots) - length + 1):
            if all(heavy[start : start + length]):
                first, last = slots[start], slots[start + length - 1]
                why = (
                    f"{who(person)} has heavy rotations from {first.label} to {last.label} "
                    f"without a break (more than {problem.max_heavy_run} blocks in a row)"
                )
                yield Penalty(HEAVY_STREAK, weight, 1, why, person.id, first.block)


def _balance_penalties(problem: PlanProblem, cells: Cells, weight: int) -> Iterator[Penalty]:
    if not problem.heavy_rotations or weight == 0:
        return
    for pgy in sorted({p.pgy for p in problem.residents if p.pgy is not None}):
        people = [p for p in problem.residents if p.pgy == pgy]
        if len(people) < 2:
            continue
        count = {
            p.id: sum(
                1 for (pid, _), c in cells.items() if pid == p.id and c in problem.heavy_rotations
            )
            for p in people
        }
        most = max(people, key=lambda p: count[p.id])
        least = min(people, key=lambda p: count[p.id])
        spread = count[most.id] - count[least.id] - problem.halves  # one block is allowed
        if spread > 0:
            why = (
                f"PGY-{pgy} heavy rotations are uneven: from "
                f"{block_range(count[least.id], problem.halves)} ({who(least)}) to "
                f"{block_range(count[most.id], problem.halves)} ({who(most)}), more than one "
                "block apart"
            )
            yield Penalty(HEAVY_BALANCE, weight, spread, why)


def _split_penalties(
    problem: PlanProblem, cells: Cells, slots: tuple[Slot, ...], weight: int
) -> Iterator[Penalty]:
    if weight == 0:
        return
    for person in problem.residents:
        for first, second in pairwise(slots):
            a, b = cells.get((person.id, first.index)), cells.get((person.id, second.index))
            if first.block == second.block and a != b:
                why = f"{who(person)} changes from {a} to {b} in the middle of block {first.block}"
                yield Penalty(SPLIT_BLOCK, weight, 1, why, person.id, first.block)


def score_plan(
    problem: PlanProblem, plan: RotationPlan, weights: Mapping[str, int]
) -> list[Penalty]:
    """Every soft goal ``plan`` misses, with the weight it carries under ``weights``."""
    slots = plan_slots(problem.blocks, problem.halves)
    cells, _ = expand_cells(plan.assignments, slots)
    penalties = list(_request_penalties(problem, cells, slots, weights))
    penalties += _streak_penalties(problem, cells, slots, weights[HEAVY_STREAK])
    penalties += _balance_penalties(problem, cells, weights[HEAVY_BALANCE])
    penalties += _split_penalties(problem, cells, slots, weights[SPLIT_BLOCK])
    return penalties
