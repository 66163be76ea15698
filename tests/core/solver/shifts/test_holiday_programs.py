"""Holiday rules of coverage on whole programs, generator and validator together: the demo's
clinics closed on Thanksgiving, and a small pediatrics-like program (continuity clinic closed
on Labor Day, a faculty holiday on-call only on holidays)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from resched.core.demo import build_demo
from resched.core.model import (
    Assignment,
    Block,
    BlockAssignment,
    CoverageRequirement,
    Eligibility,
    HolidayRule,
    Person,
    Program,
    Role,
    Rotation,
)
from resched.core.solver.shifts import ShiftProblem, schedule_shifts
from resched.core.solver.shifts.demo import dealt_plan, demo_shift_problem
from resched.core.solver.shifts.horizon import build_horizon
from resched.core.solver.shifts.validate import check_coverage
from tests.core.solver.shifts.tiny import config, shift

THANKSGIVING = dt.date(2026, 11, 26)
CLINIC_SHIFTS = frozenset({"CLIN-AM", "CLIN-PM", "PRECEPT-AM", "PRECEPT-PM"})


def _with_rule(
    coverage: tuple[CoverageRequirement, ...], codes: frozenset[str], rule: HolidayRule
) -> tuple[CoverageRequirement, ...]:
    return tuple(
        dataclasses.replace(c, holidays=rule) if c.shift_code in codes else c for c in coverage
    )


def test_the_demo_closes_its_clinics_on_thanksgiving() -> None:
    demo = build_demo()
    week = demo_shift_problem(
        demo, dealt_plan(demo, 6, turn=6), start=dt.date(2026, 11, 23), end=dt.date(2026, 11, 29)
    )
    assert THANKSGIVING in week.holidays
    closed = dataclasses.replace(
        week, coverage=_with_rule(week.coverage, CLINIC_SHIFTS, HolidayRule.NOT_ON_HOLIDAYS)
    )
    result = schedule_shifts(closed, config(work=1.0))
    assert result.is_valid, (result.status, result.violations[:5], result.conflicts)
    assert result.solution is not None
    worked = Counter((a.date, a.shift_code) for a in result.solution.assignments)
    assert not [key for key in worked if key[0] == THANKSGIVING and key[1] in CLINIC_SHIFTS]
    # The clinics run on the other weekdays, and the wards keep their call on the holiday.
    assert worked[(dt.date(2026, 11, 25), "PRECEPT-AM")] >= 1
    assert worked[(THANKSGIVING, "CALL")] == worked[(dt.date(2026, 11, 25), "CALL")] > 0
    # The validator agrees: nothing short on Thanksgiving under the holiday rules; the same
    # schedule under the demo's own rules (clinic every weekday) misses its preceptors there.
    horizon = build_horizon(closed)
    assert check_coverage(closed, horizon, result.solution.assignments) == []
    short = check_coverage(week, horizon, result.solution.assignments)
    assert short, "the demo's own rules want preceptors on Thanksgiving"
    assert all("Nov 26" in line for line in short), short


# A small program of another shape: 6 residents on two rotations, 2 faculty, 3 shift types.
LABOR_DAY = dt.date(2026, 9, 7)  # a Monday
START, END = LABOR_DAY, LABOR_DAY + dt.timedelta(days=6)
INPATIENT, CONTINUITY = "INPT", "CONT"
WARD = shift("WARD", "07:00", 10 * 60)
CLINIC = shift("CLINIC", "08:00", 8 * 60)
ON_CALL = shift("HOL-CALL", "08:00", 8 * 60)
WEEKDAYS = frozenset(range(1, 6))
EVERY_DAY = frozenset(range(1, 8))


def _pediatrics(clinic: HolidayRule, on_call: HolidayRule) -> ShiftProblem:
    residents = tuple(
        Person(i, f"p{i}", f"Dr P{i}", Role.RESIDENT, pgy=1 + i % 3) for i in range(1, 7)
    )
    faculty = tuple(Person(10 + i, f"a{i}", f"Dr A{i}", Role.FACULTY) for i in range(1, 3))
    rotations = (
        Rotation(INPATIENT, "Inpatient", weekly_pattern=dict.fromkeys(range(1, 6), ("WARD",))),
        Rotation(CONTINUITY, "Continuity", weekly_pattern=dict.fromkeys(WEEKDAYS, ("CLINIC",))),
    )
    plan = tuple(
        BlockAssignment(p.id, 1, INPATIENT if p.id <= 3 else CONTINUITY) for p in residents
    )
    resident = Eligibility(roles=frozenset({Role.RESIDENT}))
    coverage = (
        CoverageRequirement("WARD", EVERY_DAY, 1, 3, eligibility=resident, name="Ward"),
        CoverageRequirement(
            "CLINIC",
            WEEKDAYS,
            1,
            3,
            eligibility=Eligibility(rotations=frozenset({CONTINUITY})),
            name="Continuity clinic",
            holidays=clinic,
        ),
        CoverageRequirement(
            "HOL-CALL",
            EVERY_DAY,
            1,
            1,
            eligibility=Eligibility(roles=frozenset({Role.FACULTY})),
            name="Holiday on-call",
            holidays=on_call,
        ),
    )
    return ShiftProblem(
        program=Program("Pediatrics", timezone="America/Denver"),
        start=START,
        end=END,
        people=residents + faculty,
        shift_types=(WARD, CLINIC, ON_CALL),
        rotations=rotations,
        blocks=(Block(1, START, START + dt.timedelta(days=27)),),
        plan=plan,
        coverage=coverage,
        holidays=(LABOR_DAY,),
    )


def _days(assignments: tuple[Assignment, ...], code: str) -> set[dt.date]:
    return {a.date for a in assignments if a.shift_code == code}


def test_a_pediatrics_program_closes_clinic_and_calls_faculty_on_the_holiday_only() -> None:
    case = _pediatrics(HolidayRule.NOT_ON_HOLIDAYS, HolidayRule.HOLIDAYS_ONLY)
    result = schedule_shifts(case, config())
    assert result.is_valid, (result.status, result.violations[:5], result.conflicts)
    assert result.solution is not None
    assignments = result.solution.assignments
    weekdays = {START + dt.timedelta(days=i) for i in range(5)}
    assert _days(assignments, "CLINIC") == weekdays - {LABOR_DAY}
    oncall = [a for a in assignments if a.shift_code == "HOL-CALL"]
    assert [a.date for a in oncall] == [LABOR_DAY]
    # The validator: nothing short under these rules; under rules blind to holidays the same
    # schedule is short of clinic on Labor Day and of on-call on every other day.
    assert check_coverage(case, build_horizon(case), assignments) == []
    blind = _pediatrics(HolidayRule.ANY, HolidayRule.ANY)
    short = check_coverage(blind, build_horizon(blind), assignments)
    assert len(short) == 1 + 6, short
    assert sum("Continuity clinic" in line or "CLINIC" in line for line in short) == 1, short
