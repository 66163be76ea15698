"""Every rule family of the shift solver, alone, on a fixed assignment: hard families hold at
their limit and fail one step past it; soft families cost exactly what they say (with unit
weights, so a cost is the amount times the term's own scale)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

import pytest

from resched.core.model import (
    Absence,
    AbsenceType,
    Assignment,
    HolidayRule,
    Request,
    RequestKind,
    Role,
    RuleConfig,
    WeeklyQuota,
)
from resched.core.rules.findings import (
    CALL_Q3,
    CONTINUOUS_DUTY,
    DAY_OFF,
    DOUBLE_BOOKED,
    HOURS_80,
    NIGHT_FLOAT,
    SUPERVISION_RATIO,
)
from resched.core.solver.config import resolve_weights
from resched.core.solver.families import Kind
from resched.core.solver.shifts import schedule_shifts
from resched.core.solver.shifts.build import (
    COVERAGE,
    FAIRNESS,
    LOCKS,
    PAIR_PREFERENCES,
    PATTERNS,
    QUOTAS,
    REQUESTS,
    RULE_FAMILIES,
)
from resched.core.solver.shifts.constraints.rest import REST
from resched.core.solver.shifts.problem import (
    CALL_SPACING,
    CALLS,
    CHANGED_ASSIGNMENT,
    CONTINUITY_CLINIC,
    DEFAULT_WEIGHTS,
    EXTRA_SHIFT,
    FAIR_CALLS,
    FAIR_NIGHTS,
    PATTERN_DAY_OFF,
    REQUEST_DAY_OFF,
    REQUEST_SHIFT_OFF,
    REQUEST_SHIFT_ON,
    REST_8H,
    WEEKEND_FREE,
    WEEKENDS,
    Mode,
    ShiftProblem,
)
from tests.core.solver.harness import ShiftKey, Verdict, shift_rule
from tests.core.solver.shifts.test_holiday_programs import _pediatrics
from tests.core.solver.shifts.tiny import (
    CALL,
    NIGHT,
    PM,
    config,
    day,
    faculty,
    need,
    problem,
    residents,
    shift,
)

DAY = shift("DAY", "07:00", 600)  # 07:00-17:00
EVE = shift("EVE", "23:00", 240)  # 6 h after DAY ends: a new duty period, short of 8 h rest
WARD = shift("WARD", "07:00", 600)


def works(person: int, code: str, offsets: Iterable[int]) -> list[ShiftKey]:
    return [(person, day(k), code) for k in offsets]


def check(p: ShiftProblem, family: str, worked: Iterable[ShiftKey]) -> Verdict:
    return shift_rule(p, family, worked)


def feasible(p: ShiftProblem, family: str, worked: Iterable[ShiftKey]) -> bool:
    return check(p, family, worked).feasible


def cost(p: ShiftProblem, family: str, worked: Iterable[ShiftKey]) -> dict[str, int]:
    verdict = check(p, family, worked)
    assert verdict.feasible
    return verdict.penalties


# Hard families -------------------------------------------------------------------------------


def test_coverage_between_min_and_max() -> None:
    p = problem(residents(2, 2, 2), [DAY], [need("DAY", 1, 2)], days=1)
    assert not feasible(p, COVERAGE, [])
    assert feasible(p, COVERAGE, works(1, "DAY", [0]))
    assert feasible(p, COVERAGE, works(1, "DAY", [0]) + works(2, "DAY", [0]))
    three = works(1, "DAY", [0]) + works(2, "DAY", [0]) + works(3, "DAY", [0])
    assert not feasible(p, COVERAGE, three)


def test_coverage_demand_left_out_by_name() -> None:
    p = problem(residents(2, 2), [DAY, PM], [need("DAY", 1), need("PM", 1)], days=1)
    worked = works(1, "DAY", [0])  # nobody on PM
    assert not shift_rule(p, COVERAGE, worked).feasible
    assert shift_rule(p, COVERAGE, worked, skip=frozenset({"coverage:1"})).feasible


def test_eighty_hours_averaged_over_four_weeks() -> None:
    """24 days of 13 h 20 min = 320 h = 80.0 h a week: legal; 24 days of 13.5 h = 81 h a week."""
    for minutes, legal in ((800, True), (810, False)):
        long = shift("LONG", "07:00", minutes)
        p = problem(residents(2), [long], [need("LONG", 0, 1)])
        assert feasible(p, HOURS_80, works(1, "LONG", range(24))) is legal


def test_one_day_in_seven_free() -> None:
    p = problem(residents(2), [DAY], [need("DAY", 0, 1)])
    assert feasible(p, DAY_OFF, works(1, "DAY", range(24)))  # 4 free days in 28
    assert not feasible(p, DAY_OFF, works(1, "DAY", range(25)))


def test_one_day_in_seven_leaves_leave_out() -> None:
    """Seven days of leave: 21 effective days need 3 free; 18 worked leave exactly 3."""
    leave = (Absence(1, day(21), day(27), AbsenceType.VACATION),)
    p = problem(residents(2), [DAY], [need("DAY", 0, 1)], absences=leave)
    assert feasible(p, DAY_OFF, works(1, "DAY", range(18)))
    assert not feasible(p, DAY_OFF, works(1, "DAY", range(19)))


def test_call_q3_nine_in_28_legal_ten_not() -> None:
    p = problem(residents(2, 2, 2), [CALL], [need("CALL", 0, 1)])
    assert feasible(p, CALL_Q3, works(1, "CALL", range(0, 27, 3)))  # 9 calls
    assert not feasible(p, CALL_Q3, works(1, "CALL", range(0, 28, 3)))  # 10 calls


def test_call_every_nth_night_is_the_programs_setting() -> None:
    q4 = RuleConfig(call_every_nth_night=4)
    p = problem(residents(2, 2), [CALL], [need("CALL", 0, 1)], rules=q4)
    assert feasible(p, CALL_Q3, works(1, "CALL", range(0, 28, 4)))  # 7 calls
    assert not feasible(p, CALL_Q3, works(1, "CALL", range(0, 24, 3)))  # 8 calls


def test_night_float_max_consecutive() -> None:
    rules = RuleConfig(night_float_max_consecutive=3)
    p = problem(residents(2), [NIGHT], [need("NIGHT", 0, 1)], days=7, rules=rules)
    assert feasible(p, NIGHT_FLOAT, works(1, "NIGHT", [0, 1, 2, 4, 5, 6]))
    assert not feasible(p, NIGHT_FLOAT, works(1, "NIGHT", [0, 1, 2, 3]))


def test_continuous_duty_24_plus_4_and_rest_after_24_hours() -> None:
    """A day shift and an evening shift starting as it ends make one duty period: 10 h + 14 h
    is 24 h, the limit of duty (the 4 h beyond are transition time, as in CALL); 10 h + 15 h
    is one hour past it."""
    late = [shift("LATE14", "17:00", 14 * 60), shift("LATE15", "17:00", 15 * 60)]
    covers = [need(c, 0, 1) for c in ("DAY", "LATE14", "LATE15", "CALL", "PM")]
    p = problem(residents(2), [DAY, *late, CALL, PM], covers, days=3)
    assert feasible(p, CONTINUOUS_DUTY, works(1, "DAY", [0]) + works(1, "LATE14", [0]))
    assert not feasible(p, CONTINUOUS_DUTY, works(1, "DAY", [0]) + works(1, "LATE15", [0]))
    assert feasible(p, CONTINUOUS_DUTY, works(1, "CALL", [0]))  # 24 h + 4 h transition
    # A call ends 11:00 the next day: a 13:00 session then leaves 2 h, not 14.
    assert not feasible(p, CONTINUOUS_DUTY, works(1, "CALL", [0]) + works(1, "PM", [1]))
    assert feasible(p, CONTINUOUS_DUTY, works(1, "CALL", [0]) + works(1, "PM", [2]))


def test_supervision_ratio() -> None:
    """3 PGY-1 in clinic need ceil(3/2) = 2 preceptors."""
    clinic = shift("CLIN", "08:00", 240, requires_supervision=True, supervised_by=("PRE",))
    precept = shift("PRE", "08:00", 240)
    covers = [need("CLIN", 0, 3), need("PRE", 0, 3, roles=(Role.FACULTY,))]
    p = problem(residents(1, 1, 1) + faculty(2), [clinic, precept], covers, days=1)
    clinic_day = [(pid, day(0), "CLIN") for pid in (1, 2, 3)]
    assert feasible(p, SUPERVISION_RATIO, [*clinic_day, (100, day(0), "PRE"), (101, day(0), "PRE")])
    assert not feasible(p, SUPERVISION_RATIO, [*clinic_day, (100, day(0), "PRE")])
    assert feasible(p, SUPERVISION_RATIO, [*clinic_day[:2], (100, day(0), "PRE")])


def test_double_booked() -> None:
    p = problem(residents(2), [DAY, PM], [need("DAY", 0, 1), need("PM", 0, 1)], days=2)
    assert not feasible(p, DOUBLE_BOOKED, works(1, "DAY", [0]) + works(1, "PM", [0]))
    assert feasible(p, DOUBLE_BOOKED, works(1, "DAY", [0]) + works(1, "PM", [1]))


def test_locks_hold() -> None:
    base = problem(residents(2, 2), [DAY], [need("DAY", 0, 1)], days=2)
    p = replace(base, locked=(Assignment(1, day(1), "DAY", locked=True),))
    assert feasible(p, LOCKS, works(1, "DAY", [1]))
    assert not feasible(p, LOCKS, works(2, "DAY", [1]))


def test_weekly_quota_in_full_weeks() -> None:
    quota = (WeeklyQuota(("PM",), 1, 1),)
    p = problem(residents(2), [PM], [need("PM", 0, 1, weekdays=range(1, 6))], days=14, quotas=quota)
    assert feasible(p, QUOTAS, works(1, "PM", [0, 8]))
    assert not feasible(p, QUOTAS, works(1, "PM", [0, 1, 8]))  # two in the first week
    assert not feasible(p, QUOTAS, works(1, "PM", [0]))  # none in the second


def test_minimum_rest_between_shifts_and_a_free_day_after_night_float() -> None:
    """DAY 07:00-17:00 then a night from 19:00: 2 h apart, under the default 10 h: refused;
    the next evening's night is 26 h later. Night float on days 0-1 leaves day 2 free."""
    p = problem(residents(2), [DAY, NIGHT], [need("DAY", 0, 1), need("NIGHT", 0, 1)], days=4)
    assert not feasible(p, REST, works(1, "DAY", [0]) + works(1, "NIGHT", [0]))
    assert feasible(p, REST, works(1, "DAY", [0]) + works(1, "NIGHT", [1]))
    assert not feasible(p, REST, works(1, "NIGHT", [0, 1]) + works(1, "DAY", [2]))
    assert feasible(p, REST, works(1, "NIGHT", [0, 1]) + works(1, "DAY", [3]))
    # 18:00 on the day after the last night is 11 h of rest, but not the free day owed.
    late = shift("LATE", "18:00", 240)
    q = problem(residents(2), [NIGHT, late], [need("NIGHT", 0, 1), need("LATE", 0, 1)], days=4)
    assert not feasible(q, REST, works(1, "NIGHT", [0, 1]) + works(1, "LATE", [2]))
    assert feasible(q, REST, works(1, "NIGHT", [0, 1]) + works(1, "LATE", [3]))


# Soft families -------------------------------------------------------------------------------


def test_part_week_quota_minimum_costs_continuity_clinic() -> None:
    """Ten days: the second week has three days on the rotation, so its missed minimum costs."""
    quota = (WeeklyQuota(("PM",), 1, 1),)
    p = problem(residents(2), [PM], [need("PM", 0, 1, weekdays=range(1, 6))], days=10, quotas=quota)
    assert cost(p, QUOTAS, works(1, "PM", [0])) == {CONTINUITY_CLINIC: 1}
    assert cost(p, QUOTAS, works(1, "PM", [0, 7])) == {}


def test_a_part_week_in_the_look_ahead_costs_nothing() -> None:
    """The same ten days decided up to the second Monday, two days of look-ahead after it: the
    part week ends in the look-ahead, so the next range (which decides it) weighs it."""
    quota = (WeeklyQuota(("PM",), 1, 1),)
    p = problem(residents(2), [PM], [need("PM", 0, 1, weekdays=range(1, 6))], days=10, quotas=quota)
    ahead = replace(p, end=day(7), lookahead_days=2)
    assert cost(ahead, QUOTAS, works(1, "PM", [0])) == {}


def test_extra_shift_costs_each_slot_of_a_demand_with_room() -> None:
    """Every worked slot of a demand whose max exceeds its min costs one: the minimum's share
    is the same in every schedule, so only the surplus moves the choice."""
    p = problem(residents(2, 2, 2), [DAY], [need("DAY", 1, 3)], days=1)
    assert cost(p, EXTRA_SHIFT, works(1, "DAY", [0])) == {EXTRA_SHIFT: 1}
    assert cost(p, EXTRA_SHIFT, works(1, "DAY", [0]) + works(2, "DAY", [0])) == {EXTRA_SHIFT: 2}
    fixed = problem(residents(2, 2, 2), [DAY], [need("DAY", 2)], days=1)
    assert cost(fixed, EXTRA_SHIFT, works(1, "DAY", [0]) + works(2, "DAY", [0])) == {}


def test_pattern_day_off_costs_unless_excused() -> None:
    weekdays = dict.fromkeys(range(1, 6), ("WARD",))
    covers = [need("WARD", 0, 2), need("CALL", 0, 1)]
    p = problem(residents(2), [WARD, CALL], covers, days=7, pattern=weekdays)
    assert cost(p, PATTERNS, works(1, "WARD", [0, 1, 2, 3, 4])) == {}
    assert cost(p, PATTERNS, works(1, "WARD", [0, 1, 3])) == {PATTERN_DAY_OFF: 2}
    # A call on Wednesday keeps the resident from the ward that day: no day off taken.
    excused = works(1, "WARD", [0, 1, 3, 4]) + works(1, "CALL", [2])
    assert cost(p, PATTERNS, excused) == {}


def test_weekend_free_in_every_two_weekends() -> None:
    p = problem(
        residents(2), [DAY], [need("DAY", 0, 1)], days=14, weekend_rotations=frozenset({"R"})
    )
    weekends = [5, 6, 12, 13]
    assert cost(p, WEEKEND_FREE, works(1, "DAY", weekends)) == {WEEKEND_FREE: 1}
    assert cost(p, WEEKEND_FREE, works(1, "DAY", [5, 6, 12])) == {}


def test_a_pair_of_weekends_belongs_to_the_range_holding_its_last_day() -> None:
    """A pair that ends in the look-ahead costs nothing (the next range decides and weighs it);
    one that starts in the history is weighed with its first weekend as published."""
    p = problem(
        residents(2), [DAY], [need("DAY", 0, 1)], days=14, weekend_rotations=frozenset({"R"})
    )
    ahead = replace(p, end=day(9), lookahead_days=4)
    assert cost(ahead, WEEKEND_FREE, works(1, "DAY", [5, 6, 12, 13])) == {}
    history = tuple(Assignment(1, day(k), "DAY") for k in (5, 6))
    later = replace(p, start=day(7), before=history)
    assert cost(later, WEEKEND_FREE, works(1, "DAY", [12, 13])) == {WEEKEND_FREE: 1}
    assert cost(later, WEEKEND_FREE, works(1, "DAY", [12])) == {}


def test_call_spacing_costs_q2_three_times_q3() -> None:
    p = problem(residents(2), [CALL], [need("CALL", 0, 1)], days=14)
    assert cost(p, PAIR_PREFERENCES, works(1, "CALL", [0, 2])) == {CALL_SPACING: 3}
    assert cost(p, PAIR_PREFERENCES, works(1, "CALL", [0, 3])) == {CALL_SPACING: 1}
    assert cost(p, PAIR_PREFERENCES, works(1, "CALL", [0, 4, 8])) == {}


def test_rest_8h_between_duty_periods() -> None:
    p = problem(residents(2), [DAY, EVE], [need("DAY", 0, 1), need("EVE", 0, 1)], days=2)
    assert cost(p, PAIR_PREFERENCES, works(1, "DAY", [0]) + works(1, "EVE", [0])) == {REST_8H: 1}
    assert cost(p, PAIR_PREFERENCES, works(1, "DAY", [0]) + works(1, "EVE", [1])) == {}


def test_fairness_band_in_the_range_and_a_bounded_catch_up() -> None:
    p = problem(residents(2, 2), [CALL], [need("CALL", 0, 1)], days=12)
    assert cost(p, FAIRNESS, works(1, "CALL", [0, 4]) + works(2, "CALL", [8])) == {}
    assert cost(p, FAIRNESS, works(1, "CALL", [0, 4, 8])) == {FAIR_CALLS: 2}
    # Resident 1 is 3 calls behind the year: one call above the band is free (catch-up 1),
    # the third still costs; taking the allowance (2 against 1) costs nothing at all.
    behind = replace(p, year_to_date={2: {CALLS: 3}}, catch_up=1)
    assert cost(behind, FAIRNESS, works(1, "CALL", [0, 4, 8])) == {FAIR_CALLS: 1}
    assert cost(behind, FAIRNESS, works(1, "CALL", [0, 4]) + works(2, "CALL", [8])) == {}
    # Without a catch-up the year to date does not enter the band at all.
    even = replace(behind, catch_up=0)
    assert cost(even, FAIRNESS, works(1, "CALL", [0, 4, 8])) == {FAIR_CALLS: 2}


def test_fairness_of_nights() -> None:
    p = problem(residents(2, 2), [NIGHT], [need("NIGHT", 0, 1)], days=7)
    assert cost(p, FAIRNESS, works(1, "NIGHT", [0, 1, 2, 3])) == {FAIR_NIGHTS: 3}
    assert cost(p, FAIRNESS, works(1, "NIGHT", [0, 1]) + works(2, "NIGHT", [2, 3])) == {}


def test_requests_cost_their_weight_per_day_missed() -> None:
    asks = (
        Request(1, RequestKind.DAY_OFF, day(0), day(1), weight=3),
        Request(2, RequestKind.SHIFT_ON, day(2), day(2), shift_code="DAY", weight=2),
        Request(2, RequestKind.SHIFT_OFF, day(3), day(3), shift_code="DAY"),
    )
    p = problem(residents(2, 2), [DAY], [need("DAY", 0, 2)], days=4, requests=asks)
    granted = works(1, "DAY", [2, 3]) + works(2, "DAY", [2])
    assert cost(p, REQUESTS, granted) == {}
    missed = works(1, "DAY", [0, 1]) + works(2, "DAY", [3])
    assert cost(p, REQUESTS, missed) == {
        REQUEST_DAY_OFF: 6,
        REQUEST_SHIFT_ON: 2,
        REQUEST_SHIFT_OFF: 1,
    }


def test_repair_changes_count_each_assignment_added_or_removed() -> None:
    published = tuple(Assignment(1, day(k), "DAY") for k in (0, 1))
    base = problem(residents(2, 2), [DAY], [need("DAY", 1)], days=2)
    p = replace(base, mode=Mode.REPAIR, published=published)
    assert cost(p, CHANGED_ASSIGNMENT, works(1, "DAY", [0, 1])) == {}
    moved = works(1, "DAY", [0]) + works(2, "DAY", [1])
    assert cost(p, CHANGED_ASSIGNMENT, moved) == {CHANGED_ASSIGNMENT: 2}
    assert cost(replace(p, mode=Mode.FRESH), CHANGED_ASSIGNMENT, moved) == {}


def test_every_family_is_tested_here() -> None:
    """A new row of RULE_FAMILIES needs its test in this file (hard: both outcomes; soft: its
    cost)."""
    tested = {
        COVERAGE, EXTRA_SHIFT, LOCKS, DOUBLE_BOOKED, CONTINUOUS_DUTY, SUPERVISION_RATIO, QUOTAS,
        PATTERNS, HOURS_80, DAY_OFF, CALL_Q3, NIGHT_FLOAT, WEEKEND_FREE, PAIR_PREFERENCES,
        FAIRNESS, REQUESTS, CHANGED_ASSIGNMENT, REST,
    }  # fmt: skip
    assert {f.name for f in RULE_FAMILIES} == tested
    assert all(f.penalties for f in RULE_FAMILIES if f.kind is Kind.SOFT)
    # Every penalty the solver weighs belongs to a family (whose test checks its cost).
    assert {n for f in RULE_FAMILIES for n in f.penalties} == set(DEFAULT_WEIGHTS)


def test_an_unknown_family_is_refused_by_name() -> None:
    p = problem(residents(2), [DAY], [need("DAY", 0, 1)], days=1)
    with pytest.raises(ValueError, match="unknown rule families \\['rest-10h'\\]"):
        shift_rule(p, "rest-10h", [])
    with pytest.raises(ValueError, match="not decisions"):
        shift_rule(p, COVERAGE, works(1, "NIGHT", [0]))


@pytest.mark.parametrize(
    "family", [COVERAGE, DOUBLE_BOOKED, CONTINUOUS_DUTY, HOURS_80, DAY_OFF, CALL_Q3]
)
def test_nine_calls_each_in_27_days_is_legal_under_every_rule(family: str) -> None:
    """Three residents taking call in turn over 27 nights: nine calls each, every night covered
    once, and each rule that could object holds (replaces a full solve of the same problem)."""
    p = problem(residents(2, 2, 2), [CALL], [need("CALL", 1)], days=27)
    in_turn = [(1 + k % 3, day(k), "CALL") for k in range(27)]
    assert feasible(p, family, in_turn)


def test_a_solved_pediatrics_schedule_family_by_family() -> None:
    """The table and the full model agree on a second program shape: a schedule the full solve
    returns holds under each hard family alone, and each soft family alone costs what the full
    solve reported for its penalty names."""
    base = _pediatrics(HolidayRule.NOT_ON_HOLIDAYS, HolidayRule.HOLIDAYS_ONLY)
    first = base.start
    asks = (
        Request(1, RequestKind.DAY_OFF, first, first + timedelta(days=2), weight=2),
        Request(4, RequestKind.SHIFT_OFF, first, first + timedelta(days=6), shift_code="CLINIC"),
    )
    p = replace(base, requests=asks, year_to_date={1: {WEEKENDS: 6}})
    result = schedule_shifts(p, config())
    assert result.solution is not None
    worked = [(a.person_id, a.date, a.shift_code) for a in result.solution.assignments]
    weights = resolve_weights(DEFAULT_WEIGHTS, p.weights)
    reported: Counter[str] = Counter()
    for penalty in result.penalties:
        reported[penalty.name] += penalty.weight * penalty.amount
    for family in RULE_FAMILIES:
        verdict = shift_rule(p, family.name, worked, weights)
        assert verdict.feasible, family.name
        assert verdict.penalties == {n: reported[n] for n in family.penalties if reported[n]}
    assert len(reported) >= 2, reported  # the comparison compared something
