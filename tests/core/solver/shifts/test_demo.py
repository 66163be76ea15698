"""The demo program's first block (36 residents, 16 faculty, 28 days) solves with zero
violations, every demand covered and the penalties explained."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from resched.core.chains import chains_between
from resched.core.demo import build_demo
from resched.core.solver import SolveStatus
from resched.core.solver.shifts import schedule_shifts
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem
from tests.core.solver.shifts.tiny import config

# Deterministic time, not seconds: the first valid schedule of either block comes within a
# fifth of a unit on two workers, so a starved machine finds it as surely as an idle one.
DEMO_WORK = 1.0


def test_demo_block_is_feasible_with_zero_violations() -> None:
    demo = build_demo()
    case = demo_shift_problem(demo, dealt_plan(demo, 1), block=1)
    result = schedule_shifts(case, config(work=DEMO_WORK))
    assert result.status is SolveStatus.FEASIBLE or result.status is SolveStatus.OPTIMAL
    assert result.is_valid, result.violations[:5]
    assert result.solution is not None
    per_shift = Counter(a.shift_code for a in result.solution.assignments)
    # 28 nights: 3 in-house calls, ward attendings 4 a day, faculty call and backup nightly.
    assert per_shift["CALL"] == 3 * 28
    assert per_shift["ATTEND"] == 4 * 28
    assert per_shift["FAC-CALL"] == per_shift["BACKUP"] == 28
    assert result.objective == sum(p.cost for p in result.penalties)
    assert all(p.explanation for p in result.penalties)
    # No emergency day + night, no clinic after a night, a free day after night float.
    made = result.solution.assignments
    assert (
        chains_between(case.program, case.people, case.shift_types, made, case.start, case.end)
        == ()
    )


def test_demo_block_with_the_autumn_clock_change_is_feasible() -> None:
    """Block 5 holds Sat 31 Oct 2026, the night the clocks go back: the demo asks for CALL-DST
    that night (CALL would last 25 h), and the block solves with zero violations."""
    demo = build_demo()
    case = demo_shift_problem(demo, dealt_plan(demo, 5, turn=5), block=5)
    result = schedule_shifts(case, config(work=DEMO_WORK))
    assert result.is_valid, (result.status, result.violations[:5], result.conflicts)
    assert result.solution is not None
    dst = dt.date(2026, 10, 31)
    calls = Counter((a.date, a.shift_code) for a in result.solution.assignments)
    assert (calls[(dst, "CALL")], calls[(dst, "CALL-DST")]) == (0, 3)
    assert sum(n for (_, code), n in calls.items() if code == "CALL") == 3 * 27
