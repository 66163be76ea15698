"""The job kinds' handlers and their Celery tasks. Thin: ids in (the task's one argument is the
job id; parameters are read from the row), status out; the work is a service call.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import Celery, Task

from resched.core.errors import Conflict, Invalid
from resched.services import contingency, schedules
from resched.services.exports.job_files import pack_file
from resched.services.exports.shift_grid import year_xlsx
from resched.services.fairness import build_fairness_report, today_of_program
from resched.services.imports import batches as imports
from resched.services.jobs.imports import import_packed, import_result
from resched.services.jobs.kinds import JobKind
from resched.services.jobs.runs import Busy
from resched.services.pdf_reports import compliance_report_pdf
from resched.tasks.generation import generate
from resched.tasks.runner import Handler, JobContext, Outcome, execute_job
from resched.tasks.runtime import JobRuntime, task_name


def _day(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _summary(version_id: int, report: dict[str, Any]) -> dict[str, Any]:
    return {"version_id": version_id, "compliant": report["compliant"], **report["summary"]}


def _describe(summary: dict[str, Any]) -> str:
    if summary["compliant"] and not summary["warnings"]:
        return "no findings"
    return f"{summary['violations']} violation(s), {summary['warnings']} warning(s)"


def check_compliance(context: JobContext) -> Outcome:
    """One version's ``resched.compliance/v1`` report, as ``resched validate`` writes it."""
    p = context.parameters
    context.report(0.1, f"Checking schedule version {p['version_id']}.")
    checked = schedules.check_schedule(
        factory=context.factory,
        version_id=p["version_id"],
        start=_day(p.get("start")),
        end=_day(p.get("end")),
    )
    report = checked.report()
    summary = _summary(p["version_id"], report)
    return Outcome(f"Checked: {_describe(summary)}.", {"summary": summary, "report": report})


def sweep_compliance(context: JobContext) -> Outcome:
    """Several versions checked one after another (each over its own range); a cancel stops
    the sweep between two versions. The result keeps each version's summary."""
    ids: list[int] = context.parameters["version_ids"]
    summaries = []
    for done, version_id in enumerate(ids):
        context.stop_if_cancelled()
        context.report(
            done / len(ids), f"Checking version {version_id} ({done + 1} of {len(ids)})."
        )
        report = schedules.check_schedule(factory=context.factory, version_id=version_id).report()
        summaries.append(_summary(version_id, report))
    failing = sum(1 for s in summaries if not s["compliant"])
    return Outcome(
        f"Checked {len(ids)} version(s): {failing} with violations.", {"versions": summaries}
    )


def export_version(context: JobContext) -> Outcome:
    """The ``resched.schedule/v1`` document of a version, stored as the job's result."""
    p = context.parameters
    context.report(0.1, f"Exporting schedule version {p['version_id']}.")
    document = schedules.export_schedule(
        factory=context.factory,
        version_id=p["version_id"],
        start=_day(p.get("start")),
        end=_day(p.get("end")),
    )
    count = len(document.get("assignments", []))
    return Outcome(f"Exported {count} assignment(s).", {"document": document})


def report_fairness(context: JobContext) -> Outcome:
    """The ``resched.fairness/v1`` report of the published schedule, year to date."""
    as_of = _day(context.parameters.get("as_of"))
    context.report(0.1, "Counting calls, nights, weekends, holidays and hours.")
    report = build_fairness_report(factory=context.factory, as_of=as_of)
    residents = len(report["residents"])
    return Outcome(
        f"Fairness of {residents} resident(s), {report['range']['start']} to "
        f"{report['range']['end']}.",
        report,
    )


def import_document(context: JobContext) -> Outcome:
    """An interchange document stored as a new draft. A document the reader refuses fails
    the job with the reader's errors (paths and messages) as its result."""
    context.report(0.1, "Reading the document.")
    try:
        imported = import_packed(
            factory=context.factory, parameters=context.parameters, actor=context.actor
        )
    except Invalid as exc:
        errors = exc.details.get("errors") or [{"path": "", "message": exc.message}]
        return Outcome(f"Failed: {exc.message}", {"errors": errors}, failed=True)
    result = import_result(imported)
    return Outcome(
        f"Imported draft version {result['version_id']}: {result['assignments']} assignment(s).",
        result,
    )


def analyse_contingency(context: JobContext) -> Outcome:
    """The ``resched.contingency/v1`` report of one version; without a horizon, the program's
    next ``HORIZON_DAYS`` days (cut at the version's year end). A cancel stops it between two
    people or pairs."""
    p = context.parameters
    start, end = _day(p.get("start")), _day(p.get("end"))
    if start is None or end is None:
        start = today_of_program(factory=context.factory)
        end = start + dt.timedelta(days=contingency.HORIZON_DAYS - 1)
        end = min(end, contingency.year_end(factory=context.factory, version_id=p["version_id"]))
    report = contingency.analyse(
        factory=context.factory,
        version_id=p["version_id"],
        start=start,
        end=end,
        progress=context.report,
        cancel_check=context.stop_if_cancelled,
    )
    single = len(report["single_points_of_failure"])
    pairs = len(report["n_minus_2"]["fatal"])
    return Outcome(
        f"Contingency {start.isoformat()} to {end.isoformat()}: {single} single point(s) of "
        f"failure, {pairs} fatal pair(s).",
        report,
    )


def export_year_workbook(context: JobContext) -> Outcome:
    """A version's whole year as an xlsx workbook, kept in the job's result; a cancel stops
    it between two sheets."""
    version_id = context.parameters["version_id"]

    def progress(fraction: float, message: str) -> None:
        context.stop_if_cancelled()
        context.report(fraction, message)

    exported = year_xlsx(factory=context.factory, version_id=version_id, progress=progress)
    return Outcome(
        f"Wrote {exported.filename} ({len(exported.content) // 1024 + 1} KiB).",
        pack_file(exported),
    )


def render_compliance_pdf(context: JobContext) -> Outcome:
    """A version's compliance report as a PDF, kept in the job's result (as the direct route
    makes it for a coordinator: drafts and every absence; only schedule writers submit). A
    cancel stops it between two steps."""
    p = context.parameters

    def progress(fraction: float, message: str) -> None:
        context.stop_if_cancelled()
        context.report(fraction, message)

    made = compliance_report_pdf(
        factory=context.factory,
        now=dt.datetime.now(dt.UTC),
        version_id=p["version_id"],
        start=_day(p.get("start")),
        end=_day(p.get("end")),
        progress=progress,
    )
    return Outcome(f"Wrote {made.filename} ({len(made.content) // 1024 + 1} KiB).", pack_file(made))


def run_import_batch(context: JobContext) -> Outcome:
    """Apply or undo a large import batch (one transaction, as from a request); a refusal
    (problems, a stale preview, what blocks the undo) fails the job with the reasons."""
    batch_id, action = context.parameters["batch_id"], context.parameters["action"]
    context.report(0.1, f"{action.capitalize()} import {batch_id}.")
    run = imports.apply_import if action == imports.APPLY else imports.undo_import
    try:
        batch = run(factory=context.factory, batch_id=batch_id, actor=context.actor)
    except (Conflict, Invalid) as exc:
        return Outcome(f"Failed: {exc.message}", {"error": exc.message, **exc.details}, failed=True)
    done = "Applied" if action == imports.APPLY else "Undone"
    return Outcome(f"{done}: import {batch_id}.", {"batch_id": batch.id, "status": batch.status})


MAX_BUSY_LOOKS = 1000

HANDLERS: dict[JobKind, Handler] = {
    JobKind.COMPLIANCE_CHECK: check_compliance,
    JobKind.COMPLIANCE_SWEEP: sweep_compliance,
    JobKind.EXPORT: export_version,
    JobKind.GENERATION: generate,
    JobKind.FAIRNESS_REPORT: report_fairness,
    JobKind.IMPORT_INTERCHANGE: import_document,
    JobKind.CONTINGENCY: analyse_contingency,
    JobKind.XLSX_YEAR: export_year_workbook,
    JobKind.COMPLIANCE_PDF: render_compliance_pdf,
    JobKind.IMPORT_BATCH: run_import_batch,
}


def register(app: Celery, runtime: JobRuntime) -> None:
    """One Celery task per kind (so operators can route kinds to their own queues)."""
    for kind, handler in HANDLERS.items():
        _register_one(app, runtime, kind, handler)


def _register_one(app: Celery, runtime: JobRuntime, kind: JobKind, handler: Handler) -> None:
    def run(task: Task, job_id: int) -> str:
        done = execute_job(runtime, job_id, handler, worker=str(task.request.hostname))
        if isinstance(done, Busy):
            # Possibly a redelivery after a worker died: look again when its heartbeat would
            # be stale (then take over), or find the job finished (then stop).
            raise task.retry(countdown=done.retry_in, max_retries=MAX_BUSY_LOOKS)
        return done

    run.__name__ = f"run_{kind.value}"
    app.task(name=task_name(kind.value), bind=True, shared=False)(run)
