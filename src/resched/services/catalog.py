"""The life cycle shift types and rotations share: catalog entries keyed by a stable code.

Create and update validate the entry, then check the codes it refers to inside the write
transaction; update replaces every field (PUT semantics) except the code; delete is refused
(Conflict, naming the users) while anything refers to the code. Every write is audited.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from resched.core.errors import Conflict
from resched.db.records import Page
from resched.services.audit import ActorLike, record, record_all_created, record_updated
from resched.services.codes import KnownCodes
from resched.services.common import SessionFactory, check_page, check_same_code, found, read, write
from resched.services.versions import Edited, claim


class Coded(Protocol):
    @property
    def id(self) -> int | None: ...

    @property
    def code(self) -> str: ...


class CatalogRepository[T](Protocol):
    def get(self, row_id: int) -> T | None: ...

    def add(self, item: T) -> T: ...

    def add_all(self, items: Sequence[T]) -> list[T]: ...

    def replace(self, row_id: int, item: T) -> T | None: ...

    def delete(self, row_id: int) -> bool: ...

    def list_page(self, *, limit: int, offset: int) -> Page[T]: ...


@dataclass(frozen=True, slots=True)
class CodedCatalog[T: Coded]:
    """``entity`` names the entry in the audit trail and in NotFound; ``check_references``
    raises Invalid for unknown codes the entry names; ``users_of`` lists who refers to a code;
    ``adding`` counts the codes of a batch as known (an entry may name another of its batch)."""

    entity: str
    repository: Callable[[Session], CatalogRepository[T]]
    validate: Callable[[T], None]
    check_references: Callable[[KnownCodes, T], None]
    users_of: Callable[[Session, str], list[str]]
    adding: Callable[[KnownCodes, list[str]], KnownCodes]
    kind: Edited

    def create(self, *, factory: SessionFactory, item: T, actor: ActorLike) -> T:
        with write(factory) as session:
            (created,) = self.add_all(session, [item], actor=actor)
            return created

    def add_all(self, session: Session, items: Sequence[T], *, actor: ActorLike) -> list[T]:
        """Check and store ``items`` (each audited) in the caller's transaction: one API call
        adds one, the demo loader a whole catalogue."""
        for item in items:
            self.validate(item)
        known = self.adding(KnownCodes.load(session), [item.code for item in items])
        for item in items:
            self.check_references(known, item)
        created = self.repository(session).add_all(items)
        return record_all_created(session, actor=actor, entity=self.entity, created=created)

    def get(self, *, factory: SessionFactory, item_id: int) -> T:
        with read(factory) as session:
            item = found(self.repository(session).get(item_id), self.entity, item_id)
        return item

    def list_page(self, *, factory: SessionFactory, limit: int, offset: int) -> Page[T]:
        check_page(limit, offset)
        with read(factory) as session:
            return self.repository(session).list_page(limit=limit, offset=offset)

    def update(
        self,
        *,
        factory: SessionFactory,
        item_id: int,
        item: T,
        actor: ActorLike,
        expected_version: int | None = None,
    ) -> T:
        self.validate(item)
        with write(factory) as session:
            return self.replace(
                session,
                item_id=item_id,
                item=item,
                actor=actor,
                expected_version=expected_version,
            )

    def replace(
        self,
        session: Session,
        *,
        item_id: int,
        item: T,
        actor: ActorLike,
        expected_version: int | None = None,
    ) -> T:
        """``update`` in the caller's transaction (an import updates many in one); StaleEdit
        when ``expected_version`` is not the stored one (resched.services.versions)."""
        self.validate(item)
        repo = self.repository(session)
        before = found(repo.get(item_id), self.entity, item_id)
        claim(session, self.kind, item_id, expected_version)
        check_same_code(before.code, item.code)
        self.check_references(KnownCodes.load(session), item)
        after = repo.replace(item_id, item)
        return record_updated(
            session, actor=actor, entity=self.entity, entity_id=item_id, before=before, after=after
        )

    def delete(
        self,
        *,
        factory: SessionFactory,
        item_id: int,
        actor: ActorLike,
        expected_version: int | None = None,
    ) -> None:
        with write(factory) as session:
            self.remove(session, item_id=item_id, actor=actor, expected_version=expected_version)

    def remove(
        self,
        session: Session,
        *,
        item_id: int,
        actor: ActorLike,
        expected_version: int | None = None,
    ) -> None:
        """``delete`` in the caller's transaction (the undo of an import)."""
        repo = self.repository(session)
        before = found(repo.get(item_id), self.entity, item_id)
        claim(session, self.kind, item_id, expected_version)
        users = self.users_of(session, before.code)
        if users:
            noun = self.entity.replace("_", " ")
            raise Conflict(f"{noun} {before.code} is in use", details={"used_by": users})
        repo.delete(item_id)
        record(
            session,
            actor=actor,
            action="delete",
            entity=self.entity,
            entity_id=item_id,
            before=before,
        )
