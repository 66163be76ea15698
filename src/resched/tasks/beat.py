"""The periodic tasks ``resched beat`` sends: the reaper, the nightly compliance check and the
weekly fairness report.

Each is safe to run twice (two beat processes by mistake, a redelivered message): the nightly
check and the weekly report submit their job under an idempotency key naming the day (and the
version), so a second run finds the first one's job; the reaper's updates are conditional.
"""

from __future__ import annotations

from typing import Any

from resched.core.model import ScheduleStatus
from resched.db.types import utc_now
from resched.services import schedules
from resched.services.jobs import submit_job
from resched.services.jobs.kinds import JobKind
from resched.services.jobs.runs import SYSTEM, reap_stale_jobs
from resched.tasks.app import NIGHTLY_COMPLIANCE, REAP, WEEKLY_FAIRNESS
from resched.tasks.runtime import JobRuntime


def reap(runtime: JobRuntime) -> str:
    return str(reap_stale_jobs(factory=runtime.factory, queue=runtime.queue, policy=runtime.policy))


def nightly_compliance(runtime: JobRuntime) -> str:
    """A compliance-check job for the published schedule (the most recently published
    version): rules or leave recorded since publishing can make a legal schedule illegal."""
    version = schedules.default_schedule(factory=runtime.factory)
    if version is None or version.status is not ScheduleStatus.PUBLISHED:
        return "no published schedule"
    day = utc_now().date().isoformat()
    job = submit_job(
        factory=runtime.factory,
        queue=runtime.queue,
        kind=JobKind.COMPLIANCE_CHECK,
        parameters={"version_id": version.id},
        actor=SYSTEM,
        requested_by=None,
        idempotency_key=f"nightly-compliance:{day}:{version.id}",
    )
    return f"job {job.id}"


def weekly_fairness(runtime: JobRuntime) -> str:
    """A fairness-report job for the published schedule's year to date (nothing to report
    before anything is published)."""
    version = schedules.default_schedule(factory=runtime.factory)
    if version is None or version.status is not ScheduleStatus.PUBLISHED:
        return "no published schedule"
    day = utc_now().date().isoformat()
    job = submit_job(
        factory=runtime.factory,
        queue=runtime.queue,
        kind=JobKind.FAIRNESS_REPORT,
        parameters={},
        actor=SYSTEM,
        requested_by=None,
        idempotency_key=f"weekly-fairness:{day}",
    )
    return f"job {job.id}"


def register(app: Any, runtime: JobRuntime) -> None:
    def reap_stale() -> str:
        return reap(runtime)

    def check_published() -> str:
        return nightly_compliance(runtime)

    def report_fairness() -> str:
        return weekly_fairness(runtime)

    app.task(name=REAP)(reap_stale)
    app.task(name=NIGHTLY_COMPLIANCE)(check_published)
    app.task(name=WEEKLY_FAIRNESS)(report_fairness)
