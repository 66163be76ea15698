"""Start the next academic year from this one, in one audited transaction.

The next year gets this year's block scheme (as many four-week blocks, calendar months, or the
same explicit block lengths), the US federal holidays of its own dates when this year has its
own, every resident one PGY level up, no level for those who finish (PGY ``final_pgy``) or
leave, and the incoming class as new residents with their level. Shift types, rotations,
coverage rules and the program's settings belong to the program, not to a year, so the next
year uses them as they are; faculty carry over (they have no level). Nothing of this year is
touched: no level, no person's ``active`` flag, no schedule - so its published schedule
exports and validates exactly as before.

``final_pgy``, the program's last level, defaults to the highest of the levels residents hold
this year and the levels rotations' yearly requirements name. Bad input is a 422 naming the
field (``incoming[2].pgy``; pasted CSV: ``incoming_csv`` with its row and column); a next
year that exists already (a year over its dates, or one with its default label) is a 409.
``preview_next_year`` answers the same plan, and the same errors, without writing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import NoReturn

from sqlalchemy.orm import Session

from resched.core.calendar import academic_year_label, us_federal_holidays_between
from resched.core.errors import Conflict, Invalid
from resched.core.model import AcademicYear, BlockScheme, Holiday, Person, Role
from resched.core.rollover import (
    IncomingResident,
    Promotions,
    next_scheme,
    parse_incoming_csv,
    plan_promotions,
)
from resched.db.records import PersonProfile
from resched.db.repositories import (
    AcademicYearRepository,
    CoverageRepository,
    PeopleRepository,
    RotationRepository,
)
from resched.services.academic_years import (
    default_end,
    insert_academic_year,
    prepare_academic_year,
)
from resched.services.audit import ActorLike, record, record_created
from resched.services.common import (
    MAX_PGY,
    SessionFactory,
    check_code,
    fail,
    found,
    read,
    write,
)


@dataclass(frozen=True, slots=True)
class NextYearRequest:
    """What the coordinator may say; everything has a default taken from this year."""

    label: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    scheme: BlockScheme | None = None
    us_federal_holidays: bool | None = None
    holidays: tuple[Holiday, ...] = ()
    incoming: tuple[IncomingResident, ...] = ()
    incoming_csv: str = ""
    leaving: tuple[str, ...] = ()
    final_pgy: int | None = None


@dataclass(frozen=True, slots=True)
class NextYearPlan:
    """What starting the next year does (``year.id`` is set once it is stored)."""

    from_year: AcademicYear
    year: AcademicYear
    holidays: tuple[Holiday, ...]
    final_pgy: int
    promotions: Promotions
    incoming: tuple[IncomingResident, ...]
    faculty: int
    # Coverage rules limited to dates (``dates``) of this year: they apply on no day of the next.
    dated_coverage: tuple[str, ...] = field(default=())

    def summary(self) -> dict[str, object]:
        """The audit record's ``after``: who moved where."""
        p = self.promotions
        return {
            "from_year": self.from_year.label,
            "year": self.year.label,
            "final_pgy": self.final_pgy,
            "promoted": {x.code: [x.pgy, x.next_pgy] for x in p.promoted},
            "graduated": [x.code for x in p.graduating],
            "leaving": [x.code for x in p.leaving],
            "incoming": {x.code: x.pgy for x in self.incoming},
        }


def preview_next_year(
    *, factory: SessionFactory, from_year_id: int, request: NextYearRequest
) -> NextYearPlan:
    """The plan of ``start_next_year`` with the same checks; nothing is written."""
    with read(factory) as session:
        return _plan(session, from_year_id, request)


def start_next_year(
    *,
    factory: SessionFactory,
    from_year_id: int,
    request: NextYearRequest,
    actor: ActorLike = None,
) -> NextYearPlan:
    """Create the next year, its levels and the incoming class: all of it or nothing."""
    with write(factory) as session:
        plan = _plan(session, from_year_id, request)
        year = insert_academic_year(session, plan.year, plan.holidays, actor)
        assert year.id is not None
        people = PeopleRepository(session)
        levels = {x.person_id: x.next_pgy for x in plan.promotions.promoted if x.next_pgy}
        people.set_year_levels(year.id, levels)
        for resident in plan.incoming:
            record_created(
                session,
                actor=actor,
                entity="person",
                created=people.add(_profile(resident, year.id)),
            )
        plan = replace(plan, year=year)
        record(
            session,
            actor=actor,
            action="start_next_year",
            entity="academic_year",
            entity_id=year.id,
            after=plan.summary(),
        )
        return plan


def _profile(resident: IncomingResident, year_id: int) -> PersonProfile:
    return PersonProfile(
        code=resident.code,
        name=resident.name,
        role=Role.RESIDENT,
        email=resident.email,
        pgy_by_year={year_id: resident.pgy},
    )


def _plan(session: Session, from_year_id: int, request: NextYearRequest) -> NextYearPlan:
    years = AcademicYearRepository(session)
    old = found(years.get(from_year_id), "academic_year", from_year_id)
    year, holidays = _next_year(old, request)
    _refuse_existing(years, year, named=bool(request.label))
    everyone = PeopleRepository(session).in_year(from_year_id)
    final_pgy = _final_pgy(session, everyone, request.final_pgy)
    _check_leaving(everyone, request.leaving)
    incoming = _incoming(request, everyone, final_pgy)
    promotions = plan_promotions(everyone, final_pgy=final_pgy, leaving=set(request.leaving))
    faculty = sum(1 for p in everyone if p.role is Role.FACULTY and p.active)
    dated = tuple(
        c.name or c.shift_code
        for c in CoverageRepository(session).all()
        if c.dates and not any(year.start <= d <= year.end for d in c.dates)
    )
    return NextYearPlan(old, year, tuple(holidays), final_pgy, promotions, incoming, faculty, dated)


def _next_year(old: AcademicYear, request: NextYearRequest) -> tuple[AcademicYear, list[Holiday]]:
    start = request.start or old.end + dt.timedelta(days=1)
    if start <= old.end:
        raise Invalid(
            f"the next year starts after {old.label} ends ({old.end.isoformat()})",
            details={"field": "start"},
        )
    end = request.end or default_end(start)
    federal = request.us_federal_holidays
    if federal is None:
        federal = _uses_federal_holidays(old)
    return prepare_academic_year(
        label=request.label or academic_year_label(start, end),
        start=start,
        end=end,
        scheme=request.scheme or next_scheme(old, start, end),
        holidays=request.holidays,
        us_federal_holidays=federal,
    )


def _uses_federal_holidays(year: AcademicYear) -> bool:
    """Whether every US federal holiday of the year is one of its holidays."""
    try:
        federal = {day for day, _ in us_federal_holidays_between(year.start, year.end)}
    except Invalid:  # a year outside the table of federal holidays
        return False
    return bool(federal) and federal <= set(year.holidays)


def _refuse_existing(years: AcademicYearRepository, year: AcademicYear, named: bool) -> None:
    """409 when the next year is there already (a year over its dates, or its default label);
    a label the coordinator chose that another year has is a 422 on ``label``."""
    taken = years.get_by_label(year.label)
    clash = years.overlapping(year.start, year.end)
    if taken is not None and named and not clash:
        fail("label", f"an academic year labelled {year.label!r} exists")
    if taken is None and not clash:
        return
    other = clash[0] if clash else taken
    assert other is not None
    raise Conflict(
        f"the next academic year exists: {other.label} ({other.start}..{other.end})",
        details={"field": "start" if clash else "label", "academic_year_id": other.id},
    )


def _final_pgy(session: Session, everyone: Sequence[Person], given: int | None) -> int:
    held = {p.pgy for p in everyone if p.role is Role.RESIDENT and p.pgy is not None}
    if given is not None:
        if not 1 <= given <= MAX_PGY:
            fail("final_pgy", f"the final PGY level is 1 to {MAX_PGY}")
        above = sorted(level for level in held if level > given)
        if above:
            fail("final_pgy", f"residents hold PGY-{above[-1]} this year, above PGY-{given}")
        return given
    named = {r.pgy for rot in RotationRepository(session).all() for r in rot.requirements}
    levels = held | named
    if not levels:
        fail("final_pgy", "no resident has a PGY level this year: give the final PGY level")
    return max(levels)


def _check_leaving(everyone: Sequence[Person], leaving: Sequence[str]) -> None:
    residents = {p.code for p in everyone if p.role is Role.RESIDENT and p.pgy is not None}
    seen: set[str] = set()
    for index, code in enumerate(leaving):
        if code not in residents:
            fail(f"leaving[{index}]", f"{code!r} is not a resident of this year")
        if code in seen:
            fail(f"leaving[{index}]", f"{code!r} is given twice")
        seen.add(code)


def _incoming(
    request: NextYearRequest, everyone: Sequence[Person], final_pgy: int
) -> tuple[IncomingResident, ...]:
    rows = (*request.incoming, *parse_incoming_csv(request.incoming_csv))
    codes = {p.code.lower(): p.code for p in everyone}
    emails = {p.email.lower() for p in everyone if p.email}
    for index, entry in enumerate(rows):
        _check_incoming(index, entry, final_pgy)
        earlier = next((i for i in range(index) if _same(rows[i].code, entry.code)), None)
        if entry.code.lower() in codes:
            _bad(index, entry, "code", f"a person with code {codes[entry.code.lower()]} exists")
        if earlier is not None:
            _bad(
                index, entry, "code", f"{entry.code} is given twice (also {_where(earlier, rows)})"
            )
        if entry.email:
            if entry.email.lower() in emails:
                _bad(index, entry, "email", f"{entry.email} is someone's email already")
            twice = next((i for i in range(index) if _same(rows[i].email, entry.email)), None)
            if twice is not None:
                what = f"{entry.email} is given twice (also {_where(twice, rows)})"
                _bad(index, entry, "email", what)
    return rows


def _check_incoming(index: int, entry: IncomingResident, final_pgy: int) -> None:
    try:
        check_code(entry.code)
    except Invalid as exc:
        _bad(index, entry, "code", exc.message)
    if not entry.name.strip() or len(entry.name) > 200 or "\x00" in entry.name:
        _bad(index, entry, "name", "a name of 1 to 200 characters is needed")
    email = entry.email
    if email is not None and (len(email) > 254 or "@" not in email or "\x00" in email):
        _bad(index, entry, "email", f"{email!r} is not an email address")
    if not 1 <= entry.pgy <= final_pgy:
        _bad(index, entry, "pgy", f"PGY-{entry.pgy} is not a level of the program (1-{final_pgy})")


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.lower() == b.lower()


def _where(index: int, rows: Sequence[IncomingResident]) -> str:
    row = rows[index].row
    return f"row {row}" if row is not None else f"incoming[{index}]"


def _bad(index: int, entry: IncomingResident, column: str, message: str) -> NoReturn:
    if entry.row is None:
        fail(f"incoming[{index}].{column}", message)
    raise Invalid(
        f"row {entry.row}, column {column}: {message}",
        details={"field": "incoming_csv", "row": entry.row, "column": column},
    )


def next_year_label(year: AcademicYear) -> str:
    """The label the year after ``year`` gets by default (2026-27 -> 2027-28)."""
    start = year.end + dt.timedelta(days=1)
    return academic_year_label(start, default_end(start))
