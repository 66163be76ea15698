"""The program's generation settings: stored with the program, audited, checked against the
solvers' penalty names and the program's rotations, and used by generation from the database
(the spec's own parameters still override them)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid, NotFound
from resched.core.generation_settings import GenerationSettings, ShiftSequence
from resched.core.solver import SolveStatus
from resched.core.solver.plan import HEAVY_STREAK
from resched.db.mappers import generation_from_json, generation_to_json
from resched.services.audit import list_audit_events
from resched.services.demo import load_demo
from resched.services.generation import (
    GenerationKind,
    GenerationRequest,
    make_spec,
    run_generation,
)
from resched.services.generation.inputs import load_base, plan_problem, shift_problem
from resched.services.generation_settings import (
    ENTITY,
    get_generation_settings,
    update_generation_settings,
)
from tests.generation_data import FAST, WEEK_END, WEEK_START, Tiny, store_tiny, store_version

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
WARDS_HEAVY = GenerationSettings(
    plan_weights={"heavy_streak": 7, "rotation_request": 0},
    shift_weights={"weekend_free": 9},
    heavy_rotations=frozenset({"WARDS"}),
    max_heavy_run=1,
    weekend_rotations=frozenset({"WARDS"}),
)


@pytest.fixture
def tiny(session_factory: Factory) -> Tiny:
    return store_tiny(session_factory)


def test_a_new_program_has_the_solvers_defaults(session_factory: Factory, tiny: Tiny) -> None:
    assert get_generation_settings(factory=session_factory) == GenerationSettings()


def test_settings_are_stored_with_the_program_and_audited(
    session_factory: Factory, tiny: Tiny
) -> None:
    saved = update_generation_settings(factory=session_factory, settings=WARDS_HEAVY, actor="chief")

    assert saved == WARDS_HEAVY
    assert get_generation_settings(factory=session_factory) == WARDS_HEAVY
    events = [e for e in list_audit_events(factory=session_factory).items if e.entity == ENTITY]
    assert len(events) == 1
    assert events[0].actor == "chief"
    before, after = events[0].before, events[0].after
    assert before is not None
    assert after is not None
    assert before["heavy_rotations"] == []
    assert after["plan_weights"]["heavy_streak"] == 7


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        (GenerationSettings(plan_weights={"heavy_streek": 1}), "plan_weights"),
        # A shift penalty is not a plan penalty, and the other way round.
        (GenerationSettings(plan_weights={"weekend_free": 1}), "plan_weights"),
        (GenerationSettings(shift_weights={"heavy_streak": 1}), "shift_weights"),
        (GenerationSettings(shift_weights={"fair_calls": -1}), "shift_weights"),
        (GenerationSettings(heavy_rotations=frozenset({"ICU"})), "heavy_rotations"),
        (GenerationSettings(weekend_rotations=frozenset({"NF"})), "weekend_rotations"),
        (GenerationSettings(max_heavy_run=-1), "max_heavy_run"),
        (GenerationSettings(catch_up=-1), "catch_up"),
        (GenerationSettings(catch_up=11), "catch_up"),
        (GenerationSettings(min_rest_hours=24.5), "min_rest_hours"),
        (GenerationSettings(min_rest_hours=float("nan")), "min_rest_hours"),
        (
            GenerationSettings(allowed_sequences=(ShiftSequence("DAY", "ED-N"),)),
            "allowed_sequences[0].next",
        ),
    ],
)
def test_bad_settings_are_refused_naming_the_field(
    session_factory: Factory, tiny: Tiny, settings: GenerationSettings, field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        update_generation_settings(factory=session_factory, settings=settings)
    assert caught.value.details["field"] == field
    assert get_generation_settings(factory=session_factory) == GenerationSettings()


def test_without_a_program_there_are_no_settings(session_factory: Factory) -> None:
    with pytest.raises(NotFound):
        get_generation_settings(factory=session_factory)
    with pytest.raises(NotFound):
        update_generation_settings(factory=session_factory, settings=GenerationSettings())


def test_the_stored_settings_reach_the_plan_problem(session_factory: Factory, tiny: Tiny) -> None:
    update_generation_settings(factory=session_factory, settings=WARDS_HEAVY)
    spec = make_spec(
        factory=session_factory,
        request=GenerationRequest(GenerationKind.PLAN, limits=FAST, year="2026"),
    )
    with session_factory() as session:
        problem = plan_problem(session, spec, load_base(session, tiny.year_id))
    assert problem.heavy_rotations == {"WARDS"}
    assert problem.max_heavy_run == 1
    assert problem.weights == {"heavy_streak": 7, "rotation_request": 0}

    # A generation's own heavy rotations override the program's.
    spec = make_spec(
        factory=session_factory,
        request=GenerationRequest(
            GenerationKind.PLAN, limits=FAST, year="2026", heavy_rotations=frozenset(["ELEC"])
        ),
    )
    with session_factory() as session:
        problem = plan_problem(session, spec, load_base(session, tiny.year_id))
    assert problem.heavy_rotations == {"ELEC"}


def test_the_stored_settings_reach_the_shift_problem(session_factory: Factory, tiny: Tiny) -> None:
    store_version(session_factory, tiny)
    spec = make_spec(
        factory=session_factory,
        request=GenerationRequest(
            GenerationKind.SHIFTS, limits=FAST, start=WEEK_START, end=WEEK_END
        ),
    )
    with session_factory() as session:
        before = shift_problem(session, spec, load_base(session, tiny.year_id))
    update_generation_settings(factory=session_factory, settings=WARDS_HEAVY)
    with session_factory() as session:
        after = shift_problem(session, spec, load_base(session, tiny.year_id))

    assert (before.weekend_rotations, before.weights) == (frozenset(), {})
    assert after.weekend_rotations == {"WARDS"}
    assert after.weights == {"weekend_free": 9}
    spec = make_spec(
        factory=session_factory,
        request=GenerationRequest(
            GenerationKind.SHIFTS,
            limits=FAST,
            start=WEEK_START,
            end=WEEK_END,
            weekend_rotations=frozenset(["ELEC"]),
        ),
    )
    with session_factory() as session:
        overridden = shift_problem(session, spec, load_base(session, tiny.year_id))
    assert overridden.weekend_rotations == {"ELEC"}


def _heavy_streaks(factory: Factory) -> int:
    spec = make_spec(
        factory=factory, request=GenerationRequest(GenerationKind.PLAN, limits=FAST, year="2026")
    )
    outcome = run_generation(factory=factory, spec=spec, actor="chief")
    assert outcome.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE), outcome
    return sum(1 for p in outcome.penalties if p.name == HEAVY_STREAK)


def test_generation_from_the_database_penalises_the_stored_heavy_rotations(
    session_factory: Factory, tiny: Tiny
) -> None:
    assert _heavy_streaks(session_factory) == 0
    # With no heavy block allowed in a row, each Wards block (six or more a year each) is one.
    settings = GenerationSettings(heavy_rotations=frozenset({"WARDS"}), max_heavy_run=0)
    update_generation_settings(factory=session_factory, settings=settings)
    assert _heavy_streaks(session_factory) >= 6 * len(tiny.residents)


def test_a_weight_given_to_one_generation_overrides_the_programs(
    session_factory: Factory, tiny: Tiny
) -> None:
    settings = GenerationSettings(
        heavy_rotations=frozenset({"WARDS"}), max_heavy_run=0, plan_weights={HEAVY_STREAK: 4}
    )
    update_generation_settings(factory=session_factory, settings=settings)
    limits = dataclasses.replace(FAST, weights={HEAVY_STREAK: 2})
    spec = make_spec(
        factory=session_factory,
        request=GenerationRequest(GenerationKind.PLAN, limits=limits, year="2026"),
    )
    outcome = run_generation(factory=session_factory, spec=spec, actor="chief")
    weights = {p.weight for p in outcome.penalties if p.name == HEAVY_STREAK}
    assert weights == {2}


def test_the_demo_stores_its_heavy_and_weekend_free_rotations(session_factory: Factory) -> None:
    load_demo(factory=session_factory)
    settings = get_generation_settings(factory=session_factory)
    assert settings.heavy_rotations == {"WARDS", "ICU", "NF", "EM"}
    assert settings.weekend_rotations == {"WARDS"}
    assert settings.max_heavy_run == 2
    assert (settings.plan_weights, settings.shift_weights) == ({}, {})


def test_settings_stored_before_the_rest_setting_read_its_defaults() -> None:
    old = {"plan_weights": {}, "shift_weights": {}, "heavy_rotations": [], "max_heavy_run": 2}
    assert generation_from_json(old) == GenerationSettings()
    custom = GenerationSettings(min_rest_hours=12, allowed_sequences=())
    assert generation_from_json(generation_to_json(custom)) == custom
