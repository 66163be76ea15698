"""A draft's chain report (services/generation/chains.py): the schedule of the range with the
published shifts around it, kept in the report's JSON and read back unchanged."""

from __future__ import annotations

from resched.core.model import Assignment
from resched.services.generation.chains import chain_json, chain_of, chains_in
from tests.core.solver.shifts.tiny import day, problem, residents, shift

ED_N = shift("ED-N", "19:00", 12 * 60)
DAY = shift("DAY", "07:00", 10 * 60)


def test_a_published_night_chains_with_the_ranges_first_morning() -> None:
    night = Assignment(1, day(-1), "ED-N")
    case = problem(residents(2), [ED_N, DAY], [], days=7, before=(night,))
    (chain,) = chains_in(case, (Assignment(1, day(0), "DAY"),))
    assert (chain.rule, chain.first_shift, chain.next_shift) == ("min-rest", "ED-N", "DAY")
    assert (chain.first_date, chain.next_date, chain.gap_hours) == (day(-1), day(0), 0.0)
    assert chain_of(chain_json(chain)) == chain
    assert chains_in(case, (Assignment(1, day(1), "DAY"),)) == ()  # 24 h later
