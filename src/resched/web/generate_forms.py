"""The Generate form: its text fields turned into a generation request, checked into a spec,
or the field at fault.

Every problem names the form field it belongs to, so the page can show the message next to
that field and link to it from the error summary.
"""

from __future__ import annotations

import datetime as dt

from resched.core.errors import DomainError
from resched.core.solver.shifts import Mode
from resched.services.common import SessionFactory
from resched.services.generation import (
    GenerationKind,
    GenerationRequest,
    GenerationSpec,
    Limits,
    make_spec,
)
from resched.web.formtools import sentence

# Fields a service error may name -> the form field that shows it.
_FIELD_OF = {
    "time_limit_s": "time_limit",
    "work_limit": "work_limit",
    "year": "year",
    "block": "block",
}
MAX_WORK_LIMIT = 100_000.0  # as the API (api/schemas/generation.py)


class FormProblem(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_form(factory: SessionFactory, form: dict[str, str]) -> GenerationSpec:
    kind = _choice("kind", form.get("kind", ""), [k.value for k in GenerationKind])
    mode = _choice("mode", form.get("mode", "fresh"), [m.value for m in Mode])
    limits = Limits(
        time_limit_s=_number("time_limit", form.get("time_limit", ""), float),
        seed=_number("seed", form.get("seed", ""), int),
        work_limit=_work_limit(form.get("work_limit", "")),
    )
    shifts = kind == GenerationKind.SHIFTS.value
    block = form.get("block", "").strip() if shifts else ""
    request = GenerationRequest(
        kind=GenerationKind(kind),
        limits=limits,
        year=form.get("year") or None,
        block=_number("block", block, int) if block else None,
        start=_day("start", form.get("start", "")) if shifts and not block else None,
        end=_day("end", form.get("end", "")) if shifts and not block else None,
        mode=Mode(mode),
    )
    try:
        return make_spec(factory=factory, request=request)
    except DomainError as exc:
        named = str(exc.details.get("field", "kind"))
        raise FormProblem(_FIELD_OF.get(named, named), sentence(exc.message)) from None


def _choice(field: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise FormProblem(field, f"Choose one of: {', '.join(allowed)}.")
    return value


def _number[N: (int, float)](field: str, value: str, kind: type[N]) -> N:
    try:
        number = kind(value.strip())
    except ValueError:
        raise FormProblem(field, "Enter a number.") from None
    if number < 0:
        raise FormProblem(field, "Enter a number that is not negative.")
    return number


def _work_limit(value: str) -> float | None:
    """Empty: no work limit (the time limit alone)."""
    if not value.strip():
        return None
    work = _number("work_limit", value, float)
    if not 0 < work <= MAX_WORK_LIMIT:
        raise FormProblem("work_limit", f"Enter more than 0 and at most {MAX_WORK_LIMIT:g}.")
    return work


def _day(field: str, value: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise FormProblem(field, "Enter a date as YYYY-MM-DD.") from None
