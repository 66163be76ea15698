"""The fairness report of a range (core/solver/shifts/spreads.py) on hand-made schedules: the
goal's pools, the spreads in the range and the year to date, who may catch up, and each
resident's shortest gap between two calls (across the range's start too)."""

from __future__ import annotations

from resched.core.model import Assignment, Person, Role
from resched.core.solver.shifts.problem import CALLS, HOLIDAYS, WEEKENDS
from resched.core.solver.shifts.spreads import FORMAT, measure_range_fairness
from tests.core.solver.shifts.tiny import CALL, START, day, need, problem, residents

# START is a Monday: days 5 and 6 are a weekend.
PEOPLE = (*residents(1, 1, 1), Person(4, "r4", "Dr R4", Role.RESIDENT, pgy=2))


def _calls(*cells: tuple[int, int]) -> tuple[Assignment, ...]:
    return tuple(Assignment(pid, day(offset), "CALL") for pid, offset in cells)


def test_spreads_per_pool_in_the_range_and_the_year_with_catch_up() -> None:
    case = problem(
        PEOPLE,
        [CALL],
        [need("CALL", 1)],
        days=14,
        holidays=(day(3),),
        year_to_date={1: {CALLS: 0}, 2: {CALLS: 5}, 3: {CALLS: 6}},
        catch_up=1,
    )
    done = _calls((1, 0), (1, 3), (1, 7), (1, 11), (2, 1), (2, 5), (3, 2), (3, 9), (4, 4))
    report = measure_range_fairness(case, done)
    calls = [p for p in report.pools if p.counter == CALLS]
    assert [p.pool for p in calls] == ["PGY-1 on R"]  # the lone PGY-2 is compared with no one
    (pgy1,) = calls
    assert [m.code for m in pgy1.members] == ["r1", "r2", "r3"]
    assert (pgy1.in_range.minimum, pgy1.in_range.maximum, pgy1.in_range.spread) == (2, 4, 2)
    assert (pgy1.year.minimum, pgy1.year.maximum) == (4, 8)  # 0+4, 5+2, 6+2
    assert pgy1.catching_up == ("r1",)  # 5 behind the top; r2 is 1 behind: even
    assert report.widest(CALLS) == 2
    (weekends,) = [p for p in report.pools if p.counter == WEEKENDS]
    assert (weekends.in_range.minimum, weekends.in_range.maximum) == (0, 1)  # r2 on day 5
    (holidays,) = [p for p in report.pools if p.counter == HOLIDAYS]
    assert holidays.in_range.maximum == 1  # r1's call on day 3


def test_shortest_gaps_count_the_last_call_before_the_range() -> None:
    before = (Assignment(2, day(-2), "CALL"),)
    case = problem(PEOPLE, [CALL], [need("CALL", 1)], days=14, before=before)
    done = _calls((1, 0), (1, 4), (1, 8), (2, 0), (2, 6), (3, 3))
    report = measure_range_fairness(case, done)
    gaps = [(g.person.code, g.nights, g.first, g.second) for g in report.gaps]
    assert gaps == [("r2", 2, day(-2), START), ("r1", 4, START, day(4))]  # r3: one call only
    shortest = report.shortest_gap
    assert shortest is not None
    assert shortest.person.code == "r2"
    data = report.to_json()
    assert data["format"] == FORMAT
    assert data["call_gaps"][0] == {
        "person": "r2",
        "name": "Dr R2",
        "nights": 2,
        "first": day(-2).isoformat(),
        "second": START.isoformat(),
    }
    assert {p["counter"] for p in data["pools"]} >= {"calls"}
    assert data["pools"][0]["range"]["spread"] == 2  # r1 3, r2 2, r3 1


def test_a_range_without_shared_work_reports_nothing_to_compare() -> None:
    case = problem(residents(1), [CALL], [need("CALL", 1)], days=7)
    report = measure_range_fairness(case, _calls((1, 0), (1, 3)))
    assert report.pools == ()
    assert report.widest(CALLS) == 0
    assert [g.nights for g in report.gaps] == [3]
