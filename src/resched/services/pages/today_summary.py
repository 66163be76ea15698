"""Today's summary for coordinators: the open requests, the findings and coverage gaps of the
published schedule over the next four weeks, the latest contingency analysis and the jobs
queued or running. The requests, jobs and contingency news are read on every view (jobs
change without a data generation: they are not counted, resched.db.generation); the findings
and gaps are kept per process under the generation of what they read."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from resched.core.coverage_gaps import CoverageGap, coverage_gaps
from resched.core.model import AcademicYear, RequestStatus
from resched.core.rules import Severity
from resched.db.repositories import CoverageRepository
from resched.db.repositories.jobs import Job
from resched.db.tables.jobs import JobStatus
from resched.services.check_cache import CHECK_TABLES, cached_check
from resched.services.common import SessionFactory, read
from resched.services.contingency.news import ContingencyNews, contingency_news
from resched.services.jobs.queue import list_jobs
from resched.services.plan_spans import plan_between
from resched.services.read_cache import BoundedCache, kept
from resched.services.requests import list_requests

LOOK_AHEAD_DAYS = 28  # the coordinator's "next four weeks", today included
GAPS_SHOWN = 5  # coverage gaps listed on the page; the count covers them all
JOBS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class CoordinatorSummary:
    """What needs a coordinator: open requests, the next four weeks' findings and coverage
    gaps of the published schedule (``start``..``end``), and the jobs queued or running."""

    open_requests: int
    start: dt.date
    end: dt.date
    violations: int
    warnings: int
    findings_by_rule: tuple[tuple[str, int], ...]
    gaps: tuple[CoverageGap, ...]
    gap_count: int
    jobs: tuple[Job, ...]
    job_count: int
    contingency: ContingencyNews | None = None  # the latest analysis of the schedule


def coordinator_summary(
    factory: SessionFactory, day: dt.date, version_id: int | None, year: AcademicYear | None
) -> CoordinatorSummary:
    """The summary as of ``day`` for the published ``version_id`` of ``year`` (None: no
    published schedule holds the day: requests and jobs only)."""
    requests = list_requests(factory=factory, limit=1, status=RequestStatus.OPEN).total
    running = list_jobs(factory=factory, limit=JOBS_SHOWN, status=JobStatus.RUNNING)
    queued = list_jobs(factory=factory, limit=JOBS_SHOWN, status=JobStatus.QUEUED)
    jobs = (*running.items, *queued.items)[:JOBS_SHOWN]
    start = day
    end = start + dt.timedelta(days=LOOK_AHEAD_DAYS - 1)
    if year is not None:
        end = min(end, year.end)  # a check reads one academic year
    health = Health()
    if version_id is not None and year is not None:
        health = _health(factory, version_id, year, start, end)
    return CoordinatorSummary(
        open_requests=requests,
        start=start,
        end=end,
        violations=health.violations,
        warnings=health.warnings,
        findings_by_rule=health.findings_by_rule,
        gaps=health.gaps[:GAPS_SHOWN],
        gap_count=len(health.gaps),
        jobs=jobs,
        job_count=running.total + queued.total,
        contingency=None
        if version_id is None
        else contingency_news(factory=factory, version_id=version_id),
    )


# What the schedule's health reads; tests/services/test_today_cache.py holds it to this.
HEALTH_TABLES = CHECK_TABLES | {"block_assignment", "coverage_requirement", "rotation"}


@dataclass(frozen=True, slots=True)
class Health:
    """The findings of the four weeks (by rule, most first) and every coverage gap."""

    violations: int = 0
    warnings: int = 0
    findings_by_rule: tuple[tuple[str, int], ...] = ()
    gaps: tuple[CoverageGap, ...] = ()


def _health(
    factory: SessionFactory, version_id: int, year: AcademicYear, start: dt.date, end: dt.date
) -> Health:
    """Kept per process while the data generation of what it reads stands (the check under it
    is cached too, but the gaps are worked out from the plan and the coverage rules)."""
    _, found = kept(
        factory,
        "today_health",
        lambda: BoundedCache[Health](8),
        HEALTH_TABLES,
        (version_id, start, end),
        lambda: _health_built(factory, version_id, year, start, end),
    )
    return found


def _health_built(
    factory: SessionFactory, version_id: int, year: AcademicYear, start: dt.date, end: dt.date
) -> Health:
    checked = cached_check(
        factory=factory, version_id=version_id, start=start, end=end, include_drafts=False
    )
    violations = warnings = 0
    by_rule: Counter[str] = Counter()
    for finding in checked.findings:
        if finding.end < start:
            continue  # about the look-back only
        by_rule[finding.rule] += 1
        if finding.severity is Severity.VIOLATION:
            violations += 1
        else:
            warnings += 1
    schedule = checked.stored.schedule
    with read(factory) as session:
        needs = CoverageRepository(session).all()
        plan = {
            person_id: [(first, last, r.code) for first, last, r in spans]
            for person_id, spans in plan_between(session, version_id, start, end).items()
        }
    gaps = coverage_gaps(
        needs,
        [a for a in schedule.assignments if start <= a.date <= end],
        schedule.people,
        plan,
        frozenset(year.holidays),
        start,
        end,
    )
    return Health(
        violations=violations,
        warnings=warnings,
        findings_by_rule=tuple(sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))),
        gaps=tuple(gaps),
    )
