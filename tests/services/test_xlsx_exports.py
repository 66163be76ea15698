"""The xlsx exports from the database: the month grid, the whole year (a sheet per block) and
the rotation plan, on the demo and on the pediatrics-like program (calendar months)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from collections.abc import Callable

import openpyxl
import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid, NotFound
from resched.core.model import ScheduleStatus
from resched.db.repositories import AcademicYearRepository, PeopleRepository
from resched.db.repositories.generation import set_status
from resched.services import people
from resched.services.exports.plan import plan_xlsx
from resched.services.exports.shift_grid import shift_grid_xlsx, year_xlsx
from tests.today_data import DUTY_STORES, Duties

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    store: Callable[[Factory], Duties] = DUTY_STORES[request.param]
    return store(session_factory)


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _people(factory: Factory, year_id: int) -> dict[int, tuple[str, str]]:
    with factory() as session:
        found = PeopleRepository(session).in_year(year_id)
    return {p.id: (p.code, p.name) for p in found}


def _row_of(sheet: openpyxl.worksheet.worksheet.Worksheet, code: str) -> int:
    return next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, 1).value == code)


def _column_of(sheet: openpyxl.worksheet.worksheet.Worksheet, day: dt.date) -> int:
    return next(c for c in range(4, sheet.max_column + 1) if sheet.cell(2, c).value.date() == day)


def test_the_month_grid_by_default(session_factory: Factory, duties: Duties) -> None:
    exported = shift_grid_xlsx(factory=session_factory, version_id=duties.plan.version_id)
    assert exported.filename.endswith(".xlsx")
    assert '"' not in exported.filename
    book = _book(exported.content)
    # The stored shifts start in the month before the duties' day, or in it.
    (name, legend) = book.sheetnames
    assert legend == "Legend"
    sheet = book[name]
    first = sheet["D2"].value.date()
    assert first.day == 1
    assert name == f"{first:%Y-%m}"
    last = sheet.cell(2, sheet.max_column).value.date()
    assert (last + dt.timedelta(days=1)).day == 1
    assert last.month == first.month


def test_grid_cells_are_the_shift_codes(session_factory: Factory, duties: Duties) -> None:
    day = duties.day
    exported = shift_grid_xlsx(
        factory=session_factory,
        version_id=duties.plan.version_id,
        start=day - dt.timedelta(days=3),
        end=day,
    )
    sheet = _book(exported.content).worksheets[0]
    assert sheet.freeze_panes == "D3"
    who = _people(session_factory, duties.plan.year_id)
    night = sheet.cell(_row_of(sheet, who[duties.night_before][0]), 4 + 2)
    assert night.value == "NIGHT"
    faculty_row = _row_of(sheet, who[duties.faculty][0])
    assert sheet.cell(faculty_row, 3).value == "Faculty"
    resident_row = _row_of(sheet, who[duties.day_shift][0])
    assert sheet.cell(resident_row, 3).value.startswith("PGY-")
    cells = [sheet.cell(faculty_row, c).value for c in range(4, 8)]
    assert cells[:3] == [None, None, None]
    # Two shifts the same day, in start-time order (the demo's attending has two).
    if duties.evening == duties.faculty:
        assert cells[3] == "ATTEND + FAC-CALL"
    legend = _book(exported.content)["Legend"]
    codes = [legend.cell(r, 1).value for r in range(3, legend.max_row + 1)]
    assert "NIGHT" in codes


def test_formula_names_are_neutralised(session_factory: Factory, duties: Duties) -> None:
    profile = people.get_person(factory=session_factory, person_id=duties.day_shift)
    people.update_person(
        factory=session_factory,
        person_id=duties.day_shift,
        profile=dataclasses.replace(profile, name="=cmd|' /C calc'!A0"),
    )
    exported = shift_grid_xlsx(
        factory=session_factory, version_id=duties.plan.version_id, start=duties.day
    )
    sheet = _book(exported.content).worksheets[0]
    row = _row_of(sheet, profile.code)
    assert sheet.cell(row, 2).value == "'=cmd|' /C calc'!A0"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_the_whole_year_has_a_sheet_per_block(session_factory: Factory, duties: Duties) -> None:
    with session_factory() as session:
        year = AcademicYearRepository(session).get(duties.plan.year_id)
    assert year is not None
    book = _book(year_xlsx(factory=session_factory, version_id=duties.plan.version_id).content)
    assert len(book.sheetnames) == len(year.blocks) + 1
    assert book.sheetnames[-1] == "Legend"
    for block, name in zip(year.blocks, book.sheetnames, strict=False):
        sheet = book[name]
        assert sheet["D2"].value.date() == block.start
        assert sheet.cell(2, 3 + block.days).value.date() == block.end
        assert sheet.freeze_panes == "D3"
    holding = next(b for b in year.blocks if b.start <= duties.day <= b.end)
    sheet = book[book.sheetnames[year.blocks.index(holding)]]
    who = _people(session_factory, duties.plan.year_id)
    row = _row_of(sheet, who[duties.call][0])
    assert sheet.cell(row, _column_of(sheet, duties.day)).value in {"CALL", "NIGHT"}


def test_the_rotation_plan(session_factory: Factory, duties: Duties) -> None:
    exported = plan_xlsx(factory=session_factory, academic_year_id=duties.plan.year_id)
    book = _book(exported.content)
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "D4"
    who = _people(session_factory, duties.plan.year_id)
    expected = {(who[a.person_id][0], a.block_number): a.rotation_code for a in duties.plan.plan}
    for (code, block), rotation in expected.items():
        cell = sheet.cell(_row_of(sheet, code), 3 + block)
        assert cell.value.split(" / ")[0] == rotation
        assert cell.fill.fill_type == "solid"
    assert sheet.max_row == 3 + len(duties.plan.residents)
    legend = book["Legend"]
    assert {legend.cell(r, 1).value for r in range(3, legend.max_row + 1)} >= set(expected.values())


def test_drafts_are_hidden_from_readers_who_may_not_see_them(
    session_factory: Factory, duties: Duties
) -> None:
    with session_factory.begin() as session:
        set_status(session, duties.plan.version_id, ScheduleStatus.DRAFT)
    version = duties.plan.version_id
    with pytest.raises(NotFound):
        shift_grid_xlsx(factory=session_factory, version_id=version, include_drafts=False)
    with pytest.raises(NotFound):
        year_xlsx(factory=session_factory, version_id=version, include_drafts=False)
    hidden = plan_xlsx(
        factory=session_factory, academic_year_id=duties.plan.year_id, include_drafts=False
    )
    sheet = _book(hidden.content).worksheets[0]
    assert sheet.max_row == 3 + len(duties.plan.residents)
    assert all(sheet.cell(r, 4).value is None for r in range(4, sheet.max_row + 1))
    assert "no plan yet" in sheet["A1"].value


def test_bad_ranges_and_unknown_ids(session_factory: Factory, duties: Duties) -> None:
    with pytest.raises(Invalid) as caught:
        shift_grid_xlsx(
            factory=session_factory,
            version_id=duties.plan.version_id,
            start=duties.day,
            end=duties.day - dt.timedelta(days=1),
        )
    assert caught.value.details["errors"][0]["path"] == "end"
    with pytest.raises(NotFound):
        shift_grid_xlsx(factory=session_factory, version_id=999_999)
    with pytest.raises(NotFound):
        plan_xlsx(factory=session_factory, academic_year_id=999_999)
