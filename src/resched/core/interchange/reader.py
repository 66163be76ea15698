"""Reading a ``resched.schedule/v1`` document (INTERCHANGE.md) into core objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from resched.core.errors import Invalid
from resched.core.interchange.assignments import person_ref, read_assignments
from resched.core.interchange.document import SCHEDULE_FORMAT
from resched.core.interchange.fields import (
    Fields,
    Issues,
    Note,
    member_object,
    objects,
    quoted,
)
from resched.core.interchange.rules import read_rules
from resched.core.intervals import DateRange, load_zone
from resched.core.model import (
    Absence,
    AbsenceStatus,
    AbsenceType,
    Assignment,
    LoggedWork,
    LoggedWorkKind,
    Person,
    Program,
    Role,
    ShiftKind,
    ShiftType,
)
from resched.core.rules.context import ScheduleContext, ScheduleInput

# A shift (or its transition time) of more than a week is a mistake, and a long enough one would
# overflow the date arithmetic.
MAX_SHIFT_MINUTES = 7 * 24 * 60
MAX_RANGE_DAYS = 3 * 366


@dataclass(frozen=True, slots=True)
class ParsedSchedule:
    """A document read: the schedule, and notes on what was ignored (``Note``: path, message)."""

    schedule: ScheduleInput
    notes: tuple[Note, ...] = ()


def parse_schedule(document: Any) -> ScheduleInput:
    """The schedule of a decoded document, or ``Invalid`` listing every problem found (up to a
    cap) in ``details["errors"]`` as {"path", "message"}, the first one in the message.

    People get integer ids 1, 2, ... in document order; their document ``id`` becomes ``code``.
    Absences in the format carry no status: they are approved."""
    return parse_schedule_with_notes(document).schedule


def parse_schedule_with_notes(document: Any) -> ParsedSchedule:
    """``parse_schedule``, keeping the notes: unknown ``program.rules`` keys, which are
    ignored (as unknown keys are everywhere in the format) but worth telling the author."""
    if not isinstance(document, Mapping):
        message = f"expected a JSON object, got {quoted(document)}"
        raise Invalid(
            f"document: {message}", details={"errors": [{"path": "document", "message": message}]}
        )
    issues = Issues()
    root = Fields(document, "", issues)
    fmt = document.get("format")
    if fmt != SCHEDULE_FORMAT:
        got = " (missing)" if "format" not in document else f", got {quoted(fmt)}"
        issues.add("format", f'expected "{SCHEDULE_FORMAT}"{got}')
    program = _program(root)
    people, codes = _people(document, issues)
    shift_types, known_shifts = _shift_types(document, issues)
    assignments = read_assignments(document, issues, codes, known_shifts)
    absences = _absences(document, issues, codes)
    logged = _logged_work(document, issues, codes)
    rng = _range(root, assignments)
    issues.raise_if_any()
    assert rng is not None  # _range records an issue whenever it returns None
    schedule = ScheduleInput(
        program=program,
        people=tuple(people),
        shift_types=tuple(shift_types),
        assignments=tuple(assignments),
        range=rng,
        absences=tuple(absences),
        logged_work=tuple(logged),
    )
    return ParsedSchedule(schedule, tuple(issues.notes))


def parse_context(document: Any) -> ScheduleContext:
    """``parse_schedule`` followed by the validator's precomputation."""
    return ScheduleContext(parse_schedule(document))


def _program(root: Fields) -> Program:
    fields = member_object(root, "program")
    if fields is None:
        return Program(name="")
    name = fields.text("name", required=False) or ""
    timezone = fields.text("timezone", required=False) or "UTC"
    try:
        load_zone(timezone)
    except Invalid:
        fields.issues.add(fields.at("timezone"), f"unknown timezone {quoted(timezone)}")
        timezone = "UTC"
    rules = member_object(fields, "rules")
    return Program(name=name, timezone=timezone, rules=read_rules(rules))


def _people(document: Mapping[str, Any], issues: Issues) -> tuple[list[Person], dict[str, int]]:
    """The people, and the ids of every code seen (malformed entries included, so references to
    them do not pile up as further errors)."""
    found: list[Person] = []
    codes: dict[str, int] = {}
    for i, f in enumerate(objects(document, "people", issues)):
        code, role = f.text("id"), f.choice("role", Role)
        pgy = f.integer("pgy", minimum=1, required=False)
        if role is Role.RESIDENT and "pgy" not in f.obj:
            issues.add(f.at("pgy"), "required for residents")
        name = f.text("name", required=False)
        if code is not None and code in codes:
            issues.add(f.at("id"), f"duplicate id {quoted(code)}")
            continue
        if code is not None:
            codes[code] = i + 1
        if code is not None and role is not None:
            found.append(Person(id=i + 1, code=code, name=name or code, role=role, pgy=pgy))
    return found, codes


def _shift_types(document: Mapping[str, Any], issues: Issues) -> tuple[list[ShiftType], set[str]]:
    """The shift types, and every code seen (as for people)."""
    found: list[ShiftType] = []
    seen: set[str] = set()
    pending: list[tuple[Fields, tuple[str, ...]]] = []
    for f in objects(document, "shift_types", issues):
        code, start, kind = f.text("code"), f.time("start"), f.choice("kind", ShiftKind)
        minutes = f.integer("minutes", minimum=1, maximum=MAX_SHIFT_MINUTES)
        transition = (
            f.integer("transition_minutes", minimum=0, maximum=MAX_SHIFT_MINUTES, required=False)
            or 0
        )
        supervision = f.boolean("requires_supervision", default=False)
        supervised_by = f.texts("supervised_by")
        name = f.text("name", required=False)
        pending.append((f, supervised_by))
        if code is not None and code in seen:
            issues.add(f.at("code"), f"duplicate code {quoted(code)}")
            continue
        if code is not None:
            seen.add(code)
        if code is None or start is None or kind is None or minutes is None:
            continue
        found.append(
            ShiftType(
                code, name or code, start, minutes, kind, transition, supervision, supervised_by
            )
        )
    for f, supervised_by in pending:
        first: dict[str, int] = {}
        for j, other in enumerate(supervised_by):
            path = f"{f.at('supervised_by')}[{j}]"
            if other not in seen:
                issues.add(path, f"unknown shift type {quoted(other)}")
            # Each supervised slot reads every entry: a repeated one only costs time.
            elif first.setdefault(other, j) != j:
                issues.add(path, f"repeats supervised_by[{first[other]}]")
    return found, seen


def _absences(
    document: Mapping[str, Any], issues: Issues, codes: Mapping[str, int]
) -> list[Absence]:
    found: list[Absence] = []
    for f in objects(document, "absences", issues):
        person, start, end = person_ref(f, codes), f.date("start"), f.date("end")
        kind = f.choice("type", AbsenceType, required=False)
        if start is not None and end is not None and end < start:
            issues.add(f.at("end"), "before start")
            continue
        if person is not None and start is not None and end is not None:
            found.append(
                Absence(
                    person, start, end, kind or AbsenceType.OTHER, status=AbsenceStatus.APPROVED
                )
            )
    return found


def _logged_work(
    document: Mapping[str, Any], issues: Issues, codes: Mapping[str, int]
) -> list[LoggedWork]:
    found: list[LoggedWork] = []
    for f in objects(document, "logged_work", issues):
        person, start, end = person_ref(f, codes), f.datetime("start"), f.datetime("end")
        kind = f.choice("kind", LoggedWorkKind)
        if start is not None and end is not None and end <= start:
            issues.add(f.at("end"), "not after start")
            continue
        if person is not None and start is not None and end is not None and kind is not None:
            found.append(LoggedWork(person_id=person, start=start, end=end, kind=kind))
    return found


def _range(root: Fields, assignments: list[Assignment]) -> DateRange | None:
    """INTERCHANGE.md: ``range`` is optional; it defaults to the first to the last assignment
    date, and each missing end takes its default."""
    fields = member_object(root, "range")
    start = fields.date("start", required=False) if fields else None
    end = fields.date("end", required=False) if fields else None
    dates = [a.date for a in assignments]
    start = start or (min(dates) if dates else None)
    end = end or (max(dates) if dates else None)
    if start is None or end is None:
        root.issues.add("range", "required when the document has no assignments")
        return None
    if end < start:
        root.issues.add("range.end", "before range.start")
        return None
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        # Each resident's rules keep per-day sums over the range: a range of centuries would
        # make a document of thousands of residents cost hours.
        root.issues.add("range", f"at most {MAX_RANGE_DAYS} days (3 years), got {days}")
        return None
    return DateRange(start, end)
