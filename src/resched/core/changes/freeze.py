"""The freeze horizon: assignments starting within N days of today (and any in the past) are
frozen on a published schedule; changing one needs a coordinator's override with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from resched.core.changes.kinds import OverrideReason


def first_open_day(today: dt.date, horizon_days: int) -> dt.date:
    """The first day whose assignments may change without an override."""
    return today + dt.timedelta(days=max(horizon_days, 0))


def frozen_days(days: Iterable[dt.date], *, today: dt.date, horizon_days: int) -> list[dt.date]:
    """The days among ``days`` inside the freeze horizon or before today, sorted, once each."""
    limit = first_open_day(today, horizon_days)
    return sorted({d for d in days if d < limit})


def override_problem(override: OverrideReason | None, note: str) -> str | None:
    """Why an override is incomplete (None when it is usable): it needs a reason code, and
    "other" needs a note."""
    if override is None:
        return "a frozen assignment changes only with an override reason"
    if override is OverrideReason.OTHER and not note.strip():
        return "the override reason 'other' needs a note"
    return None
