"""User accounts: validation, unique names, argon2 hashes, bcrypt migrated on login, and an
audit trail that never holds a secret."""

from __future__ import annotations

import json
from typing import Any

import bcrypt
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid
from resched.core.model import Role
from resched.db.records import PersonProfile
from resched.db.tables import AuditEventRow, UserRole, UserRow
from resched.services.accounts.passwords import HashingCosts
from resched.services.accounts.users import authenticate, create_user
from resched.services.audit import list_audit_events
from resched.services.people import create_person

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]
# The cheapest legal work factors: these tests check behaviour, not strength.
COSTS = HashingCosts(
    argon2_time_cost=1, argon2_memory_cost=8, argon2_parallelism=1, bcrypt_rounds=4
)
PASSWORD = "plum-orchard-lantern-42"


@pytest.fixture
def people(session_factory: Factory) -> None:
    for code, role in (("r01", Role.RESIDENT), ("f01", Role.FACULTY)):
        create_person(
            factory=session_factory,
            profile=PersonProfile(code=code, name=f"Person {code}", role=role),
        )


def _create(
    factory: Factory,
    *,
    username: str = "chief",
    password: str = PASSWORD,
    role: str | UserRole = "coordinator",
    person_code: str | None = None,
    actor: str | None = None,
) -> int:
    return create_user(
        factory=factory,
        username=username,
        password=password,
        role=role,
        person_code=person_code,
        actor=actor,
        costs=COSTS,
    )


def _stored_hash(factory: Factory, user_id: int) -> str:
    with factory() as session:
        return session.get_one(UserRow, user_id).password_hash


def _user_count(factory: Factory) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(UserRow)) or 0


def test_created_user_has_an_argon2_hash_and_authenticates(session_factory: Factory) -> None:
    user_id = _create(session_factory)

    assert _stored_hash(session_factory, user_id).startswith("$argon2")
    assert authenticate(
        factory=session_factory, username="chief", password=PASSWORD, costs=COSTS
    ) == (user_id)
    for username, password in (
        ("chief", PASSWORD + "x"),
        ("nobody", PASSWORD),
        ("Chief", PASSWORD),
    ):
        found = authenticate(
            factory=session_factory, username=username, password=password, costs=COSTS
        )
        assert found is None, (username, password)


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": ""}, "username"),
        ({"username": "has space"}, "username"),
        ({"username": "x" * 81}, "username"),
        ({"username": "ümlaut"}, "username"),
        ({"username": "chief\n"}, "username"),
        ({"role": "superuser"}, "role"),
        ({"password": "short-one"}, "password"),
        ({"password": "password1234"}, "password"),  # on the common-passwords list
        ({"username": "longusername1", "password": "LongUserName1"}, "password"),
        ({"role": "resident"}, "person_code"),  # a resident account needs its person
        ({"role": "faculty", "person_code": "r01"}, "person_code"),  # ...of the right kind
        ({"role": "resident", "person_code": "f01"}, "person_code"),
        ({"role": "admin", "person_code": "nobody"}, "person_code"),
    ],
)
def test_invalid_input_names_the_field(
    session_factory: Factory, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        _create(session_factory, **overrides)
    assert caught.value.details["field"] == field
    assert caught.value.message.startswith(f"{field}: ")
    assert _user_count(session_factory) == 0


@pytest.mark.usefixtures("people")
def test_accounts_link_to_people_of_their_kind(session_factory: Factory) -> None:
    resident = _create(session_factory, username="r.one", role="resident", person_code="r01")
    faculty = _create(
        session_factory, username="f.one@example.org", role=UserRole.FACULTY, person_code="f01"
    )
    admin = _create(session_factory, username="admin", role="admin")

    with session_factory() as session:
        rows = {row.id: row for row in session.scalars(select(UserRow))}
    assert (rows[resident].role, rows[faculty].role) == (UserRole.RESIDENT, UserRole.FACULTY)
    assert rows[resident].person_id is not None
    assert rows[faculty].person_id is not None
    assert rows[admin].person_id is None


def test_duplicate_username_is_a_conflict(session_factory: Factory) -> None:
    _create(session_factory)

    for username in ("chief", "CHIEF"):
        with pytest.raises(Conflict) as caught:
            _create(session_factory, username=username, password="another-long-secret-9")
        assert caught.value.details["field"] == "username"
    assert _user_count(session_factory) == 1
    creations = list_audit_events(factory=session_factory, entity="user").items
    assert [e.action for e in creations] == ["user.create"]


def _legacy_user(factory: Factory, password: str) -> tuple[int, str]:
    """A user imported from an older system, with a hash made by the bcrypt library itself."""
    legacy = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    with factory() as session, session.begin():
        row = UserRow(username="legacy", password_hash=legacy, role=UserRole.COORDINATOR)
        session.add(row)
        session.flush()
        return row.id, legacy


def test_bcrypt_hash_authenticates_and_is_replaced_by_argon2(session_factory: Factory) -> None:
    user_id, _ = _legacy_user(session_factory, PASSWORD)

    assert authenticate(
        factory=session_factory, username="legacy", password=PASSWORD, costs=COSTS
    ) == (user_id)
    new_hash = _stored_hash(session_factory, user_id)
    assert new_hash.startswith("$argon2")
    # The new hash is for the same password; and nothing more to migrate on the next login.
    assert authenticate(
        factory=session_factory, username="legacy", password=PASSWORD, costs=COSTS
    ) == (user_id)
    assert _stored_hash(session_factory, user_id) == new_hash
    events = list_audit_events(factory=session_factory, entity="user", entity_id=user_id).items
    assert [(e.action, e.before, e.after) for e in events] == [
        ("user.rehash", {"scheme": "bcrypt"}, {"scheme": "argon2"})
    ]


def test_wrong_password_keeps_the_bcrypt_hash(session_factory: Factory) -> None:
    user_id, legacy = _legacy_user(session_factory, PASSWORD)
    too_long = "é" * 40  # 80 bytes: more than bcrypt can take

    for password in (PASSWORD + "!", too_long):
        found = authenticate(
            factory=session_factory, username="legacy", password=password, costs=COSTS
        )
        assert found is None
    assert _stored_hash(session_factory, user_id) == legacy


def test_inactive_user_cannot_authenticate(session_factory: Factory) -> None:
    user_id = _create(session_factory)
    with session_factory() as session, session.begin():
        session.get_one(UserRow, user_id).active = False

    found = authenticate(factory=session_factory, username="chief", password=PASSWORD, costs=COSTS)
    assert found is None


def test_audit_trail_holds_no_password_or_hash(session_factory: Factory) -> None:
    user_id = _create(session_factory, actor="director")
    _, legacy = _legacy_user(session_factory, PASSWORD)
    authenticate(factory=session_factory, username="legacy", password=PASSWORD, costs=COSTS)

    with session_factory() as session:
        events = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id)).all()
        secrets = [PASSWORD, legacy, _stored_hash(session_factory, user_id)]
        secrets.append(
            session.scalars(select(UserRow.password_hash).where(UserRow.username == "legacy")).one()
        )
    assert [e.action for e in events] == ["user.create", "user.rehash"]
    assert events[0].actor == "director"
    assert events[0].after == {
        "username": "chief",
        "role": "coordinator",
        "person_code": None,
        "active": True,
    }
    for event in events:
        text = json.dumps([event.before, event.after, event.reason])
        assert not any(secret in text for secret in secrets)
        assert "$argon2" not in text
        assert "$2b$" not in text
