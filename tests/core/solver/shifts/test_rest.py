"""The program's rest between shifts (core/rest.py) as a hard rule of the shift generator, one
small model at a time: one or two residents over a week, demands on given dates only. Each case is
decided by this family alone (ACGME's own rules allow all of them). A week, so that
1-in-7 leaves room for the shifts asked."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from resched.core.generation_settings import GenerationSettings, ShiftSequence
from resched.core.model import Assignment, CoverageRequirement, Person, ShiftKind, ShiftType
from resched.core.solver import SolveStatus
from resched.core.solver.shifts import ShiftProblem, schedule_shifts
from resched.core.solver.shifts.build import build_model
from resched.core.solver.shifts.constraints.rest import REST
from resched.core.solver.shifts.problem import DEFAULT_WEIGHTS
from tests.core.solver.shifts.tiny import CALL, NIGHT, config, day, need, problem, residents, shift

ED_D = shift("ED-D", "07:00", 12 * 60)
ED_N = shift("ED-N", "19:00", 12 * 60)
AM = shift("CLIN-AM", "08:00", 4 * 60)
PM = shift("CLIN-PM", "13:00", 4 * 60)
DAY = shift("DAY", "07:00", 10 * 60)
HOME = shift("HOME", "17:00", 14 * 60, ShiftKind.AT_HOME_CALL)
EVE = shift("EVE", "18:00", 4 * 60)  # 11 h after a 19:00-07:00 night
RULE_TEXT = "minimum rest of"
ONE = residents(2)
TWO = residents(2, 2)


def _on(code: str, offset: int) -> CoverageRequirement:
    return dataclasses.replace(need(code, 1), dates=frozenset({day(offset)}))


def _solve(
    demands: Sequence[tuple[str, int]],
    shifts: Sequence[ShiftType],
    *,
    people: tuple[Person, ...] = TWO,
    settings: GenerationSettings | None = None,
) -> tuple[SolveStatus, tuple[str, ...]]:
    base = problem(people, shifts, [_on(code, offset) for code, offset in demands], days=7)
    if settings is not None:
        base = _with(base, settings)
    result = schedule_shifts(base, config(work=2.0, num_workers=1))
    if result.solution is not None:
        assert result.is_valid, result.violations
    return result.status, result.conflicts


def _with(base: ShiftProblem, settings: GenerationSettings) -> ShiftProblem:
    return dataclasses.replace(base, program=dataclasses.replace(base.program, generation=settings))


def _feasible(status: SolveStatus) -> bool:
    return status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def test_an_emergency_day_and_night_are_not_one_24_hour_stretch() -> None:
    status, conflicts = _solve([("ED-D", 0), ("ED-N", 0)], [ED_D, ED_N], people=TWO)
    assert _feasible(status)  # two residents share them
    status, conflicts = _solve([("ED-D", 0), ("ED-N", 0)], [ED_D, ED_N], people=ONE)
    assert status is SolveStatus.INFEASIBLE
    assert any(RULE_TEXT in c and "10 h" in c for c in conflicts), conflicts


def test_a_24_hour_call_stays_one_shift() -> None:
    status, _ = _solve([("CALL", 0)], [CALL], people=ONE)
    assert _feasible(status)


def test_a_morning_and_an_afternoon_clinic_session_make_one_day() -> None:
    status, _ = _solve([("CLIN-AM", 0), ("CLIN-PM", 0)], [AM, PM], people=ONE)
    assert _feasible(status)


def test_without_the_sequence_the_clinic_sessions_are_two_people() -> None:
    settings = GenerationSettings(allowed_sequences=())
    demands = [("CLIN-AM", 0), ("CLIN-PM", 0)]
    status, conflicts = _solve(demands, [AM, PM], people=ONE, settings=settings)
    assert status is SolveStatus.INFEASIBLE
    assert any(RULE_TEXT in c for c in conflicts), conflicts


def test_a_sequence_the_program_allows_by_code_may_chain() -> None:
    settings = GenerationSettings(allowed_sequences=(ShiftSequence("ED-D", "ED-N"),))
    demands = [("ED-D", 0), ("ED-N", 0)]
    status, _ = _solve(demands, [ED_D, ED_N], people=ONE, settings=settings)
    assert _feasible(status)


def test_call_from_home_after_a_day_shift_is_allowed() -> None:
    status, _ = _solve([("DAY", 0), ("HOME", 0)], [DAY, HOME], people=ONE)
    assert _feasible(status)


def test_a_0700_day_after_a_night_is_forbidden_even_off_night_float() -> None:
    demands = [("ED-N", 0), ("DAY", 1)]
    status, conflicts = _solve(demands, [ED_N, DAY], people=ONE)
    assert status is SolveStatus.INFEASIBLE
    assert any(RULE_TEXT in c for c in conflicts), conflicts
    status, _ = _solve([("NIGHT", 0), ("DAY", 1)], [NIGHT, DAY], people=ONE)
    assert status is SolveStatus.INFEASIBLE


def test_leaving_night_float_gives_a_free_day() -> None:
    """An evening shift 11 h after the night: enough rest after an emergency night, but the
    day after the last night of night float is free."""
    status, _ = _solve([("ED-N", 0), ("EVE", 1)], [ED_N, EVE], people=ONE)
    assert _feasible(status)
    status, conflicts = _solve([("NIGHT", 0), ("EVE", 1)], [NIGHT, EVE], people=ONE)
    assert status is SolveStatus.INFEASIBLE
    assert any("free day after night float" in c for c in conflicts), conflicts


def test_night_float_nights_in_a_row_need_no_free_day_between() -> None:
    status, _ = _solve([("NIGHT", 0), ("NIGHT", 1)], [NIGHT], people=ONE)
    assert _feasible(status)


def test_the_minimum_rest_is_the_programs() -> None:
    """11 h between the night and the evening shift: 10 h allows it, 12 h does not, 0 h
    still keeps a duty period from holding two shifts."""
    demands = [("ED-N", 0), ("EVE", 1)]
    one = ONE
    status, _ = _solve(demands, [ED_N, EVE], people=one, settings=GenerationSettings())
    assert _feasible(status)
    strict = GenerationSettings(min_rest_hours=12)
    status, conflicts = _solve(demands, [ED_N, EVE], people=one, settings=strict)
    assert status is SolveStatus.INFEASIBLE
    assert any("minimum rest of 12 h" in c for c in conflicts), conflicts
    none = GenerationSettings(min_rest_hours=0)
    status, _ = _solve([("ED-D", 0), ("ED-N", 0)], [ED_D, ED_N], people=one, settings=none)
    assert status is SolveStatus.INFEASIBLE


def test_the_family_can_be_left_out_by_name() -> None:
    """What a diagnosis does: without the family the day + night pair is a legal model."""
    base = problem(residents(1), [ED_D, ED_N], [_on("ED-D", 0), _on("ED-N", 0)], days=1)
    weights = dict(DEFAULT_WEIGHTS)
    with_rest = build_model(base, weights).ctx.model.proto.constraints
    without = build_model(base, weights, skip=frozenset({REST})).ctx.model.proto.constraints
    assert len(with_rest) > len(without)


def test_a_published_night_before_the_range_keeps_the_next_morning_free() -> None:
    night = Assignment(1, day(-1), "ED-N")
    base = problem(residents(1), [ED_N, DAY], [_on("DAY", 0)], days=1, before=(night,))
    result = schedule_shifts(base, config(work=1.0, num_workers=1))
    assert result.status is SolveStatus.INFEASIBLE
    assert any("resting after ED-N" in c for c in result.conflicts), result.conflicts
