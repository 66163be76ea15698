"""The faster build of the 80-hour windows (constraints/hours.py: one weighted sum per window)
makes the same model, byte for byte, as the sum built term by term that it replaced."""

from __future__ import annotations

import dataclasses

import pytest

from resched.core.demo import build_demo
from resched.core.model import HolidayRule
from resched.core.rules.findings import HOURS_80
from resched.core.solver.config import resolve_weights
from resched.core.solver.shifts import ShiftProblem, build
from resched.core.solver.shifts.constraints.windows import ResidentDays
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem
from resched.core.solver.shifts.problem import DEFAULT_WEIGHTS
from resched.core.solver.shifts.wording import name
from tests.core.solver.shifts.test_holiday_programs import _pediatrics

CALLED: list[int] = []


def _term_by_term(ctx: ModelContext, days: ResidentDays) -> None:
    """hours.py as it was before 2026-12-07."""
    CALLED.append(days.person.id)
    limit = ctx.timing.limits.hours
    scale_worked, scale_days = limit.denominator * 7, limit.numerator * 3600
    per_day = {}
    for k, slots in days.touching.items():
        if not days.leave[k]:
            per_day[k] = [(s, dict(s.parts)[k]) for s in slots if s.is_duty]
    for window in ctx.horizon.windows:
        effective = days.effective(window)
        pieces = [p for k in range(window.lo, window.hi) for p in per_day.get(k, [])]
        if effective <= 0 or all(s.fixed for s, _ in pieces):
            continue
        worked = sum(seconds * s.lit for s, seconds in pieces)
        ctx.require(
            f"hours:{days.person.id}",
            f"{name(days.person)}: at most {ctx.rules.hours_per_week_limit:g} h a week on average",
            ctx.model.add(worked * scale_worked <= scale_days * effective),
        )


def _demo() -> ShiftProblem:
    demo = build_demo()
    plan = tuple(c for b in demo.year.blocks for c in dealt_plan(demo, 5, turn=5))
    return demo_shift_problem(demo, plan, block=5, lookahead_days=7)


CASES = {
    "demo block 5 (clocks go back)": _demo,
    "pediatrics-like": lambda: _pediatrics(HolidayRule.ANY, HolidayRule.ANY),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_hours_windows_build_the_same_model(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    problem = CASES[case]()
    weights = resolve_weights(DEFAULT_WEIGHTS, {})
    now = build.build_model(problem, weights).ctx.model.proto
    old = tuple(
        dataclasses.replace(f, add=_term_by_term) if f.name == HOURS_80 else f
        for f in build.RULE_FAMILIES
    )
    monkeypatch.setattr(build, "RULE_FAMILIES", old)
    CALLED.clear()
    before = build.build_model(problem, weights).ctx.model.proto
    assert CALLED, "the reference built the windows"
    assert len(now.constraints) == len(before.constraints) > 0
    assert str(now) == str(before)
