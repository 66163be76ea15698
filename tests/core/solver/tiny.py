"""Hand-built rotation-plan problems small enough to reason about by eye."""

from __future__ import annotations

import datetime as dt

from resched.core.calendar import four_week_blocks
from resched.core.model import (
    Absence,
    AbsenceType,
    Block,
    Capacity,
    Person,
    Role,
    Rotation,
    YearlyRequirement,
)
from resched.core.solver import SolveConfig
from resched.core.solver.plan import PlanProblem
from tests.solve_limits import work_limited

START = dt.date(2026, 7, 1)
# The hand-built plans here solve (or are proven infeasible and explained) long before the
# work budget runs out; the budget and the safety net only bound a search gone wrong.
FAST = SolveConfig(num_workers=2, seed=1, **work_limited(10.0))


def blocks(count: int) -> tuple[Block, ...]:
    return four_week_blocks(START, START + dt.timedelta(days=28 * count - 1), count)


def residents(*pgys: int) -> tuple[Person, ...]:
    return tuple(
        Person(id=i + 1, code=f"r{i + 1}", name=f"Dr R{i + 1}", role=Role.RESIDENT, pgy=pgy)
        for i, pgy in enumerate(pgys)
    )


def rotation(
    code: str,
    *,
    cap: tuple[int, int] = (0, 99),
    pgy: tuple[int, int] = (1, 3),
    yearly: dict[int, tuple[int, int]] | None = None,
    leave: bool = False,
    half: bool = False,
    not_adjacent: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
) -> Rotation:
    """A rotation taking ``cap`` residents of PGY ``pgy`` per block."""
    return Rotation(
        code=code,
        name=code.title(),
        capacities=(Capacity(pgy[0], pgy[1], cap[0], cap[1]),),
        requirements=tuple(YearlyRequirement(p, lo, hi) for p, (lo, hi) in (yearly or {}).items()),
        leave_eligible=leave,
        allows_half_block=half,
        not_adjacent_to=not_adjacent,
        prerequisites=needs,
    )


def absence(person_id: int, block: Block, days: int = 7) -> Absence:
    return Absence(
        person_id, block.start, block.start + dt.timedelta(days=days - 1), AbsenceType.VACATION
    )


def problem(
    people: tuple[Person, ...], rotations: tuple[Rotation, ...], count: int = 3, **extra: object
) -> PlanProblem:
    return PlanProblem(residents=people, rotations=rotations, blocks=blocks(count), **extra)  # type: ignore[arg-type]
