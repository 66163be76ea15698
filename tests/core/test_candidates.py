"""The candidate finder agrees with a brute-force check of every person: eligible, not absent,
no overlapping shift, and the full validator shows no new violation after the swap."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence

from resched.core.candidates import Wish, find_candidates, is_absent, overlaps
from resched.core.interchange import parse_schedule
from resched.core.model import Assignment, Eligibility, Role
from resched.core.rules import ScheduleContext, ScheduleInput, Severity, check_all
from resched.core.solver.shifts.candidates import is_eligible
from tests.core.builders import Doc


def _violations(ctx: ScheduleContext) -> Counter[object]:
    return Counter(f for f in check_all(ctx) if f.severity is Severity.VIOLATION)


def brute_force(
    data: ScheduleInput,
    taken: Assignment,
    rules: Sequence[Eligibility],
    rotations: Mapping[int, str] | None = None,
) -> set[int]:
    """Every person checked the slow way: the whole schedule validated after the swap."""
    ctx = ScheduleContext(data)
    before = _violations(ctx)
    legal: set[int] = set()
    for pid in ctx.person_ids:
        person = ctx.people[pid]
        if pid == taken.person_id or not person.active:
            continue
        if rules and not any(is_eligible(person, (rotations or {}).get(pid), r) for r in rules):
            continue
        if is_absent(ctx, pid, taken.date) or overlaps(ctx, pid, taken):
            continue
        new = Assignment(person_id=pid, date=taken.date, shift_code=taken.shift_code)
        rest = list(data.assignments)
        rest.remove(taken)
        after = ScheduleContext(dataclasses.replace(data, assignments=(*rest, new)))
        if not (_violations(after) - before):
            legal.add(pid)
    return legal


def _program() -> Doc:
    """Five residents; B is on call every third night (a call limit nearby), C is on leave,
    D works the day shift the call starts on, E already had two calls."""
    doc = Doc(days=14)
    for code in "ABCDE":
        doc.resident(code, pgy=2 if code != "E" else 1)
    doc.faculty("F")
    doc.shift("CALL", "07:00", 24 * 60, kind="in_house_call", transition=4 * 60)
    doc.shift("DAY", "07:00", 10 * 60)
    doc.shift("EVE", "15:00", 8 * 60)
    doc.assign("A", 6, "CALL")
    doc.assign_days("B", "CALL", [0, 3, 5])
    doc.absence("C", 5, 7)
    doc.assign("D", 6, "EVE")
    doc.assign_days("E", "CALL", [0, 2])
    doc.assign_days("D", "DAY", [7])
    return doc


def test_finder_agrees_with_brute_force_on_every_shift() -> None:
    data = parse_schedule(_program().doc)
    ctx = ScheduleContext(data)
    residents = Eligibility(roles=frozenset({Role.RESIDENT}))
    for taken in ctx.assignments:
        for rules in ((), (residents,)):
            found = find_candidates(ctx, taken, rules=rules, rotations={}, holidays=())
            assert {c.person.id for c in found} == brute_force(data, taken, rules)


def test_candidates_exclude_the_absent_the_overlapping_and_the_rested_too_little() -> None:
    ctx = _program().context()
    codes = {p.code: p.id for p in ctx.people.values()}
    taken = next(a for a in ctx.assignments if a.person_id == codes["A"])
    found = [
        c.person.code for c in find_candidates(ctx, taken, rules=(), rotations={}, holidays=())
    ]
    assert "C" not in found  # on leave that day
    assert "D" not in found  # works the evening of that day
    assert "A" not in found  # gives it away


def test_candidates_are_ranked_fewest_calls_first() -> None:
    ctx = _program().context()
    codes = {p.code: p.id for p in ctx.people.values()}
    taken = next(a for a in ctx.assignments if a.person_id == codes["A"])
    found = find_candidates(ctx, taken, rules=(), rotations={}, holidays=())
    keys = [c.fairness.key for c in found]
    assert keys == sorted(keys)
    by_code = {c.person.code: c for c in found}
    assert by_code["E"].fairness.calls == 2
    assert found[0].fairness.calls == 0


def test_eligibility_limits_the_candidates() -> None:
    ctx = _program().context()
    codes = {p.code: p.id for p in ctx.people.values()}
    taken = next(a for a in ctx.assignments if a.person_id == codes["A"])
    senior = Eligibility(pgy_min=2)
    found = find_candidates(ctx, taken, rules=(senior,), rotations={}, holidays=())
    assert "E" not in {c.person.code for c in found}
    assert "F" not in {c.person.code for c in found}


def test_wishes_rank_before_fairness_and_change_no_one_s_legality() -> None:
    """Whoever asked for the shift comes first, whoever asked not to work it last, whatever
    their counts; the set of candidates is the same with or without wishes."""
    ctx = _program().context()
    codes = {p.code: p.id for p in ctx.people.values()}
    taken = next(a for a in ctx.assignments if a.person_id == codes["A"])
    plain = find_candidates(ctx, taken, rules=(), rotations={}, holidays=())
    assert len(plain) >= 2
    fairest, most = plain[0].person, plain[-1].person
    assert fairest.id is not None
    assert most.id is not None
    wishes = {fairest.id: Wish.AVOIDS, most.id: Wish.WANTS}
    ranked = find_candidates(ctx, taken, rules=(), rotations={}, holidays=(), wishes=wishes)
    assert {c.person.id for c in ranked} == {c.person.id for c in plain}
    assert ranked[0].person == most
    assert ranked[0].wish is Wish.WANTS
    assert ranked[-1].person == fairest
    assert ranked[-1].wish is Wish.AVOIDS
    middle = [c.person for c in ranked[1:-1]]
    assert middle == [c.person for c in plain[1:-1]]  # the others keep the fairness order
