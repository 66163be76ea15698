"""Imports of people, rotations and absences: preview, apply in one transaction, undo of the
whole batch - on an empty database, the demo and the pediatrics program."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Forbidden, Invalid
from resched.core.model import AbsenceType, Role
from resched.db.repositories import PeopleRepository
from resched.db.repositories.imports import ImportBatchRepository
from resched.db.tables import ImportBatchRow, ImportStatus
from resched.services import absences, audit, people
from resched.services.imports import batches
from resched.services.imports.batches import apply_import, preview_import, undo_import
from resched.services.notices.inbox import list_notices, unread_count
from tests import builders
from tests.accounts import add_user
from tests.import_data import PROGRAMS, a_resident_code, csv_bytes, data_rows, xlsx_bytes

Factory = sessionmaker[Session]
HEADER = ["code", "name", "role", "email", "pgy"]


def _preview(factory: Factory, kind: str, data: bytes) -> batches.ImportBatch:
    name = "file.xlsx" if data.startswith(b"PK") else "file.csv"
    return preview_import(factory=factory, kind=kind, filename=name, data=data, actor="chief")


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_people_apply_and_undo_restore_every_table(
    program: str, session_factory: Factory, database_url: str
) -> None:
    PROGRAMS[program](session_factory)
    if program == "empty":
        rows = [HEADER, ["N1", "New One", "faculty", "n1@example.org", ""]]
    else:
        known = a_resident_code(session_factory)
        rows = [
            HEADER,
            [known, "Renamed Person", "resident", "", ""],
            ["N1", "New One", "faculty", "n1@example.org", ""],
        ]
    before = data_rows(database_url)
    batch = _preview(session_factory, "people", csv_bytes(rows))
    assert batch.summary["problems"] == 0
    assert batch.summary["create"] == 1
    assert batch.summary["update"] == (0 if program == "empty" else 1)
    assert data_rows(database_url) == before  # a preview writes no data
    applied = apply_import(factory=session_factory, batch_id=batch.id, actor="chief")
    assert applied.status is ImportStatus.APPLIED
    after_apply = data_rows(database_url)
    assert after_apply != before
    names = {p.code: p.name for p in people.list_people(factory=session_factory, limit=200).items}
    assert names["N1"] == "New One"
    undone = undo_import(factory=session_factory, batch_id=batch.id, actor="chief")
    assert undone.status is ImportStatus.UNDONE
    assert data_rows(database_url) == before
    actions = [
        e.action
        for e in audit.list_audit_events(factory=session_factory, entity="import_batch").items
    ]
    assert sorted(actions) == ["apply", "preview", "undo"]


def test_preview_lists_changes_and_problems_by_row_and_column(session_factory: Factory) -> None:
    PROGRAMS["pediatrics"](session_factory)
    rows = [
        HEADER,
        ["p1", "Dr P1", "resident", "p1@example.org", "3"],  # PGY 1 -> 3
        ["p2", "Dr P2", "resident", "p2@example.org", ""],  # as stored
        ["bad code!", "X", "resident", "", ""],
        ["N2", "Nobody", "surgeon", "", ""],
        ["N3", "Mail", "faculty", "not-an-email", ""],
        ["N4", "Faculty", "faculty", "", "2"],
        ["N3", "Again", "faculty", "", ""],
    ]
    batch = _preview(session_factory, "people", xlsx_bytes(rows))
    assert batch.summary == {
        "create": 0,
        "update": 1,
        "unchanged": 1,
        "problems": 5,
        "rows": 2,
        "writes": 1,
        "notes": [],
    }
    where = {(p["row"], p["column"]) for p in batch.problems}
    assert where == {(4, "A"), (5, "C"), (6, "D"), (7, "E"), (8, "A")}
    assert all(p["sheet"] == "People" for p in batch.problems)
    (update,) = [r for r in batch.rows or [] if r["action"] == "update"]
    (change,) = update["changes"]
    assert change["field"] == "pgy_by_year"
    with pytest.raises(Conflict, match="5 problem"):
        apply_import(factory=session_factory, batch_id=batch.id)


def test_a_bad_file_is_refused_and_nothing_is_stored(session_factory: Factory) -> None:
    with pytest.raises(Invalid) as refused:
        _preview(session_factory, "people", csv_bytes([["code", "name", "colour"]]))
    assert "role" in refused.value.message
    with pytest.raises(Invalid, match="kind"):
        _preview(session_factory, "nonsense", csv_bytes([HEADER]))
    with session_factory() as session:
        assert ImportBatchRepository(session).list_page(limit=10, offset=0).total == 0


def test_undo_is_refused_when_something_depends_on_the_batch(
    session_factory: Factory, database_url: str
) -> None:
    PROGRAMS["pediatrics"](session_factory)
    rows = [HEADER, ["p1", "Changed", "resident", "", ""], ["N1", "New", "faculty", "", ""]]
    batch = _preview(session_factory, "people", csv_bytes(rows))
    apply_import(factory=session_factory, batch_id=batch.id)
    with session_factory() as session:
        new_id = PeopleRepository(session).by_codes(["N1"])["N1"].id
    assert new_id is not None
    absences.create_absence(factory=session_factory, absence=builders.absence(new_id))
    held = data_rows(database_url)
    with pytest.raises(Conflict) as refused:
        undo_import(factory=session_factory, batch_id=batch.id)
    assert "person N1 now has 1 absences" in refused.value.details["blocked_by"]
    assert data_rows(database_url) == held
    # An edit after the import blocks it too.
    with session_factory() as session:
        p1 = PeopleRepository(session).by_codes(["p1"])["p1"]
    assert p1.id is not None
    people.update_person(factory=session_factory, person_id=p1.id, profile=builders.faculty("p1"))
    with pytest.raises(Conflict, match="person p1 was changed after the import"):
        undo_import(factory=session_factory, batch_id=batch.id)
    assert (
        batches.get_import(factory=session_factory, batch_id=batch.id).status
        is ImportStatus.APPLIED
    )


def test_apply_refuses_a_record_changed_since_the_preview(
    session_factory: Factory, database_url: str
) -> None:
    PROGRAMS["pediatrics"](session_factory)
    rows = [HEADER, ["N1", "New", "faculty", "", ""], ["p1", "Changed", "resident", "", ""]]
    batch = _preview(session_factory, "people", csv_bytes(rows))
    with session_factory() as session:
        p1 = PeopleRepository(session).by_codes(["p1"])["p1"]
    assert p1.id is not None
    people.update_person(factory=session_factory, person_id=p1.id, profile=builders.faculty("p1"))
    held = data_rows(database_url)
    with pytest.raises(Conflict, match="changed since the preview"):
        apply_import(factory=session_factory, batch_id=batch.id)
    assert data_rows(database_url) == held  # N1 was not created either: one transaction


def test_a_batch_applies_once_and_undoes_once(session_factory: Factory) -> None:
    batch = _preview(session_factory, "people", csv_bytes([HEADER, ["F1", "F", "faculty", "", ""]]))
    with pytest.raises(Conflict, match="previewed"):
        undo_import(factory=session_factory, batch_id=batch.id)
    apply_import(factory=session_factory, batch_id=batch.id)
    with pytest.raises(Conflict, match="applied"):
        apply_import(factory=session_factory, batch_id=batch.id)
    undo_import(factory=session_factory, batch_id=batch.id)
    with pytest.raises(Conflict, match="undone"):
        undo_import(factory=session_factory, batch_id=batch.id)


def test_a_stale_preview_expires(session_factory: Factory) -> None:
    batch = _preview(session_factory, "people", csv_bytes([HEADER, ["F1", "F", "faculty", "", ""]]))
    with session_factory.begin() as session:
        row = session.get(ImportBatchRow, batch.id)
        assert row is not None
        row.created_at -= dt.timedelta(days=8)
    # Read as expired before anyone tries it: the list and the page offer no Apply.
    listed = batches.list_imports(factory=session_factory).items
    assert [b.status for b in listed if b.id == batch.id] == [ImportStatus.EXPIRED]
    with pytest.raises(Conflict, match="upload the file again"):
        apply_import(factory=session_factory, batch_id=batch.id)
    assert (
        batches.get_import(factory=session_factory, batch_id=batch.id).status
        is ImportStatus.EXPIRED
    )


def test_pgy_goes_to_the_named_year(session_factory: Factory) -> None:
    PROGRAMS["pediatrics"](session_factory)
    rows = [
        [*HEADER, "academic_year"],
        ["N1", "New", "resident", "", "2", "2026-27"],
        ["N2", "Other", "resident", "", "2", "1999-00"],
    ]
    batch = _preview(session_factory, "people", csv_bytes(rows))
    assert [(p["row"], p["column"]) for p in batch.problems] == [(3, "F")]


def test_rotations_create_update_and_undo(session_factory: Factory, database_url: str) -> None:
    PROGRAMS["pediatrics"](session_factory)
    rows = [
        ["code", "name", "colour", "leave_eligible", "prerequisites", "not_adjacent_to"],
        ["PW", "Wards (renamed)", "#112233", "yes", "", ""],
        ["NEW", "New rotation", "", "no", "PW", "NEW2"],
        ["NEW2", "Another", "", "", "NEW", ""],
        ["BAD", "Bad colour", "blue", "", "", ""],
        ["BAD2", "Unknown", "", "maybe", "", ""],
        ["BAD3", "Unknown ref", "", "", "NOPE", ""],
    ]
    before = data_rows(database_url)
    batch = _preview(session_factory, "rotations", csv_bytes(rows))
    assert {(p["row"], p["column"]) for p in batch.problems} == {(5, "C"), (6, "D"), (7, "E")}
    good = csv_bytes(rows[:4])
    batch = _preview(session_factory, "rotations", good)
    assert batch.summary["create"] == 2
    assert batch.summary["update"] == 1
    apply_import(factory=session_factory, batch_id=batch.id)
    undo_import(factory=session_factory, batch_id=batch.id)
    assert data_rows(database_url) == before


def test_absences_problems_apply_and_undo(session_factory: Factory, database_url: str) -> None:
    PROGRAMS["pediatrics"](session_factory)
    header = ["person", "start", "end", "type", "note"]
    rows = [
        header,
        ["p2", "2026-09-01", "2026-09-05", "vacation", "beach"],
        ["p2", "2026-09-04", "2026-09-06", "sick", ""],  # overlaps row 2
        ["nobody", "2026-09-01", "2026-09-02", "vacation", ""],
        ["p3", "2026-09-10", "2026-09-01", "vacation", ""],
        ["p3", "01/09/2026", "2026-09-01", "vacation", ""],
        ["p3", "2026-09-10", "2026-09-11", "holiday", ""],
    ]
    batch = _preview(session_factory, "absences", xlsx_bytes(rows, title="Leave"))
    assert {(p["row"], p["column"]) for p in batch.problems} == {
        (3, "B"),
        (4, "A"),
        (5, "C"),
        (6, "B"),
        (7, "D"),
    }
    before = data_rows(database_url)
    batch = _preview(session_factory, "absences", csv_bytes(rows[:2]))
    apply_import(factory=session_factory, batch_id=batch.id)
    stored = absences.list_absences(factory=session_factory, limit=200).items
    assert any(a.type is AbsenceType.VACATION and a.note == "beach" for a in stored)
    again = _preview(session_factory, "absences", csv_bytes(rows[:2]))
    assert again.summary["unchanged"] == 1
    assert again.summary["problems"] == 0
    undo_import(factory=session_factory, batch_id=batch.id)
    assert data_rows(database_url) == before


def test_a_kind_needs_its_permission(session_factory: Factory) -> None:
    from resched.db.tables import UserRole
    from resched.services.permissions import Principal

    resident = Principal(
        user_id=1, username="r", role=UserRole.RESIDENT, person_id=None, session_id="s"
    )
    with pytest.raises(Forbidden):
        preview_import(
            factory=session_factory,
            kind="people",
            filename="f.csv",
            data=csv_bytes([HEADER]),
            principal=resident,
        )
    assert Role.RESIDENT  # the role values the file's role column takes


def test_the_user_guide_examples_import_cleanly(session_factory: Factory) -> None:
    """docs/examples/import-*.csv, in order: people, rotations, then the people's absences."""
    from pathlib import Path

    PROGRAMS["pediatrics"](session_factory)
    examples = Path(__file__).parents[2] / "docs" / "examples"
    for kind in ("people", "rotations", "absences"):
        batch = _preview(session_factory, kind, (examples / f"import-{kind}.csv").read_bytes())
        assert batch.problems == [], kind
        assert batch.summary["create"] >= 2
        apply_import(factory=session_factory, batch_id=batch.id)


def test_active_no_deactivates_and_an_empty_cell_keeps_it(session_factory: Factory) -> None:
    PROGRAMS["pediatrics"](session_factory)
    rows = [["code", "name", "role", "active"], ["p1", "Dr P1", "resident", "no"],
            ["p2", "Dr P2", "resident", ""]]  # fmt: skip
    batch = _preview(session_factory, "people", csv_bytes(rows))
    assert (batch.summary["update"], batch.summary["unchanged"]) == (1, 1)
    (update,) = [r for r in batch.rows or [] if r["action"] == "update"]
    assert update["changes"] == [{"field": "active", "before": True, "after": False}]


@pytest.mark.parametrize("program", ["demo", "pediatrics"])
def test_imported_leave_requests_wait_in_the_queue_with_one_notice(
    session_factory: Factory, program: str
) -> None:
    PROGRAMS[program](session_factory)
    chief = add_user(session_factory, "coordinator")
    code = a_resident_code(session_factory)
    header = ["person", "start", "end", "type", "status"]
    rows = [
        header,
        [code, "2026-09-01", "2026-09-02", "vacation", "requested"],
        [code, "2026-09-10", "2026-09-11", "conference", "requested"],
        [code, "2026-09-20", "2026-09-20", "sick", "approved"],
    ]
    batch = _preview(session_factory, "absences", csv_bytes(rows))
    assert batch.summary["problems"] == 0

    apply_import(factory=session_factory, batch_id=batch.id)

    notices = list_notices(factory=session_factory, user_id=chief, limit=10, offset=0).page.items
    assert [(n.title, n.link) for n in notices] == [
        ("2 imported leave requests waiting for a decision", "/leave")
    ]
    stored = absences.list_absences(factory=session_factory, limit=200).items
    assert sorted(a.status.value for a in stored if a.start.month == 9) == [
        "approved",
        "requested",
        "requested",
    ]


def test_an_import_of_approved_leave_notifies_nobody(session_factory: Factory) -> None:
    PROGRAMS["pediatrics"](session_factory)
    chief = add_user(session_factory, "coordinator")
    code = a_resident_code(session_factory)
    rows = [["person", "start", "end", "type"], [code, "2026-09-01", "2026-09-02", "vacation"]]
    apply_import(
        factory=session_factory,
        batch_id=_preview(session_factory, "absences", csv_bytes(rows)).id,
    )
    assert unread_count(factory=session_factory, user_id=chief) == 0
