"""What every repository shares: pagination (always two queries - count and page - plus one per
eager-loaded collection, whatever the number of rows) and single-row get/add/replace/delete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from resched.db.base import Base
from resched.db.records import Page


def paginate[R, T](
    session: Session,
    row_type: type[R],
    *,
    where: Sequence[ColumnElement[bool]] = (),
    order_by: Sequence[Any],
    options: Sequence[ORMOption] = (),
    limit: int,
    offset: int,
    convert: Callable[[R], T],
) -> Page[T]:
    if limit < 1 or offset < 0:
        raise ValueError("limit must be >= 1 and offset >= 0")
    total = session.scalar(select(func.count()).select_from(row_type).where(*where)) or 0
    rows = session.scalars(
        select(row_type)
        .where(*where)
        .options(*options)
        .order_by(*order_by)
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(items=tuple(convert(row) for row in rows), total=total, limit=limit, offset=offset)


class RowRepository[C, R: Base]:
    """get / add / replace / delete for a table whose rows map to one core object each.

    A subclass names its row type and its two conversions (the mappers of db/mappers), and,
    where the core object carries children, the loader options and an empty new row.
    """

    row_type: type[R]
    load_options: Sequence[ORMOption] = ()

    def __init__(self, session: Session) -> None:
        self.session = session

    def to_core(self, row: R) -> C:
        raise NotImplementedError

    def fill(self, row: R, item: C) -> R:
        raise NotImplementedError

    def new_row(self) -> R:
        return self.row_type()

    def _row(self, row_id: int) -> R | None:
        return self.session.get(self.row_type, row_id, options=list(self.load_options))

    def preload(self, row_ids: Sequence[int]) -> list[R]:
        """Load these rows (with their children) in a few queries, for a caller about to work
        on each of them: the session's identity map holds rows only weakly, so the caller
        keeps the returned list while it works, and each ``get`` of them then costs no query
        (an import updating thousands of people, its undo deleting them)."""
        wanted = sorted(set(row_ids))
        primary_key = self.row_type.__mapper__.primary_key[0]
        rows: list[R] = []
        for start in range(0, len(wanted), 500):
            stmt = (
                select(self.row_type)
                .options(*self.load_options)
                .where(primary_key.in_(wanted[start : start + 500]))
            )
            rows.extend(self.session.scalars(stmt))
        return rows

    def get(self, row_id: int) -> C | None:
        row = self._row(row_id)
        return None if row is None else self.to_core(row)

    def add(self, item: C) -> C:
        (added,) = self.add_all([item])
        return added

    def add_all(self, items: Sequence[C]) -> list[C]:
        """Rows for ``items``, sent in one flush (on PostgreSQL: a few multi-row INSERTs)."""
        rows = [self.fill(self.new_row(), item) for item in items]
        self.session.add_all(rows)
        self.session.flush()
        return [self.to_core(row) for row in rows]

    def replace(self, row_id: int, item: C) -> C | None:
        row = self._row(row_id)
        if row is None:
            return None
        self.fill(row, item)
        self.session.flush()
        return self.to_core(row)

    def delete(self, row_id: int) -> bool:
        row = self.session.get(self.row_type, row_id)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True
