"""The days a schedule view shows, and the compact codes of its cells.

A day view shows one day, a week view Monday to Sunday (ISO weeks, as the block plans of most
programs start on a weekday but people read calendars by week), a month view the calendar
month. "Previous" and "next" move by the view's own length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from resched.core.calendar import monday_of

COMPACT_LENGTH = 4  # a month cell is about 2.25 rem wide: four capitals in a small font


class ViewKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Grouping(StrEnum):
    PERSON = "person"  # a row per person, their shift codes in the cells
    SHIFT = "shift"  # a row per shift type (the service), who is on it in the cells


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_after(day: dt.date) -> dt.date:
    return (first_of_month(day) + dt.timedelta(days=32)).replace(day=1)


def days_shown(kind: ViewKind, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the view holding ``anchor``."""
    if kind is ViewKind.DAY:
        return anchor, anchor
    if kind is ViewKind.WEEK:
        monday = monday_of(anchor)
        return monday, monday + dt.timedelta(days=6)
    first = first_of_month(anchor)
    return first, month_after(first) - dt.timedelta(days=1)


def neighbours(kind: ViewKind, anchor: dt.date) -> tuple[dt.date, dt.date]:
    """The anchors of the previous and the next view."""
    if kind is ViewKind.DAY:
        return anchor - dt.timedelta(days=1), anchor + dt.timedelta(days=1)
    if kind is ViewKind.WEEK:
        start, _ = days_shown(kind, anchor)
        return start - dt.timedelta(days=7), start + dt.timedelta(days=7)
    first = first_of_month(anchor)
    return first_of_month(first - dt.timedelta(days=1)), month_after(first)


def each_day(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    return tuple(start + dt.timedelta(days=i) for i in range((end - start).days + 1))


def compact_codes(codes: Iterable[str]) -> dict[str, str]:
    """Shift code -> a label of at most four characters for a month cell, unique among the
    codes: the code itself when short enough ("WARD"), else the first two letters of its
    first part and of the next ("CLIN-AM" -> "CLAM", "PRECEPT-AM" -> "PRAM"), else its
    first four ("BACKUP" -> "BACK"); a clash takes a digit ("PRA2"). The legend maps them
    back to the names."""
    labels: dict[str, str] = {}
    taken: set[str] = set()
    ordered = sorted(codes, key=lambda c: (len(c) > COMPACT_LENGTH, c))  # short codes keep theirs
    for code in ordered:
        label = _shortened(code)
        number = 2
        while label in taken:
            label = label[: COMPACT_LENGTH - len(str(number))] + str(number)
            number += 1
        labels[code] = label
        taken.add(label)
    return labels


def _shortened(code: str) -> str:
    if len(code) <= COMPACT_LENGTH:
        return code
    parts = [p for p in code.replace("_", "-").replace(" ", "-").split("-") if p]
    if len(parts) >= 2:
        return (parts[0][:2] + parts[1][:2])[:COMPACT_LENGTH]
    return code[:COMPACT_LENGTH]
