"""Path-precise reading of decoded JSON: every problem is recorded as (path, message) and reading
goes on, so a document's author sees all mistakes at once (up to a cap), not one per attempt.

The checks mirror ``schemas/schedule-v1.schema.json``: an integer is what JSON Schema calls one
(``720`` or ``720.0``), a boolean is never a number, patterns are anchored and ASCII-only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from resched.core.errors import Invalid

MAX_ERRORS = 100

DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME_RE = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
# Seconds are optional: tools that log work often write them, and they change nothing else.
DATETIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?")

# Dates outside these bounds are refused: a schedule of the year 1 or 9999 is a mistake, and
# the timezone and day arithmetic around such dates would overflow Python's calendar.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
DATE_BOUNDS = f"dates from {EARLIEST_DATE} to {LATEST_DATE}"

_MISSING: Any = object()


class _ShortRepr(reprlib.Repr):
    """A bounded summary of an array or object (reprlib would print a huge integer in full)."""

    def repr_int(self, x: int, level: int) -> str:
        return quoted(x)


_SHORT = _ShortRepr(maxlevel=2, maxdict=3, maxlist=3, maxstring=40, maxother=40)


@dataclass(frozen=True, slots=True)
class Note:
    """Something the reader ignored on purpose and the author should hear about (not an error:
    the document is still read)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path} {self.message}"


class Issues:
    """The errors found so far, capped at ``MAX_ERRORS``, and the notes (capped the same way)."""

    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []
        self.truncated = False
        self.notes: list[Note] = []

    def note(self, path: str, message: str) -> None:
        if len(self.notes) < MAX_ERRORS:
            self.notes.append(Note(path, message))

    def add(self, path: str, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"path": path, "message": message})
        else:
            self.truncated = True

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        first = self.errors[0]
        text = f"{first['path']}: {first['message']}"
        more = len(self.errors) - 1
        if more or self.truncated:
            text += f" (and {more}{'+' if self.truncated else ''} more)"
        raise Invalid(text, details={"errors": self.errors, "truncated": self.truncated})


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def quoted(value: Any) -> str:
    """A value as the author wrote it, shortened: strings in double quotes."""
    if isinstance(value, str):
        text = '"' + value.replace('"', '\\"') + '"'
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, int) and value.bit_length() > 128:
        # str() of a huge integer is slow, and refused past 4300 digits.
        text = f"an integer of about {int(value.bit_length() * math.log10(2))} digits"
    elif isinstance(value, int | float):
        text = str(value)
    else:  # an array or object: a bounded summary, not the text of a 20 MB value
        text = _SHORT.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_integer(value: Any) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and value.is_integer()
    )


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_finite(value: int | float) -> bool:
    """False for what ``1e400`` decodes to (inf) and for integers too large for a float."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def in_bounds(day: dt.date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


class Fields:
    """Typed access to the members of one JSON object at ``path``. Each getter returns None
    when the member is missing (and required) or malformed, after recording why."""

    def __init__(self, obj: Mapping[str, Any], path: str, issues: Issues) -> None:
        self.obj = obj
        self.path = path
        self.issues = issues

    def at(self, key: str) -> str:
        return join(self.path, key)

    def _get(self, key: str, required: bool) -> Any:
        value = self.obj.get(key, _MISSING)
        if value is _MISSING and required:
            self.issues.add(self.at(key), "required")
        return value

    def _bad(self, key: str, expected: str, value: Any) -> None:
        self.issues.add(self.at(key), f"expected {expected}, got {quoted(value)}")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or not value:
            self._bad(key, "a non-empty string", value)
            return None
        return value

    def integer(
        self, key: str, *, minimum: int, maximum: int | None = None, required: bool = True
    ) -> int | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if not is_integer(value):
            self._bad(key, "an integer", value)
            return None
        if value < minimum:
            self.issues.add(self.at(key), f"must be >= {minimum}, got {quoted(value)}")
            return None
        if maximum is not None and value > maximum:
            self.issues.add(self.at(key), f"must be <= {maximum}, got {quoted(value)}")
            return None
        return int(value)

    def number(self, key: str, *, minimum: float, exclusive: bool = False) -> float | None:
        value = self._get(key, False)
        if value is _MISSING:
            return None
        if not is_number(value) or not is_finite(value):
            self._bad(key, "a finite number", value)
            return None
        if value < minimum or (exclusive and value == minimum):
            sign = ">" if exclusive else ">="
            self.issues.add(self.at(key), f"must be {sign} {minimum:g}, got {quoted(value)}")
            return None
        return float(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self._bad(key, "true or false", value)
            return default
        return value

    def choice[E: StrEnum](self, key: str, enum: type[E], *, required: bool = True) -> E | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        allowed = [e.value for e in enum]
        if not isinstance(value, str) or value not in allowed:
            names = ", ".join(f'"{v}"' for v in allowed)
            self.issues.add(self.at(key), f"expected one of {names}, got {quoted(value)}")
            return None
        return enum(value)

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        value = self._patterned(key, DATE_RE, "a date YYYY-MM-DD", required)
        return None if value is None else self._convert(key, value, dt.date.fromisoformat)

    def time(self, key: str) -> dt.time | None:
        value = self._patterned(key, TIME_RE, "a time HH:MM", True)
        return None if value is None else dt.time.fromisoformat(value)

    def datetime(self, key: str) -> dt.datetime | None:
        value = self._patterned(key, DATETIME_RE, "a date-time YYYY-MM-DDTHH:MM[:SS]", True)
        return None if value is None else self._convert(key, value, dt.datetime.fromisoformat)

    def _patterned(
        self, key: str, pattern: re.Pattern[str], expected: str, required: bool
    ) -> str | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self._bad(key, expected, value)
            return None
        return value

    def _convert[T: dt.date](self, key: str, value: str, parse: Callable[[str], T]) -> T | None:
        # The pattern has passed, so only the calendar (2026-02-30) or the bounds can object.
        try:
            parsed = parse(value)
        except ValueError:
            self.issues.add(self.at(key), f"impossible date {quoted(value)}")
            return None
        if not in_bounds(dt.date(parsed.year, parsed.month, parsed.day)):
            self.issues.add(self.at(key), f"out of range {quoted(value)}: {DATE_BOUNDS}")
            return None
        return parsed

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key, False)
        if value is _MISSING:
            return ()
        if not isinstance(value, list):
            self._bad(key, "an array of strings", value)
            return ()
        good = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item:
                good.append(item)
            else:
                self.issues.add(
                    f"{self.at(key)}[{i}]", f"expected a non-empty string, got {quoted(item)}"
                )
        return tuple(good)


def objects(document: Mapping[str, Any], key: str, issues: Issues) -> list[Fields]:
    """The members of the array ``key`` that are objects, each with its path; missing is empty."""
    value = document.get(key, _MISSING)
    if value is _MISSING:
        return []
    if not isinstance(value, list):
        issues.add(key, f"expected an array, got {quoted(value)}")
        return []
    found = []
    for i, item in enumerate(value):
        path = f"{key}[{i}]"
        if isinstance(item, Mapping):
            found.append(Fields(item, path, issues))
        else:
            issues.add(path, f"expected an object, got {quoted(item)}")
    return found


def member_object(parent: Fields, key: str) -> Fields | None:
    """The object member ``key`` of ``parent``; None when missing (not an error) or malformed."""
    value = parent.obj.get(key, _MISSING)
    if value is _MISSING:
        return None
    if not isinstance(value, Mapping):
        parent.issues.add(parent.at(key), f"expected an object, got {quoted(value)}")
        return None
    return Fields(value, parent.at(key), parent.issues)
