"""Today's summary for coordinators: the open requests, the findings and coverage gaps of the
published schedule over the next four weeks, the latest contingency analysis and the jobs
queued or running. Read on every view: requests and jobs change without a data generation
(jobs are not counted, resched.db.generation); the check under it is cached
(services/check_cache.py)."""

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
from resched.services.check_cache import cached_check
from resched.services.common import SessionFactory, read
from resched.services.contingency.news import ContingencyNews, contingency_news
from resched.services.jobs.queue import list_jobs
from resched.services.plan_spans import plan_between
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
    violations = warnings = 0
    by_rule: Counter[str] = Counter()
    gaps: list[CoverageGap] = []
    if version_id is not None and year is not None:
        checked = cached_check(
            factory=factory, version_id=version_id, start=start, end=end, include_drafts=False
        )
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
    return CoordinatorSummary(
        open_requests=requests,
        start=start,
        end=end,
        violations=violations,
        warnings=warnings,
        findings_by_rule=tuple(sorted(by_rule.items(), key=lambda item: (-item[1], item[0]))),
        gaps=tuple(gaps[:GAPS_SHOWN]),
        gap_count=len(gaps),
        jobs=jobs,
        job_count=running.total + queued.total,
        contingency=None
        if version_id is None
        else contingency_news(factory=factory, version_id=version_id),
    )
