"""Core objects to documents: a ``resched.schedule/v1`` schedule and a ``resched.compliance/v1``
report (INTERCHANGE.md). People appear by their ``code``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from resched.core.errors import Invalid
from resched.core.interchange.document import REPORT_FORMAT, SCHEDULE_FORMAT
from resched.core.intervals import DateRange
from resched.core.model import (
    Absence,
    AbsenceStatus,
    Assignment,
    LoggedWork,
    Person,
    Program,
    RuleConfig,
    ShiftType,
)
from resched.core.rules.findings import Finding, Severity

PersonCode = Callable[[int], str]


def write_schedule(
    *,
    program: Program,
    people: Sequence[Person],
    shift_types: Sequence[ShiftType],
    assignments: Iterable[Assignment],
    absences: Iterable[Absence] = (),
    logged_work: Iterable[LoggedWork] = (),
    range: DateRange | None = None,
) -> dict[str, Any]:
    """The document of a schedule. Only approved absences are written: the format's absences
    have no status, a reader takes them all as approved leave."""
    code = _codes(people)
    document: dict[str, Any] = {
        "format": SCHEDULE_FORMAT,
        "program": {
            "name": program.name,
            "timezone": program.timezone,
            "rules": write_rules(program.rules),
        },
    }
    if range is not None:
        document["range"] = _range(range)
    document["people"] = [_person(p) for p in people]
    document["shift_types"] = [_shift_type(s) for s in shift_types]
    document["assignments"] = [
        {"person": code(a.person_id), "date": a.date.isoformat(), "shift": a.shift_code}
        for a in assignments
    ]
    document["absences"] = [
        _absence(a, code) for a in absences if a.status is AbsenceStatus.APPROVED
    ]
    document["logged_work"] = [_logged(w, code) for w in logged_work]
    return document


def _absence(a: Absence, code: PersonCode) -> dict[str, Any]:
    return {
        "person": code(a.person_id),
        "start": a.start.isoformat(),
        "end": a.end.isoformat(),
        "type": a.type.value,
    }


def _logged(w: LoggedWork, code: PersonCode) -> dict[str, Any]:
    return {
        "person": code(w.person_id),
        "start": _local_time(w.start),
        "end": _local_time(w.end),
        "kind": w.kind.value,
    }


def _local_time(value: dt.datetime) -> str:
    # Minutes, as the format's examples; seconds only when there are some, so they survive.
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def write_rules(rules: RuleConfig) -> dict[str, Any]:
    """Every setting, so a document states the limits it was checked against."""
    written: dict[str, Any] = {}
    for f in dataclasses.fields(rules):
        value = getattr(rules, f.name)
        if f.name == "supervision_ratio":
            value = {str(level): ratio for level, ratio in sorted(value.items())}
        elif f.name == "averaging":
            value = value.value
        written[f.name] = value
    return written


def write_report(
    findings: Sequence[Finding],
    range: DateRange,
    people: Sequence[Person],
    assignments: Sequence[Assignment],
) -> dict[str, Any]:
    """The ``resched.compliance/v1`` report of INTERCHANGE.md. ``compliant`` is true when no
    finding is a violation; findings of no single person carry ``shift`` instead of ``person``."""
    code = _codes(people)
    violations = sum(1 for f in findings if f.severity is Severity.VIOLATION)
    return {
        "format": REPORT_FORMAT,
        "range": _range(range),
        "compliant": violations == 0,
        "findings": [_finding(f, code) for f in findings],
        "summary": {
            "violations": violations,
            "warnings": len(findings) - violations,
            "people": len(people),
            "assignments": len(assignments),
        },
    }


def _finding(f: Finding, code: PersonCode) -> dict[str, Any]:
    item: dict[str, Any] = {"rule": f.rule, "severity": f.severity.value}
    if f.person_id is not None:
        item["person"] = code(f.person_id)
    if f.shift_code is not None:
        item["shift"] = f.shift_code
    item.update(
        start=f.start.isoformat(),
        end=f.end.isoformat(),
        value=f.value,
        limit=f.limit,
        message=f.message,
    )
    return item


def _codes(people: Sequence[Person]) -> PersonCode:
    by_id: Mapping[int, str] = {p.id: p.code for p in people}

    def code(person_id: int) -> str:
        if person_id not in by_id:
            raise Invalid(f"person {person_id}: not among the people written")
        return by_id[person_id]

    return code


def _range(rng: DateRange) -> dict[str, str]:
    return {"start": rng.start.isoformat(), "end": rng.end.isoformat()}


def _person(p: Person) -> dict[str, Any]:
    item: dict[str, Any] = {"id": p.code, "name": p.name, "role": p.role.value}
    if p.pgy is not None:
        item["pgy"] = p.pgy
    return item


def _shift_type(s: ShiftType) -> dict[str, Any]:
    item: dict[str, Any] = {
        "code": s.code,
        "name": s.name,
        "start": s.start.strftime("%H:%M"),
        "minutes": s.minutes,
        "kind": s.kind.value,
    }
    if s.transition_minutes:
        item["transition_minutes"] = s.transition_minutes
    if s.requires_supervision:
        item["requires_supervision"] = True
    if s.supervised_by:
        item["supervised_by"] = list(s.supervised_by)
    return item
