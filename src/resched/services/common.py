"""What every service shares: the write/read transactions, error conversion, validation helpers."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import NoReturn

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from resched.core.errors import Conflict, DomainError, Invalid, NotFound
from resched.db.errors import Violation, describe_integrity_error
from resched.db.session import transaction

type SessionFactory = sessionmaker[Session]

log = logging.getLogger(__name__)

# The one definition of page sizes: the API's limit/offset parameters and the pages read these.
MAX_PAGE_SIZE = 200
# OFFSET beyond a 32-bit integer overflows the database drivers; no table gets that long.
MAX_OFFSET = 2**31 - 1
DEFAULT_PAGE_SIZE = 50
MAX_PGY = 10
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")


@contextmanager
def write(factory: SessionFactory) -> Iterator[Session]:
    """One write transaction; integrity violations leave as domain errors, after the rollback."""
    try:
        with transaction(factory) as session:
            yield session
    except IntegrityError as exc:
        raise domain_error_from(exc) from exc
    except StaleDataError as exc:
        raise stale_write(exc) from exc


@contextmanager
def read(factory: SessionFactory) -> Iterator[Session]:
    # Reads never commit: closing the session ends (rolls back) the read transaction.
    with factory() as session:
        yield session


def domain_error_from(exc: IntegrityError) -> DomainError:
    problem = describe_integrity_error(exc)
    details: dict[str, object] = {}
    if problem.columns:
        details["field"] = problem.columns[-1]
    if problem.constraint:
        details["constraint"] = problem.constraint
    if problem.kind is Violation.UNIQUE:
        what = ", ".join(problem.columns) or "value"
        return Conflict(f"a {problem.table or 'record'} with this {what} exists", details=details)
    if problem.kind is Violation.FOREIGN_KEY:
        return Conflict(
            "the record is referenced by, or refers to, another record", details=details
        )
    return Invalid("the data breaks a database constraint", details=details)


def stale_write(exc: StaleDataError) -> Conflict:
    """The ORM's row-version check failed at flush (resched.db.versioning): another
    transaction saved the row between our read and our write. Logged, not audited: nothing
    was written."""
    log.info("stale write refused at flush: %s", exc)
    return Conflict(
        "Someone else changed this at the same moment; your changes were not saved. "
        "Reload it and make your change again.",
        details={"field": "version"},
    )


def fail(field: str, message: str, **extra: object) -> NoReturn:
    raise Invalid(message, details={"field": field, **extra})


def not_found(entity: str, entity_id: int) -> NoReturn:
    raise NotFound(f"{entity} {entity_id} not found", details={"entity": entity, "id": entity_id})


def found[T](item: T | None, entity: str, entity_id: int) -> T:
    """``item``, or NotFound naming the entity and id."""
    if item is None:
        not_found(entity, entity_id)
    return item


def check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        fail("limit", f"limit must be between 1 and {MAX_PAGE_SIZE}")
    if not 0 <= offset <= MAX_OFFSET:
        fail("offset", f"offset must be between 0 and {MAX_OFFSET}")


def check_range(overlapping: tuple[dt.date, dt.date] | None) -> None:
    """A list filter's days ``(first, last)``, both inclusive: the last not before the first
    (the field is ``end``, as the requests and absences lists name it)."""
    if overlapping is not None and overlapping[1] < overlapping[0]:
        fail("end", "the range ends before it starts")


def check_code(code: str, field: str = "code") -> None:
    if not CODE_PATTERN.match(code):
        fail(
            field,
            "a code is 1-32 letters, digits, '_', '.' or '-', starting with a letter or digit",
        )


def check_text(value: str, field: str, *, max_length: int, required: bool = True) -> None:
    if required and not value.strip():
        fail(field, f"{field} must not be empty")
    if len(value) > max_length:
        fail(field, f"{field} must be at most {max_length} characters")


def check_pgy(value: int, field: str, **extra: object) -> None:
    if not 1 <= value <= MAX_PGY:
        fail(field, f"PGY levels run from 1 to {MAX_PGY}", **extra)


def check_known(codes: Iterable[str], known: Iterable[str], field: str) -> None:
    unknown = sorted(set(codes) - set(known))
    if unknown:
        fail(field, f"unknown code(s): {', '.join(unknown)}", unknown=unknown)


def check_same_code(current: str, new: str) -> None:
    # Codes are stable handles (files, exports, and JSON references such as weekly patterns).
    if current != new:
        fail("code", f"the code cannot change (is {current!r})")
