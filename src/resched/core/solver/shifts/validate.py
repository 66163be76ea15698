"""The independent check of every schedule the solver returns (ARCHITECTURE.md, rule 2).

``core.rules.check_all`` runs over the whole horizon, published days included, exactly as a
later validation of the published year would see it; findings that end before the range are
about the past and are left out. Coverage is not an ACGME rule, so it is recounted here.
"""

from __future__ import annotations

from collections import Counter

from resched.core.intervals import DateRange
from resched.core.model import Assignment
from resched.core.rules.context import ScheduleContext, ScheduleInput
from resched.core.rules.findings import Finding, Severity
from resched.core.solver.shifts.candidates import is_eligible
from resched.core.solver.shifts.horizon import Horizon, RotationCalendar
from resched.core.solver.shifts.problem import ShiftProblem
from resched.core.solver.shifts.wording import demand_text


def check_schedule(
    problem: ShiftProblem, horizon: Horizon, assignments: tuple[Assignment, ...]
) -> tuple[list[str], list[Finding]]:
    """(violation messages, warning findings) of the schedule with its published context."""
    # The rule engine loads with the first schedule to check, not with this package (which a
    # rotation plan's generation imports for the shift problem's types).
    from resched.core.rules.engine import check_all

    outside = tuple(a for a in (*problem.before, *problem.after) if not horizon.decides(a.date))
    data = ScheduleInput(
        program=problem.program,
        people=problem.people,
        shift_types=problem.shift_types,
        assignments=outside + assignments,
        range=DateRange(horizon.first, problem.published_end),
        absences=problem.absences,
        blocks=problem.blocks,
    )
    findings = [f for f in check_all(ScheduleContext(data)) if f.end >= problem.start]
    violations = [f"{f.rule}: {f.message}" for f in findings if f.severity is Severity.VIOLATION]
    warnings = [f for f in findings if f.severity is not Severity.VIOLATION]
    return violations + check_coverage(problem, horizon, assignments), warnings


def check_coverage(
    problem: ShiftProblem, horizon: Horizon, assignments: tuple[Assignment, ...]
) -> list[str]:
    calendar = RotationCalendar(problem.blocks, problem.plan)
    people = {p.id: p for p in problem.people}
    holidays = frozenset(problem.holidays)
    found = []
    for need in problem.coverage:
        counts: Counter[object] = Counter(
            a.date
            for a in assignments
            if a.shift_code == need.shift_code
            and is_eligible(
                people[a.person_id], calendar.rotation(a.person_id, a.date), need.eligibility
            )
        )
        for day in horizon.range_days():
            if day <= problem.end and need.applies_on(day, holidays):
                have = counts[day]
                if not need.min_count <= have <= need.max_count:
                    found.append(
                        f"coverage: {demand_text(need, day)} has {have}, needs "
                        f"{need.min_count}..{need.max_count}"
                    )
    return found
