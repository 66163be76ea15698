"""The hard rules of the rotation plan as CP-SAT constraints, each under a named requirement.

Rules: one rotation per resident and slot (structural); a rotation that does not allow half
blocks fills both halves of a block; PGY eligibility and capacity per block; yearly
requirements per PGY; approved leave on leave-eligible rotations; forbidden sequences
(``not_adjacent_to``, symmetric); prerequisites (a block of each earlier in the year); locked
cells. The names are what an infeasible plan reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from resched.core.model import Capacity, Person, Rotation
from resched.core.solver.explain import Requirement
from resched.core.solver.plan.context import PlanContext
from resched.core.solver.plan.grid import Slot, slots_of
from resched.core.solver.plan.problem import PlanProblem
from resched.core.solver.plan.variables import sum_of
from resched.core.solver.plan.wording import (
    days,
    pgy_label,
    plural,
    prerequisite_text,
    who,
    yearly_range,
)


def add_structure(ctx: PlanContext) -> None:
    """What a plan is, not a requirement anyone could relax: one rotation per resident and
    slot, and whole-block rotations the same in both halves."""
    x = ctx.x
    for person in x.residents:
        for slot in x.slots:
            x.model.add_exactly_one(x.cell(person, slot))
        for first, second in pairwise(x.slots):
            if first.block == second.block:
                for r in x.rotations:
                    if not r.allows_half_block:
                        x.model.add(x.on(person, first, r) == x.on(person, second, r))


def _group(problem: PlanProblem, cap: Capacity) -> list[Person]:
    return [
        p for p in problem.residents if p.pgy is not None and cap.pgy_min <= p.pgy <= cap.pgy_max
    ]


def add_eligibility(ctx: PlanContext) -> None:
    problem, x, req = ctx.problem, ctx.x, ctx.requirements
    for r in problem.rotations:
        for pgy in sorted({p.pgy for p in problem.residents if p.pgy is not None}):
            if any(c.pgy_min <= pgy <= c.pgy_max for c in r.capacities):
                continue
            people = [p for p in problem.residents if p.pgy == pgy]
            key = f"eligible:{r.code}:{pgy}"
            message = f"{r.name} takes no PGY-{pgy} residents (it has no places for that level)"
            total = sum_of(x.on(p, s, r) for p in people for s in x.slots)
            req.add(Requirement(key, message), x.model.add(total == 0))


def _capacity_requirements(
    r: Rotation, cap: Capacity, slot: Slot, size: int
) -> Iterator[tuple[Requirement, bool]]:
    group = pgy_label(cap.pgy_min, cap.pgy_max)
    where = slot.label.capitalize()
    if cap.min_count > 0:
        key = f"capacity-min:{r.code}:{group}:{slot.index}"
        text = f"{where} needs at least {plural(cap.min_count, group + ' resident')} on {r.name}"
        yield Requirement(key, text), True
    if cap.max_count < size:
        key = f"capacity-max:{r.code}:{group}:{slot.index}"
        text = f"{where} takes at most {plural(cap.max_count, group + ' resident')} on {r.name}"
        yield Requirement(key, text), False


def add_capacities(ctx: PlanContext) -> None:
    problem, x, req = ctx.problem, ctx.x, ctx.requirements
    for r in problem.rotations:
        for cap in r.capacities:
            people = _group(problem, cap)
            for slot in x.slots:
                count = x.headcount(r, slot, people)
                for requirement, is_min in _capacity_requirements(r, cap, slot, len(people)):
                    bound = count >= cap.min_count if is_min else count <= cap.max_count
                    req.add(requirement, x.model.add(bound))


def add_yearly(ctx: PlanContext) -> None:
    problem, x, req = ctx.problem, ctx.x, ctx.requirements
    halves, blocks = problem.halves, len(problem.blocks)
    for r in problem.rotations:
        for pgy in sorted({p.pgy for p in problem.residents if p.pgy is not None}):
            low, high = yearly_range(r, pgy, blocks)
            people = [p for p in problem.residents if p.pgy == pgy]
            if low > 0:
                key = f"yearly-min:{r.code}:{pgy}"
                text = (
                    f"Every PGY-{pgy} resident needs at least {plural(low, 'block')} "
                    f"of {r.name} a year"
                )
                for p in people:
                    req.add(
                        Requirement(key, text), x.model.add(x.units(p, [r.code]) >= low * halves)
                    )
            if high < blocks:
                key = f"yearly-max:{r.code}:{pgy}"
                text = (
                    f"A PGY-{pgy} resident does at most {plural(high, 'block')} of {r.name} a year"
                )
                for p in people:
                    req.add(
                        Requirement(key, text), x.model.add(x.units(p, [r.code]) <= high * halves)
                    )


def add_leave(ctx: PlanContext) -> None:
    problem, x, req = ctx.problem, ctx.x, ctx.requirements
    residents = {p.id: p for p in problem.residents}
    barred = [r.code for r in problem.rotations if not r.leave_eligible]
    eligible = ", ".join(r.name for r in problem.rotations if r.leave_eligible) or "none"
    for absence in problem.approved_absences:
        person = residents.get(absence.person_id)
        if person is None or not barred:
            continue
        for slot in x.slots:
            if slot.touches(absence.start, absence.end):
                key = f"leave:{person.id}:{slot.index}:{absence.start}"
                text = (
                    f"{who(person)} has approved {absence.type} leave {days(absence)} in "
                    f"{slot.label}, so must be on a leave-eligible rotation ({eligible})"
                )
                req.add(Requirement(key, text), x.model.add(x.any_of(person, slot, barred) == 0))


def forbidden_pairs(problem: PlanProblem) -> set[tuple[str, str]]:
    """Ordered (before, after) pairs that may not be in adjacent slots; symmetric by rule."""
    codes = {r.code for r in problem.rotations}
    pairs: set[tuple[str, str]] = set()
    for r in problem.rotations:
        for other in r.not_adjacent_to:
            if other in codes:
                pairs |= {(r.code, other), (other, r.code)}
    return pairs


def _sequence_requirement(problem: PlanProblem, a: str, b: str) -> Requirement:
    first, second = sorted((a, b))
    na, nb = problem.rotation(first).name, problem.rotation(second).name
    text = (
        f"No two {na} blocks in a row"
        if a == b
        else f"{na} and {nb} may not be in adjacent blocks, in either order"
    )
    return Requirement(f"sequence:{first}:{second}", text)


def add_sequences(ctx: PlanContext) -> None:
    problem, x, req = ctx.problem, ctx.x, ctx.requirements
    for a, b in sorted(forbidden_pairs(problem)):
        requirement = _sequence_requirement(problem, a, b)
        for person in x.residents:
            for first, second in pairwise(x.slots):
                if a == b and first.block == second.block:
                    continue  # one rotation over both halves of a block is one stint
                pair = x.on(person, first, a) + x.on(person, second, b)
                req.add(requirement, x.model.add(pair <= 1))


def prerequisite_pairs(problem: PlanProblem) -> list[tuple[str, str]]:
    """(rotation, prerequisite) pairs over known, distinct codes (validation refuses the rest)."""
    codes = {r.code for r in problem.rotations}
    return sorted(
        {(r.code, p) for r in problem.rotations for p in r.prerequisites if p in codes - {r.code}}
    )


def add_prerequisites(ctx: PlanContext) -> None:
    """On a rotation in a slot only after a whole block's worth (``halves`` slots) of each of
    its prerequisites in earlier slots of the year."""
    problem, x, req = ctx.problem, ctx.x, ctx.requirements
    halves = problem.halves
    for code, before in prerequisite_pairs(problem):
        text = prerequisite_text(problem.rotation(code), problem.rotation(before))
        requirement = Requirement(f"prerequisite:{code}:{before}", text)
        for person in x.residents:
            for i, slot in enumerate(x.slots):
                done = sum_of(x.on(person, earlier, before) for earlier in x.slots[:i])
                req.add(requirement, x.model.add(halves * x.on(person, slot, code) <= done))


def add_locks(ctx: PlanContext) -> None:
    problem, x, req = ctx.problem, ctx.x, ctx.requirements
    for lock in problem.locked:
        person = problem.resident(lock.person_id)
        name = problem.rotation(lock.rotation_code).name
        for slot in slots_of(x.slots, lock.block_number, lock.half):
            key = f"lock:{person.id}:{slot.index}:{lock.rotation_code}"
            text = f"{who(person)} is locked to {name} in {slot.label}"
            req.add(
                Requirement(key, text), x.model.add(x.on(person, slot, lock.rotation_code) == 1)
            )
