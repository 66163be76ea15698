"""What every solve returns: an explicit status, the solution or None, and the reasons.

Shared by the annual rotation planner and the shift scheduler. A failed solve is never an empty
schedule: ``solution`` is None and ``status`` and ``conflicts`` say why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class SolveStatus(StrEnum):
    """How a solve ended.

    ``timeout`` means the time limit passed before any solution was found; a solve stopped by the
    time limit *with* a solution is ``feasible``. ``cancelled`` keeps the best solution found
    before the cancel, if any, so a coordinator can still look at it.
    """

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Penalty:
    """One soft goal that was not met, as the UI explains it: ``weight * amount`` of the
    objective. ``block`` (rotation plan) or ``date`` (shift schedule) say where, when it has a
    place in time; a fairness penalty over a whole year has neither."""

    name: str
    weight: int
    amount: int
    explanation: str
    person_id: int | None = None
    block: int | None = None
    date: dt.date | None = None

    @property
    def cost(self) -> int:
        return self.weight * self.amount


Statistic = int | float | str


@dataclass(frozen=True, slots=True)
class SolveResult[T]:
    """The outcome of a solve.

    ``conflicts`` (infeasible only) is the smallest set of requirements found that cannot hold
    together, one sentence each in coordinator words. ``violations`` lists every hard rule the
    returned solution breaks according to the independent checker: it should always be empty, and
    a result where it is not must never be stored or shown as valid (see ``is_valid``).
    """

    status: SolveStatus
    solution: T | None
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    penalties: tuple[Penalty, ...] = ()
    conflicts: tuple[str, ...] = ()
    violations: tuple[str, ...] = ()
    statistics: Mapping[str, Statistic] = field(default_factory=dict)
    wall_time: float = 0.0

    @property
    def has_solution(self) -> bool:
        return self.solution is not None

    @property
    def is_valid(self) -> bool:
        """A solution exists and the independent checker found nothing wrong with it."""
        return self.solution is not None and not self.violations


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """|objective - bound| / max(1, |objective|): 0 when proven optimal. The max(1, .) keeps a
    zero objective from dividing by zero and matches how CP-SAT reports its own gap limit."""
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1.0, abs(objective))
