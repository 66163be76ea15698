"""Validation of one change: only the people and supervised slots it touches are re-evaluated."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from resched.core.model import Assignment
from resched.core.rules.context import ScheduleContext, SlotKey
from resched.core.rules.engine import person_findings, slot_findings
from resched.core.rules.findings import Finding, Severity, sort_findings


@dataclass(frozen=True, slots=True)
class ChangeImpact:
    """What a change does to the findings: ``created`` appear, ``cleared`` disappear (both as
    multisets), and ``context`` is the schedule after the change, ready for the next one.

    For any change: check_all(after) == check_all(before) - cleared + created."""

    created: tuple[Finding, ...]
    cleared: tuple[Finding, ...]
    context: ScheduleContext

    @property
    def new_violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.created if f.severity is Severity.VIOLATION)

    @property
    def makes_worse(self) -> bool:
        """True when the change creates a violation (it may clear others at the same time)."""
        return bool(self.new_violations)


def check_change(
    ctx: ScheduleContext,
    remove: Sequence[Assignment] = (),
    add: Sequence[Assignment] = (),
) -> ChangeImpact:
    """Validate taking ``remove`` out of the schedule (each once) and putting ``add`` in.

    Person rules read one person's assignments only, and a supervision finding one (date,
    shift) slot, so the findings of everyone and everything else cannot change."""
    after = ctx.with_changes(remove, add)
    changed = (*remove, *add)
    people = sorted({a.person_id for a in changed})
    slots: set[SlotKey] = {
        (a.date, code) for a in changed for code in ctx.supervision_targets(a.shift_code)
    }
    before_found = _affected(ctx, people, slots)
    after_found = _affected(after, people, slots)
    created = Counter(after_found) - Counter(before_found)
    cleared = Counter(before_found) - Counter(after_found)
    return ChangeImpact(
        created=tuple(sort_findings(list(created.elements()))),
        cleared=tuple(sort_findings(list(cleared.elements()))),
        context=after,
    )


def _affected(ctx: ScheduleContext, people: list[int], slots: set[SlotKey]) -> list[Finding]:
    found: list[Finding] = []
    for person_id in people:
        found.extend(person_findings(ctx, person_id))
    for key in sorted(slots):
        found.extend(slot_findings(ctx, key))
    return found
