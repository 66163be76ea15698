"""Files for the import tests: CSV and xlsx bytes from rows of cells, the three programs an
import must work on (the demo, the pediatrics-like program, an empty database), and every
table's rows for before/after comparisons."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl
from sqlalchemy.orm import Session, sessionmaker

from resched.db.base import Base
from resched.db.repositories import PeopleRepository
from tests.plan_data import store_demo_plan, store_peds
from tests.table_rows import TableRows, rows_of_every_table

type Factory = sessionmaker[Session]
# The tables an import or its undo writes besides the data: their history stays.
# The data generations count changes, an undone one too (resched.db.generation).
HISTORY = ("audit_event", "import_batch", "job", "notification", "mail_outbox", "data_generation")


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def xlsx_bytes(rows: Sequence[Sequence[Any]], title: str = "People") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def load_empty(factory: Factory) -> None:
    """Nothing: an import must work from an empty database too."""


def load_demo_program(factory: Factory) -> None:
    store_demo_plan(factory)


def load_peds_program(factory: Factory) -> None:
    store_peds(factory)


PROGRAMS: dict[str, Callable[[Factory], None]] = {
    "empty": load_empty,
    "demo": load_demo_program,
    "pediatrics": load_peds_program,
}


# A rotation's children are replaced with it on every update (as the Program page does): same
# values, new surrogate ids, which nothing refers to. Compared without their ids.
RENUMBERED = ("rotation_capacity", "rotation_requirement")


def data_rows(url: str) -> TableRows:
    """Every table but the history ones (rotation children without their ids), without the
    row versions: an undone import restores the data, but the rows it touched have still
    changed twice, and a form opened in between must not save over them."""
    rows = {n: _unversioned(n, r) for n, r in rows_of_every_table(url).items() if n not in HISTORY}
    for name in RENUMBERED:
        rows[name] = sorted(row[1:] for row in rows[name])
    return rows


def _unversioned(table: str, rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    names = list(Base.metadata.tables[table].columns.keys())
    if "row_version" not in names:
        return rows
    skip = names.index("row_version")
    return [row[:skip] + row[skip + 1 :] for row in rows]


def a_resident_code(factory: Factory) -> str:
    """The code of a stored person who appears in a schedule."""
    with factory() as session:
        page = PeopleRepository(session).list_page(limit=200, offset=0)
        for person in page.items:
            assert person.id is not None
            if PeopleRepository(session).schedule_versions(person.id):
                return person.code
    raise AssertionError("no scheduled person")
