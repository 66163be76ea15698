"""The candidate finder on stored versions, the demo and the pediatrics-like program: it agrees
with a brute-force check of every person, and names the field of bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.candidates import Wish, shift_rules
from resched.core.errors import Invalid, NotFound
from resched.core.model import Request, RequestKind, RequestStatus
from resched.db.repositories import AcademicYearRepository, CoverageRepository, PeopleRepository
from resched.services.candidates import find_candidates
from resched.services.plan_spans import plan_between
from resched.services.requests import create_request
from resched.services.schedules import load_schedule
from tests.core.test_candidates import brute_force
from tests.today_data import Duties, store_demo_duties, store_peds_duties

Factory = sessionmaker[Session]


def _code(factory: Factory, person_id: int) -> str:
    with factory() as session:
        return next(p.code for p in PeopleRepository(session).in_year(0) if p.id == person_id)


def _brute_force(factory: Factory, duties: Duties, person_id: int, shift: str) -> set[int]:
    version_id, day = duties.plan.version_id, duties.day
    with factory() as session:
        (year,) = AcademicYearRepository(session).all()
        coverage = CoverageRepository(session).all()
        plan = plan_between(session, version_id, day, day)
    stored = load_schedule(factory=factory, version_id=version_id, start=year.start, end=year.end)
    data = stored.schedule
    taken = next(
        a
        for a in data.assignments[stored.look_back :]
        if (a.person_id, a.date, a.shift_code) == (person_id, day, shift)
    )
    rotations = {
        pid: r.code
        for pid, spans in plan.items()
        for first, last, r in spans
        if first <= day <= last
    }
    rules = shift_rules(coverage, shift, day, year.holidays)
    return brute_force(data, taken, rules, rotations)


@pytest.mark.parametrize(
    ("program", "shift"), [("demo", "CALL"), ("demo", "WARD"), ("peds", "DAY")]
)
def test_the_finder_agrees_with_a_brute_force_check(
    session_factory: Factory, program: str, shift: str
) -> None:
    store = store_demo_duties if program == "demo" else store_peds_duties
    duties = store(session_factory)
    holder = {"CALL": duties.call, "WARD": duties.day_shift, "DAY": duties.day_shift}[shift]
    found = find_candidates(
        factory=session_factory,
        version_id=duties.plan.version_id,
        person=_code(session_factory, holder),
        day=duties.day,
        shift=shift,
    )
    ids = {c.person.id for c in found.candidates}
    assert ids == _brute_force(session_factory, duties, holder, shift)
    assert holder not in ids
    assert duties.night_before not in ids or shift != "DAY"  # still on last night's shift
    keys = [c.fairness.key for c in found.candidates]
    assert keys == sorted(keys)


def test_bad_input_names_the_field(session_factory: Factory) -> None:
    duties = store_demo_duties(session_factory)
    code = _code(session_factory, duties.call)
    ask = {
        "factory": session_factory,
        "version_id": duties.plan.version_id,
        "person": code,
        "day": duties.day,
        "shift": "CALL",
    }
    with pytest.raises(NotFound):
        find_candidates(**{**ask, "version_id": 999})  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="person"):
        find_candidates(**{**ask, "person": "nobody"})  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="shift"):
        find_candidates(**{**ask, "shift": "NOPE"})  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="shift"):
        find_candidates(**{**ask, "shift": "WARD"})  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="day"):
        find_candidates(**{**ask, "day": dt.date(2030, 1, 1)})  # type: ignore[arg-type]


@pytest.mark.parametrize(("program", "shift"), [("demo", "WARD"), ("peds", "DAY")])
def test_requests_rank_who_asked_for_it_first_and_who_asked_off_last(
    session_factory: Factory, program: str, shift: str
) -> None:
    store = store_demo_duties if program == "demo" else store_peds_duties
    duties = store(session_factory)
    ask = {
        "factory": session_factory,
        "version_id": duties.plan.version_id,
        "person": _code(session_factory, duties.day_shift),
        "day": duties.day,
        "shift": shift,
    }
    plain = find_candidates(**ask).candidates  # type: ignore[arg-type]
    assert len(plain) >= 2
    fairest, most = plain[0].person.id, plain[-1].person.id
    assert fairest
    assert most
    day = duties.day
    for request in (
        Request(fairest, RequestKind.DAY_OFF, day, day),
        Request(most, RequestKind.SHIFT_ON, day, day, shift_code=shift),
        # Withdrawn, or about another shift: no bearing (else "asked off" would win).
        Request(most, RequestKind.DAY_OFF, day, day, status=RequestStatus.WITHDRAWN),
        Request(most, RequestKind.SHIFT_OFF, day, day, shift_code="NIGHT"),
    ):
        create_request(factory=session_factory, request=request, actor="coord")
    ranked = find_candidates(**ask).candidates  # type: ignore[arg-type]
    assert {c.person.id for c in ranked} == {c.person.id for c in plain}
    assert (ranked[0].person.id, ranked[0].wish) == (most, Wish.WANTS)
    assert (ranked[-1].person.id, ranked[-1].wish) == (fairest, Wish.AVOIDS)
