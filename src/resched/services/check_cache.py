"""Checks of stored versions kept per process (issue 17): the compliance page and Today's
coordinator summary ask for the same check on every view, and reading and checking a version
is most of their CPU.

An entry is keyed by the database (its engine: each program is a database of its own, so no
program is ever served another's check), the version, the range asked for and the fingerprint
of every input the check reads (``check_inputs.input_stamp``), read before the inputs in the
same transaction: a write committed after the fingerprint can only make an entry newer than
its key, never older. The raw findings are kept; what a reader may see of absences is applied
per view. Bounded (least recently used first out) and safe to share between threads: entries
are never changed after they are stored (a ScheduleContext fills its per-person timelines on
first use, which gives the same values whoever fills them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from resched.db.repositories.schedule import ScheduleVersion, ScheduleVersionRepository
from resched.services.absence_privacy import without_absence_details
from resched.services.check_inputs import Days, input_stamp, versions_read
from resched.services.common import SessionFactory, read
from resched.services.permissions import EVERY_ABSENCE, AbsenceVisibility
from resched.services.read_cache import BoundedCache, cache_for
from resched.services.schedules import (
    LOOK_BACK_DAYS,
    ScheduleCheck,
    load_in,
    run_check,
    visible,
)

MAX_ENTRIES = 16  # a few versions x (the whole version, Today's four weeks, a picked range)
# An entry holds its inputs and the rules' per-person timelines: about 1.2 kB an assignment
# (the demo's four weeks, 978 assignments: 1.2 MB), so a year of 40,000 is some 50 MB. The
# total is bounded by assignments; the newest entry is kept even when it alone is over.
MAX_ASSIGNMENTS = 60_000


class CheckCache(BoundedCache[ScheduleCheck]):
    """The checks' LRU, bounded by entries and by assignments held."""

    def __init__(self, size: int = MAX_ENTRIES, assignments: int = MAX_ASSIGNMENTS) -> None:
        super().__init__(size, assignments, _weight)


def _weight(entry: ScheduleCheck) -> int:
    return len(entry.stored.schedule.assignments) + 1


def cache_of(factory: SessionFactory) -> CheckCache:
    """The cache of the factory's database (one per engine, gone with it)."""
    found = cache_for(factory, "check", CheckCache)
    assert isinstance(found, CheckCache)
    return found


def cached_check(
    *,
    factory: SessionFactory,
    version_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_drafts: bool = True,
    absences: AbsenceVisibility = EVERY_ABSENCE,
) -> ScheduleCheck:
    """``schedules.check_schedule``, from the process's cache when none of its inputs changed
    since it was stored (same answers, same errors: NotFound, Invalid)."""
    cache = cache_of(factory)
    with read(factory) as session:
        version = visible(
            ScheduleVersionRepository(session).get(version_id), version_id, include_drafts
        )
        versions = versions_read(session, version_id)
        others = [v[0] for v in versions if v[0] != version_id]
        stamp = input_stamp(session, version_id, others, *_days_read(version, start, end))
        key = (version_id, start, end, versions, stamp)
        checked = cache.get(key)
        if checked is None:
            checked = run_check(load_in(session, version, start, end), EVERY_ABSENCE)
            cache.put(key, checked)
    findings = without_absence_details(checked.findings, absences)
    # The version as read now: its label or publication time may have been edited, which
    # changes no finding.
    stored = dataclasses.replace(checked.stored, version=version)
    return ScheduleCheck(stored, checked.context, findings)


def _days_read(
    version: ScheduleVersion, start: dt.date | None, end: dt.date | None
) -> tuple[Days, Days]:
    """The days whose assignments the check may read, of the version and of the other
    published versions: with both ends given, the range and its look-back; else every day of
    the version's own and, of the others, the look-back before the range's first day (the
    given start, else the version's first day - or the end, if that is earlier: see
    ``schedules.resolve_range``). A version with no assignment starts at its year: read all."""
    look_back = dt.timedelta(days=LOOK_BACK_DAYS)
    if any(d is not None and d - dt.date.min < look_back for d in (start, version.first_day)):
        return None, None  # too early for a calendar: resolve_range refuses the range
    if start is not None and end is not None:
        both = (start - look_back, end)
        return both, both
    first = start if start is not None else version.first_day
    if first is None:
        return None, None
    if start is None and end is not None:
        first = min(first, end)
    return None, (first - look_back, first - dt.timedelta(days=1))
