"""Checks of stored versions kept per process (issue 17): the compliance page and Today's
coordinator summary ask for the same check on every view, and reading and checking a version
is most of their CPU.

An entry is keyed by the data generation of the tables a check reads (resched.db.generation:
raised by every committed change of each, and read before the check's inputs, so an entry can
only be newer than its key, never older), the version and the range asked for: a swap offered
or a rotation renamed leaves the entries; the caches are per
database (services/read_cache.py). The raw findings are kept; what a reader may see of
absences is applied per view. Entries are never changed after they are stored (a
ScheduleContext fills its per-person timelines on first use, which gives the same values
whoever fills them).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from resched.db.generation import read_generation
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.services.absence_privacy import without_absence_details
from resched.services.common import SessionFactory, read
from resched.services.permissions import EVERY_ABSENCE, AbsenceVisibility
from resched.services.read_cache import BoundedCache, cache_for
from resched.services.schedules import (
    ScheduleCheck,
    load_in,
    run_check,
    visible,
)

# What a check reads (schedules.load_in); tests/services/test_check_cache.py holds it to this.
CHECK_TABLES = frozenset(
    {
        "absence",
        "academic_year",
        "block",
        "holiday",
        "logged_work",
        "person",
        "person_year",
        "program",
        "schedule_version",
        "shift_assignment",
        "shift_type",
    }
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
        key = (read_generation(session, CHECK_TABLES), version_id, start, end)
        version = visible(
            ScheduleVersionRepository(session).get(version_id), version_id, include_drafts
        )
        checked = cache.get(key)
        if checked is None:
            checked = run_check(load_in(session, version, start, end), EVERY_ABSENCE)
            cache.put(key, checked)
    findings = without_absence_details(checked.findings, absences)
    # The version as read now: its label or publication time may have been edited, which
    # changes no finding.
    stored = dataclasses.replace(checked.stored, version=version)
    return ScheduleCheck(stored, checked.context, findings)
