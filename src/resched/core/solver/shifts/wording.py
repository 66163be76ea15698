"""Coordinator words for requirements, people and dates."""

from __future__ import annotations

import datetime as dt

from resched.core.model import CoverageRequirement, Eligibility, Person, Role
from resched.core.rules.findings import display_name, fmt_day

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_text(day: dt.date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {fmt_day(day)}"


def who(rule: Eligibility) -> str:
    """ "PGY-2+ residents on Wards", "faculty", "residents on ICU or Night Float"."""
    if rule.pgy_min is not None and rule.pgy_max is not None and rule.pgy_min == rule.pgy_max:
        level = f"PGY-{rule.pgy_min} "
    elif rule.pgy_min is not None and rule.pgy_max is not None:
        level = f"PGY-{rule.pgy_min}..{rule.pgy_max} "
    elif rule.pgy_min is not None:
        level = f"PGY-{rule.pgy_min}+ " if rule.pgy_min > 1 else ""
    elif rule.pgy_max is not None:
        level = f"PGY-{rule.pgy_max} or lower "
    else:
        level = ""
    roles = sorted(r.value for r in rule.roles) if rule.roles else ["people"]
    noun = " or ".join(r if r == "people" else f"{r}s" if r != Role.FACULTY else r for r in roles)
    text = level + noun
    if rule.rotations:
        text += " on " + " or ".join(sorted(rule.rotations))
    if rule.credentials:
        text += " with " + ", ".join(sorted(rule.credentials))
    return text


def demand_text(need: CoverageRequirement, day: dt.date) -> str:
    label = need.name or need.shift_code
    return f"{label} ({need.shift_code}) on {day_text(day)}"


def dates_text(need: CoverageRequirement) -> str:
    """When a demand holds: "every day", "on its weekdays", "on Sat Oct 31 only", with
    "except ..." for excepted dates."""
    if need.dates:
        text = "on " + ", ".join(day_text(d) for d in sorted(need.dates)) + " only"
    else:
        text = "every day" if len(need.weekdays) == 7 else "on its weekdays"
    if need.except_dates:
        text += " except " + ", ".join(day_text(d) for d in sorted(need.except_dates))
    return text


def name(person: Person) -> str:
    return display_name(person)
