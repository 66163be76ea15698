"""What the Today page says about contingency: the single points of failure of the latest
analysis of a version, and which of them are new since the analysis before it (the nightly
job makes one a night, so "new" reads as "since yesterday")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from resched.db.repositories.jobs import JobRepository
from resched.services.common import SessionFactory, read

KIND = "contingency"


@dataclass(frozen=True, slots=True)
class ContingencyNews:
    finished_at: dt.datetime | None
    single_points: tuple[str, ...]  # names, most severe first
    new: tuple[str, ...]  # of those, the ones the previous analysis did not name


def contingency_news(*, factory: SessionFactory, version_id: int) -> ContingencyNews | None:
    """The news of the latest two analyses of ``version_id``; None before the first."""
    with read(factory) as session:
        found = JobRepository(session).recent_succeeded(KIND, version_id=version_id, limit=2)
    if not found:
        return None
    latest = _named(found[0][1])
    before = {code for code, _ in _named(found[1][1])} if len(found) > 1 else set()
    return ContingencyNews(
        found[0][0].finished_at,
        tuple(name for _, name in latest),
        tuple(name for code, name in latest if code not in before),
    )


def _named(report: dict[str, Any]) -> list[tuple[str, str]]:
    """(code, name) of each single point of failure of a report."""
    return [
        (o["people"][0]["code"], o["people"][0]["name"])
        for o in report.get("single_points_of_failure", [])
        if o.get("people")
    ]
