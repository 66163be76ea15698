"""What the validator reports: findings, their severities, the rule ids, and wording helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from resched.core.model import Person


class Severity(StrEnum):
    """``violation`` for a "must" of ACGME.md, ``warning`` for a "should" or a near miss."""

    VIOLATION = "violation"
    WARNING = "warning"


# The stable ids of ACGME.md, in the order findings are listed.
HOURS_80 = "hours-80"
DAY_OFF = "day-off-1-in-7"
CONTINUOUS_DUTY = "continuous-duty"
REST_AFTER_24H = "rest-after-24h"
REST_8H = "rest-8h"
CALL_Q3 = "call-q3"
NIGHT_FLOAT = "night-float-consecutive"
MOONLIGHTING_PGY1 = "moonlighting-pgy1"
SUPERVISION_RATIO = "supervision-ratio"
DOUBLE_BOOKED = "double-booked"
ABSENCE_CONFLICT = "absence-conflict"

RULE_IDS: tuple[str, ...] = (
    HOURS_80,
    DAY_OFF,
    CONTINUOUS_DUTY,
    REST_AFTER_24H,
    REST_8H,
    CALL_Q3,
    NIGHT_FLOAT,
    MOONLIGHTING_PGY1,
    SUPERVISION_RATIO,
    DOUBLE_BOOKED,
    ABSENCE_CONFLICT,
)
_RULE_ORDER = {rule: i for i, rule in enumerate(RULE_IDS)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One broken (or nearly broken) rule: who, which dates (inclusive, local), the measured
    ``value`` against the ``limit``, and a sentence a coordinator can act on.

    ``person_id`` is None for findings that belong to no single person (``supervision-ratio``),
    which name the shift type in ``shift_code`` instead."""

    rule: str
    severity: Severity
    person_id: int | None
    shift_code: str | None
    start: dt.date
    end: dt.date
    value: float
    limit: float
    message: str


def sort_key(f: Finding) -> tuple[int, int, dt.date, dt.date, str, str, float, str]:
    """Deterministic order: rule, person, dates, then the rest as tie-breakers."""
    person = -1 if f.person_id is None else f.person_id
    return (
        _RULE_ORDER.get(f.rule, len(_RULE_ORDER)),
        person,
        f.start,
        f.end,
        f.shift_code or "",
        f.severity.value,
        f.value,
        f.message,
    )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=sort_key)


def round_value(x: float, limit: float) -> float:
    """Reported values keep two decimals (84.5 h/week, 25.0 h), more when two decimals would
    make a value that differs from its limit look equal to it (80.004 stays 80.004)."""
    for digits in (2, 4, 6):
        rounded = round(x, digits)
        if (rounded == limit) == (x == limit):
            return rounded
    return x


def fmt_number(x: float) -> str:
    """84.5 -> "84.5", 80.0 -> "80", 80.004 -> "80.004" (never hides a crossing of the limit
    behind rounding)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    if float(text) != x:
        text = f"{x:.4f}".rstrip("0").rstrip(".")
    return text


# Spelled out: strftime("%b") follows the process locale, and messages must not.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_day(day: dt.date, *, with_year: bool = False) -> str:
    text = f"{_MONTHS[day.month - 1]} {day.day}"
    return f"{text} {day.year}" if with_year else text


def fmt_span(start: dt.date, end: dt.date) -> str:
    """ "Jul 1-Jul 28"; a single day is "Jul 1"; years appear when the span crosses one."""
    if start == end:
        return fmt_day(start)
    with_year = start.year != end.year
    return f"{fmt_day(start, with_year=with_year)}-{fmt_day(end, with_year=with_year)}"


def hours(seconds: int) -> float:
    return seconds / 3600


def display_name(person: Person) -> str:
    return person.name or person.code
