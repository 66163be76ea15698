"""Contingency analysis of a stored schedule (issue 15): coverage margins, N-1 over everyone,
N-2 over pairs, the utilization of each pool and suggested backups, as a
``resched.contingency/v1`` report.

The version is loaded over its whole academic year (with the usual look-back), as the candidate
finder does, so every rule window around the horizon is complete; the questions are asked of
``start``..``end`` only. The work is in resched.core.contingency; this module loads, loops (with
progress and a cancel check between people and pairs) and writes the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from resched.core.contingency.margin import margins
from resched.core.contingency.outages import Outage, outage, rank
from resched.core.contingency.standby import Demand
from resched.core.errors import NotFound
from resched.core.rules import ScheduleContext
from resched.db.repositories import AcademicYearRepository, CoverageRepository
from resched.db.repositories.jobs import Job, JobRepository
from resched.services.common import SessionFactory, read
from resched.services.contingency.news import KIND
from resched.services.contingency.report import build_report
from resched.services.plan_spans import planned_spans
from resched.services.schedules import get_schedule, invalid, load_schedule

HORIZON_DAYS = 28
ALL_PAIRS_UP_TO = 60  # people: above this, pairs among the most critical only
CRITICAL_FOR_PAIRS = 30

type Progress = Callable[[float, str], None]
type CancelCheck = Callable[[], None]


def _no_progress(_: float, __: str) -> None:
    return None


def _not_cancelled() -> None:
    return None


@dataclass(frozen=True, slots=True)
class Loaded:
    """A version ready for the questions: its context, the demand and the horizon."""

    version_id: int
    ctx: ScheduleContext
    demand: Demand
    start: dt.date
    end: dt.date


def load(*, factory: SessionFactory, version_id: int, start: dt.date, end: dt.date) -> Loaded:
    """The version over its academic year. NotFound for an unknown version; Invalid (path
    ``start`` or ``end``) for a horizon outside the version's year or backwards."""
    version = get_schedule(factory=factory, version_id=version_id)
    with read(factory) as session:
        year = AcademicYearRepository(session).get(version.academic_year_id)
        coverage = CoverageRepository(session).all()
        spans = (
            planned_spans(session, (version_id,), year.start, year.end) if year is not None else []
        )
    if end < start:
        raise invalid("end", "the horizon ends before it starts")
    if year is None or not year.start <= start <= year.end:
        raise invalid("start", f"{start.isoformat()} is outside the version's academic year")
    if end > year.end:
        raise invalid("end", f"{end.isoformat()} is outside the version's academic year")
    stored = load_schedule(factory=factory, version_id=version_id, start=year.start, end=year.end)
    rotations: dict[int, list[tuple[dt.date, dt.date, str]]] = {}
    for s in spans:
        rotations.setdefault(s.person_id, []).append((s.first, s.last, s.rotation.code))
    demand = Demand(needs=tuple(coverage), holidays=frozenset(year.holidays), rotations=rotations)
    return Loaded(version_id, ScheduleContext(stored.schedule), demand, start, end)


@dataclass(frozen=True, slots=True)
class StoredAnalysis:
    job: Job
    report: dict[str, Any]


def latest_analysis(*, factory: SessionFactory, version_id: int) -> StoredAnalysis:
    """The report of the most recent contingency job about ``version_id`` that succeeded.
    NotFound for an unknown version, and before the first report."""
    get_schedule(factory=factory, version_id=version_id)
    with read(factory) as session:
        found = JobRepository(session).latest_succeeded(KIND, version_id=version_id)
    if found is None:
        raise NotFound(
            f"no contingency analysis of version {version_id} has finished yet",
            details={"entity": "report"},
        )
    return StoredAnalysis(*found)


def year_end(*, factory: SessionFactory, version_id: int) -> dt.date:
    """The last day of the version's academic year (the furthest a horizon reaches)."""
    version = get_schedule(factory=factory, version_id=version_id)
    with read(factory) as session:
        year = AcademicYearRepository(session).get(version.academic_year_id)
    if year is None:  # pragma: no cover - a version always belongs to a year
        raise invalid("version_id", "the version has no academic year")
    return year.end


def analyse(
    *,
    factory: SessionFactory,
    version_id: int,
    start: dt.date,
    end: dt.date,
    pairs_limit: int = ALL_PAIRS_UP_TO,
    progress: Progress = _no_progress,
    cancel_check: CancelCheck = _not_cancelled,
) -> dict[str, Any]:
    """The ``resched.contingency/v1`` report of ``version_id`` over ``start``..``end``.
    ``progress(fraction, sentence)`` hears how far it got; ``cancel_check()`` is called between
    people and pairs and stops the analysis by raising."""
    loaded = load(factory=factory, version_id=version_id, start=start, end=end)
    ctx, demand = loaded.ctx, loaded.demand
    progress(0.02, "Counting the coverage margin of each day.")
    found = margins(ctx, demand, start, end)
    people = [pid for pid in ctx.person_ids if ctx.people[pid].active]
    alone = singles(loaded, people, progress, cancel_check)
    pool, cut = pair_pool(alone, pairs_limit)
    fatal = fatal_pairs(loaded, pool, alone, progress, cancel_check)
    progress(0.98, "Writing the report.")
    return build_report(
        ctx,
        demand,
        version_id=version_id,
        start=start,
        end=end,
        margins=found,
        singles=alone,
        pairs={"people": len(pool), "pairs": len(pool) * (len(pool) - 1) // 2, "cut": cut},
        fatal=fatal,
    )


def singles(
    loaded: Loaded,
    people: Sequence[int],
    progress: Progress = _no_progress,
    cancel_check: CancelCheck = _not_cancelled,
) -> list[Outage]:
    """N-1: each of ``people`` out on their own, most severe first (``n_minus_1`` with
    progress and a cancel check between people)."""
    found = []
    for done, pid in enumerate(people):
        cancel_check()
        progress(
            0.05 + 0.35 * done / max(len(people), 1), f"N-1: person {done + 1} of {len(people)}."
        )
        found.append(outage(loaded.ctx, loaded.demand, [pid], loaded.start, loaded.end))
    return sorted(found, key=rank)


def pair_pool(singles: Sequence[Outage], limit: int) -> tuple[list[int], str | None]:
    """Who the pairs are taken among: everyone up to ``limit`` people, else the
    ``CRITICAL_FOR_PAIRS`` most critical by N-1 (``singles`` ranked), with the cut said."""
    if len(singles) <= limit:
        return sorted(o.people[0] for o in singles), None
    chosen = sorted(o.people[0] for o in singles[:CRITICAL_FOR_PAIRS])
    cut = (
        f"{len(singles)} people: pairs among the {len(chosen)} most critical by N-1 only "
        f"(all pairs up to {limit} people)."
    )
    return chosen, cut


def fatal_pairs(
    loaded: Loaded,
    pool: Sequence[int],
    singles: Sequence[Outage],
    progress: Progress = _no_progress,
    cancel_check: CancelCheck = _not_cancelled,
) -> list[Outage]:
    """The fatal pairs among ``pool`` that neither person is fatal for alone (as
    ``n_minus_2``), most severe first. A pair with no shift in the horizon breaks nothing."""
    alone = {o.people[0]: o for o in singles}
    pairs = list(combinations(pool, 2))
    fatal = []
    for done, (p, q) in enumerate(pairs):
        if done % 20 == 0:
            cancel_check()
            progress(
                0.4 + 0.58 * done / max(len(pairs), 1), f"N-2: pair {done + 1} of {len(pairs)}."
            )
        a, b = alone[p], alone[q]
        if a.repair.uncovered or b.repair.uncovered or not (a.shifts or b.shifts):
            continue
        both = outage(loaded.ctx, loaded.demand, [p, q], loaded.start, loaded.end)
        if both.repair.uncovered:
            fatal.append(both)
    return sorted(fatal, key=rank)
