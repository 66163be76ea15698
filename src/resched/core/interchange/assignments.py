"""The ``assignments`` of a document and the person references every record makes.

A year holds tens of thousands of assignments: well-formed ones take a short path, anything else
the checked one, which records the exact problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from resched.core.interchange.fields import (
    DATE_RE,
    Fields,
    Issues,
    in_bounds,
    objects,
    quoted,
)
from resched.core.model import Assignment


def person_ref(f: Fields, codes: Mapping[str, int]) -> int | None:
    code = f.text("person")
    if code is not None and code not in codes:
        f.issues.add(f.at("person"), f"unknown person {quoted(code)}")
        return None
    return None if code is None else codes[code]


def read_assignments(
    document: Mapping[str, Any], issues: Issues, codes: Mapping[str, int], shifts: set[str]
) -> list[Assignment]:
    raw = document.get("assignments")
    if not isinstance(raw, list):
        objects(document, "assignments", issues)  # records why, if present at all
        return []
    found: list[Assignment] = []
    dates: dict[str, dt.date] = {}
    first_seen: dict[Assignment, int] = {}
    for i, item in enumerate(raw):
        assignment = _quick_assignment(item, codes, shifts, dates)
        if assignment is None:
            assignment = _checked_assignment(item, f"assignments[{i}]", issues, codes, shifts)
        if assignment is None:
            continue
        # A repeated assignment is a mistake (a person works a shift once), and each copy
        # would be reported as double-booked against the others.
        first = first_seen.setdefault(assignment, i)
        if first != i:
            issues.add(f"assignments[{i}]", f"repeats assignments[{first}]")
            continue
        found.append(assignment)
    return found


def _checked_assignment(
    item: Any, path: str, issues: Issues, codes: Mapping[str, int], shifts: set[str]
) -> Assignment | None:
    if not isinstance(item, Mapping):
        issues.add(path, f"expected an object, got {quoted(item)}")
        return None
    f = Fields(item, path, issues)
    person, day, shift = person_ref(f, codes), f.date("date"), f.text("shift")
    if shift is not None and shift not in shifts:
        issues.add(f.at("shift"), f"unknown shift type {quoted(shift)}")
        return None
    if person is None or day is None or shift is None:
        return None
    return Assignment(person_id=person, date=day, shift_code=shift)


def _quick_assignment(
    item: Any, codes: Mapping[str, int], shifts: set[str], dates: dict[str, dt.date]
) -> Assignment | None:
    """The assignment when ``item`` is well-formed in every respect the checked path tests."""
    if type(item) is not dict:
        return None
    person, text, shift = item.get("person"), item.get("date"), item.get("shift")
    if type(person) is not str or type(text) is not str or type(shift) is not str:
        return None
    person_id = codes.get(person)
    if person_id is None or shift not in shifts:
        return None
    day = dates.get(text)
    if day is None:
        if not DATE_RE.fullmatch(text):
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
        if not in_bounds(day):
            return None
        dates[text] = day
    return Assignment(person_id=person_id, date=day, shift_code=shift)
