"""The program's time zone: the zone every page shows its times in, and how it is named.

Instants are stored UTC (db.types.UTCDateTime); people read them in the program's zone. Before
a program is set up, or for a name the zone database does not know, the zone is UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from resched.db.repositories import ProgramRepository
from resched.services.common import SessionFactory, read

UTC_ZONE = ZoneInfo("UTC")


def program_zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``; UTC for none or an unknown name."""
    if not name:
        return UTC_ZONE
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError
        return UTC_ZONE


def load_program_zone(*, factory: SessionFactory) -> ZoneInfo:
    """The program's zone, read with one statement."""
    with read(factory) as session:
        return program_zone(ProgramRepository(session).time_zone())


def describe_zone(zone: ZoneInfo, at: dt.datetime) -> str:
    """``America/Chicago (CST)``: the zone's name and its abbreviation at ``at`` (aware), or
    the name alone where the abbreviation adds nothing (``UTC``)."""
    abbreviation = at.astimezone(zone).tzname() or ""
    if not abbreviation or abbreviation == zone.key:
        return zone.key
    return f"{zone.key} ({abbreviation})"
