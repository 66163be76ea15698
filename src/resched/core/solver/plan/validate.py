"""Input checks of a PlanProblem: mistakes of shape, raised as ``Invalid`` before any solving.
(Requirements that merely cannot be met together are not mistakes: the solver explains them.)"""

from __future__ import annotations

from collections import Counter

from resched.core.errors import Invalid
from resched.core.model import RequestKind
from resched.core.solver.plan.problem import PlanProblem


def _duplicates(items: list[str] | list[int]) -> list[str]:
    return sorted(str(item) for item, n in Counter(items).items() if n > 1)


def _lock_problems(problem: PlanProblem) -> list[str]:
    residents = {p.id for p in problem.residents}
    codes = {r.code for r in problem.rotations}
    numbers = {b.number for b in problem.blocks}
    problems: list[str] = []
    for lock in problem.locked:
        where = f"lock of person {lock.person_id} in block {lock.block_number}"
        if lock.person_id not in residents:
            problems.append(f"{where}: not a resident of this plan")
        if lock.rotation_code not in codes:
            problems.append(f"{where}: unknown rotation {lock.rotation_code!r}")
        if lock.block_number not in numbers:
            problems.append(f"{where}: no such block")
        if lock.half is not None and (problem.halves == 1 or lock.half not in (1, 2)):
            problems.append(f"{where}: half {lock.half} is not a half of this plan")
    return problems


def _code_problems(problem: PlanProblem) -> list[str]:
    """Rotation codes named outside the rotation table: a typo would silently drop a wish or
    a heavy rotation otherwise."""
    codes = {r.code for r in problem.rotations}
    problems = [
        f"heavy rotation {c!r} is not a rotation" for c in sorted(problem.heavy_rotations - codes)
    ]
    for request in problem.requests:
        if request.kind is RequestKind.ROTATION and request.rotation_code not in codes:
            problems.append(
                f"rotation request of person {request.person_id}: unknown rotation "
                f"{request.rotation_code!r}"
            )
    for r in problem.rotations:
        problems += [
            f"{r.name}: not adjacent to unknown rotation {o!r}"
            for o in r.not_adjacent_to
            if o not in codes
        ]
        problems += [
            f"{r.name}: prerequisites: unknown rotation {o!r}"
            for o in r.prerequisites
            if o not in codes
        ]
        if r.code in r.prerequisites:
            problems.append(f"{r.name}: prerequisites: a rotation cannot be its own prerequisite")
    return problems


def validate_problem(problem: PlanProblem) -> None:
    problems: list[str] = []
    if not problem.blocks:
        problems.append("the year has no blocks")
    if not problem.rotations:
        problems.append("there are no rotations")
    problems += [
        f"duplicate rotation code {c}" for c in _duplicates([r.code for r in problem.rotations])
    ]
    problems += [
        f"duplicate resident id {i}" for i in _duplicates([p.id for p in problem.residents])
    ]
    problems += [
        f"duplicate block number {n}" for n in _duplicates([b.number for b in problem.blocks])
    ]
    problems += [f"{p.code} has no PGY level" for p in problem.residents if p.pgy is None]
    if problem.max_heavy_run < 0:
        problems.append("max_heavy_run must not be negative")
    problems += _lock_problems(problem)
    problems += _code_problems(problem)
    if problems:
        raise Invalid(
            "the rotation plan cannot be set up: " + "; ".join(problems),
            details={"problems": problems},
        )
