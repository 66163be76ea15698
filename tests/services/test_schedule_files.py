"""Importing a schedule from a grid workbook, a CSV or an interchange document as a draft:
preview writes nothing, apply stores exactly the file, undo deletes the draft while it is one;
on the demo and on the pediatrics program."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid
from resched.core.schedule_files import PLAN_WORKBOOK
from resched.services import shift_types
from resched.services.audit import list_audit_events
from resched.services.calendar_feed.csv_export import assignments_csv
from resched.services.exports.shift_grid import shift_grid_xlsx, year_xlsx
from resched.services.schedule_files import (
    SchedulePreview,
    apply_schedule_file,
    preview_schedule_file,
    undo_schedule_import,
)
from resched.services.schedules import export_schedule
from tests import builders
from tests.schedule_data import publish
from tests.schedule_file_data import (
    PROGRAMS,
    counts,
    grid_workbook,
    program_people,
    store_program,
    store_schedule,
    upload,
    version_triples,
)

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
START = dt.date(2026, 7, 1)
DAYS = 45  # two month sheets


@pytest.fixture(params=PROGRAMS)
def original(request: pytest.FixtureRequest, session_factory: Factory) -> int:
    store_program(session_factory, request.param)
    return store_schedule(session_factory, START, DAYS)


@pytest.mark.parametrize("block_days", [None, 28])
def test_grid_workbook_round_trip(
    session_factory: Factory, original: int, block_days: int | None
) -> None:
    triples = version_triples(session_factory, original)
    data = grid_workbook(triples, program_people(session_factory), START, DAYS, block_days)
    before = counts(session_factory)
    preview = preview_schedule_file(factory=session_factory, upload=upload("s.xlsx", data))
    assert preview.problems == (), preview.problems[:3]
    assert counts(session_factory) == before  # the preview writes nothing
    assert (preview.start, preview.end) == (START, START + dt.timedelta(days=DAYS - 1))
    assert preview.summary["assignments"] == len(triples)
    assert preview.summary["people"] == len({t[0] for t in triples})
    assert sum(preview.summary["per_shift_type"].values()) == len(triples)
    assert preview.findings is not None
    assert preview.findings["violations"] > 0

    again = SchedulePreview.from_json(preview.to_json())
    version_id = apply_schedule_file(factory=session_factory, preview=again, actor="chief")
    assert version_triples(session_factory, version_id) == triples
    events = list_audit_events(factory=session_factory, entity="schedule_version").items
    assert (events[0].action, events[0].entity_id) == ("import", str(version_id))


def test_csv_export_round_trip(session_factory: Factory, original: int) -> None:
    exported = assignments_csv(factory=session_factory, version_id=original)
    data = exported.text.encode()
    preview = preview_schedule_file(factory=session_factory, upload=upload("a.csv", data))
    assert preview.problems == ()
    version_id = apply_schedule_file(factory=session_factory, preview=preview, actor=None)
    assert version_triples(session_factory, version_id) == version_triples(
        session_factory, original
    )


def test_interchange_document_round_trip(session_factory: Factory, original: int) -> None:
    import json

    document = export_schedule(factory=session_factory, version_id=original)
    data = json.dumps(document).encode()
    preview = preview_schedule_file(factory=session_factory, upload=upload("s.json", data))
    assert preview.problems == ()
    version_id = apply_schedule_file(factory=session_factory, preview=preview, actor=None)
    assert version_triples(session_factory, version_id) == version_triples(
        session_factory, original
    )


def test_undo_deletes_the_draft_until_it_is_published(
    session_factory: Factory, original: int
) -> None:
    exported = assignments_csv(factory=session_factory, version_id=original).text.encode()
    preview = preview_schedule_file(factory=session_factory, upload=upload("a.csv", exported))
    before = counts(session_factory)
    first = apply_schedule_file(factory=session_factory, preview=preview, actor="chief")
    undo_schedule_import(factory=session_factory, version_id=first, actor="chief")
    versions, assignments, audit = counts(session_factory)
    assert (versions, assignments, audit) == (before[0], before[1], before[2] + 2)
    second = apply_schedule_file(factory=session_factory, preview=preview, actor="chief")
    publish(session_factory, second)
    with pytest.raises(Conflict, match="published"):
        undo_schedule_import(factory=session_factory, version_id=second, actor="chief")
    assert version_triples(session_factory, second)


def test_a_preview_with_problems_is_not_applied(session_factory: Factory, original: int) -> None:
    text = "date,person_code,shift_code\n2026-07-01,NOBODY,WARD\n"
    preview = preview_schedule_file(factory=session_factory, upload=upload("a.csv", text.encode()))
    assert [(p.row, p.column) for p in preview.problems] == [(2, "B")]
    before = counts(session_factory)
    with pytest.raises(Invalid, match='row 2, column B: unknown person "NOBODY"') as caught:
        apply_schedule_file(factory=session_factory, preview=preview, actor=None)
    assert caught.value.details["problems"][0]["row"] == 2
    assert counts(session_factory) == before


def test_a_range_in_no_academic_year_and_a_long_label(
    session_factory: Factory, original: int
) -> None:
    text = "date,person_code,shift_code\n2025-06-30,P1-01,WARD\n"
    store = preview_schedule_file(factory=session_factory, upload=upload("a.csv", text.encode()))
    assert any("not inside one academic year" in p.message for p in store.problems)
    with pytest.raises(Invalid) as caught:
        apply_schedule_file(factory=session_factory, preview=store, actor=None)
    listed = caught.value.details["problems"]
    assert any("not inside one academic year" in p["message"] for p in listed)
    exported = assignments_csv(factory=session_factory, version_id=original).text.encode()
    with pytest.raises(Invalid, match="at most 120"):
        preview_schedule_file(
            factory=session_factory, upload=upload("a.csv", exported), label="x" * 121
        )


def test_a_code_removed_after_the_preview_is_refused_at_apply(
    session_factory: Factory,
) -> None:
    store_program(session_factory, "pediatrics")
    created = shift_types.create_shift_type(
        factory=session_factory, shift_type=builders.shift_type("LATE")
    )
    text = "date,person_code,shift_code\n2026-07-02,P1-01,LATE\n"
    preview = preview_schedule_file(factory=session_factory, upload=upload("a.csv", text.encode()))
    assert preview.problems == ()
    assert created.id is not None
    shift_types.delete_shift_type(factory=session_factory, shift_type_id=created.id)
    before = counts(session_factory)
    with pytest.raises(Invalid, match='unknown shift type "LATE" \\(removed since the preview\\)'):
        apply_schedule_file(factory=session_factory, preview=preview, actor=None)
    assert counts(session_factory) == before


def test_a_preview_read_back_from_anything_else_is_refused() -> None:
    for stored in ({}, {"format": "x"}, [], None, {"format": "resched.schedule-file-preview/v1"}):
        with pytest.raises(Invalid, match="check the file again"):
            SchedulePreview.from_json(stored)


def test_a_plan_workbook_is_refused_and_nothing_is_written(session_factory: Factory) -> None:
    store_program(session_factory, "pediatrics")
    book = openpyxl.Workbook()
    book.active.append(["Rotation plan 2026-27"])
    book.active.append(["Code", "Name", "Level", "1", "2"])
    book.active.append([None, None, None, dt.date(2026, 7, 1), dt.date(2026, 8, 1)])
    book.active.append(["P1-01", "Ana", "PGY-1", "WARDS", "PICU"])
    out = io.BytesIO()
    book.save(out)
    preview = preview_schedule_file(
        factory=session_factory, upload=upload("plan.xlsx", out.getvalue())
    )
    assert [p.message for p in preview.problems] == [PLAN_WORKBOOK]
    before = counts(session_factory)
    with pytest.raises(Invalid, match="rotation plan"):
        apply_schedule_file(factory=session_factory, preview=preview, actor=None)
    assert counts(session_factory) == before


def test_only_an_imported_draft_can_be_undone(session_factory: Factory, original: int) -> None:
    before = counts(session_factory)
    with pytest.raises(Conflict, match="was not imported"):
        undo_schedule_import(factory=session_factory, version_id=original, actor="chief")
    assert counts(session_factory) == before


def test_the_csv_columns_saved_as_a_workbook(session_factory: Factory, original: int) -> None:
    exported = assignments_csv(factory=session_factory, version_id=original).text
    book = openpyxl.Workbook()
    for line in exported.splitlines():
        book.active.append(line.split(","))
    book.create_sheet("Notes").append(["anything"])
    out = io.BytesIO()
    book.save(out)
    preview = preview_schedule_file(
        factory=session_factory, upload=upload("a.xlsx", out.getvalue())
    )
    assert preview.problems == ()
    assert preview.notes == ("only the first sheet was read; ignored: Notes",)
    version_id = apply_schedule_file(factory=session_factory, preview=preview, actor=None)
    assert version_triples(session_factory, version_id) == version_triples(
        session_factory, original
    )


@pytest.mark.parametrize("export", ["grid", "year"])
def test_the_xlsx_export_imports_back_as_the_same_schedule(
    session_factory: Factory, original: int, export: str
) -> None:
    """The real exporter's workbook, not a hand-written one: export then import reproduces
    the schedule (a range grid, and the whole year one sheet per block)."""
    if export == "grid":
        end = START + dt.timedelta(days=DAYS - 1)
        exported = shift_grid_xlsx(
            factory=session_factory, version_id=original, start=START, end=end
        )
    else:
        exported = year_xlsx(factory=session_factory, version_id=original)
    preview = preview_schedule_file(
        factory=session_factory, upload=upload(exported.filename, exported.content)
    )
    assert preview.problems == (), preview.problems[:3]
    version_id = apply_schedule_file(factory=session_factory, preview=preview, actor="chief")
    assert version_triples(session_factory, version_id) == version_triples(
        session_factory, original
    )
