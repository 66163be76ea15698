"""Program data in plain words: what a coordinator reads on the overview.

Pure functions over core objects, so the phrasing is tested without a database or a browser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from resched.core.model import (
    CoverageRequirement,
    Eligibility,
    HolidayRule,
    Role,
    ShiftKind,
    ShiftType,
)
from resched.core.rules.names import RULE_NAMES

WEEKDAY_NAMES = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}
KIND_LABELS = {
    ShiftKind.WORK: "work",
    ShiftKind.IN_HOUSE_CALL: "in-house call",
    ShiftKind.NIGHT_FLOAT: "night float",
    ShiftKind.AT_HOME_CALL: "at-home call",
    ShiftKind.OFF: "off",
}


def describe_weekdays(weekdays: frozenset[int]) -> str:
    """``{1..5}`` -> "Monday to Friday"; ``{7,1,2,3,4}`` -> "Sunday to Thursday"."""
    days = sorted(d for d in weekdays if d in WEEKDAY_NAMES)
    if not days:
        return "Never"
    if len(days) == 7:
        return "Every day"
    if set(days) == {6, 7}:
        return "Saturday and Sunday"
    first = _start_of_single_run(set(days))
    if first is not None and len(days) >= 3:
        last = (first + len(days) - 2) % 7 + 1
        return f"{WEEKDAY_NAMES[first]} to {WEEKDAY_NAMES[last]}"
    names = [WEEKDAY_NAMES[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _start_of_single_run(days: set[int]) -> int | None:
    """The first day of the one run of consecutive weekdays (wrapping Sunday -> Monday), if the
    days form exactly one such run."""
    starts = [d for d in days if (d - 2) % 7 + 1 not in days]
    return starts[0] if len(starts) == 1 else None


def describe_pgy(pgy_min: int | None, pgy_max: int | None) -> str:
    if pgy_min is None and pgy_max is None:
        return ""
    if pgy_min is not None and pgy_max is None:
        return f"PGY-{pgy_min}+"
    if pgy_min is None:
        return f"PGY-{pgy_max} or below"
    if pgy_min == pgy_max:
        return f"PGY-{pgy_min}"
    return f"PGY-{pgy_min} to PGY-{pgy_max}"


def _count_phrase(min_count: int, max_count: int) -> str:
    if min_count == max_count:
        return str(min_count)
    if min_count == 0:
        return f"at most {max_count}"
    return f"{min_count} to {max_count}"


def _noun(roles: frozenset[Role], plural: bool) -> str:
    if roles == frozenset({Role.RESIDENT}):
        return "residents" if plural else "resident"
    if roles == frozenset({Role.FACULTY}):
        return "faculty members" if plural else "faculty member"
    return "people" if plural else "person"


def _who(eligibility: Eligibility, max_count: int, rotation_names: Mapping[str, str]) -> str:
    words = [describe_pgy(eligibility.pgy_min, eligibility.pgy_max)]
    words.append(_noun(eligibility.roles, plural=max_count != 1))
    if eligibility.rotations:
        names = sorted(rotation_names.get(code, code) for code in eligibility.rotations)
        words.append("from " + " or ".join(names))
    if eligibility.credentials:
        words.append("with " + " and ".join(sorted(eligibility.credentials)))
    return " ".join(word for word in words if word)


def describe_coverage(
    rule: CoverageRequirement, rotation_names: Mapping[str, str] | None = None
) -> str:
    """One sentence: "Every day: 1 PGY-2+ resident from Wards on CALL"; dates say when it is
    limited: "Every day except Sat 31 Oct 2026: ...", "Sat 31 Oct 2026 only: ...", and so do
    holidays: "Mon to Fri, not on holidays: ..."."""
    count = _count_phrase(rule.min_count, rule.max_count)
    who = _who(rule.eligibility, rule.max_count, rotation_names or {})
    return f"{_describe_when(rule)}: {count} {who} on {rule.shift_code}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def describe_prerequisites(codes: Sequence[str], rotation_names: Mapping[str, str]) -> str:
    """The rotations a resident must have done a block of first, by name: "Wards, Night Float"
    (a dash when there are none)."""
    return ", ".join(rotation_names.get(code, code) for code in codes) or "—"


def describe_date(day: dt.date) -> str:
    """ "Sat 31 Oct 2026": day, month and year never confused (not strftime: no locale)."""
    weekday = WEEKDAY_NAMES[day.isoweekday()][:3]
    return f"{weekday} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def _date_list(days: frozenset[dt.date]) -> str:
    names = [describe_date(d) for d in sorted(days)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _describe_when(rule: CoverageRequirement) -> str:
    if rule.dates:
        # Dates off the rule's weekdays never apply, so the sentence names only those that do.
        days = frozenset(d for d in rule.dates if d.isoweekday() in rule.weekdays)
        text = f"{_date_list(days)} only" if days else "Never"
    else:
        text = describe_weekdays(rule.weekdays)
    if rule.except_dates:
        text += f" except {_date_list(rule.except_dates)}"
    return text + HOLIDAY_WORDS[rule.holidays]


# How a rule's holiday setting reads after its days ("Mon to Fri, not on holidays").
HOLIDAY_WORDS = {
    HolidayRule.ANY: "",
    HolidayRule.NOT_ON_HOLIDAYS: ", not on holidays",
    HolidayRule.HOLIDAYS_ONLY: ", on holidays only",
}


def describe_hours(shift: ShiftType) -> str:
    """Local start and end: "07:00-17:00", "19:00-07:00 next day", "07:00 for 24 h"."""
    start = shift.start.strftime("%H:%M")
    if shift.minutes >= 24 * 60:
        return f"{start} for {_duration(shift.minutes)}"
    began = dt.datetime.combine(dt.date(2000, 1, 1), shift.start)
    ended = began + dt.timedelta(minutes=shift.minutes)
    suffix = " next day" if ended.date() > began.date() else ""
    return f"{start}\u2013{ended.strftime('%H:%M')}{suffix}"


def describe_length(shift: ShiftType) -> str:
    """The length, with the hand-off time a shift may run over: "24 h + 4 h transition"."""
    text = _duration(shift.minutes)
    if shift.transition_minutes:
        text += f" + {_duration(shift.transition_minutes)} transition"
    return text


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not rest:
        return f"{hours} h"
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


# The solvers' soft goals (their penalty names) in words: pages show these, never the names;
# the ACGME rules' words live with the rules (core/rules/names.py).
PENALTY_NAMES = {
    "rotation_request": "Rotation wishes granted",
    "vacation_request": "Vacation wishes granted",
    "heavy_streak": "No long runs of heavy rotations",
    "heavy_balance": "Heavy rotations shared evenly",
    "split_block": "Blocks not split",
    "request_day_off": "Requested days off granted",
    "request_shift_on": "Requested shifts granted",
    "request_shift_off": "Shifts asked to avoid avoided",
    "fair_calls": "Calls shared evenly in each block",
    "fair_weekends": "Weekends shared evenly in each block",
    "fair_holidays": "Holidays shared evenly in each block",
    "fair_nights": "Nights shared evenly in each block",
    "fair_catch_up": "Year-to-date deficits made up, a little each block",
    "call_spacing": "Calls spaced out",
    "rest_8h": "Eight hours free between shifts",
    "continuity_clinic": "Continuity clinic kept",
    "weekend_free": "A free weekend now and then",
    "pattern_day_off": "Days off where the rotation has them",
    "extra_shift": "No shifts beyond what is needed",
    "changed_assignment": "Few changes to the published schedule",
}


def describe_rule(rule: str) -> str:
    """A rule id in words ("hours-80" -> "80 hours a week, averaged"); an unknown id as it is."""
    return RULE_NAMES.get(rule, rule)


def describe_penalty(name: str) -> str:
    """A soft goal's penalty name in words ("heavy_streak" -> "No long runs of heavy
    rotations"); an unknown name with its underscores turned into spaces."""
    return PENALTY_NAMES.get(name) or name.replace("_", " ").capitalize()
