"""How to run a solve: limits, seed, workers, warm start and the weights of the soft goals."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from resched.core.errors import Invalid
from resched.core.model import Assignment, BlockAssignment

Hint = BlockAssignment | Assignment


@dataclass(frozen=True, slots=True)
class SolveConfig:
    """Parameters of one solve, the same for every solver in ``core.solver``.

    ``num_workers`` 0 lets CP-SAT use every core. ``relative_gap`` stops the search once the
    objective is proven within that fraction of the best bound (0: prove optimality).
    ``deterministic`` makes the search independent of thread timing (CP-SAT's interleaved
    search), at some cost in speed; with one worker the search is deterministic anyway. Either
    way the result repeats only when the solve ends by itself, not by the wall-clock limit.
    ``hints`` warm-start the search from an earlier schedule: each solver uses the kind it knows
    (``BlockAssignment`` for the rotation plan, ``Assignment`` for shifts). ``weights`` override
    the default weight of a soft goal by its penalty name; an unknown name is an error, so that a
    typo does not silently leave a goal at its default. ``parameters`` are extra CP-SAT
    parameters by their SatParameters names (``{"linearization_level": 2}``; a list for a
    repeated one), applied last, over the solver's own tuning; an unknown name is an error.
    """

    time_limit_s: float = 10.0
    seed: int = 0
    num_workers: int = 0
    relative_gap: float = 0.0
    deterministic: bool = False
    hints: tuple[Hint, ...] = ()
    weights: Mapping[str, int] = field(default_factory=dict)
    explain_time_limit_s: float = 10.0
    parameters: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.time_limit_s <= 0 or self.explain_time_limit_s <= 0:
            raise Invalid("time limits must be positive", details={"field": "time_limit_s"})
        if self.num_workers < 0:
            raise Invalid(
                "num_workers must be 0 (all cores) or more", details={"field": "num_workers"}
            )
        if self.relative_gap < 0:
            raise Invalid("relative_gap must not be negative", details={"field": "relative_gap"})
        negative = sorted(name for name, weight in self.weights.items() if weight < 0)
        if negative:
            raise Invalid(
                f"weights must not be negative: {', '.join(negative)}",
                details={"field": "weights"},
            )

    @property
    def workers(self) -> int:
        """The threads a search runs on: ``num_workers``, or every core it may use for 0."""
        return self.num_workers or available_cores()


def available_cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_weights(defaults: Mapping[str, int], overrides: Mapping[str, int]) -> dict[str, int]:
    """The defaults with ``overrides`` applied; refuses names the solver does not know."""
    unknown = sorted(set(overrides) - set(defaults))
    if unknown:
        raise Invalid(
            f"unknown penalty weight(s): {', '.join(unknown)}; "
            f"known: {', '.join(sorted(defaults))}",
            details={"field": "weights"},
        )
    return {**defaults, **overrides}
