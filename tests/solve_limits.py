"""How tests bound a solve: by work, never by the wall clock.

CP-SAT's deterministic time counts the work a search has done, the same on a busy machine as on
an idle one, so a test's solve searches as far on a loaded 2-core laptop as on a quiet CI box.
The wall-clock limit stays only as a safety net against a hung search: minutes, which a healthy
test never comes near. Speed is the benchmarks' business (benchmarks/)."""

from __future__ import annotations

from typing import Any

SAFETY_S = 600.0  # wall-clock bound on any one solve (and its explanation): a hang, not a result
WORK_PARAMETER = "max_deterministic_time"


def work_budget(units: float) -> dict[str, float]:
    """SolveConfig.parameters that stop a search after ``units`` of deterministic time."""
    return {WORK_PARAMETER: units}


def work_limited(units: float) -> dict[str, Any]:
    """SolveConfig keyword arguments: a budget of ``units`` of work, the clock only as a net."""
    return {
        "time_limit_s": SAFETY_S,
        "explain_time_limit_s": SAFETY_S,
        "parameters": work_budget(units),
    }
