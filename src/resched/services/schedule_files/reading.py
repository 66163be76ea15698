"""An uploaded file to assignments by code, whatever its kind: the grid workbook, the CSV of
assignments, or an interchange document (read as ``resched import interchange`` reads it)."""

from __future__ import annotations

from typing import Any

from resched.core.errors import Invalid
from resched.core.interchange import parse_schedule_with_notes
from resched.core.rules import ScheduleInput
from resched.core.schedule_files import (
    FileAssignment,
    KnownCodes,
    ParsedFile,
    Problem,
    is_assignment_table,
    read_csv_rows,
    read_grid,
)
from resched.io.tables import read_sheets
from resched.io.uploads import FileKind, Upload, load_json


def read_file(upload: Upload, codes: KnownCodes) -> tuple[ParsedFile, tuple[str, ...]]:
    """The file read against the program's codes, and notes on what it ignored. Invalid (from
    the upload foundation) only for a file that cannot be read at all."""
    if upload.kind is FileKind.JSON:
        return _read_document(upload, load_json(upload), codes)
    sheets = read_sheets(upload)
    if upload.kind is FileKind.CSV:
        return read_csv_rows(sheets[0], codes), ()
    if sheets and is_assignment_table(sheets[0]):
        # The CSV's columns saved as a workbook: read as the CSV is.
        ignored = [s.name for s in sheets[1:]]
        notes = (
            (f"only the first sheet was read; ignored: {', '.join(ignored)}",) if ignored else ()
        )
        return read_csv_rows(sheets[0], codes), notes
    return read_grid(sheets, codes), ()


def _read_document(
    upload: Upload, document: Any, codes: KnownCodes
) -> tuple[ParsedFile, tuple[str, ...]]:
    try:
        parsed = parse_schedule_with_notes(document)
    except Invalid as exc:
        errors = exc.details.get("errors") or [{"path": "document", "message": str(exc)}]
        problems = tuple(Problem(upload.name, None, e["path"], e["message"]) for e in errors)
        return ParsedFile((), problems, None, None), ()
    s = parsed.schedule
    problems = _unknown_codes(upload.name, s, codes)
    code_of = {p.id: p.code for p in s.people}
    kept = tuple(
        sorted(
            FileAssignment(a.date, code_of[a.person_id], a.shift_code)
            for a in s.assignments
            if s.range.contains(a.date)
        )
    )
    notes = [str(n) for n in parsed.notes]
    if len(kept) < len(s.assignments):
        notes.append(f"{len(s.assignments) - len(kept)} assignments outside the range ignored")
    if s.absences or s.logged_work:
        notes.append("absences and logged work are not imported: the program's own apply")
    if problems:
        return ParsedFile((), problems, s.range.start, s.range.end), tuple(notes)
    return ParsedFile(kept, (), s.range.start, s.range.end), tuple(notes)


def _unknown_codes(name: str, s: ScheduleInput, codes: KnownCodes) -> tuple[Problem, ...]:
    """As the interchange import: every person and shift type of the document must be the
    program's, by code."""
    people = [
        Problem(name, None, f"people[{p.id - 1}].id", f'unknown person "{p.code}"')
        for p in s.people
        if p.code not in codes.people
    ]
    shifts = [
        Problem(name, None, f"shift_types[{i}].code", f'unknown shift type "{t.code}"')
        for i, t in enumerate(s.shift_types)
        if t.code not in codes.shifts
    ]
    return (*people, *shifts)
