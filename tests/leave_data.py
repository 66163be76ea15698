"""Leave requests on the programs of tests/today_data.py, and their repair proposals.

On the pediatrics-like program (with one resident on NIGHT every night) the proposal comes
from the real repair job, played by the test (tests/job_helpers.py). The demo's round-robin
rotation plan breaks the rules the generator enforces - its repair is proven infeasible - so
its proposal is stored as the job stores one (``store_draft`` with the leave basis): the
night handed to the fairest colleague the candidate finder names as legal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    Absence,
    AbsenceStatus,
    AbsenceType,
    Assignment,
    AssignmentSource,
    CoverageRequirement,
    Eligibility,
    Role,
)
from resched.core.solver import SolveStatus
from resched.core.solver.shifts import Mode
from resched.db.repositories.schedule import ShiftAssignmentRepository
from resched.services import absences, coverage
from resched.services.candidates import find_candidates
from resched.services.common import read
from resched.services.generation import GenerationKind, GenerationOutcome, Limits
from resched.services.generation.basis import LeaveBasis
from resched.services.generation.inputs import load_base
from resched.services.generation.specs import ShiftSpec, spec_json
from resched.services.generation.store import store_draft
from resched.services.leave.proposal import start_repair
from resched.services.leave.touched import touched_in
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.solve_limits import SAFETY_S
from tests.today_data import DUTY_STORES, Duties

Factory = sessionmaker[Session]
# The pediatrics repair is a two-day range: it ends by itself, far inside this budget.
LIMITS = Limits(time_limit_s=SAFETY_S, seed=1, num_workers=1, work_limit=20.0)


def is_demo(duties: Duties) -> bool:
    return duties.zone.key == "America/Chicago"


def cover_nights(factory: Factory) -> None:
    """One resident on NIGHT every night: a night left by someone on leave must be covered."""
    coverage.create_coverage_requirement(
        factory=factory,
        coverage=CoverageRequirement(
            "NIGHT",
            frozenset(range(1, 8)),
            1,
            1,
            Eligibility(roles=frozenset({Role.RESIDENT})),
            name="Night cover",
        ),
    )


def request_leave(factory: Factory, person_id: int, day: dt.date, days: int = 1) -> int:
    created = absences.create_absence(
        factory=factory,
        absence=Absence(
            person_id,
            day,
            day + dt.timedelta(days=days - 1),
            AbsenceType.VACATION,
            AbsenceStatus.REQUESTED,
        ),
    )
    assert created.id is not None
    return created.id


def propose(factory: Factory, database_url: str, duties: Duties, absence_id: int) -> None:
    """The absence's repair proposal, stored as a draft (module doc)."""
    if is_demo(duties):
        _store_by_hand(factory, absence_id)
        return
    queue = RecordingQueue()
    start_repair(
        factory=factory,
        queue=queue,
        absence_id=absence_id,
        actor="coord",
        requested_by=None,
        limits=LIMITS,
    )
    assert work_off(inline_runtime(database_url, factory), queue) == ["succeeded"]


def _store_by_hand(factory: Factory, absence_id: int) -> None:
    with read(factory) as session:
        touched = touched_in(session, absence_id)
        version = touched.version
        assert version is not None
        assert touched.range is not None
        base = load_base(session, version.academic_year_id)
    start, end = touched.range
    moved: list[Assignment] = []
    for slot in touched.shifts:
        found = find_candidates(
            factory=factory,
            version_id=version.id,
            person=slot.person,
            day=slot.day,
            shift=slot.shift,
        )
        taker = found.candidates[0].person.id
        assert taker is not None
        moved.append(Assignment(taker, slot.day, slot.shift, AssignmentSource.REPAIR))
    held = {(s.day, s.shift) for s in touched.shifts}
    person = touched.record.absence.person_id
    generated = tuple(
        a
        for a in base.shifts
        if start <= a.date <= end and not (a.person_id == person and (a.date, a.shift_code) in held)
    ) + tuple(moved)
    spec = ShiftSpec(
        version.academic_year_id,
        version.academic_year_label,
        start,
        end,
        LIMITS.config(),
        Mode.REPAIR,
        leave=LeaveBasis(absence_id, version.id, version.revision),
    )
    outcome = GenerationOutcome(
        GenerationKind.SHIFTS,
        SolveStatus.FEASIBLE,
        "A feasible schedule was stored as a draft.",
        parameters=spec_json(spec),
    )
    store_draft(
        factory=factory, spec=spec, base=base, generated=generated, outcome=outcome, actor="coord"
    )


def shifts_of(factory: Factory, version_id: int, day: dt.date) -> set[tuple[int, str]]:
    with factory() as session:
        rows = ShiftAssignmentRepository(session).between([version_id], day, day)
    return {(a.person_id, a.shift_code) for _, a in rows}


def store_duties(name: str, factory: Factory) -> Duties:
    """A program of tests/today_data.py by name; the pediatrics one with its nights covered."""
    found = DUTY_STORES[name](factory)
    if not is_demo(found):
        cover_nights(factory)
    return found
