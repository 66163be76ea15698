from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from resched.core.model import (
    CoverageRequirement,
    Eligibility,
    HolidayRule,
    Role,
    ShiftKind,
    ShiftType,
)
from resched.web.wording import (
    describe_coverage,
    describe_hours,
    describe_length,
    describe_pgy,
    describe_prerequisites,
    describe_weekdays,
)


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (set(range(1, 8)), "Every day"),
        ({1, 2, 3, 4, 5}, "Monday to Friday"),
        ({7, 1, 2, 3, 4}, "Sunday to Thursday"),
        ({6, 7}, "Saturday and Sunday"),
        ({1, 3, 5}, "Monday, Wednesday and Friday"),
        ({2}, "Tuesday"),
        ({5, 6}, "Friday and Saturday"),
        (set(), "Never"),
    ],
)
def test_weekdays(days: set[int], words: str) -> None:
    assert describe_weekdays(frozenset(days)) == words


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [(2, None, "PGY-2+"), (1, 1, "PGY-1"), (1, 2, "PGY-1 to PGY-2"), (None, 2, "PGY-2 or below")],
)
def test_pgy(low: int | None, high: int | None, words: str) -> None:
    assert describe_pgy(low, high) == words


def test_coverage_sentences() -> None:
    call = CoverageRequirement(
        shift_code="CALL",
        weekdays=frozenset(range(1, 8)),
        min_count=1,
        max_count=1,
        eligibility=Eligibility(
            roles=frozenset({Role.RESIDENT}), pgy_min=2, rotations=frozenset({"W"})
        ),
    )
    assert (
        describe_coverage(call, {"W": "Wards"}) == "Every day: 1 PGY-2+ resident from Wards on CALL"
    )
    clinic = CoverageRequirement(
        shift_code="CLIN-AM", weekdays=frozenset(range(1, 6)), min_count=0, max_count=8
    )
    assert describe_coverage(clinic) == "Monday to Friday: at most 8 people on CLIN-AM"
    closed = dataclasses.replace(clinic, holidays=HolidayRule.NOT_ON_HOLIDAYS)
    assert describe_coverage(closed).startswith("Monday to Friday, not on holidays: ")
    rota = dataclasses.replace(clinic, holidays=HolidayRule.HOLIDAYS_ONLY)
    assert describe_coverage(rota).startswith("Monday to Friday, on holidays only: ")
    faculty = CoverageRequirement(
        shift_code="ATTEND",
        weekdays=frozenset(range(1, 8)),
        min_count=2,
        max_count=4,
        eligibility=Eligibility(roles=frozenset({Role.FACULTY}), credentials=frozenset({"BLS"})),
    )
    assert describe_coverage(faculty) == "Every day: 2 to 4 faculty members with BLS on ATTEND"


def _shift(start: int, minutes: int, transition: int = 0) -> ShiftType:
    return ShiftType("X", "X", dt.time(start), minutes, ShiftKind.WORK, transition)


def test_shift_hours_and_length() -> None:
    assert describe_hours(_shift(7, 600)) == "07:00\u201317:00"
    assert describe_hours(_shift(19, 720)) == "19:00\u201307:00 next day"
    assert describe_hours(_shift(7, 1440, 240)) == "07:00 for 24 h"
    assert describe_length(_shift(7, 1440, 240)) == "24 h + 4 h transition"
    assert describe_length(_shift(8, 270)) == "4 h 30 min"
    assert describe_length(_shift(8, 45)) == "45 min"


def test_coverage_dates_in_plain_words() -> None:
    every = frozenset(range(1, 8))
    dst = dt.date(2026, 10, 31)
    call = CoverageRequirement("CALL", every, 1, 1, except_dates=frozenset({dst}))
    assert describe_coverage(call) == "Every day except Sat 31 Oct 2026: 1 person on CALL"
    short = CoverageRequirement("CALL-DST", every, 1, 1, dates=frozenset({dst}))
    assert describe_coverage(short) == "Sat 31 Oct 2026 only: 1 person on CALL-DST"
    three = frozenset({dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2027, 1, 1)})
    weekday_rule = CoverageRequirement("DAY", frozenset(range(1, 6)), 0, 2, dates=three)
    assert describe_coverage(weekday_rule) == (
        "Fri 25 Dec 2026 and Fri 1 Jan 2027 only: at most 2 people on DAY"  # Sat 26 Dec is off
    )


def test_prerequisites_by_name_or_a_dash() -> None:
    names = {"W": "Wards", "NF": "Night Float"}
    assert describe_prerequisites(("W", "NF"), names) == "Wards, Night Float"
    assert describe_prerequisites(("GONE",), names) == "GONE"
    assert describe_prerequisites((), names) == "—"


def test_every_rule_and_soft_goal_has_words() -> None:
    from resched.core.rules import RULE_IDS
    from resched.core.solver.plan import problem as plan_problem
    from resched.core.solver.shifts import problem as shift_problem
    from resched.web.wording import PENALTY_NAMES, describe_penalty, describe_rule

    assert all(describe_rule(rule) != rule for rule in RULE_IDS)
    names = {
        value
        for module in (plan_problem, shift_problem)
        for key, value in vars(module).items()
        if key.isupper() and isinstance(value, str) and "_" in value and value.islower()
    }
    assert names <= set(PENALTY_NAMES)
    assert describe_penalty("heavy_streak") == "No long runs of heavy rotations"
    assert describe_penalty("something_new") == "Something new"
