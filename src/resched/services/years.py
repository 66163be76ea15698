"""The program's "today" and which academic year and schedule version are current: shared by
the use cases (generation, fairness) and the pages' read models, which build on them.

Which plan is current: per academic year, the most recently published schedule version; if
none is published, the most recent draft. Archived versions are never shown.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def program_today(timezone: str, now: dt.datetime | None = None) -> dt.date:
    """Today's date in the program's time zone (UTC if the zone is unknown)."""
    try:
        zone: dt.tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    return (now or dt.datetime.now(dt.UTC)).astimezone(zone).date()
