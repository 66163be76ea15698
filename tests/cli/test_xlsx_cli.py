"""``resched export xlsx`` against a real database: the plan, a grid, the whole year, and
refusals with exit status 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.db.repositories import AcademicYearRepository
from tests.today_data import DUTY_STORES, Duties

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    store: Callable[[Factory], Duties] = DUTY_STORES[request.param]
    return store(session_factory)


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["export", "xlsx", *args, "--database-url", url])


def test_plan_grid_and_year(
    database_url: str, session_factory: Factory, duties: Duties, tmp_path: Path
) -> None:
    with session_factory() as session:
        year = AcademicYearRepository(session).get(duties.plan.year_id)
    assert year is not None
    for chosen in (year.label, str(duties.plan.year_id)):
        plan_file = tmp_path / f"plan-{chosen}.xlsx"
        done = run(database_url, "--plan", chosen, "-o", str(plan_file))
        assert done.exit_code == 0, done.output
        plan = openpyxl.load_workbook(plan_file).worksheets[0]
        assert plan.title == year.label
        assert plan.max_row == 3 + len(duties.plan.residents)

    grid_file = tmp_path / "grid.xlsx"
    version = str(duties.plan.version_id)
    day = duties.day.isoformat()
    done = run(
        database_url, "--version", version, "--start", day, "--end", day, "-o", str(grid_file)
    )
    assert done.exit_code == 0, done.output
    sheet = openpyxl.load_workbook(grid_file).worksheets[0]
    assert sheet["D2"].value.date() == duties.day
    assert sheet.max_column == 4

    year_file = tmp_path / "year.xlsx"
    done = run(database_url, "--version", version, "--year", "-o", str(year_file))
    assert done.exit_code == 0, done.output
    assert openpyxl.load_workbook(year_file).sheetnames[-1] == "Legend"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "one of --plan"),
        (("--plan", "2026-27", "--version", "1"), "one of --plan"),
        (("--plan", "2026-27", "--year"), "--plan takes no"),
        (("--version", "1", "--year", "--start", "2026-07-01"), "leave out --start"),
        (("--version", "1", "--start", "July"), "--start"),
        (("--plan", "1999-00"), "no academic year '1999-00'"),
        (("--version", "999999"), "not found"),
        (("--version", "{version}", "--start", "2026-08-01", "--end", "2026-07-01"), "end:"),
    ],
)
def test_bad_input_exits_2(
    database_url: str, duties: Duties, tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    target = tmp_path / "out.xlsx"
    version = str(duties.plan.version_id)
    done = run(database_url, *(a.replace("{version}", version) for a in args), "-o", str(target))
    assert done.exit_code == 2, done.output
    assert words in done.stderr
    assert "Traceback" not in done.output
    assert not target.exists()


def test_an_unwritable_file_exits_2(database_url: str, duties: Duties, tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "out.xlsx"
    done = run(database_url, "--version", str(duties.plan.version_id), "-o", str(target))
    assert done.exit_code == 2
    assert "cannot write" in done.stderr
