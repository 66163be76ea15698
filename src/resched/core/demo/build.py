"""``build_demo``: the demo program of DEMO.md, at its reference size or scaled."""

from __future__ import annotations

import random
from dataclasses import dataclass

from resched.core.calendar import academic_year
from resched.core.demo.catalog import DEMO_GENERATION, demo_shift_types
from resched.core.demo.clocks import CALL, days_between, short_call_on, too_long_dates
from resched.core.demo.coverage import (
    Sizes,
    check_sizes,
    demo_coverage,
    measure,
    minimum_faculty,
)
from resched.core.demo.events import demo_absences, demo_requests
from resched.core.demo.names import email_for, pick_names
from resched.core.demo.sizing import demo_rotations
from resched.core.errors import Invalid
from resched.core.model import (
    Absence,
    AcademicYear,
    CoverageRequirement,
    Person,
    Program,
    Request,
    Role,
    Rotation,
    ShiftType,
)
from resched.core.plan_bounds import check_plan_bounds

DEFAULT_SEED = 2026
DEMO_START_YEAR = 2026
DEMO_TIMEZONE = "America/Chicago"
DEMO_JEOPARDY_SHIFT = "BACKUP"  # the "Backup (jeopardy) call from home" shift type
DEMO_PROGRAM_NAME = "Prairie Lakes Internal Medicine Residency"
PGY_LEVELS = 3
_MAX_RESIDENTS, _MAX_FACULTY = 999, 999  # three-digit person codes


@dataclass(frozen=True, slots=True)
class DemoProgram:
    """Everything the demo loads, as core objects. People have ids 1..n (residents first)."""

    program: Program
    year: AcademicYear
    people: tuple[Person, ...]
    shift_types: tuple[ShiftType, ...]
    rotations: tuple[Rotation, ...]
    coverage: tuple[CoverageRequirement, ...]
    absences: tuple[Absence, ...]
    requests: tuple[Request, ...]
    seed: int

    @property
    def residents(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role is Role.RESIDENT)

    @property
    def faculty(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role is Role.FACULTY)


def _check_counts(residents: int, faculty: int) -> None:
    if residents % PGY_LEVELS or not 0 < residents <= _MAX_RESIDENTS:
        raise Invalid(
            f"the demo needs a positive multiple of {PGY_LEVELS} residents (the same number "
            f"in each PGY level), at most {_MAX_RESIDENTS}; got {residents}",
            details={"field": "residents"},
        )
    if not 0 < faculty <= _MAX_FACULTY:
        raise Invalid(
            f"the demo needs between 1 and {_MAX_FACULTY} faculty; got {faculty}",
            details={"field": "faculty"},
        )


def _people(seed: int, residents: int, faculty: int) -> tuple[Person, ...]:
    names = pick_names(seed, residents + faculty)
    per_pgy = residents // PGY_LEVELS
    width_r, width_f = max(2, len(str(residents))), max(2, len(str(faculty)))
    taken: set[str] = set()
    people = [
        Person(
            id=i + 1,
            code=f"r{i + 1:0{width_r}d}",
            name=names[i],
            role=Role.RESIDENT,
            pgy=i // per_pgy + 1,
            email=email_for(names[i], taken),
        )
        for i in range(residents)
    ]
    people += [
        Person(
            id=residents + j + 1,
            code=f"f{j + 1:0{width_f}d}",
            name=names[residents + j],
            role=Role.FACULTY,
            email=email_for(names[residents + j], taken),
        )
        for j in range(faculty)
    ]
    return tuple(people)


def _sized_rotations(residents: int, year: AcademicYear) -> tuple[Rotation, ...]:
    """Rotations for this size, refused with the counting problems if no plan could exist."""
    rotations = demo_rotations(residents // PGY_LEVELS, len(year.blocks))
    stand_ins = [
        Person(id=i, code=f"r{i}", name="", role=Role.RESIDENT, pgy=i % PGY_LEVELS + 1)
        for i in range(residents)
    ]
    problems = check_plan_bounds(people=stand_ins, rotations=rotations, blocks=year.blocks)
    if problems:
        raise Invalid(
            f"the demo rotation table cannot be scaled to {residents} residents: "
            + "; ".join(problems),
            details={"field": "residents", "problems": problems},
        )
    return rotations


def build_demo(*, residents: int = 36, faculty: int = 16, seed: int = DEFAULT_SEED) -> DemoProgram:
    """The demo program of DEMO.md: the same for the same arguments, names varying with ``seed``.

    Other sizes keep the shape: ``residents`` split evenly over PGY-1..3, capacities and daily
    coverage scaled with them. Sizes that cannot work raise ``Invalid`` saying why.

    One number differs from DEMO.md, because as written it makes block 5 infeasible (DEMO.md:
    "change it minimally and write down why"): on the day before each autumn DST change (Sat
    31 Oct 2026 in America/Chicago), CALL from 07:00 for 24 h of wall clock lasts 25 h, 29 h
    with its transition, breaking ``continuous-duty``. That day the CALL demands do not apply
    (``except_dates``) and twin demands for ``CALL-DST`` (07:00, 23 h + 4 h: 24 h of real
    time) with the same eligibility do (``dates``). The dates are computed from the timezone.
    """
    _check_counts(residents, faculty)
    program = Program(
        name=DEMO_PROGRAM_NAME,
        timezone=DEMO_TIMEZONE,
        generation=DEMO_GENERATION,
        jeopardy_shift=DEMO_JEOPARDY_SHIFT,
    )
    year = academic_year(DEMO_START_YEAR)
    rotations = _sized_rotations(residents, year)
    sizes = measure(rotations, residents // PGY_LEVELS, program.rules)
    check_sizes(sizes, residents)
    if faculty < minimum_faculty(sizes):
        raise Invalid(
            f"with {residents} residents the demo needs at least {minimum_faculty(sizes)} "
            f"faculty ({sizes.ward_seniors} ward attendings, up to {sizes.precept_max} "
            f"preceptors a session, one spare); got {faculty}",
            details={"field": "faculty"},
        )
    shift_types = demo_shift_types()
    people = _people(seed, residents, faculty)
    resident_people = [p for p in people if p.role is Role.RESIDENT]
    faculty_people = [p for p in people if p.role is Role.FACULTY]
    # A generator separate from the names' keeps the names stable if the events change.
    rng = random.Random(f"resched-demo-events:{seed}")  # noqa: S311 - demo data, not secrets
    absences = demo_absences(rng, resident_people, faculty_people, year)
    requests = demo_requests(rng, resident_people, faculty_people, year, absences)
    return DemoProgram(
        program=program,
        year=year,
        people=people,
        shift_types=shift_types,
        rotations=rotations,
        coverage=_coverage(sizes, shift_types, program, year),
        absences=absences,
        requests=requests,
        seed=seed,
    )


def _coverage(
    sizes: Sizes, shift_types: tuple[ShiftType, ...], program: Program, year: AcademicYear
) -> tuple[CoverageRequirement, ...]:
    """DEMO.md's coverage, with CALL-DST for CALL where the clocks go back (clocks.py)."""
    call = next(s for s in shift_types if s.code == CALL)
    days = days_between(year.start, year.end)
    return short_call_on(
        demo_coverage(sizes), too_long_dates(call, days, program.timezone, program.rules)
    )


def check_plan_feasibility_bounds(demo: DemoProgram) -> list[str]:
    """Counting problems that would make the demo's rotation plan impossible; empty if none.

    See :func:`resched.core.plan_bounds.check_plan_bounds`: per-block capacities against the
    residents to place, yearly places against yearly ranges, ranges against the number of
    blocks, and approved absences against the leave-eligible places.
    """
    return check_plan_bounds(
        people=demo.people,
        rotations=demo.rotations,
        blocks=demo.year.blocks,
        absences=demo.absences,
    )
