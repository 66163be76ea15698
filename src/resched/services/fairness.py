"""The fairness report (core/fairness.py) of the published schedule over the academic year to
date, and the latest one the weekly job stored.

"Today" is the program's local date (its timezone), unless the caller names a day (``as_of``).
The schedule read is the published version of the academic year holding that day, from the
year's first day to that day (or to the year's last day, for a day after it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from resched.core.errors import NotFound
from resched.core.fairness import measure_fairness
from resched.core.model import AcademicYear
from resched.db.repositories import AcademicYearRepository, ProgramRepository
from resched.db.repositories.jobs import Job, JobRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.services.common import SessionFactory, read
from resched.services.jobs.kinds import JobKind
from resched.services.schedules import load_schedule
from resched.services.years import program_today


@dataclass(frozen=True, slots=True)
class StoredReport:
    job: Job
    report: dict[str, Any]


def today_of_program(*, factory: SessionFactory, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the program's timezone (UTC before a program is set up), at ``now``
    (default: the wall clock)."""
    with read(factory) as session:
        program = ProgramRepository(session).get()
    return program_today(program.timezone if program is not None else "UTC", now)


def _subject(factory: SessionFactory, day: dt.date) -> tuple[AcademicYear, int]:
    with read(factory) as session:
        years = AcademicYearRepository(session).all()
        published = ScheduleVersionRepository(session).published_by_year()
    year = next((y for y in years if y.start <= day <= y.end), None)
    if year is None or year.id is None:
        raise NotFound(
            f"no academic year holds {day.isoformat()}", details={"entity": "academic_year"}
        )
    version_id = published.get(year.id)
    if version_id is None:
        raise NotFound(
            f"{year.label} has no published schedule", details={"entity": "schedule_version"}
        )
    return year, version_id


def build_fairness_report(
    *, factory: SessionFactory, as_of: dt.date | None = None
) -> dict[str, Any]:
    """The ``resched.fairness/v1`` report of the year to date. NotFound when no academic year
    holds the day or the year has no published schedule."""
    day = as_of or today_of_program(factory=factory)
    year, version_id = _subject(factory, day)
    stored = load_schedule(
        factory=factory, version_id=version_id, start=year.start, end=min(day, year.end)
    )
    report = measure_fairness(stored.schedule, year.holidays).to_json()
    return {
        **report,
        "as_of": day.isoformat(),
        "academic_year": year.label,
        "version_id": version_id,
    }


def latest_fairness_report(*, factory: SessionFactory) -> StoredReport:
    """The report of the most recent fairness job that succeeded; NotFound before the first."""
    with read(factory) as session:
        found = JobRepository(session).latest_succeeded(JobKind.FAIRNESS_REPORT.value)
    if found is None:
        raise NotFound("no fairness report has been made yet", details={"entity": "report"})
    return StoredReport(*found)
