"""The page read models directly: which year and which schedule version a page shows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import NotFound
from resched.core.model import AcademicYear, BlockSchemeKind, ScheduleStatus
from resched.db.tables import ScheduleVersionRow
from resched.services.pages import load_person, load_plan
from resched.services.years import choose_year, program_today
from tests.web.seed import seed_program


def _year(label: str, start: dt.date) -> AcademicYear:
    end = start.replace(year=start.year + 1) - dt.timedelta(days=1)
    return AcademicYear(label, start, end, BlockSchemeKind.MONTHLY, ())


YEARS = [_year("2025-26", dt.date(2025, 7, 1)), _year("2026-27", dt.date(2026, 7, 1))]


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (dt.date(2026, 1, 5), "2025-26"),
        (dt.date(2026, 7, 1), "2026-27"),
        (dt.date(2024, 1, 1), "2025-26"),  # before all: the next to start
        (dt.date(2030, 1, 1), "2026-27"),  # after all: the latest
    ],
)
def test_choose_year(today: dt.date, label: str) -> None:
    chosen = choose_year(YEARS, today)
    assert chosen is not None
    assert chosen.label == label


def test_choose_year_without_years() -> None:
    assert choose_year([], dt.date(2026, 1, 1)) is None


def test_program_today_uses_the_program_time_zone() -> None:
    late_evening_chicago = dt.datetime(2026, 7, 2, 3, 30, tzinfo=dt.UTC)
    assert program_today("America/Chicago", late_evening_chicago) == dt.date(2026, 7, 1)
    assert program_today("No/Such_Zone", late_evening_chicago) == dt.date(2026, 7, 2)


@pytest.mark.db
def test_plan_prefers_the_published_version_over_a_newer_draft(
    session_factory: sessionmaker[Session],
) -> None:
    seeded = seed_program(session_factory, residents_per_level=1, faculty=0)
    with session_factory() as session, session.begin():
        session.add(ScheduleVersionRow(academic_year_id=seeded.year_id, label="newer draft"))
    plan = load_plan(factory=session_factory, today=dt.date(2026, 8, 1))
    assert plan.version is not None
    assert plan.version.status is ScheduleStatus.PUBLISHED
    assert plan.assignment_count == 3 * 13 - 1 + 1  # one split block has two halves
    assert [group.pgy for group in plan.groups] == [1, 2, 3]


@pytest.mark.db
def test_plan_without_drafts_shows_only_published_versions(
    session_factory: sessionmaker[Session],
) -> None:
    seeded = seed_program(session_factory, residents_per_level=1, faculty=0)
    with session_factory() as session, session.begin():
        for row in session.query(ScheduleVersionRow):
            row.status = ScheduleStatus.DRAFT
    with_drafts = load_plan(factory=session_factory, today=dt.date(2026, 8, 1))
    assert with_drafts.version is not None
    assert with_drafts.version.status is ScheduleStatus.DRAFT
    published_only = load_plan(
        factory=session_factory, today=dt.date(2026, 8, 1), include_drafts=False
    )
    assert published_only.version is None
    assert published_only.assignment_count == 0
    assert seeded.year_id is not None


@pytest.mark.db
def test_plan_of_an_unknown_year_is_not_found(session_factory: sessionmaker[Session]) -> None:
    seed_program(session_factory, residents_per_level=1, faculty=0)
    with pytest.raises(NotFound):
        load_plan(factory=session_factory, year_label="1999-00")


@pytest.mark.db
def test_person_view(session_factory: sessionmaker[Session]) -> None:
    seeded = seed_program(session_factory, residents_per_level=1, faculty=1)
    view = load_person(
        factory=session_factory,
        person_id=seeded.first_resident_id,
        today=dt.date(2026, 9, 1),
    )
    assert view.person.pgy == 1
    assert [(level.label, level.pgy) for level in view.levels] == [("2026-27", 1)]
    assert len(view.absences) == 1
    assert len(view.blocks) == 13
    split = view.blocks[1]
    assert [(a.half, a.rotation_code) for a in split.assignments] == [(1, "WARDS"), (2, "ELEC")]
    with pytest.raises(NotFound):
        load_person(factory=session_factory, person_id=10_000)
