"""A fast first plan to start the search from: the year block by block, in time order.

Each block is one small assignment (a resident to a rotation, whole blocks only) that keeps the
block's hard rules (eligibility, capacities, leave, locks, forbidden sequences after the block
before, prerequisites done, yearly maxima, and yearly minima still reachable in the blocks
left) at the least cost of: heavy blocks that complete a too-long heavy run (the program's
streak weight, so the longest runs get the light places first), denied requests (their
weights), requirements pressed for time (a reward growing as the blocks left run out) and
heavy blocks for whoever has had most. It looks back, never ahead, so it can fail (a minimum
left unreachable by the capacities of later blocks); then there is no hint and the search
starts cold. The tie-breaking costs were chosen on the demo at 30, 36, 60 and 150 residents:
its plan costs 165 at 36 residents (the proven optimum), 615 at 150 (optimum 605).

Each block's model is a few hundred Booleans, solved exactly by one CP-SAT worker with a fixed
seed: the construction is deterministic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from resched.core.model import BlockAssignment, Person, Request, RequestKind, Rotation
from resched.core.solver.plan.constraints import forbidden_pairs
from resched.core.solver.plan.grid import Slot, plan_slots
from resched.core.solver.plan.problem import (
    HEAVY_STREAK,
    ROTATION_REQUEST,
    VACATION_REQUEST,
    PlanProblem,
)
from resched.core.solver.plan.wording import yearly_range

# Work allowed to each block's model (CP-SAT deterministic time). The best assignment of a
# block is found early and the rest of a search is the proof that it is the best, which a
# first plan does not need: demo block 2 found its optimum at 0.01 of the 0.14 units its proof
# took (a third of the construction's time). So the search stops at _BLOCK_WORK with what it
# has, and only a block with no assignment yet searches on, up to _BLOCK_WORK_MOST. The plans
# of the demo at 30, 36, 60 and 150 residents are the same as with the full proofs.
_BLOCK_WORK = 0.02
_BLOCK_WORK_MOST = 5.0
# Program weights count _SCALE each; the other costs are in the same unit.
_SCALE = 100
_URGENCY = 1000  # per block still needed, divided by the blocks left after this one (+1)
_FAIRNESS = 10  # per heavy block already done and per block of the current heavy run


@dataclass(slots=True)
class _History:
    """What one resident has done so far: blocks per rotation, the current heavy run, the
    last rotation, heavy blocks in all."""

    done: Counter[str]
    run: int = 0
    last: str | None = None
    heavy: int = 0


@dataclass(frozen=True, slots=True)
class _Facts:
    """The problem's rules looked up once, by resident and block."""

    forbidden: frozenset[tuple[str, str]]
    leave: frozenset[tuple[int, int]]  # (person id, block) with approved leave
    locks: Mapping[tuple[int, int], frozenset[str]]  # (person id, block) -> locked codes
    yearly: Mapping[tuple[str, int], tuple[int, int]]  # (code, PGY) -> (min, max) blocks
    wishes: Mapping[tuple[int, int], tuple[Request, ...]]  # (person id, block) -> requests

    @classmethod
    def of(cls, problem: PlanProblem, blocks: tuple[Slot, ...]) -> _Facts:
        locks: dict[tuple[int, int], set[str]] = {}
        for a in problem.locked:
            locks.setdefault((a.person_id, a.block_number), set()).add(a.rotation_code)
        wishes: dict[tuple[int, int], list[Request]] = {}
        for request in problem.requests:
            for slot in blocks:
                if slot.touches(request.start, request.end):
                    wishes.setdefault((request.person_id, slot.block), []).append(request)
        levels = {p.pgy or 0 for p in problem.residents}
        return cls(
            forbidden=frozenset(forbidden_pairs(problem)),
            leave=frozenset(
                (a.person_id, slot.block)
                for a in problem.approved_absences
                for slot in blocks
                if slot.touches(a.start, a.end)
            ),
            locks={key: frozenset(codes) for key, codes in locks.items()},
            yearly={
                (r.code, level): yearly_range(r, level, len(blocks))
                for r in problem.rotations
                for level in levels
            },
            wishes={key: tuple(found) for key, found in wishes.items()},
        )


def greedy_plan(
    problem: PlanProblem, weights: Mapping[str, int]
) -> tuple[BlockAssignment, ...] | None:
    """A legal plan of whole blocks, or None when the construction runs into a dead end."""
    blocks = plan_slots(problem.blocks, 1)
    facts = _Facts.of(problem, blocks)
    if any(len(codes) > 1 for codes in facts.locks.values()):
        return None  # a block locked to two rotations, one per half: not a whole-block plan
    history = {p.id: _History(Counter()) for p in problem.residents}
    plan: list[BlockAssignment] = []
    for slot in blocks:
        step = _Step(problem, weights, facts, slot.block, len(blocks) - slot.index - 1)
        chosen = step.solve(history)
        if chosen is None:
            return None
        for person in problem.residents:
            code = chosen[person.id]
            _record(history[person.id], code, code in problem.heavy_rotations)
            locked = (person.id, slot.block) in facts.locks
            plan.append(BlockAssignment(person.id, slot.block, code, None, locked))
    return tuple(plan)


def _solve_block(model: cp_model.CpModel) -> list[int] | None:
    """The values of the block's best assignment found within _BLOCK_WORK (or, when none is
    found by then, the first found within _BLOCK_WORK_MOST); None when there is none."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    for work in (_BLOCK_WORK, _BLOCK_WORK_MOST):
        solver.parameters.max_deterministic_time = work
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return list(solver.response_proto.solution)
        if status != cp_model.UNKNOWN:
            return None  # proven infeasible: no assignment keeps the year feasible
    return None


def _record(h: _History, code: str, heavy: bool) -> None:
    h.done[code] += 1
    h.run = h.run + 1 if heavy else 0
    h.heavy += heavy
    h.last = code


@dataclass(frozen=True, slots=True)
class _Step:
    """One block of the construction, with ``left`` blocks after it."""

    problem: PlanProblem
    weights: Mapping[str, int]
    facts: _Facts
    block: int
    left: int

    def solve(self, history: Mapping[int, _History]) -> dict[int, str] | None:
        """The block's rotations by resident id, or None when no legal choice keeps the year
        feasible as far as this block can tell."""
        model = cp_model.CpModel()
        on: dict[tuple[int, str], cp_model.IntVar] = {}
        costs: list[tuple[int, cp_model.IntVar]] = []
        for person in self.problem.residents:
            h = history[person.id]
            cell = []
            for r in self.problem.rotations:
                if not self._allowed(person, r, h):
                    continue
                var = on[(person.id, r.code)] = model.new_bool_var(f"{person.code},{r.code}")
                cell.append(var)
                cost = self._cost(person, r, h)
                if cost:
                    costs.append((cost, var))
            if not cell:
                return None
            model.add_exactly_one(cell)
            self._keep_minima_reachable(model, on, person, h)
        for r in self.problem.rotations:
            for cap in r.capacities:
                group = [
                    on[(p.id, r.code)]
                    for p in self.problem.residents
                    if p.pgy is not None and cap.pgy_min <= p.pgy <= cap.pgy_max
                    if (p.id, r.code) in on
                ]
                model.add_linear_constraint(
                    cp_model.LinearExpr.sum(group), cap.min_count, cap.max_count
                )
        model.minimize(
            cp_model.LinearExpr.weighted_sum([v for _, v in costs], [c for c, _ in costs])
        )
        values = _solve_block(model)
        if values is None:
            return None
        return {pid: code for (pid, code), var in on.items() if values[var.index]}

    def _allowed(self, person: Person, r: Rotation, h: _History) -> bool:
        level = person.pgy or 0
        if not any(c.pgy_min <= level <= c.pgy_max for c in r.capacities):
            return False
        locked = self.facts.locks.get((person.id, self.block))
        if locked is not None:
            return r.code in locked
        if (person.id, self.block) in self.facts.leave and not r.leave_eligible:
            return False
        if h.last is not None and (h.last, r.code) in self.facts.forbidden:
            return False
        if any(h.done[before] < 1 for before in r.prerequisites if before != r.code):
            return False
        return h.done[r.code] < self.facts.yearly[(r.code, level)][1]

    def _keep_minima_reachable(
        self,
        model: cp_model.CpModel,
        on: Mapping[tuple[int, str], cp_model.IntVar],
        person: Person,
        h: _History,
    ) -> None:
        """After this block, the blocks still needed for yearly minima fit in the blocks left."""
        level = person.pgy or 0
        needs = {
            r.code: self.facts.yearly[(r.code, level)][0] - h.done[r.code]
            for r in self.problem.rotations
        }
        short = sum(n for n in needs.values() if n > 0) - self.left
        if short > 0:
            pressing = [
                on[(person.id, c)] for c, n in needs.items() if n > 0 if (person.id, c) in on
            ]
            model.add(cp_model.LinearExpr.sum(pressing) >= short)

    def _cost(self, person: Person, r: Rotation, h: _History) -> int:
        problem, weights = self.problem, self.weights
        cost = 0
        if r.code in problem.heavy_rotations:
            if h.run >= problem.max_heavy_run:
                cost += weights[HEAVY_STREAK] * _SCALE * (h.run - problem.max_heavy_run + 1)
            cost += _FAIRNESS * (h.heavy + h.run)
        for request in self.facts.wishes.get((person.id, self.block), ()):
            if request.kind is RequestKind.ROTATION and request.rotation_code != r.code:
                cost += _SCALE * weights[ROTATION_REQUEST] * max(request.weight, 0)
            elif request.kind is RequestKind.VACATION and not r.leave_eligible:
                cost += _SCALE * weights[VACATION_REQUEST] * max(request.weight, 0)
        need = self.facts.yearly[(r.code, person.pgy or 0)][0] - h.done[r.code]
        if need > 0:
            cost -= _URGENCY * need // (self.left + 1)
        return cost
