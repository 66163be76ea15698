"""Which versions a year's record replaced within the feed's window: by when the next version
of the year was published, along a chain of republishes, and only before the record."""

from __future__ import annotations

import datetime as dt

from resched.core.model import ScheduleStatus
from resched.db.repositories.schedule import Published
from resched.services.calendar_feed.replaced import (
    publication_numbers,
    records_of,
    replaced_since,
)

NOW = dt.datetime(2026, 10, 14, 12, tzinfo=dt.UTC)
ARCHIVED, PUBLISHED = ScheduleStatus.ARCHIVED, ScheduleStatus.PUBLISHED


def _days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def test_a_chain_of_republishes_names_each_version_by_when_it_was_replaced() -> None:
    history = [
        Published(1, 3, ARCHIVED, _days_ago(90)),  # replaced 40 days ago by 4
        Published(1, 4, ARCHIVED, _days_ago(40)),  # replaced 10 days ago by 2
        Published(2, 5, PUBLISHED, _days_ago(35)),  # another year's record, never replaced
        Published(1, 2, ARCHIVED, _days_ago(10)),  # replaced 1 day ago by 6 (a lower id first)
        Published(1, 6, PUBLISHED, _days_ago(1)),
    ]
    records = records_of(history)
    assert records == {1: 6, 2: 5}
    assert replaced_since(history, records, _days_ago(30)) == {4: 6, 2: 6}
    assert replaced_since(history, records, _days_ago(5)) == {2: 6}
    assert replaced_since(history, records, _days_ago(0)) == {}


def test_the_last_published_is_the_record_and_nothing_after_it_counts() -> None:
    # Two published versions (an old bug or import): the later one is the record and the
    # earlier one is replaced since the later one's publishing.
    history = [
        Published(1, 7, PUBLISHED, _days_ago(3)),
        Published(1, 8, PUBLISHED, _days_ago(2)),
    ]
    records = records_of(history)
    assert records == {1: 8}
    assert replaced_since(history, records, _days_ago(30)) == {7: 8}
    assert replaced_since(history, {}, _days_ago(30)) == {}


def test_publication_numbers_rise_along_each_year_even_out_of_id_order() -> None:
    history = [
        Published(1, 3, ARCHIVED, _days_ago(90)),
        Published(1, 4, ARCHIVED, _days_ago(40)),
        Published(2, 5, PUBLISHED, _days_ago(35)),
        Published(1, 2, ARCHIVED, _days_ago(10)),  # an older draft published over 4: above 4
        Published(1, 6, PUBLISHED, _days_ago(1)),
        Published(2, 1, ARCHIVED, _days_ago(0)),  # year 2 has its own chain: above 5 only
    ]
    assert publication_numbers(history) == {3: 3, 4: 4, 5: 5, 2: 5, 6: 6, 1: 6}
