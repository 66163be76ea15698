"""The life of an import batch: upload -> preview (stored) -> apply (one transaction) ->
undo (the whole batch, or nothing).

Apply writes exactly the rows the preview stored - the file is never read again - and only
while the preview is fresh and free of problems. Every step is audited in its transaction
(entity ``import_batch``) besides the audit events of the records it writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from resched.core.errors import Conflict
from resched.db.records import Page
from resched.db.repositories.imports import ImportBatch, ImportBatchRepository, NewBatch
from resched.db.tables import ImportStatus
from resched.db.types import utc_now
from resched.io.uploads import check_upload
from resched.services.audit import ActorLike, as_actor, record
from resched.services.common import (
    DEFAULT_PAGE_SIZE,
    SessionFactory,
    check_page,
    found,
    read,
    write,
)
from resched.services.imports.kind import ImportKind
from resched.services.imports.kinds import kind_named
from resched.services.permissions import Principal, check_allowed

ENTITY = "import_batch"
# A preview shows the database as it was: after a week it is more likely stale than not.
EXPIRES_AFTER = dt.timedelta(days=7)
MAX_PROBLEMS_KEPT = 1000  # the count is exact; past this many, fix the first ones and retry
# Records written past which apply and undo run as a background job (import_batch) from the
# API and the page: 5,000 people took 4.7 s to create and 5.8 s to update at load 5 on the
# shared 2-core machine (21 s and 55 s at load 24; docs/performance.md), 500 well under 1 s.
BACKGROUND_WRITES = 500
APPLY, UNDO = "apply", "undo"


def writes_of(batch: ImportBatch, action: str) -> int:
    """How many records ``action`` on the (full) batch would write."""
    if action == UNDO:
        done = batch.applied or {}
        rows = len(done.get("created", [])) + len(done.get("updated", []))
        return int(done.get("writes", rows))
    rows = int(batch.summary.get("create", 0)) + int(batch.summary.get("update", 0))
    return int(batch.summary.get("writes", rows))


def runs_in_background(*, factory: SessionFactory, batch_id: int, action: str) -> bool:
    return writes_of(get_import(factory=factory, batch_id=batch_id), action) > BACKGROUND_WRITES


def allowed_kind(name: str, principal: Principal | None) -> ImportKind:
    """The kind, if the principal (None: the CLI, an operator) may import it (Forbidden)."""
    kind = kind_named(name)
    if principal is not None:
        check_allowed(principal, kind.permission)
    return kind


def preview_import(
    *,
    factory: SessionFactory,
    kind: str,
    filename: str,
    data: bytes,
    actor: ActorLike = None,
    principal: Principal | None = None,
) -> ImportBatch:
    """Check the file (Invalid naming what is wrong, nothing stored), stage its rows and store
    the preview as a new batch."""
    spec = allowed_kind(kind, principal)
    upload = check_upload(filename=filename, data=data, allowed=spec.file_kinds)
    with write(factory) as session:
        staged = spec.stage(session, upload)
        summary: dict[str, Any] = {
            **staged.summary(),
            "notes": [*upload.notes, *staged.notes],
        }
        batch = ImportBatchRepository(session).add(
            NewBatch(
                kind=spec.name,
                file_name=upload.name,
                file_kind=upload.kind.value,
                created_by=as_actor(actor).username,
                summary=summary,
                problems=staged.problems[:MAX_PROBLEMS_KEPT],
                rows=staged.rows,
            )
        )
        record(
            session,
            actor=actor,
            action="preview",
            entity=ENTITY,
            entity_id=batch.id,
            after={"kind": spec.name, "file_name": upload.name, "summary": summary},
        )
        return batch


def get_import(*, factory: SessionFactory, batch_id: int, full: bool = True) -> ImportBatch:
    with read(factory) as session:
        batch = found(ImportBatchRepository(session).get(batch_id, full=full), ENTITY, batch_id)
    return _as_it_stands(batch, utc_now())


def list_imports(
    *, factory: SessionFactory, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0
) -> Page[ImportBatch]:
    check_page(limit, offset)
    with read(factory) as session:
        page = ImportBatchRepository(session).list_page(limit=limit, offset=offset)
    now = utc_now()
    return dataclasses.replace(page, items=tuple(_as_it_stands(b, now) for b in page.items))


def _is_stale(batch: ImportBatch, now: dt.datetime) -> bool:
    return batch.status is ImportStatus.PREVIEWED and now - batch.created_at > EXPIRES_AFTER


def _as_it_stands(batch: ImportBatch, now: dt.datetime) -> ImportBatch:
    """A preview past EXPIRES_AFTER reads as expired at once (a list must not offer to apply
    it); the stored status follows on the next attempt to apply it (_expire_if_stale)."""
    return (
        dataclasses.replace(batch, status=ImportStatus.EXPIRED) if _is_stale(batch, now) else batch
    )


def apply_import(
    *,
    factory: SessionFactory,
    batch_id: int,
    actor: ActorLike = None,
    principal: Principal | None = None,
) -> ImportBatch:
    """Write the previewed rows in one transaction (all or nothing). Conflict when the batch
    is not a fresh, problem-free preview, or a record changed since the preview."""
    if _expire_if_stale(factory, batch_id):
        raise Conflict(
            f"import {batch_id} was previewed more than {EXPIRES_AFTER.days} days ago; "
            "upload the file again",
            details={"status": ImportStatus.EXPIRED.value},
        )
    with write(factory) as session:
        repo = ImportBatchRepository(session)
        batch = found(repo.get(batch_id, full=True, lock=True), ENTITY, batch_id)
        spec = allowed_kind(batch.kind, principal)
        _check_status(batch, ImportStatus.PREVIEWED, "applied")
        if batch.summary.get("problems"):
            raise Conflict(
                f"import {batch_id} has {batch.summary['problems']} problem(s): fix the file "
                "and upload it again",
                details={"problems": batch.summary["problems"]},
            )
        applied = spec.apply(session, batch.rows or [], actor)
        repo.mark_applied(batch_id, by=as_actor(actor).username, applied=applied)
        record(
            session,
            actor=actor,
            action="apply",
            entity=ENTITY,
            entity_id=batch_id,
            after={"created": len(applied["created"]), "updated": len(applied["updated"])},
        )
    return get_import(factory=factory, batch_id=batch_id)


def undo_import(
    *,
    factory: SessionFactory,
    batch_id: int,
    actor: ActorLike = None,
    principal: Principal | None = None,
) -> ImportBatch:
    """Delete what the batch created and restore what it updated, in one transaction;
    Conflict naming every blocker (nothing written) when something depends on it since."""
    with write(factory) as session:
        repo = ImportBatchRepository(session)
        batch = found(repo.get(batch_id, full=True, lock=True), ENTITY, batch_id)
        spec = allowed_kind(batch.kind, principal)
        _check_status(batch, ImportStatus.APPLIED, "undone")
        assert batch.applied is not None  # set with the applied status
        spec.undo(session, batch.applied, actor)
        repo.mark_undone(batch_id, by=as_actor(actor).username)
        record(session, actor=actor, action="undo", entity=ENTITY, entity_id=batch_id)
    return get_import(factory=factory, batch_id=batch_id)


def _check_status(batch: ImportBatch, wanted: ImportStatus, verb: str) -> None:
    if batch.status is not wanted:
        raise Conflict(
            f"import {batch.id} is {batch.status.value}: only one that is {wanted.value} "
            f"can be {verb}",
            details={"status": batch.status.value},
        )


def _expire_if_stale(factory: SessionFactory, batch_id: int) -> bool:
    """Mark a preview older than EXPIRES_AFTER expired (committed: it stays expired)."""
    with write(factory) as session:
        repo = ImportBatchRepository(session)
        batch = found(repo.get(batch_id), ENTITY, batch_id)
        stale = _is_stale(batch, utc_now())
        if stale:
            repo.mark_expired(batch_id)
            record(session, actor=None, action="expire", entity=ENTITY, entity_id=batch_id)
        return stale
