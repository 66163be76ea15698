"""The Compliance page's view kept per process (services/pages/compliance.py): served again
while the data generation of the check's tables stands, built again after a change, equal to
one built afresh, one object for every reader the page tells nothing about their own leave.
On the demo and on the pediatrics-like program."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Absence, AbsenceStatus, AbsenceType, Assignment, Role
from resched.db.repositories import PeopleRepository
from resched.services import absences
from resched.services.check_cache import CHECK_TABLES
from resched.services.pages.compliance import ComplianceFilters, ComplianceView, load_compliance
from resched.services.permissions import AbsenceVisibility
from resched.services.read_cache import clear_read_caches
from tests.conftest import StatementCounter
from tests.tables_read import tables_read
from tests.today_data import DUTY_PROGRAMS, Duties, request_leave, store_shifts

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_PROGRAMS))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    return DUTY_PROGRAMS[request.param](session_factory)


def _view(factory: Factory, visibility: AbsenceVisibility | None = None) -> ComplianceView:
    if visibility is None:
        return load_compliance(factory=factory)
    return load_compliance(factory=factory, absences=visibility)


def _fresh(factory: Factory, visibility: AbsenceVisibility | None = None) -> ComplianceView:
    clear_read_caches()
    return _view(factory, visibility)


def _own(person_id: int) -> AbsenceVisibility:
    return AbsenceVisibility(everyone=False, own_person_id=person_id)


def test_served_again_until_something_changes(
    session_factory: Factory, duties: Duties, statement_counter: StatementCounter
) -> None:
    first = _view(session_factory)
    again: list[ComplianceView] = []
    assert statement_counter.count(lambda: again.append(_view(session_factory))) == 1
    assert again[0] is first
    # A leave request changes no finding: the view stays. A shift stored: checked again.
    request_leave(session_factory, duties)
    assert _view(session_factory) is first
    resident = duties.plan.residents[-1]
    store_shifts(
        session_factory, duties.plan.version_id, [Assignment(resident, duties.day, "NIGHT")]
    )
    changed = _view(session_factory)
    assert changed is not first
    assert changed == _fresh(session_factory)


def test_readers_told_nothing_of_their_own_leave_share_one_view(
    session_factory: Factory, duties: Duties
) -> None:
    absences.create_absence(
        factory=session_factory,
        absence=Absence(
            person_id=duties.call,
            start=duties.day,
            end=duties.day + dt.timedelta(days=1),
            type=AbsenceType.SICK,
            status=AbsenceStatus.APPROVED,
        ),
    )
    with session_factory() as session:
        residents = [
            p.id
            for p in PeopleRepository(session).in_year(duties.plan.year_id)
            if p.role is Role.RESIDENT
        ]
    full = _view(session_factory)
    assert duties.call in full.leave_shown
    views = {person: _view(session_factory, _own(person)) for person in residents}
    shared = {id(v) for p, v in views.items() if p not in full.leave_shown}
    assert len(shared) == 1
    assert views[duties.call] is not views[next(p for p in residents if p not in full.leave_shown)]
    for person in residents:  # each as built afresh for that reader alone
        fresh = _fresh(session_factory, _own(person))
        cached = views[person]
        assert cached.findings == fresh.findings
        if person in full.leave_shown:
            assert cached.absences == fresh.absences
        else:  # shared: shows no one's absences, which for this reader tells the same
            assert cached.absences == AbsenceVisibility(everyone=False)
    filtered = load_compliance(factory=session_factory, filters=ComplianceFilters(pgy=1))
    assert filtered is not full
    assert dataclasses.replace(filtered, filters=ComplianceFilters()) != full


def test_the_view_reads_only_the_tables_its_key_covers(
    session_factory: Factory, duties: Duties, engine: Engine
) -> None:
    for drafts in (True, False):
        clear_read_caches()
        with tables_read(engine) as read:
            load_compliance(factory=session_factory, include_drafts=drafts)
        assert read - {"data_generation"} <= CHECK_TABLES
        assert "shift_assignment" in read
