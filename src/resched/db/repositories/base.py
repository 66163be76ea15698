"""Pagination shared by every list method: always two queries (count + page), plus one per
eager-loaded collection, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

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
