"""The summary at the top of a version's review: how good the search says it is (in words,
from the stored solver report), how many of the requests it decides it honours, and how evenly
it spreads calls and weekend days within each PGY group.

``CONFIRM_GAP``: a draft whose search stopped with a relative gap above it (or that leaves
requests unmet) is published only after the coordinator confirms (the review's Publish form).
"""

from __future__ import annotations

from dataclasses import dataclass

from resched.core.fairness import measure_fairness
from resched.core.solver import SolveStatus
from resched.db.repositories import AcademicYearRepository
from resched.services.common import SessionFactory, read
from resched.services.generation.outcome import GenerationOutcome
from resched.services.generation.report import get_generation
from resched.services.request_outcomes import HonouredCount, honoured_in_version
from resched.services.schedules import get_schedule, load_schedule

CONFIRM_GAP = 0.10  # a gap above 10 % means a clearly better schedule may exist
SPREAD_METRICS = (("calls", "calls"), ("weekend_days", "weekend days"))


@dataclass(frozen=True, slots=True)
class GroupSpread:
    group: str  # "PGY-1", or "No PGY"
    metric: str  # the words: "calls", "weekend days"
    minimum: int
    maximum: int


@dataclass(frozen=True, slots=True)
class VersionSummary:
    quality: str  # one sentence on the search (or that the version was not generated)
    gap: float | None
    requests: HonouredCount
    spreads: tuple[GroupSpread, ...]

    @property
    def large_gap(self) -> bool:
        return self.gap is not None and self.gap > CONFIRM_GAP

    @property
    def needs_confirmation(self) -> bool:
        """Publishing asks to confirm: a large gap, or requests the version does not honour."""
        return self.large_gap or self.requests.unmet > 0

    def spread_lines(self) -> tuple[str, ...]:
        """Per metric, e.g. "calls: PGY-1 2 to 5, PGY-2 3 to 3"."""
        lines = []
        for _, words in SPREAD_METRICS:
            parts = [
                f"{s.group} {s.minimum} to {s.maximum}" for s in self.spreads if s.metric == words
            ]
            if parts:
                lines.append(f"{words}: {', '.join(parts)}")
        return tuple(lines)


def quality_sentence(outcome: GenerationOutcome | None) -> str:
    """The solver report in words: proven optimal, or stopped with a gap."""
    if outcome is None:
        return "This version was not generated (it was imported or written by hand)."
    took = f"{outcome.seconds:.0f} s"
    if outcome.status is SolveStatus.OPTIMAL:
        return f"The search proved this schedule the best possible (optimal, {took})."
    if outcome.gap is None:
        return f"The search stopped after {took}; no bound says how close to the best it is."
    gap = f"{outcome.gap * 100:.0f} %"
    if outcome.gap > CONFIRM_GAP:
        return f"The search stopped after {took}; a better schedule may exist (gap {gap})."
    return f"The search stopped after {took}, close to the best possible (gap {gap})."


def summarise_version(
    *, factory: SessionFactory, version_id: int, outcome: GenerationOutcome | None
) -> VersionSummary:
    """NotFound for an unknown version."""
    requests = honoured_in_version(factory=factory, version_id=version_id)
    return VersionSummary(
        quality=quality_sentence(outcome),
        gap=outcome.gap if outcome is not None else None,
        requests=requests,
        spreads=_spreads(factory, version_id),
    )


def _spreads(factory: SessionFactory, version_id: int) -> tuple[GroupSpread, ...]:
    version = get_schedule(factory=factory, version_id=version_id)
    if version.first_day is None or version.last_day is None:
        return ()
    with read(factory) as session:
        year = AcademicYearRepository(session).get(version.academic_year_id)
    holidays = year.holidays if year is not None else ()
    stored = load_schedule(
        factory=factory, version_id=version_id, start=version.first_day, end=version.last_day
    )
    report = measure_fairness(stored.schedule, holidays)
    spreads = []
    for group in report.groups:
        name = "No PGY" if group.pgy is None else f"PGY-{group.pgy}"
        for spread in group.spreads:
            words = dict(SPREAD_METRICS).get(spread.metric)
            if words is not None:
                spreads.append(GroupSpread(name, words, spread.minimum, spread.maximum))
    return tuple(spreads)


def get_summary(*, factory: SessionFactory, version_id: int) -> VersionSummary:
    """The summary of a stored version (its own report read back). NotFound if unknown."""
    outcome = get_generation(factory=factory, version_id=version_id)
    return summarise_version(factory=factory, version_id=version_id, outcome=outcome)
