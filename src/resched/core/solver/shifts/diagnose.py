"""Why a shift problem is infeasible, when counting (precheck.py) did not say.

A deletion filter over families of hard constraints: each coverage demand, and each rule of
ACGME.md. Leaving one family out and solving again tells whether it is needed for the conflict;
what is left at the end is a minimal set of families that cannot hold together. Each trial is
an ordinary solve with full presolve and LP, which proves counting conflicts (28 calls, three
residents, at most 9 each) at once, where a search over assumption literals, which cannot use
the linear relaxation, may not finish at all (core.solver.explain is tuned for the planner).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from resched.core.rules.findings import (
    CALL_Q3,
    CONTINUOUS_DUTY,
    DAY_OFF,
    DOUBLE_BOOKED,
    HOURS_80,
    NIGHT_FLOAT,
    SUPERVISION_RATIO,
)
from resched.core.solver.config import SolveConfig
from resched.core.solver.engine import run_model
from resched.core.solver.progress import CancelToken
from resched.core.solver.result import SolveStatus
from resched.core.solver.shifts.build import FAMILIES, LOCKS, QUOTAS, build_model
from resched.core.solver.shifts.constraints.rest import REST
from resched.core.solver.shifts.problem import Mode, ShiftProblem
from resched.core.solver.shifts.wording import dates_text, who


@dataclass(frozen=True, slots=True)
class Diagnosis:
    conflicts: tuple[str, ...]
    minimal: bool


def _rule_text(problem: ShiftProblem) -> dict[str, str]:
    rules = problem.program.rules
    return {
        LOCKS: "the locked assignments",
        DOUBLE_BOOKED: "one shift at a time per person",
        CONTINUOUS_DUTY: f"continuous duty of at most {rules.max_continuous_hours:g} + "
        f"{rules.transition_hours:g} h, and {rules.rest_after_24h_hours:g} h off after 24 h",
        SUPERVISION_RATIO: "enough supervising faculty for each clinic session",
        QUOTAS: "the rotations' weekly quotas",
        HOURS_80: f"at most {rules.hours_per_week_limit:g} h a week averaged over 4 weeks",
        DAY_OFF: f"one day in {rules.free_day_every_n_days} free, averaged over 4 weeks",
        CALL_Q3: f"in-house call at most every {rules.call_every_nth_night} nights, averaged "
        "over 4 weeks",
        NIGHT_FLOAT: f"at most {rules.night_float_max_consecutive} night-float nights in a row",
        REST: f"the program's minimum rest of {problem.program.generation.min_rest_hours:g} h "
        "between a resident's shifts (outside its allowed sequences), and a free day after "
        "night float",
    }


def _family_text(problem: ShiftProblem, family: str) -> str:
    if family.startswith("coverage:"):
        need = problem.coverage[int(family.split(":")[1])]
        days = dates_text(need)
        count = f"{need.min_count}" if need.min_count == need.max_count else f"{need.min_count}+"
        label = need.name or need.shift_code
        return f"{label}: {count} {who(need.eligibility)} on {need.shift_code} {days}"
    text = _rule_text(problem)[family]
    if family in (LOCKS, QUOTAS, REST):
        return text[0].upper() + text[1:]
    return f"ACGME {family}: {text}"


def diagnose(
    problem: ShiftProblem,
    weights: dict[str, int],
    config: SolveConfig,
    cancel: CancelToken | None = None,
) -> Diagnosis:
    """A minimal set of conflicting families within ``config.explain_time_limit_s``."""
    problem = replace(problem, mode=Mode.FRESH)
    families = [f"coverage:{i}" for i in range(len(problem.coverage))] + list(FAMILIES)
    deadline = time.monotonic() + config.explain_time_limit_s
    needed: list[str] = []
    minimal = True
    for index, family in enumerate(families):
        left = deadline - time.monotonic()
        if left <= 0 or (cancel is not None and cancel.cancelled):
            needed += families[index:]
            minimal = False
            break
        rest = families[index + 1 :]
        skip = frozenset(f for f in families if f not in needed and f not in rest)
        built = build_model(problem, weights, skip=skip)
        trial = replace(config, time_limit_s=max(0.05, left), hints=())
        status = run_model(built.ctx.model, trial, cancel=cancel).status
        if status is not SolveStatus.INFEASIBLE:
            needed.append(family)  # without it the rest can hold (or we could not tell)
            minimal = minimal and status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    return Diagnosis(tuple(_family_text(problem, f) for f in needed), minimal)
