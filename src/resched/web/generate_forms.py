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
    """Every problem of the form at once: form field -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


class _Fields:
    """Reads the fields, noting each problem rather than stopping at the first."""

    def __init__(self, form: dict[str, str]) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def text(self, field: str, default: str = "") -> str:
        return (self.form.get(field) or default).strip()

    def choice(self, field: str, allowed: list[str], default: str = "") -> str | None:
        value = self.text(field, default)
        if value not in allowed:
            self.errors[field] = f"Choose one of: {', '.join(allowed)}."
            return None
        return value

    def number[N: (int, float)](self, field: str, kind: type[N]) -> N | None:
        try:
            number = kind(self.text(field))
        except ValueError:
            self.errors[field] = "Enter a number."
            return None
        if number < 0:
            self.errors[field] = "Enter a number that is not negative."
            return None
        return number

    def work_limit(self) -> float | None:
        """Empty: no work limit (the time limit alone)."""
        if not self.text("work_limit"):
            return None
        work = self.number("work_limit", float)
        if work is not None and not 0 < work <= MAX_WORK_LIMIT:
            self.errors["work_limit"] = f"Enter more than 0 and at most {MAX_WORK_LIMIT:g}."
            return None
        return work

    def day(self, field: str) -> dt.date | None:
        value = self.text(field)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.errors[field] = "Enter a date as YYYY-MM-DD."
            return None


def parse_form(factory: SessionFactory, form: dict[str, str]) -> GenerationSpec:
    """The spec, or FormProblem with every field at fault (a service check runs only once the
    fields themselves are right)."""
    fields = _Fields(form)
    kind = fields.choice("kind", [k.value for k in GenerationKind])
    mode = fields.choice("mode", [m.value for m in Mode], default="fresh")
    time_limit = fields.number("time_limit", float)
    seed = fields.number("seed", int)
    work_limit = fields.work_limit()
    shifts = kind == GenerationKind.SHIFTS.value
    block = fields.number("block", int) if shifts and fields.text("block") else None
    start = fields.day("start") if shifts else None
    end = fields.day("end") if shifts else None
    if shifts and fields.text("block") and (fields.text("start") or fields.text("end")):
        fields.errors.setdefault(
            "block", "Give a block or a start and end date, not both: clear one of them."
        )
    if fields.errors or kind is None or mode is None or time_limit is None or seed is None:
        raise FormProblem(fields.errors)
    request = GenerationRequest(
        kind=GenerationKind(kind),
        limits=Limits(time_limit_s=time_limit, seed=seed, work_limit=work_limit),
        year=form.get("year") or None,
        block=block,
        start=start,
        end=end,
        # The whole year is always fresh: the form's mode (a field of ranges) does not apply.
        mode=Mode.FRESH if kind == GenerationKind.YEAR.value else Mode(mode),
    )
    try:
        return make_spec(factory=factory, request=request)
    except DomainError as exc:
        named = str(exc.details.get("field", "kind"))
        raise FormProblem({_FIELD_OF.get(named, named): sentence(exc.message)}) from None
