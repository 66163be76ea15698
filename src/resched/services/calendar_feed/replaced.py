"""The versions a year's record replaced lately. A calendar subscribed before a republish still
holds the replaced version's shifts: the feed cancels those its record lacks, for as long as it
cancels the shifts a change set removed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import pairwise

from resched.core.model import ScheduleStatus
from resched.db.repositories.schedule import Published


def records_of(history: Sequence[Published]) -> dict[int, int]:
    """Academic year id -> its record, the last published version (as ``published_by_year``)."""
    return {
        p.academic_year_id: p.version_id for p in history if p.status is ScheduleStatus.PUBLISHED
    }


def publication_numbers(history: Sequence[Published]) -> dict[int, int]:
    """Version id -> the number its events' SEQUENCE grows from: its id, raised above the
    version of its year published before it. Publishing in id order (the usual case) keeps the
    id; an older draft published over a newer record gets a number above that record's, so
    its events outrank what calendars kept from the record it replaced."""
    numbers: dict[int, int] = {}
    last_of_year: dict[int, int] = {}
    for published in history:
        before = last_of_year.get(published.academic_year_id)
        number = published.version_id if before is None else max(published.version_id, before + 1)
        numbers[published.version_id] = number
        last_of_year[published.academic_year_id] = number
    return numbers


def replaced_since(
    history: Sequence[Published], records: Mapping[int, int], recent: dt.datetime
) -> dict[int, int]:
    """Version id -> the record of its year, for the versions before that record that stopped
    being the record at or after ``recent``: when the next one of their year was published
    (archiving stores no time of its own). A chain A, B, C gives both A and B."""
    by_year: dict[int, list[Published]] = {}
    for published in history:
        by_year.setdefault(published.academic_year_id, []).append(published)
    replaced: dict[int, int] = {}
    for year, versions in by_year.items():
        record = records.get(year)
        if record is None:
            continue
        upto = [p.version_id for p in versions].index(record)
        for old, successor in pairwise(versions[: upto + 1]):
            if successor.at >= recent:
                replaced[old.version_id] = record
    return replaced
