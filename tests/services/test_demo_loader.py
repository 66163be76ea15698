"""Loading the demo program: everything the builder makes is stored, in one transaction."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.demo import build_demo
from resched.core.errors import Conflict, Invalid
from resched.core.model import Role
from resched.db.base import Base
from resched.db.mappers import request_from_row
from resched.db.records import PersonProfile
from resched.db.repositories import (
    AbsenceRepository,
    RotationRepository,
    ShiftTypeRepository,
)
from resched.db.tables import PersonRow, RequestRow
from resched.services import demo as demo_service
from resched.services.academic_years import list_academic_years
from resched.services.audit import list_audit_events
from resched.services.demo import load_demo, program_exists
from resched.services.overview import ProgramOverview, get_program_overview
from resched.services.people import create_person
from tests.conftest import StatementCounter, empty_all_tables, is_postgres

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]


def _overview(factory: Factory) -> ProgramOverview:
    (year,) = list_academic_years(factory=factory)
    assert year.id is not None
    return get_program_overview(factory=factory, academic_year_id=year.id)


def _row_counts(factory: Factory) -> dict[str, int]:
    with factory() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _without_id(value: Any) -> Any:
    return dataclasses.replace(value, id=None)


def test_loads_every_part_of_the_demo(session_factory: Factory) -> None:
    expected = build_demo()
    summary = load_demo(factory=session_factory, actor="chief")

    assert summary.startswith(f"Loaded demo program {expected.program.name!r}: ")
    assert "36 residents, 16 faculty, 13 blocks, 11 holidays, 15 shift types, 7 rotations" in (
        summary
    )
    overview = _overview(session_factory)
    assert overview.program is not None
    assert _without_id(overview.program) == expected.program
    assert _without_id(overview.academic_year) == expected.year
    assert [(g.pgy, len(g.residents)) for g in overview.residents_by_pgy] == [
        (1, 12),
        (2, 12),
        (3, 12),
    ]
    assert overview.residents_without_pgy == ()
    stored_people = [p for g in overview.residents_by_pgy for p in g.residents]
    stored_people += overview.faculty
    assert sorted(_person_key(p) for p in stored_people) == sorted(
        _person_key(p) for p in expected.people
    )
    assert [_without_id(s) for s in overview.shift_types] == sorted(
        expected.shift_types, key=lambda s: s.code
    )
    assert {_without_id(c) for c in overview.coverage} == set(expected.coverage)


def _person_key(person: Any) -> tuple[str, str, Role, int | None, str | None]:
    return (person.code, person.name, person.role, person.pgy, person.email)


def test_rotations_keep_capacities_requirements_patterns_and_quotas(
    session_factory: Factory,
) -> None:
    expected = build_demo()
    load_demo(factory=session_factory)

    with session_factory() as session:
        stored = RotationRepository(session).all()
    assert [_without_id(r) for r in stored] == sorted(expected.rotations, key=lambda r: r.code)
    # The quotas are what the continuity-clinic half-day rests on: make sure some exist.
    assert any(r.weekly_quotas for r in stored)


def test_absences_and_requests_point_at_the_stored_people(session_factory: Factory) -> None:
    expected = build_demo()
    load_demo(factory=session_factory)

    codes_by_demo_id = {p.id: p.code for p in expected.people}
    with session_factory() as session:
        codes_by_id = dict(session.execute(select(PersonRow.id, PersonRow.code)).all())
        absences = AbsenceRepository(session).list_page(limit=200, offset=0).items
        shift_codes = {s.id: s.code for s in ShiftTypeRepository(session).all()}
        rotation_codes = {r.id: r.code for r in RotationRepository(session).all()}
        requests = [
            request_from_row(row, shift_codes, rotation_codes)
            for row in session.scalars(select(RequestRow))
        ]

    def by_code(items: Any, codes: dict[int, str]) -> list[tuple[str, Any]]:
        return sorted(
            ((codes[i.person_id], dataclasses.replace(i, id=None, person_id=0)) for i in items),
            key=repr,
        )

    assert len(absences) == len(expected.absences) > 0
    assert by_code(absences, codes_by_id) == by_code(expected.absences, codes_by_demo_id)
    assert len(requests) == len(expected.requests) > 0
    assert by_code(requests, codes_by_id) == by_code(expected.requests, codes_by_demo_id)


def test_load_is_audited_with_the_counts(session_factory: Factory) -> None:
    load_demo(factory=session_factory, actor="chief")

    events = list_audit_events(factory=session_factory, entity="program").items
    # The update: the jeopardy shift (BACKUP), set once the shift types exist.
    assert [(e.action, e.actor) for e in events] == [
        ("create", "chief"),
        ("update", "chief"),
        ("demo.load", "chief"),
    ]
    assert events[1].after is not None
    assert events[1].after["jeopardy_shift"] == "BACKUP"
    loaded = events[2].after
    assert loaded is not None
    assert loaded["counts"]["residents"] == 36
    assert loaded["counts"]["requests"] == len(build_demo().requests)
    assert loaded["seed"] == 2026


def test_everything_is_created_through_the_services_audit_included(
    session_factory: Factory,
) -> None:
    """The demo goes through the services an API call goes through: each thing it creates has
    the same audit event as if a coordinator had entered it."""
    load_demo(factory=session_factory, actor="chief")

    def actions(entity: str) -> list[tuple[str, str | None]]:
        page = list_audit_events(factory=session_factory, entity=entity, limit=200)
        return [(e.action, e.actor) for e in page.items]

    demo = build_demo()
    for entity, count in (
        ("academic_year", 1),
        ("shift_type", len(demo.shift_types)),
        ("rotation", len(demo.rotations)),
        ("coverage_requirement", len(demo.coverage)),
        ("person", len(demo.people)),
        ("absence", len(demo.absences)),
    ):
        assert actions(entity) == [("create", "chief")] * count, entity
    assert actions("program.generation") == [("update", "chief")]


def test_program_exists_only_after_loading(session_factory: Factory) -> None:
    assert program_exists(factory=session_factory) is False
    load_demo(factory=session_factory)
    assert program_exists(factory=session_factory) is True


def test_scaled_demo_loads(session_factory: Factory) -> None:
    summary = load_demo(factory=session_factory, residents=60, faculty=25, seed=7)

    assert "60 residents, 25 faculty" in summary
    overview = _overview(session_factory)
    assert [len(g.residents) for g in overview.residents_by_pgy] == [20, 20, 20]
    assert len(overview.faculty) == 25


def test_second_load_is_refused_and_adds_nothing(session_factory: Factory) -> None:
    load_demo(factory=session_factory)
    before = _row_counts(session_factory)

    with pytest.raises(Conflict, match="already holds the program"):
        load_demo(factory=session_factory, seed=99)
    assert _row_counts(session_factory) == before


def test_refused_when_people_exist_without_a_program(session_factory: Factory) -> None:
    create_person(
        factory=session_factory,
        profile=PersonProfile(code="r01", name="Existing Resident", role=Role.RESIDENT),
    )
    before = _row_counts(session_factory)

    with pytest.raises(Conflict, match="people"):
        load_demo(factory=session_factory)
    assert _row_counts(session_factory) == before


def test_invalid_size_raises_invalid_and_stores_nothing(session_factory: Factory) -> None:
    with pytest.raises(Invalid) as caught:
        load_demo(factory=session_factory, residents=25)
    assert caught.value.details["field"] == "residents"
    assert set(_row_counts(session_factory).values()) == {0}


@pytest.mark.parametrize(
    ("failing", "inserted"),
    [
        # After the calendar, catalogue, people and absences, before the requests.
        (
            "_requests",
            {"program", "block", "rotation_capacity", "person", "person_year", "absence"},
        ),
        # After every row of the demo, while writing the audit event.
        ("record", {"program", "person", "absence", "request"}),
    ],
)
def test_failure_mid_load_leaves_nothing(
    session_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
    statement_counter: StatementCounter,
    failing: str,
    inserted: set[str],
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(demo_service, failing, explode)
    with statement_counter.counting() as statements, pytest.raises(RuntimeError, match="injected"):
        load_demo(factory=session_factory)

    # The rows really were sent before the failure; the rollback took them all back.
    sent = {s.split()[2] for s in statements if s.startswith("INSERT INTO")}
    assert inserted <= sent
    assert set(_row_counts(session_factory).values()) == {0}
    assert program_exists(factory=session_factory) is False


RAISE = "INSERT INTO data_generation"


def test_statements_do_not_grow_with_the_people(
    session_factory: Factory,
    database_url: str,
    engine: Engine,
    statement_counter: StatementCounter,
) -> None:
    """On PostgreSQL each table's rows go in batched INSERTs: the load is a fixed number of
    statements besides its audit events (one per created record, as through the API, which
    SQLAlchemy sends one by one). SQLite has no reliable way to match a multi-row INSERT's
    RETURNING to its rows, so SQLAlchemy sends those INSERTs one row at a time there
    (in-process calls, no network round trip); everything else - reads, checks - stays fixed
    on both."""

    def statements(**size: int) -> list[str]:
        with statement_counter.counting() as sent:
            load_demo(factory=session_factory, **size)
        return list(sent)

    small = statements()
    empty_all_tables(engine)
    large = statements(residents=90, faculty=40)

    def not_inserts(sent: list[str]) -> int:
        return sum(1 for s in sent if not s.lstrip().upper().startswith("INSERT"))

    def not_audit(sent: list[str]) -> int:
        return sum(1 for s in sent if not s.startswith(("INSERT INTO audit_event", RAISE)))

    assert not_inserts(small) == not_inserts(large)
    # At the commit, one raise of the data generation per table written (resched.db.
    # generation), however many rows.
    for sent in (small, large):
        written = {s.split()[2] for s in sent if s.startswith("INSERT INTO ")} - {
            "audit_event",
            "data_generation",
        }
        assert sum(1 for s in sent if s.startswith(RAISE)) == len(written)
    if is_postgres(database_url):
        assert not_audit(small) == not_audit(large)
        # 40: the generation settings' check reads the shift type codes their allowed
        # sequences may name (one SELECT, whatever the program's size).
        assert not_audit(small) <= 40
    else:
        assert len(large) > len(small)  # one INSERT a row: proves the counter saw them
