"""The Schedule page's read model (UI.md "Month schedule": who works when?): a day, week or
month of one schedule version as rows x days, a row per person (their shift codes) or per
shift type (who is on it), with the legend of the codes, today, the holidays and the absences
the reader may see; and, for each day, who is on each shift with its local times (the day
view, and the phone's agenda list).

The version is the published one of the shown day's academic year unless one is asked for by
id (drafts only for readers allowed them: a hidden draft answers like an unknown id). The
clock is injected (``now``, an aware instant: today is its date in the program's zone). A
fixed number of statements whatever the size of the program: fourteen, and three more for
the drafts a coordinator may pick.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from resched.core.model import (
    AcademicYear,
    ScheduleStatus,
)
from resched.db.repositories import (
    AcademicYearRepository,
    PeopleRepository,
    ProgramRepository,
    ShiftTypeRepository,
)
from resched.db.repositories.schedule import (
    ScheduleVersion,
    ScheduleVersionRepository,
)
from resched.services.common import SessionFactory, read
from resched.services.pages.schedule_absences import absences_visible_to, audience
from resched.services.pages.schedule_days import filled
from resched.services.pages.schedule_filters import (
    FilterChoices,
    ScheduleFilters,
    check_filters,
    filter_choices,
)
from resched.services.pages.schedule_range import (
    Grouping,
    ViewKind,
)
from resched.services.pages.schedule_rows import (
    AgendaDay,
    Day,
    RowGroup,
    ShownShift,
)
from resched.services.permissions import EVERY_ABSENCE, AbsenceVisibility
from resched.services.read_cache import BoundedCache, cache_for, kept
from resched.services.schedules import get_schedule
from resched.services.years import NO_PROGRAM_NAME, all_rotations, choose_year

DRAFTS_OFFERED = 20  # the version picker's drafts, newest first; older ones by ?version=
# Views kept per process: a few months x (coordinators with drafts, everyone else) x filters.
# A view weighs its cells: the demo's month 52 x 31, 150/60's 210 x 31 (about 150 B each).
# What the view reads; tests/services/test_schedule_view_cache.py holds it to this.
VIEW_TABLES = frozenset(
    {
        "absence",
        "academic_year",
        "block",
        "block_assignment",
        "holiday",
        "person",
        "person_year",
        "program",
        "rotation",
        "schedule_version",
        "shift_assignment",
        "shift_type",
    }
)
CACHED_VIEWS = 32
CACHED_CELLS = 200_000


@dataclass(frozen=True, slots=True)
class ScheduleView:
    program_name: str
    timezone: str
    today: dt.date
    kind: ViewKind
    grouping: Grouping
    anchor: dt.date
    filters: ScheduleFilters
    version: ScheduleVersion | None  # None: no schedule holds the shown days
    days: tuple[Day, ...] = ()
    groups: tuple[RowGroup, ...] = ()
    legend: tuple[ShownShift, ...] = ()
    agenda: tuple[AgendaDay, ...] = ()
    choices: FilterChoices = field(default_factory=FilterChoices)
    previous: dt.date | None = None
    next: dt.date | None = None
    drafts: tuple[ScheduleVersion, ...] = ()  # the year's drafts, for readers allowed them

    @property
    def start(self) -> dt.date:
        return self.days[0].day if self.days else self.anchor

    @property
    def end(self) -> dt.date:
        return self.days[-1].day if self.days else self.anchor

    @property
    def row_count(self) -> int:
        return sum(len(g.rows) for g in self.groups)


@dataclass(frozen=True, slots=True)
class ScheduleQuery:
    kind: ViewKind = ViewKind.MONTH
    anchor: dt.date | None = None  # default: today
    grouping: Grouping = Grouping.PERSON
    filters: ScheduleFilters = field(default_factory=ScheduleFilters)
    version_id: int | None = None  # default: the published version of the shown year
    calls_only: bool = False  # only on-call shift types: the printable call schedule


def load_schedule_view(
    *,
    factory: SessionFactory,
    query: ScheduleQuery,
    now: dt.datetime,
    include_drafts: bool = False,
    absences: AbsenceVisibility = EVERY_ABSENCE,
) -> ScheduleView:
    """The view as of ``now`` (aware: today is its date in the program's zone). NotFound for
    an unknown (or hidden) version, Invalid naming the filter for an unknown person, rotation
    or shift type code.

    Served from the process's cache while the data generation of the tables it reads
    (resched.db.generation) is the one it was built at: the view is built with every
    absence and what the reader may not see is taken out per reader, so one entry serves
    every resident. The clock is kept to the minute: nothing shown depends on more than the
    day."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware date-time")
    minute = now.replace(second=0, microsecond=0)
    key, shown = kept(
        factory,
        "schedule_view",
        _new_cache,
        VIEW_TABLES,
        (query, minute, include_drafts),
        lambda: _built(factory, query, minute, include_drafts),
    )
    readers = audience(shown, absences)
    if readers is True:
        return shown
    # The same object for every reader who sees the view alike: the page keeps its rendered
    # grid per view object (web/schedule_page.py).
    variants = cache_for(factory, "schedule_view_variants", _new_cache)
    variant = variants.get((key, readers))
    if variant is None:
        variant = absences_visible_to(shown, absences)
        variants.put((key, readers), variant)
    return variant


def _new_cache() -> BoundedCache[ScheduleView]:
    return BoundedCache(CACHED_VIEWS, CACHED_CELLS, lambda view: view.row_count * len(view.days))


def _built(
    factory: SessionFactory, query: ScheduleQuery, now: dt.datetime, include_drafts: bool
) -> ScheduleView:
    """The view with every absence shown."""
    version = None
    if query.version_id is not None:
        version = get_schedule(
            factory=factory, version_id=query.version_id, include_drafts=include_drafts
        )
    with read(factory) as session:
        program = ProgramRepository(session).get()
        zone = _zone(program.timezone if program else "UTC")
        today = now.astimezone(zone).date()
        anchor = query.anchor or (today if version is None else _within(version, today))
        years = AcademicYearRepository(session).all()
        if version is None:
            version, anchor = _published(session, years, anchor, query.anchor is None)
        year = next((y for y in years if version and y.id == version.academic_year_id), None)
        shifts = ShiftTypeRepository(session).all()
        rotations = all_rotations(session)
        people = PeopleRepository(session).in_year(year.id or 0) if year else []
        check_filters(query.filters, people, rotations, shifts)
        view = ScheduleView(
            program_name=program.name if program else NO_PROGRAM_NAME,
            timezone=zone.key,
            today=today,
            kind=query.kind,
            grouping=query.grouping,
            anchor=anchor,
            filters=query.filters,
            version=version,
            choices=filter_choices(people, rotations, shifts),
            drafts=_drafts(session, year) if include_drafts and year else (),
        )
        if version is None or year is None:
            return view
        return filled(session, view, query, year, people, shifts)


def _published(
    session: Session, years: Sequence[AcademicYear], anchor: dt.date, defaulted: bool
) -> tuple[ScheduleVersion | None, dt.date]:
    """The published version of the anchor's year; without an asked-for day and none for
    today, the most recently published version from its first shift."""
    repo = ScheduleVersionRepository(session)
    published = repo.published_by_year()
    year = choose_year(years, anchor)
    if year is not None and year.start <= anchor <= year.end and year.id in published:
        return repo.get(published[year.id]), anchor
    if not defaulted:
        return None, anchor
    latest = repo.default_id(include_drafts=False)
    found = repo.get(latest) if latest is not None else None
    if found is None:
        return None, anchor
    return found, found.first_day or next(y.start for y in years if y.id == found.academic_year_id)


def _drafts(session: Session, year: AcademicYear) -> tuple[ScheduleVersion, ...]:
    """The newest drafts of ``year``, to pick one to show instead of the published schedule
    (three statements)."""
    return (
        ScheduleVersionRepository(session)
        .list_page(
            limit=DRAFTS_OFFERED, offset=0, academic_year_id=year.id, status=ScheduleStatus.DRAFT
        )
        .items
    )


def _within(version: ScheduleVersion, today: dt.date) -> dt.date:
    """Today if the version holds shifts around it, else the version's first shift's day."""
    first, last = version.first_day, version.last_day
    if first is None or last is None or first <= today <= last:
        return today
    return first


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        return ZoneInfo("UTC")
