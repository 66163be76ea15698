"""The program's own rule settings are what generation and validation enforce: a program that
sets in-house call every 4th night gets exactly that as a hard rule and as the validator's
limit (issue 10: "a program that sets call every 4th night gets exactly that")."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    Assignment,
    AssignmentSource,
    BlockAssignment,
    RuleConfig,
    ScheduleStatus,
)
from resched.core.rules.findings import Finding
from resched.core.solver import SolveStatus
from resched.db.repositories.schedule import ShiftAssignmentRepository
from resched.services import people, program
from resched.services.generation import (
    GenerationKind,
    GenerationOutcome,
    GenerationRequest,
    make_spec,
    run_generation,
)
from resched.services.schedules import check_schedule
from tests import builders
from tests.generation_data import FAST, WEEK_END, WEEK_START, Tiny, store_tiny, store_version

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
BLOCK_1 = (dt.date(2026, 7, 1), dt.date(2026, 7, 28))


def _set_call_every(factory: Factory, nth: int) -> None:
    current = program.get_program(factory=factory)
    program.update_program(
        factory=factory,
        name=current.name,
        timezone=current.timezone,
        rules=dataclasses.replace(RuleConfig(), call_every_nth_night=nth),
        freeze_horizon_days=current.freeze_horizon_days,
        actor="coordinator",
    )


def _generate_week(factory: Factory) -> GenerationOutcome:
    spec = make_spec(
        factory=factory,
        request=GenerationRequest(
            GenerationKind.SHIFTS, limits=FAST, start=WEEK_START, end=WEEK_END
        ),
    )
    return run_generation(factory=factory, spec=spec, actor="coordinator")


def _add_residents(factory: Factory, tiny: Tiny, count: int) -> Tiny:
    """``count`` more PGY-2 residents (named r5, r6, ...)."""
    added = []
    for n in range(len(tiny.residents) + 1, len(tiny.residents) + 1 + count):
        created = people.create_person(
            factory=factory, profile=builders.resident(f"r{n}", tiny.year_id, 2)
        )
        assert created.id is not None
        added.append(created.id)
    return Tiny(tiny.year_id, (*tiny.residents, *added))


def test_four_residents_cannot_cover_a_week_of_call_every_fourth_night(
    session_factory: Factory,
) -> None:
    """7 nights, 4 residents: every 3rd night allows 2 calls each (the tiny program's own
    generation covers it); every 4th allows 1 each, 4 < 7, so the solve is infeasible and says
    which rule with the program's N."""
    tiny = store_tiny(session_factory)
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    _set_call_every(session_factory, 4)
    outcome = _generate_week(session_factory)
    assert outcome.status is SolveStatus.INFEASIBLE, outcome
    conflicts = outcome.conflicts
    assert any("every 4 nights" in line for line in conflicts), conflicts


def test_a_week_generated_with_call_every_fourth_night_keeps_it(
    session_factory: Factory,
) -> None:
    tiny = _add_residents(session_factory, store_tiny(session_factory), 3)
    plan = [BlockAssignment(pid, n, "WARDS") for pid in tiny.residents for n in range(1, 14)]
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED, plan=plan)
    _set_call_every(session_factory, 4)
    outcome = _generate_week(session_factory)
    version_id = outcome.version_id
    assert version_id is not None, outcome
    with session_factory() as session:
        rows = ShiftAssignmentRepository(session).between([version_id], WEEK_START, WEEK_END)
    calls = Counter(a.person_id for _, a in rows if a.shift_code == "CALL")
    assert sum(calls.values()) == 7
    # One window of 7 days: 7 // 4 = 1 call each (every 3rd night would allow 2).
    assert max(calls.values()) == 1
    checked = check_schedule(
        factory=session_factory, version_id=version_id, start=WEEK_START, end=WEEK_END
    )
    assert [f for f in checked.findings if f.severity.value == "violation"] == []


def test_the_validator_flags_every_third_night_as_call_q3_with_the_programs_limit(
    session_factory: Factory,
) -> None:
    """9 calls in 28 days (every 3rd night) is legal under ACGME's q3, not under the program's
    q4: at most 28 // 4 = 7."""
    tiny = store_tiny(session_factory)
    first = tiny.residents[0]
    calls = [
        Assignment(first, BLOCK_1[0] + dt.timedelta(days=3 * k), "CALL", AssignmentSource.MANUAL)
        for k in range(9)
    ]
    version_id = store_version(session_factory, tiny, shifts=calls)

    def call_findings() -> list[Finding]:
        checked = check_schedule(
            factory=session_factory, version_id=version_id, start=BLOCK_1[0], end=BLOCK_1[1]
        )
        return [f for f in checked.findings if f.rule == "call-q3"]

    assert call_findings() == []
    _set_call_every(session_factory, 4)
    found = call_findings()
    assert len(found) == 1
    finding = found[0]
    assert (finding.person_id, finding.value, finding.limit) == (first, 9, 7)
    assert "every 4th night" in finding.message
