"""What a job may be asked to do, and the parameters each kind takes.

Parameters are checked here, when the job is submitted, so a bad request is answered at once
(422 with the field) rather than by a job that fails later; the task receives only the job id
and reads the checked, normalised parameters back from the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from resched.services import contingency, schedules
from resched.services.common import SessionFactory, fail
from resched.services.generation import make_spec, request_of, spec_from_json, spec_json
from resched.services.jobs.imports import pack_import

MAX_SWEEP_VERSIONS = 200
MAX_CONTINGENCY_DAYS = 92  # a quarter: N-2 grows with the horizon


class JobKind(StrEnum):
    COMPLIANCE_CHECK = "compliance_check"  # one version's compliance report
    COMPLIANCE_SWEEP = "compliance_sweep"  # several versions, one after another, cancellable
    EXPORT = "export"  # one version as a resched.schedule/v1 document
    GENERATION = "generation"  # a rotation plan or the shifts of a range, solved into a draft
    FAIRNESS_REPORT = "fairness_report"  # the published schedule's year-to-date fairness
    IMPORT_INTERCHANGE = "import_interchange"  # an interchange document stored as a draft
    CONTINGENCY = "contingency"  # one version's N-1 / N-2 contingency analysis
    XLSX_YEAR = "xlsx_year"  # one version's whole year as an xlsx workbook (a sheet per block)
    COMPLIANCE_PDF = "compliance_pdf"  # one version's compliance report as a PDF file

    IMPORT_BATCH = "import_batch"  # apply or undo a large import batch (services/imports)


def _version_id(value: Any, field: str = "version_id") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**31 - 1:
        fail(field, f"{field} must be a positive whole number")
    return value


def _day(parameters: Mapping[str, Any], field: str) -> str | None:
    value = parameters.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        fail(field, f"{field}: expected a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        fail(field, f"{field}: expected a date YYYY-MM-DD")


def _one_version(factory: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    version_id = _version_id(parameters.get("version_id"))
    schedules.get_schedule(factory=factory, version_id=version_id)  # NotFound, now
    return {
        "version_id": version_id,
        "start": _day(parameters, "start"),
        "end": _day(parameters, "end"),
    }


def _whole_version(factory: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    version_id = _version_id(parameters.get("version_id"))
    schedules.get_schedule(factory=factory, version_id=version_id)  # NotFound, now
    return {"version_id": version_id}


def _contingency(factory: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """One version and an optional horizon (default, when it runs: the program's next
    ``HORIZON_DAYS`` days); a given horizon must lie in the version's year, forwards."""
    checked = _one_version(factory, parameters)
    start, end = checked["start"], checked["end"]
    if (start is None) != (end is None):
        fail("end" if end is None else "start", "give both start and end, or neither")
    if start is not None and end is not None:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if (last - first).days + 1 > MAX_CONTINGENCY_DAYS:
            fail("end", f"the horizon is at most {MAX_CONTINGENCY_DAYS} days")
        contingency.load(factory=factory, version_id=checked["version_id"], start=first, end=last)
    return checked


def _report_range(factory: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """One version over an optional ``start``..``end`` (each defaults, when it runs, as the
    direct PDF route's); a range backwards or over ``MAX_RANGE_DAYS`` is refused now."""
    checked = _one_version(factory, parameters)
    start, end = checked["start"], checked["end"]
    if start is not None and end is not None:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if last < first:
            fail("end", f"{end} is before the start {start}")
        if (last - first).days + 1 > schedules.MAX_RANGE_DAYS:
            fail("end", f"the range is longer than {schedules.MAX_RANGE_DAYS} days")
    return checked


def _many_versions(factory: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    ids = parameters.get("version_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_SWEEP_VERSIONS:
        fail("version_ids", f"version_ids must list 1 to {MAX_SWEEP_VERSIONS} versions")
    checked = [_version_id(v, "version_ids") for v in ids]
    for version_id in dict.fromkeys(checked):
        schedules.get_schedule(factory=factory, version_id=version_id)
    return {"version_ids": checked}


def _generation(factory: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """A generation spec as ``spec_json`` writes it, checked again against the database by
    the generation service's own spec builders (the year exists, the range lies in it)."""
    try:
        spec = spec_from_json(parameters)
    except (KeyError, TypeError, ValueError) as exc:
        fail("parameters", f"not a generation spec (see docs/jobs.md): {exc}")
    checked = make_spec(factory=factory, request=request_of(spec))
    return spec_json(checked)


def _fairness(_: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """``as_of``: the day the year to date ends (default: the program's today, when it runs)."""
    return {"as_of": _day(parameters, "as_of")}


def _import(_: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    return pack_import(parameters)


def _import_batch(factory: SessionFactory, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """``{"batch_id": n, "action": "apply" | "undo"}``; the batch must exist (NotFound)."""
    from resched.services.imports.batches import APPLY, UNDO, get_import

    batch_id = _version_id(parameters.get("batch_id"), "batch_id")
    action = parameters.get("action")
    if action not in (APPLY, UNDO):
        fail("action", f"action must be {APPLY} or {UNDO}")
    get_import(factory=factory, batch_id=batch_id, full=False)
    return {"batch_id": batch_id, "action": action}


_CHECKS: dict[JobKind, Callable[[SessionFactory, Mapping[str, Any]], dict[str, Any]]] = {
    JobKind.COMPLIANCE_CHECK: _one_version,
    JobKind.COMPLIANCE_SWEEP: _many_versions,
    JobKind.EXPORT: _one_version,
    JobKind.GENERATION: _generation,
    JobKind.FAIRNESS_REPORT: _fairness,
    JobKind.IMPORT_INTERCHANGE: _import,
    JobKind.CONTINGENCY: _contingency,
    JobKind.XLSX_YEAR: _whole_version,
    JobKind.COMPLIANCE_PDF: _report_range,
    JobKind.IMPORT_BATCH: _import_batch,
}


def parse_kind(kind: str) -> JobKind:
    try:
        return JobKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in JobKind)
        fail("kind", f"unknown job kind {kind!r}; one of: {known}")


def check_parameters(
    factory: SessionFactory, kind: JobKind, parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """The parameters a job of ``kind`` runs with, checked and normalised (Invalid naming the
    field, NotFound for a version that does not exist)."""
    return _CHECKS[kind](factory, parameters)
