"""Shifts as an RFC 5545 calendar. Times are the program's wall clock with its TZID (and the
matching VTIMEZONE), so a night across a DST change lasts its real length in any calendar app.

A UID names the slot (person, day, shift type), never a row id: a shift moved and moved back,
or republished, is the same event, and a subscribed calendar replaces it rather than adding a
copy. SEQUENCE is the version (by id) and its revision at which the slot last changed, so a
changed, cancelled or republished event always carries a higher number than what the calendar
holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

PRODID = "-//resched//calendar feed//EN"
# The VTIMEZONE covers the feed's dates with a year either side (not 1970 to 2038).
ZONE_MARGIN = dt.timedelta(days=366)


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One shift in the feed; ``person_name`` shown only in program feeds."""

    person_code: str
    person_name: str
    day: dt.date
    shift_code: str
    shift_name: str
    start: dt.time
    minutes: int
    sequence: int
    cancelled: bool = False
    person_id: int = 0  # for filters; not written to the feed


def event_uid(event: FeedEvent) -> str:
    return f"shift-{event.person_code}-{event.day:%Y%m%d}-{event.shift_code}@resched"


def build_calendar(
    *,
    name: str,
    zone: ZoneInfo,
    events: Iterable[FeedEvent],
    now: dt.datetime,
    with_names: bool,
) -> bytes:
    """The VCALENDAR of ``events``; ``now`` (aware) is every event's DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    days = []
    for item in events:
        calendar.add_component(_event(item, zone, now, with_names))
        days.append(item.day)
    if days:
        calendar.add_missing_timezones(
            first_date=min(days) - ZONE_MARGIN, last_date=max(days) + ZONE_MARGIN
        )
    return bytes(calendar.to_ical())


def _event(item: FeedEvent, zone: ZoneInfo, now: dt.datetime, with_names: bool) -> Event:
    # Wall-clock arithmetic as core.intervals does it: the end is start + minutes on the
    # local clock; the TZID lets the calendar work out the real length across a DST change.
    start = dt.datetime.combine(item.day, item.start)
    end = start + dt.timedelta(minutes=item.minutes)
    summary = f"{item.shift_name} ({item.shift_code})"
    if with_names:
        summary = f"{item.person_name}: {summary}"
    event = Event()
    event.add("uid", event_uid(item))
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", start.replace(tzinfo=zone))
    event.add("dtend", end.replace(tzinfo=zone))
    event.add("summary", summary)
    event.add("sequence", item.sequence)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event
