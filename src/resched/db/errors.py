"""What an IntegrityError was about, read the same way on SQLite and PostgreSQL.

Services turn this into a domain error naming the field; the constraint names come from the
naming convention in db/base.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.exc import IntegrityError

from resched.db.base import Base

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<cols>[\w., ]+)")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")


class Violation(StrEnum):
    UNIQUE = "unique"
    FOREIGN_KEY = "foreign_key"
    CHECK = "check"
    NOT_NULL = "not_null"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class IntegrityProblem:
    kind: Violation
    table: str | None = None
    columns: tuple[str, ...] = ()
    constraint: str | None = None


_PG_SQLSTATE = {
    "23505": Violation.UNIQUE,
    "23503": Violation.FOREIGN_KEY,
    "23514": Violation.CHECK,
    "23502": Violation.NOT_NULL,
}


def describe_integrity_error(exc: IntegrityError) -> IntegrityProblem:
    diag = getattr(exc.orig, "diag", None)
    if diag is not None:  # psycopg: structured diagnostics
        kind = _PG_SQLSTATE.get(getattr(exc.orig, "sqlstate", "") or "", Violation.OTHER)
        name = diag.constraint_name
        table = diag.table_name
        columns = _constraint_columns(table, name)
        if kind is Violation.NOT_NULL and diag.column_name:
            columns = (diag.column_name,)
        return IntegrityProblem(kind, table, columns, name)
    return _describe_sqlite(str(exc.orig))


def _describe_sqlite(message: str) -> IntegrityProblem:
    if match := _SQLITE_UNIQUE.search(message):
        qualified = [c.strip() for c in match.group("cols").split(",")]
        table = qualified[0].split(".")[0]
        return IntegrityProblem(Violation.UNIQUE, table, tuple(q.split(".")[-1] for q in qualified))
    if "FOREIGN KEY constraint failed" in message:
        return IntegrityProblem(Violation.FOREIGN_KEY)
    if match := _SQLITE_CHECK.search(message):
        return IntegrityProblem(Violation.CHECK, constraint=match.group("name"))
    if "NOT NULL constraint failed" in message:
        return IntegrityProblem(Violation.NOT_NULL)
    return IntegrityProblem(Violation.OTHER)


def _constraint_columns(table: str | None, name: str | None) -> tuple[str, ...]:
    if table is None or name is None or table not in Base.metadata.tables:
        return ()
    for constraint in Base.metadata.tables[table].constraints:
        if constraint.name == name:
            return tuple(column.name for column in getattr(constraint, "columns", ()))
    return ()
