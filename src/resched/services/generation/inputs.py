"""The solvers' problems, read from the database.

Every generation starts from a **base**: the version of record of the academic year (the
published one), else its newest draft. The new draft is that base with the generated part
replaced, so publishing it never drops what the base held outside the generated part (the rest
of the year's shifts, the rotation plan under them). The base also gives the locks, the
schedule a repair keeps, the look-back and look-ahead around the range and the year-to-date
counts; look-back before the academic year comes from the previous year's published record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from resched.core.errors import Invalid, NotFound
from resched.core.generation_settings import GenerationSettings
from resched.core.model import (
    Absence,
    AbsenceStatus,
    AcademicYear,
    Assignment,
    BlockAssignment,
    Person,
    Program,
    RequestKind,
    Role,
    Rotation,
)
from resched.core.rules.windows import WINDOW_DAYS
from resched.core.solver.plan import PlanProblem
from resched.core.solver.shifts import Mode, ShiftProblem
from resched.core.solver.shifts.counters import tally
from resched.db.repositories import (
    AbsenceRepository,
    AcademicYearRepository,
    CoverageRepository,
    PeopleRepository,
    ProgramRepository,
    RotationRepository,
    ShiftTypeRepository,
)
from resched.db.repositories.generation import block_assignments, weighed_requests
from resched.db.repositories.schedule import (
    ScheduleVersionRepository,
    ShiftAssignmentRepository,
    approved_absences_between,
)
from resched.services.generation.specs import PlanSpec, ShiftSpec
from resched.services.years import chosen_versions

LOOK_BACK_DAYS = 27  # every 28-day window that touches the range's first day
LOOK_AHEAD_DAYS = 27
_PLAN_REQUESTS = (RequestKind.ROTATION, RequestKind.VACATION)
_SHIFT_REQUESTS = (RequestKind.DAY_OFF, RequestKind.SHIFT_ON, RequestKind.SHIFT_OFF)
_ALL_DAYS = (dt.date.min, dt.date.max)


@dataclass(frozen=True, slots=True)
class Base:
    """The version a generation starts from (None: the year has none yet) and what it holds."""

    version_id: int | None
    plan: tuple[BlockAssignment, ...]
    shifts: tuple[Assignment, ...]


def load_year(session: Session, year_id: int) -> AcademicYear:
    year = AcademicYearRepository(session).get(year_id)
    if year is None:
        raise NotFound(f"academic year {year_id} not found", details={"entity": "academic_year"})
    return year


def load_base(session: Session, year_id: int) -> Base:
    chosen = chosen_versions(session, [year_id]).get(year_id)
    if chosen is None:
        return Base(None, (), ())
    shifts = ShiftAssignmentRepository(session).between([chosen.id], *_ALL_DAYS)
    plan = block_assignments(session, chosen.id)
    return Base(chosen.id, tuple(plan), tuple(a for _, a in shifts))


def plan_problem(session: Session, spec: PlanSpec, base: Base) -> PlanProblem:
    """Residents with a PGY level this year, every rotation, the year's blocks, approved
    leave, open rotation and vacation requests, and the base plan's locked cells; the
    program's generation settings, under the spec's own heavy rotations and weights."""
    year = load_year(session, spec.year_id)
    settings = _settings(session)
    residents = tuple(
        p
        for p in PeopleRepository(session).in_year(spec.year_id)
        if p.role is Role.RESIDENT and p.pgy is not None and p.active
    )
    ids = {p.id for p in residents}
    absences = approved_absences_between(session, year.start, year.end)
    requests = weighed_requests(session, year.start, year.end, _PLAN_REQUESTS)
    return PlanProblem(
        residents=residents,
        rotations=_rotations_as_set_up(session),
        blocks=year.blocks,
        absences=tuple(a for a in absences if a.person_id in ids),
        requests=tuple(r for r in requests if r.person_id in ids),
        locked=tuple(c for c in base.plan if c.locked and c.person_id in ids),
        heavy_rotations=spec.heavy_rotations or settings.heavy_rotations,
        max_heavy_run=settings.max_heavy_run,
        # The spec's weights (SolveConfig.weights) override these in the solver.
        weights=dict(settings.plan_weights),
    )


def _rotations_as_set_up(session: Session) -> tuple[Rotation, ...]:
    """The rotations in the order the program set them up (by id), as a program built in
    memory lists them. The plan's first, greedy construction breaks its ties in this order:
    on the demo it reaches the optimum (165) from the set-up order and 170 from the codes'
    order, and at 30 residents it came to a dead end in the codes' order."""
    repository = RotationRepository(session)
    ids = repository.ids_by_code()
    return tuple(sorted(repository.all(), key=lambda r: ids[r.code]))


@dataclass(frozen=True, slots=True)
class _Around:
    """The base's shifts around and inside a range, for the people who can be scheduled."""

    before: tuple[Assignment, ...]
    after: tuple[Assignment, ...]
    inside: tuple[Assignment, ...]
    earlier_this_year: tuple[Assignment, ...]


def _around(
    session: Session, spec: ShiftSpec, base: Base, year: AcademicYear, ids: set[int]
) -> _Around:
    back = spec.start - dt.timedelta(days=LOOK_BACK_DAYS)
    ahead = spec.end + dt.timedelta(days=LOOK_AHEAD_DAYS)
    mine = [a for a in base.shifts if a.person_id in ids]
    earlier = _earlier_years(session, year, back, ids)
    return _Around(
        before=tuple(earlier + [a for a in mine if back <= a.date < spec.start]),
        after=tuple(a for a in mine if spec.end < a.date <= ahead),
        inside=tuple(a for a in mine if spec.start <= a.date <= spec.end),
        earlier_this_year=tuple(a for a in mine if year.start <= a.date < spec.start),
    )


def shift_problem(session: Session, spec: ShiftSpec, base: Base) -> ShiftProblem:
    """The range of ``spec`` on the base's rotation plan, with its context (module doc)."""
    year = load_year(session, spec.year_id)
    if not base.plan:
        raise Invalid(
            f"{year.label} has no rotation plan yet: generate (or import) one first",
            details={"field": "year"},
        )
    people = _people(PeopleRepository(session).in_year(spec.year_id))
    ids = {p.id for p in people}
    near = _around(session, spec, base, year, ids)
    first = spec.start - dt.timedelta(days=LOOK_BACK_DAYS)
    absences = approved_absences_between(
        session, first, spec.end + dt.timedelta(days=LOOK_AHEAD_DAYS)
    ) + _assumed(session, spec)
    requests = weighed_requests(session, spec.start, spec.end, _SHIFT_REQUESTS)
    shift_types = tuple(ShiftTypeRepository(session).all())
    program = _program(session)
    return ShiftProblem(
        program=program,
        start=spec.start,
        end=spec.end,
        people=people,
        shift_types=shift_types,
        rotations=_rotations_as_set_up(session),
        blocks=year.blocks,
        plan=tuple(c for c in base.plan if c.person_id in ids),
        coverage=tuple(CoverageRepository(session).all()),
        absences=tuple(a for a in absences if a.person_id in ids),
        requests=tuple(r for r in requests if r.person_id in ids),
        holidays=year.holidays,
        locked=tuple(a for a in near.inside if a.locked),
        before=near.before,
        after=near.after,
        published=near.inside if spec.mode is not Mode.FRESH else (),
        year_to_date=tally(near.earlier_this_year, shift_types, year.holidays),
        weekend_rotations=spec.weekend_rotations or program.generation.weekend_rotations,
        # The spec's weights (SolveConfig.weights) override these in the solver.
        weights=dict(program.generation.shift_weights),
        mode=spec.mode,
        lookahead_days=_lookahead(spec, bool(near.before)),
        catch_up=program.generation.catch_up,
    )


def _assumed(session: Session, spec: ShiftSpec) -> list[Absence]:
    """The leave request a repair proposal is for, as if approved (for this solve only)."""
    if spec.leave is None:
        return []
    found = AbsenceRepository(session).get(spec.leave.absence_id)
    if found is None:
        raise NotFound(
            f"absence {spec.leave.absence_id} not found", details={"field": "absence_id"}
        )
    if found.status is AbsenceStatus.APPROVED:
        return []  # already among the approved ones
    return [replace(found, status=AbsenceStatus.APPROVED)]


def _lookahead(spec: ShiftSpec, has_history: bool) -> int:
    """The spec's look-ahead, except for a range under 28 days with no history before it: the
    rules then average over the whole (short) range as one window, and look-ahead days would
    make the solver average over a longer one than the validator checks."""
    if has_history or (spec.end - spec.start).days + 1 >= WINDOW_DAYS:
        return spec.lookahead_days
    return 0


def _people(in_year: list[Person]) -> tuple[Person, ...]:
    """Residents with a PGY level this year and active faculty: who can be scheduled."""
    return tuple(
        p
        for p in in_year
        if p.active and ((p.role is Role.RESIDENT and p.pgy is not None) or p.role is Role.FACULTY)
    )


def _settings(session: Session) -> GenerationSettings:
    """The program's generation settings; the solvers' defaults before a program is set up."""
    program = ProgramRepository(session).get()
    return GenerationSettings() if program is None else program.generation


def _program(session: Session) -> Program:
    program = ProgramRepository(session).get()
    if program is None:
        raise NotFound("no program is set up", details={"entity": "program"})
    return program


def _earlier_years(
    session: Session, year: AcademicYear, first: dt.date, ids: set[int]
) -> list[Assignment]:
    """The published record of the days before the academic year that the look-back needs."""
    if first >= year.start:
        return []
    published = ScheduleVersionRepository(session).published_by_year()
    years = [
        y
        for y in AcademicYearRepository(session).all()
        if y.id in published and y.end < year.start and y.end >= first
    ]
    found: list[Assignment] = []
    for y in years:
        assert y.id is not None
        rows = ShiftAssignmentRepository(session).between([published[y.id]], first, y.end)
        found += [a for _, a in rows if a.person_id in ids]
    return found
