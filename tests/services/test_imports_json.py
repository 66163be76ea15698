"""People and absences imported from an interchange document (``resched.schedule/v1``): the
document's array is staged as a table, so the checks are those of a CSV, its problems named by
JSON path."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid
from resched.core.model import AbsenceType
from resched.services import absences, calendar, people
from resched.services.imports.batches import apply_import, preview_import, undo_import
from resched.services.schedules import export_schedule
from tests import builders
from tests.conftest import empty_all_tables
from tests.import_data import PROGRAMS, data_rows
from tests.plan_data import store_demo_plan, store_peds

Factory = sessionmaker[Session]
FORMAT = "resched.schedule/v1"


def _preview(factory: Factory, kind: str, document: Any) -> Any:
    data = json.dumps(document).encode()
    return preview_import(factory=factory, kind=kind, filename="doc.json", data=data, actor="chief")


def _exported(factory: Factory, program: str) -> dict[str, Any]:
    stored = store_demo_plan(factory) if program == "demo" else store_peds(factory)
    return export_schedule(factory=factory, version_id=stored.version_id)


@pytest.mark.parametrize("program", ["demo", "pediatrics"])
def test_exported_people_are_created_in_a_new_database_and_undo_takes_them_back(
    program: str, session_factory: Factory, database_url: str, engine: Engine
) -> None:
    document = _exported(session_factory, program)
    assert document["people"]
    empty_all_tables(engine)
    # A PGY level needs an academic year (as in a CSV): the only thing stored beforehand.
    calendar.store_academic_year(factory=session_factory, year=builders.academic_year())
    empty = data_rows(database_url)
    batch = _preview(session_factory, "people", document)
    assert batch.summary["problems"] == 0, batch.problems
    assert batch.summary["create"] == len(document["people"])
    assert {r["sheet"] for r in batch.rows or []} == {"people[]"}
    apply_import(factory=session_factory, batch_id=batch.id, actor="chief")
    stored = {p.code: p for p in people.list_people(factory=session_factory, limit=200).items}
    for item in document["people"]:
        assert stored[item["id"]].name == item["name"]
        assert stored[item["id"]].role.value == item["role"]
        levels = [item["pgy"]] if "pgy" in item else []
        assert list(stored[item["id"]].pgy_by_year.values()) == levels
    undo_import(factory=session_factory, batch_id=batch.id, actor="chief")
    assert data_rows(database_url) == empty


@pytest.mark.parametrize("program", ["demo", "pediatrics"])
def test_exported_people_are_unchanged_in_the_database_they_came_from(
    program: str, session_factory: Factory, database_url: str
) -> None:
    document = _exported(session_factory, program)
    before = data_rows(database_url)
    batch = _preview(session_factory, "people", document)
    assert batch.summary["problems"] == 0, batch.problems
    assert batch.summary["unchanged"] == len(document["people"])
    assert batch.summary["writes"] == 0
    assert data_rows(database_url) == before


def test_pgy_from_a_document_applies_as_a_csv_pgy_does(session_factory: Factory) -> None:
    PROGRAMS["pediatrics"](session_factory)
    document = {
        "format": FORMAT,
        "people": [{"id": "p1", "name": "Dr P1", "role": "resident", "pgy": 3}],
    }
    batch = _preview(session_factory, "people", document)
    (row,) = batch.rows or []
    assert row["action"] == "update"
    assert [c["field"] for c in row["changes"]] == ["pgy_by_year"]
    assert 3 in row["values"]["pgy_by_year"].values()


def test_absences_from_a_document_apply_and_undo(
    session_factory: Factory, database_url: str
) -> None:
    PROGRAMS["pediatrics"](session_factory)
    document = {
        "format": FORMAT,
        "range": {"start": "2026-07-01", "end": "2026-12-31"},
        "absences": [
            {"person": "p2", "start": "2026-09-01", "end": "2026-09-05", "type": "vacation"},
            {"person": "p3", "start": "2026-09-10", "end": "2026-09-11", "type": "conference"},
        ],
    }
    before = data_rows(database_url)
    batch = _preview(session_factory, "absences", document)
    assert batch.summary["problems"] == 0, batch.problems
    assert batch.summary["create"] == 2
    apply_import(factory=session_factory, batch_id=batch.id, actor="chief")
    stored = absences.list_absences(factory=session_factory, limit=200).items
    kinds = {a.type for a in stored if a.start.isoformat() in ("2026-09-01", "2026-09-10")}
    assert kinds == {AbsenceType.VACATION, AbsenceType.CONFERENCE}
    assert _preview(session_factory, "absences", document).summary["unchanged"] == 2
    undo_import(factory=session_factory, batch_id=batch.id, actor="chief")
    assert data_rows(database_url) == before


def test_bad_values_are_problems_at_their_json_path(session_factory: Factory) -> None:
    PROGRAMS["pediatrics"](session_factory)
    people_doc = {
        "format": FORMAT,
        "people": [
            {"id": "N1", "name": "New", "role": "faculty"},
            {"id": "N2", "name": "Nobody", "role": "surgeon"},
            {"id": "N3", "name": "Old", "role": "resident", "pgy": 99},
            {"id": "N1", "name": "Again", "role": "faculty"},
        ],
    }
    batch = _preview(session_factory, "people", people_doc)
    where = {(p["sheet"], p["row"], p["column"]) for p in batch.problems}
    assert where == {
        ("people[]", 2, "people[1].role"),
        ("people[]", 3, "people[2].pgy"),
        ("people[]", 4, "people[3].id"),
    }
    absences_doc = {
        "format": FORMAT,
        "absences": [
            {"person": "nobody", "start": "2026-09-01", "end": "2026-09-02", "type": "sick"},
            {"person": "p2", "start": "2026-09-10", "end": "2026-09-01", "type": "sick"},
        ],
    }
    batch = _preview(session_factory, "absences", absences_doc)
    columns = {p["column"] for p in batch.problems}
    assert columns == {"absences[0].person", "absences[1].end"}


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ([], "document: expected a JSON object"),
        ({"people": []}, 'format: expected "resched.schedule/v1" (missing)'),
        ({"format": "resched.schedule/v2", "people": []}, "format: expected"),
        ({"format": FORMAT}, "people: expected an array, it is missing"),
        ({"format": FORMAT, "people": {"id": "x"}}, "people: expected an array, got"),
        (
            {"format": FORMAT, "people": [{"id": "a", "name": "A", "role": "faculty"}, 7]},
            "people[1]: expected an object, got 7",
        ),
        (
            {"format": FORMAT, "people": [{"id": "a", "name": "A", "role": "faculty", "x": 1}]},
            "people[0].x: unknown key",
        ),
        (
            {"format": FORMAT, "people": [{"id": "a", "name": "A", "role": "faculty", "pgy": 1.5}]},
            "people[0].pgy: expected a string or a whole number, got 1.5",
        ),
    ],
)
def test_a_malformed_document_is_refused_naming_the_path(
    document: Any, path: str, session_factory: Factory, database_url: str
) -> None:
    before = data_rows(database_url)
    with pytest.raises(Invalid) as refused:
        _preview(session_factory, "people", document)
    assert refused.value.message.startswith(path)
    assert refused.value.details["field"] == "file"
    assert data_rows(database_url) == before


def test_a_document_that_is_not_json_is_refused(session_factory: Factory) -> None:
    with pytest.raises(Invalid, match="not valid JSON at line 1"):
        preview_import(
            factory=session_factory, kind="absences", filename="x.json", data=b"{nope", actor="c"
        )


def test_rotations_take_no_json(session_factory: Factory) -> None:
    with pytest.raises(Invalid, match="expected"):
        _preview(session_factory, "rotations", {"format": FORMAT})
