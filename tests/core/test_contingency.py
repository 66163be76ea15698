"""Contingency analysis on hand-built programs: the only credentialed person is found, pairs built
to be fatal together are found, ample slack raises no alarm, margins count who could step in,
and the cover agrees with a brute-force search validated by the full checker."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from itertools import product

from resched.core.contingency.margin import margins
from resched.core.contingency.outages import Severity, n_minus_1, n_minus_2, orphaned, outage
from resched.core.contingency.standby import Demand
from resched.core.interchange import parse_schedule
from resched.core.model import Assignment, CoverageRequirement, Eligibility
from resched.core.rules import ScheduleContext, check_all
from resched.core.rules import Severity as FindingSeverity
from tests.core.builders import Doc

START = dt.date(2026, 7, 1)
DAYS = 7
EVERY_DAY = frozenset(range(1, 8))
NIGHTS = 5


def _context(
    doc: Doc,
    credentials: dict[str, frozenset[str]] | None = None,
    inactive: frozenset[str] = frozenset(),
) -> ScheduleContext:
    data = parse_schedule(doc.doc)
    people = tuple(
        dataclasses.replace(
            p,
            credentials=(credentials or {}).get(p.code, frozenset()),
            active=p.code not in inactive,
        )
        for p in data.people
    )
    return ScheduleContext(dataclasses.replace(data, people=people))


def _ids(ctx: ScheduleContext) -> dict[str, int]:
    return {p.code: p.id or 0 for p in ctx.people.values()}


def _demand(*needs: CoverageRequirement) -> Demand:
    return Demand(needs=needs, holidays=frozenset(), rotations={})


def _need(shift: str, minimum: int = 1, rule: Eligibility | None = None) -> CoverageRequirement:
    return CoverageRequirement(
        shift, EVERY_DAY, minimum, minimum + 2, rule or Eligibility(), name=shift
    )


def _end() -> dt.date:
    return START + dt.timedelta(days=DAYS - 1)


def _peds_attending(inactive: frozenset[str] = frozenset()) -> tuple[ScheduleContext, Demand]:
    """A and B hold the 'peds' credential the ATTEND demand asks for; A works every day, B
    none; C and D, without it, work DAY shifts."""
    doc = Doc(days=DAYS)
    for code in "AB":
        doc.faculty(code)
    for code in "CD":
        doc.resident(code, pgy=2)
    doc.shift("ATTEND", "08:00", 8 * 60)
    doc.shift("DAY", "07:00", 10 * 60)
    doc.assign_days("A", "ATTEND", range(DAYS))
    doc.assign_days("C", "DAY", range(0, DAYS, 2))
    doc.assign_days("D", "DAY", range(1, DAYS, 2))
    ctx = _context(doc, {"A": frozenset({"peds"}), "B": frozenset({"peds"})}, inactive)
    demand = _demand(
        _need("ATTEND", rule=Eligibility(credentials=frozenset({"peds"}))), _need("DAY")
    )
    return ctx, demand


def test_the_only_credentialed_person_is_a_single_point_of_failure() -> None:
    ctx, demand = _peds_attending()
    ids = _ids(ctx)
    lone = n_minus_1(ctx, demand, [ids["A"], ids["C"]], START, _end())
    by_person = {o.people[0]: o for o in lone}
    a = by_person[ids["A"]]
    assert len(a.orphans) == DAYS
    assert a.repair.uncovered == ()  # B can take every day
    assert a.repair.size == DAYS
    assert {pid for _, pid in a.repair.given} == {ids["B"]}
    c = by_person[ids["C"]]
    assert c.severity is Severity.LOW  # D (alternate days) or B... someone covers C's days
    assert c.repair.uncovered == ()
    # A and B together: nobody else holds the credential.
    fatal = n_minus_2(ctx, demand, [ids["A"], ids["B"], ids["C"], ids["D"]], START, _end())
    pairs = {o.people for o in fatal}
    assert (ids["A"], ids["B"]) in pairs
    worst = next(o for o in fatal if o.people == (ids["A"], ids["B"]))
    assert len(worst.repair.uncovered) == DAYS
    assert worst.repair.impossible == worst.repair.uncovered


def test_a_lone_credential_holder_is_critical_alone() -> None:
    ctx, demand = _peds_attending(inactive=frozenset({"B"}))
    ids = _ids(ctx)
    (a,) = n_minus_1(ctx, demand, [ids["A"]], START, _end())
    assert a.severity is Severity.CRITICAL
    assert len(a.repair.uncovered) == DAYS


def test_ample_slack_raises_no_alarm() -> None:
    doc = Doc(days=DAYS)
    for code in "ABCDEF":
        doc.resident(code, pgy=2)
    doc.shift("DAY", "07:00", 10 * 60)
    for offset in range(DAYS):
        doc.assign("ABCDEF"[offset % 6], offset, "DAY")
    ctx = _context(doc)
    demand = _demand(_need("DAY"))
    people = sorted(_ids(ctx).values())
    assert all(
        o.severity in (Severity.LOW, Severity.NONE)
        for o in n_minus_1(ctx, demand, people, START, _end())
    )
    assert n_minus_2(ctx, demand, people, START, _end()) == []
    found = margins(ctx, demand, START, _end())
    assert len(found) == DAYS
    assert all(m.assigned == 1 and m.slack == 0 and m.standby == 5 for m in found)


def test_pairs_of_the_only_three_credentialed_people_are_fatal_together_not_alone() -> None:
    """Two credentialed people must be on NIGHT every night and three hold the credential
    (D does not): any one of them can be lost (the third steps in), any two cannot.
    Five nights in a week, so the stand-in keeps a free day (the validator counts it)."""
    doc = Doc(days=DAYS)
    for code in "ABCD":
        doc.resident(code, pgy=3)
    doc.shift("NIGHT", "19:00", 12 * 60, kind="night_float")
    doc.assign_days("A", "NIGHT", range(NIGHTS))
    doc.assign_days("B", "NIGHT", range(NIGHTS))
    ctx = _context(doc, {c: frozenset({"icu"}) for c in "ABC"})
    demand = _demand(_need("NIGHT", 2, Eligibility(credentials=frozenset({"icu"}))))
    ids = _ids(ctx)
    last = _end()
    alone = {o.people[0]: o for o in n_minus_1(ctx, demand, [ids["A"], ids["B"]], START, last)}
    assert alone[ids["A"]].repair.uncovered == ()  # C steps in
    fatal = n_minus_2(ctx, demand, [ids["A"], ids["B"], ids["C"]], START, last)
    a, b, c = ids["A"], ids["B"], ids["C"]
    assert sorted(o.people for o in fatal) == [(a, b), (a, c), (b, c)]  # C is the only backup
    assert all(len(o.repair.uncovered) == NIGHTS for o in fatal)  # one short every night


def test_the_cover_agrees_with_a_brute_force_search() -> None:
    """Calls every night over four days; A holds three of them, and the others' existing calls
    and the every-third-night limit make some stand-ins legal alone but not together."""
    doc = Doc(days=4)
    for code in "ABC":
        doc.resident(code, pgy=2)
    doc.shift("CALL", "07:00", 24 * 60, kind="in_house_call", transition=4 * 60)
    doc.assign_days("A", "CALL", [0, 2])
    doc.assign_days("B", "CALL", [1])
    doc.assign_days("C", "CALL", [3])
    ctx = _context(doc)
    demand = _demand(_need("CALL"))
    ids = _ids(ctx)
    end = START + dt.timedelta(days=3)
    for code in "ABC":
        result = outage(ctx, demand, [ids[code]], START, end)
        assert result.repair.size == _brute_force_small(ctx, demand, ids[code], end), code


def _brute_force_small(ctx: ScheduleContext, demand: Demand, out: int, end: dt.date) -> int:
    holes = orphaned(ctx, demand, {out}, START, end)
    mine = [a for a in ctx.assignments_of(out) if START <= a.date <= end]
    without = ctx.with_changes(remove=mine, add=[])
    before = Counter(f for f in check_all(without) if f.severity is FindingSeverity.VIOLATION)
    people = [pid for pid in ctx.person_ids if pid != out]
    best = 0
    for choice in product([None, *people], repeat=len(holes)):
        adds = [
            Assignment(pid, hole.date, hole.shift_code)
            for (hole, _), pid in zip(holes, choice, strict=True)
            if pid is not None
        ]
        if len(adds) <= best:
            continue
        if any(
            (a.date, a.shift_code)
            in {(s.date, s.shift_code) for s in without.assignments_of(a.person_id)}
            for a in adds
        ):
            continue
        after = without.with_changes(remove=[], add=adds)
        now = Counter(f for f in check_all(after) if f.severity is FindingSeverity.VIOLATION)
        if not (now - before):
            best = len(adds)
    return best


def test_margins_count_who_could_step_in() -> None:
    ctx, demand = _peds_attending()
    found = {(m.day, m.shift_code): m for m in margins(ctx, demand, START, _end())}
    attend = found[(START, "ATTEND")]
    assert (attend.assigned, attend.minimum, attend.standby) == (1, 1, 1)  # B could step in
    day = found[(START, "DAY")]
    assert day.assigned == 1
    assert day.standby >= 1
