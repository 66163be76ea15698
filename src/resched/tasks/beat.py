"""The periodic tasks ``resched beat`` sends: the reaper, the mail sender, the nightly compliance
check, the nightly contingency analysis and the weekly fairness report - their names, their
schedule and their code.

Each is safe to run twice (two beat processes by mistake, a redelivered message): the nightly
check and the weekly report submit their job under an idempotency key naming the day (and the
version), so a second run finds the first one's job; the reaper's updates are conditional; the
mail sender claims each mail under a compare-and-set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import Celery
from celery.schedules import crontab

from resched.core.model import ScheduleStatus
from resched.db.types import utc_now
from resched.services import schedules
from resched.services.jobs import submit_job
from resched.services.jobs.kinds import JobKind
from resched.services.jobs.runs import SYSTEM, reap_stale_jobs
from resched.settings import Settings
from resched.tasks.mail import send_mail
from resched.tasks.runtime import JobRuntime

REAP = "resched.beat.reap_stale_jobs"
NIGHTLY_COMPLIANCE = "resched.beat.nightly_compliance"
WEEKLY_FAIRNESS = "resched.beat.weekly_fairness"
SEND_MAIL = "resched.beat.send_mail"
NIGHTLY_CONTINGENCY = "resched.beat.nightly_contingency"
REAP_EVERY_SECONDS = 60.0
SEND_MAIL_EVERY_SECONDS = 60.0
NOTHING_PUBLISHED = "no published schedule"


def beat_schedule(settings: Settings) -> dict[str, Any]:
    """Celery's ``beat_schedule``, in the timezone of ``settings.schedule_timezone``."""
    at = settings.nightly_at
    return {
        "reap-stale-jobs": {"task": REAP, "schedule": REAP_EVERY_SECONDS},
        # A no-op in the embedded mode (no SMTP host): mail stays in the outbox.
        "send-mail": {"task": SEND_MAIL, "schedule": SEND_MAIL_EVERY_SECONDS},
        "nightly-compliance": {
            "task": NIGHTLY_COMPLIANCE,
            "schedule": crontab(minute=at.minute, hour=at.hour),
        },
        # After the compliance check (the same hour, half an hour on): the heavier job.
        "nightly-contingency": {
            "task": NIGHTLY_CONTINGENCY,
            "schedule": crontab(
                minute=(at.minute + 30) % 60, hour=(at.hour + (at.minute + 30) // 60) % 24
            ),
        },
        # Monday 06:00 in the beat's timezone (Celery's "timezone": settings.schedule_timezone).
        "weekly-fairness": {
            "task": WEEKLY_FAIRNESS,
            "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
        },
    }


def reap(runtime: JobRuntime) -> str:
    return str(reap_stale_jobs(factory=runtime.factory, queue=runtime.queue, policy=runtime.policy))


def send_queued_mail(runtime: JobRuntime) -> str:
    """A batch of the mail outbox (resched.tasks.mail); a failed mail waits for a later run."""
    return send_mail(runtime.settings, runtime.factory)


def nightly_compliance(runtime: JobRuntime) -> str:
    """A compliance-check job for the published schedule (the most recently published
    version): rules or leave recorded since publishing can make a legal schedule illegal."""
    return _submit_about_published(
        runtime,
        JobKind.COMPLIANCE_CHECK,
        key="nightly-compliance:{day}:{version}",
        parameters=lambda version_id: {"version_id": version_id},
    )


def nightly_contingency(runtime: JobRuntime) -> str:
    """A contingency job for the published schedule over the program's next 28 days (the
    horizon is chosen when the job runs): who the schedule cannot lose, as of tonight."""
    return _submit_about_published(
        runtime,
        JobKind.CONTINGENCY,
        key="nightly-contingency:{day}:{version}",
        parameters=lambda version_id: {"version_id": version_id},
    )


def weekly_fairness(runtime: JobRuntime) -> str:
    """A fairness-report job for the published schedule's year to date (nothing to report
    before anything is published)."""
    return _submit_about_published(
        runtime, JobKind.FAIRNESS_REPORT, key="weekly-fairness:{day}", parameters=lambda _: {}
    )


def _submit_about_published(
    runtime: JobRuntime,
    kind: JobKind,
    *,
    key: str,
    parameters: Callable[[int], dict[str, Any]],
) -> str:
    """A system job of ``kind`` about the published schedule, at most one a day: ``key`` is the
    idempotency key's template ({day}, {version}), ``parameters`` the job's, by version id."""
    version = schedules.default_schedule(factory=runtime.factory)
    if version is None or version.status is not ScheduleStatus.PUBLISHED:
        return NOTHING_PUBLISHED
    job = submit_job(
        factory=runtime.factory,
        queue=runtime.queue,
        kind=kind,
        parameters=parameters(version.id),
        actor=SYSTEM,
        requested_by=None,
        idempotency_key=key.format(day=utc_now().date().isoformat(), version=version.id),
    )
    return f"job {job.id}"


def register(app: Celery, runtime: JobRuntime) -> None:
    def reap_stale() -> str:
        return reap(runtime)

    def check_published() -> str:
        return nightly_compliance(runtime)

    def report_fairness() -> str:
        return weekly_fairness(runtime)

    def deliver_mail() -> str:
        return send_queued_mail(runtime)

    def analyse_published() -> str:
        return nightly_contingency(runtime)

    app.task(name=REAP, shared=False)(reap_stale)
    app.task(name=SEND_MAIL, shared=False)(deliver_mail)
    app.task(name=NIGHTLY_COMPLIANCE, shared=False)(check_published)
    app.task(name=WEEKLY_FAIRNESS, shared=False)(report_fairness)
    app.task(name=NIGHTLY_CONTINGENCY, shared=False)(analyse_published)
