"""What a schedule file will become, checked without writing: the ``SchedulePreview`` that
``apply_schedule_file`` stores exactly as it was shown, and its JSON form (a wizard keeps it
between the preview and the apply)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from resched.core.errors import Invalid
from resched.core.schedule_files import FileAssignment, Problem

PREVIEW_FORMAT = "resched.schedule-file-preview/v1"
MAX_SHOWN_PROBLEMS = 100


@dataclass(frozen=True, slots=True)
class SchedulePreview:
    """A file read and checked: ``problems`` (sheet, row, column, message; empty when it can be
    applied), ``summary`` (range, academic year, people, counts per person and per shift type,
    the rule findings of the draft-to-be), and the assignments ``apply_schedule_file`` stores."""

    file_name: str
    kind: str  # "xlsx", "csv" or "json"
    label: str
    start: dt.date | None
    end: dt.date | None
    academic_year: str  # its label; "" when the range is in none
    assignments: tuple[FileAssignment, ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()
    findings: Mapping[str, int] | None = None  # {"violations": n, "warnings": n}
    summary: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "summary", _summary(self))

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready object; ``from_json`` gives the same preview back."""
        return {
            "format": PREVIEW_FORMAT,
            "file_name": self.file_name,
            "kind": self.kind,
            "label": self.label,
            "start": _day_text(self.start),
            "end": _day_text(self.end),
            "academic_year": self.academic_year,
            "assignments": [[a.day.isoformat(), a.person, a.shift] for a in self.assignments],
            "problems": [problem_json(p) for p in self.problems],
            "notes": list(self.notes),
            "findings": None if self.findings is None else dict(self.findings),
        }

    @classmethod
    def from_json(cls, data: Any) -> SchedulePreview:
        """Invalid (field ``preview``) for anything ``to_json`` did not write."""
        try:
            if data["format"] != PREVIEW_FORMAT:
                raise ValueError(data["format"])
            return cls(
                file_name=str(data["file_name"]),
                kind=str(data["kind"]),
                label=str(data["label"]),
                start=_day(data["start"]),
                end=_day(data["end"]),
                academic_year=str(data["academic_year"]),
                assignments=tuple(_assignment(a) for a in data["assignments"]),
                problems=tuple(Problem(**p) for p in data["problems"]),
                notes=tuple(str(n) for n in data["notes"]),
                findings=_findings(data["findings"]),
            )
        except (KeyError, TypeError, ValueError):
            raise Invalid(
                "the stored preview cannot be read; check the file again",
                details={"field": "preview"},
            ) from None


def problem_json(p: Problem) -> dict[str, Any]:
    return {"sheet": p.sheet, "row": p.row, "column": p.column, "message": p.message}


def problems_error(problems: Sequence[Problem]) -> Invalid:
    """The one error a file with problems gives: the first in the message, the first hundred
    in ``details["problems"]``."""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return Invalid(
        f"{problems[0]}{more}",
        details={
            "field": "file",
            "problems": [problem_json(p) for p in problems[:MAX_SHOWN_PROBLEMS]],
        },
    )


def _summary(p: SchedulePreview) -> dict[str, Any]:
    per_person = Counter(a.person for a in p.assignments)
    per_shift = Counter(a.shift for a in p.assignments)
    return {
        "file_name": p.file_name,
        "kind": p.kind,
        "start": _day_text(p.start),
        "end": _day_text(p.end),
        "days": (p.end - p.start).days + 1 if p.start and p.end else 0,
        "academic_year": p.academic_year,
        "people": len(per_person),
        "assignments": len(p.assignments),
        "per_person": dict(sorted(per_person.items())),
        "per_shift_type": dict(sorted(per_shift.items())),
        "problems": len(p.problems),
        "findings": None if p.findings is None else dict(p.findings),
    }


def _day_text(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: Any) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _assignment(item: Any) -> FileAssignment:
    day, person, shift = item
    return FileAssignment(dt.date.fromisoformat(day), str(person), str(shift))


def _findings(data: Any) -> dict[str, int] | None:
    return None if data is None else {str(k): int(v) for k, v in data.items()}
