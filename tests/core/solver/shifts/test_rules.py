"""Each hard rule at its boundary through a full solve: legal at the limit, refused one step past
it and named, and every schedule returned re-validated with zero violations. A rule's own
boundary on a fixed assignment, without a search, is in test_families.py."""

from __future__ import annotations

from collections import Counter

from resched.core.model import Absence, AbsenceType, RuleConfig
from resched.core.solver import SolveStatus
from resched.core.solver.shifts import schedule_shifts
from tests.core.solver.shifts.tiny import (
    CALL,
    NIGHT,
    PM,
    config,
    day,
    faculty,
    need,
    on,
    problem,
    residents,
    shift,
)


def test_calls_are_spread_within_call_q3() -> None:
    """28 nights of call over 4 residents: 7 each at most, every day covered once."""
    result = schedule_shifts(problem(residents(2, 2, 2, 2), [CALL], [need("CALL", 1)]), config())
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert result.is_valid, result.violations
    assert result.solution is not None
    assignments = result.solution.assignments
    assert len(on(assignments, "CALL")) == 28
    assert set(Counter(a.date for a in assignments).values()) == {1}
    assert max(Counter(a.person_id for a in assignments).values()) <= 9


def test_ten_calls_in_28_days_is_infeasible_and_named() -> None:
    """3 residents for 28 calls: someone would need 10 (9 in 28 is the limit)."""
    result = schedule_shifts(problem(residents(2, 2, 2), [CALL], [need("CALL", 1)]), config())
    assert result.status is SolveStatus.INFEASIBLE
    assert result.solution is None
    assert any("every 3 nights" in c for c in result.conflicts), result.conflicts


def test_call_every_fourth_night_set_by_the_program_is_the_hard_rule() -> None:
    """Four residents, 28 nights, the program's q4: at most 7 calls each, so exactly 7 (under
    q3 up to 9 each would be legal). Three residents over 27 nights: legal under q3 (the test
    above), infeasible under q4 and named with the program's N."""
    q4 = RuleConfig(call_every_nth_night=4)
    four = problem(residents(2, 2, 2, 2), [CALL], [need("CALL", 1)], rules=q4)
    result = schedule_shifts(four, config())
    assert result.is_valid, (result.status, result.violations, result.conflicts)
    assert result.solution is not None
    assert set(Counter(a.person_id for a in result.solution.assignments).values()) == {7}

    three = problem(residents(2, 2, 2), [CALL], [need("CALL", 1)], days=27, rules=q4)
    refused = schedule_shifts(three, config(work=1.0))
    assert refused.status is SolveStatus.INFEASIBLE
    assert any("every 4 nights" in c for c in refused.conflicts), refused.conflicts


def _long_days(minutes: int) -> list[object]:
    long = shift("LONG", "07:00", minutes)
    daily = problem(
        residents(2), [long], [need("LONG", 0, 1)], pattern=dict.fromkeys(range(1, 8), ("LONG",))
    )
    result = schedule_shifts(daily, config())
    assert result.is_valid, (result.status, result.violations, result.conflicts)
    assert result.solution is not None
    return on(result.solution.assignments, "LONG")


def test_eighty_hours_exactly_is_allowed_and_one_day_in_seven_is_kept() -> None:
    """24 days x 13 h 20 min = 320 h = 80.0 h/week over 28 days: legal, and the 4 free days
    are exactly what one day in seven asks."""
    assert len(_long_days(800)) == 24


def test_a_minute_more_forces_a_day_less() -> None:
    assert len(_long_days(801)) == 23


def test_a_shift_longer_than_24_plus_4_is_never_scheduled() -> None:
    marathon = shift("LONGCALL", "07:00", 25 * 60, transition=0)
    result = schedule_shifts(
        problem(residents(2), [marathon], [need("LONGCALL", 1)], days=3), config()
    )
    assert result.status is SolveStatus.INFEASIBLE
    assert any(": 25 h of continuous duty" in c for c in result.conflicts), result.conflicts


def test_call_on_the_night_the_clocks_go_back_is_29_hours() -> None:
    """Oct 31 2026 07:00 CDT + 24 h wall clock is 25 h real time: too long to schedule."""
    import datetime as dt

    result = schedule_shifts(
        problem(residents(2, 2), [CALL], [need("CALL", 1)], days=2, start=dt.date(2026, 10, 30)),
        config(),
    )
    assert result.status is SolveStatus.INFEASIBLE
    assert any("Oct 31" in c and "continuous duty" in c for c in result.conflicts), result.conflicts


def test_rest_after_call_blocks_the_afternoon_after() -> None:
    """A 24 h call ends 11:00 the next day; a 13:00 session then leaves 2 h, not 14."""
    # Three days: a shorter range is one window in which a single call already breaks q3.
    base = problem(
        residents(2, 2), [CALL, PM], [need("CALL", 0, 1), need("PM", 1, weekdays=[2])], days=3
    )
    from dataclasses import replace

    from resched.core.model import Assignment

    locked = (Assignment(1, day(0), "CALL", locked=True),)
    result = schedule_shifts(replace(base, locked=locked), config())
    assert result.is_valid, (result.violations, result.conflicts)
    assert result.solution is not None
    assert on(result.solution.assignments, "PM", person_id=1) == []
    alone = replace(base, people=base.people[:1], plan=base.plan[:1], locked=locked)
    refused = schedule_shifts(alone, config())
    assert refused.status is SolveStatus.INFEASIBLE
    assert any("resting after CALL" in c for c in refused.conflicts), refused.conflicts


def test_night_float_run_limit() -> None:
    rules = RuleConfig(night_float_max_consecutive=3)
    four = problem(
        residents(2), [NIGHT], [need("NIGHT", 1, weekdays=(1, 2, 3, 4))], days=7, rules=rules
    )
    result = schedule_shifts(four, config())
    assert result.status is SolveStatus.INFEASIBLE
    assert any("night-float nights in a row" in c for c in result.conflicts), result.conflicts
    three = problem(
        residents(2), [NIGHT], [need("NIGHT", 1, weekdays=(1, 2, 3))], days=7, rules=rules
    )
    assert schedule_shifts(three, config()).is_valid


def test_supervision_ratio_asks_for_enough_preceptors() -> None:
    """3 PGY-1 in clinic need ceil(3/2) = 2 preceptors; one faculty member is not enough."""
    clinic = shift("CLIN", "08:00", 240, requires_supervision=True, supervised_by=("PRE",))
    precept = shift("PRE", "08:00", 240)
    from resched.core.model import Role

    def case(count: int) -> object:
        people = residents(1, 1, 1) + faculty(count)
        monday = (1,)  # one session in a week: the week keeps its free days
        covers = [
            need("CLIN", 3, weekdays=monday),
            need("PRE", 0, 5, roles=(Role.FACULTY,), weekdays=monday),
        ]
        return schedule_shifts(problem(people, [clinic, precept], covers, days=7), config())

    ok = case(3)
    assert ok.is_valid  # type: ignore[attr-defined]
    assert len(on(ok.solution.assignments, "PRE")) == 2  # type: ignore[attr-defined]
    short = case(1)
    assert short.status is SolveStatus.INFEASIBLE  # type: ignore[attr-defined]
    assert any("supervising" in c for c in short.conflicts)  # type: ignore[attr-defined]


def test_leave_blocks_every_shift_touching_it() -> None:
    """A night shift the evening before leave reaches into the leave day."""
    leave = (Absence(1, day(3), day(3), AbsenceType.VACATION),)
    result = schedule_shifts(
        problem(residents(2, 2), [NIGHT], [need("NIGHT", 1)], days=7, absences=leave), config()
    )
    assert result.is_valid, (result.violations, result.conflicts)
    assert result.solution is not None
    mine = on(result.solution.assignments, "NIGHT", person_id=1)
    assert day(2) not in mine
    assert day(3) not in mine


def test_pattern_is_worked_except_when_excused() -> None:
    """On a pattern every day, a resident works the pattern shift unless on call or post-call
    or given a day off; the days off are only those the rules need."""
    ward = shift("WARD", "07:00", 600)
    result = schedule_shifts(
        problem(
            residents(2, 2, 2, 2),
            [ward, CALL],
            [need("CALL", 1), need("WARD", 0, 4)],
            pattern=dict.fromkeys(range(1, 8), ("WARD",)),
        ),
        config(),
    )
    assert result.is_valid, result.violations
    assert result.solution is not None
    schedule = result.solution.assignments
    busy = Counter((a.person_id, a.date) for a in schedule)
    assert max(busy.values()) == 1
    # Each day is a call, a post-call morning, a ward day, or one of the 4 free days 1-in-7
    # needs; a day off beyond those costs, so there are none.
    for person in (1, 2, 3, 4):
        calls = on(schedule, "CALL", person_id=person)
        post_call = [c for c in calls if c < day(27)]
        wards = on(schedule, "WARD", person_id=person)
        assert len(wards) + len(calls) + len(post_call) == 24
