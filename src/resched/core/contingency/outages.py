"""N-1 and N-2: take people out of the schedule over a horizon and try to restore coverage by
a legal repair (``cover``). The orphaned shifts are those a demand misses without them: on a
day and shift where the eligible people left fall under a demand's minimum, as many of the
absent people's shifts as the shortfall (a shift nobody needs leaves no hole)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from resched.core.contingency.cover import Cover, cover
from resched.core.contingency.margin import shift_holders
from resched.core.contingency.standby import Demand, standby
from resched.core.model import Assignment, CoverageRequirement
from resched.core.rules.context import ScheduleContext


class Severity(StrEnum):
    CRITICAL = "critical"  # coverage cannot be restored
    HIGH = "high"  # restored, but only by a large repair
    LOW = "low"  # restored with a small repair
    NONE = "none"  # nothing orphaned


LARGE_REPAIR = 5


@dataclass(frozen=True, slots=True)
class Outage:
    """What losing ``people`` over the horizon does: their shifts, the orphaned ones, and the
    best legal cover of those."""

    people: tuple[int, ...]
    shifts: tuple[Assignment, ...]
    orphans: tuple[Assignment, ...]
    repair: Cover

    @property
    def severity(self) -> Severity:
        if self.repair.uncovered:
            return Severity.CRITICAL
        if not self.orphans:
            return Severity.NONE
        return Severity.HIGH if self.repair.size >= LARGE_REPAIR else Severity.LOW


def orphaned(
    ctx: ScheduleContext,
    demand: Demand,
    out: Collection[int],
    start: dt.date,
    end: dt.date,
) -> list[tuple[Assignment, CoverageRequirement]]:
    """The shifts of ``out`` in ``start``..``end`` a demand misses without them, each with
    the demand whose eligibility a stand-in needs."""
    holders = shift_holders(ctx, start, end)
    found: list[tuple[Assignment, CoverageRequirement]] = []
    taken: set[Assignment] = set()
    for (day, code), people in sorted(holders.items()):
        gone = sorted(pid for pid in people if pid in out)
        if not gone:
            continue
        for need in demand.needs:
            if need.shift_code != code or need.min_count == 0:
                continue
            if not need.applies_on(day, demand.holidays):
                continue
            eligible = [p for p in people if demand.eligible(ctx, p, day, need.eligibility)]
            left = sum(1 for p in eligible if p not in out)
            short = need.min_count - left
            lost = [Assignment(p, day, code) for p in gone if p in eligible]
            for shift in lost[: max(short, 0)]:
                if shift not in taken:
                    taken.add(shift)
                    found.append((shift, need))
    return found


def outage(
    ctx: ScheduleContext,
    demand: Demand,
    out: Sequence[int],
    start: dt.date,
    end: dt.date,
) -> Outage:
    """Take ``out`` out from ``start`` to ``end`` and cover what they leave, legally."""
    shifts = tuple(a for pid in out for a in ctx.assignments_of(pid) if start <= a.date <= end)
    holes = orphaned(ctx, demand, set(out), start, end)
    without = ctx.with_changes(remove=shifts, add=[])
    orphans = [a for a, _ in holes]
    options = {
        i: standby(without, demand, a, exclude=out, rules=(need.eligibility,))
        for i, (a, need) in enumerate(holes)
    }
    return Outage(tuple(out), shifts, tuple(orphans), cover(without, orphans, options))


def n_minus_1(
    ctx: ScheduleContext,
    demand: Demand,
    people: Sequence[int],
    start: dt.date,
    end: dt.date,
) -> list[Outage]:
    """Each person out on their own, most severe first (then the largest repair)."""
    found = [outage(ctx, demand, [pid], start, end) for pid in people]
    return sorted(found, key=rank)


def n_minus_2(
    ctx: ScheduleContext,
    demand: Demand,
    people: Sequence[int],
    start: dt.date,
    end: dt.date,
) -> list[Outage]:
    """Every pair among ``people`` out together: the fatal pairs (coverage cannot be restored)
    that neither person is fatal for alone, most uncovered shifts first."""
    alone = {o.people[0]: o for o in n_minus_1(ctx, demand, people, start, end)}
    fatal = []
    for p, q in combinations(sorted(people), 2):
        if alone[p].repair.uncovered or alone[q].repair.uncovered:
            continue  # already a single point of failure: the pair adds nothing to say
        both = outage(ctx, demand, [p, q], start, end)
        if both.repair.uncovered:
            fatal.append(both)
    return sorted(fatal, key=rank)


def rank(o: Outage) -> tuple[int, int, int, tuple[int, ...]]:
    """The order of outages: most severe, most uncovered, largest repair first."""
    order = list(Severity)
    return (order.index(o.severity), -len(o.repair.uncovered), -o.repair.size, o.people)
