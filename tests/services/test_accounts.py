"""Account management: role changes, deactivation and passwords, audited without secrets,
with the last administrator protected."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid
from resched.db.tables import UserRole, UserRow
from resched.services import accounts
from resched.services.accounts import password_changes
from resched.services.accounts.users import authenticate
from resched.services.audit import Actor, list_audit_events
from resched.services.auth.errors import Unauthenticated
from resched.services.auth.memory_store import MemoryStore
from resched.services.auth.ratelimit import LoginLimiter
from resched.services.auth.sessions import principal_for_web_session, start_web_session
from tests.accounts import PASSWORD, TEST_COSTS, add_user

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]
ADMIN = Actor("boss", request_id="req-9", client_address="10.0.0.9")
NEW_PASSWORD = "quiet-harbour-violin-77"


def _cookie(factory: Factory, user_id: int) -> str:
    return start_web_session(
        factory=factory, user_id=user_id, lifetime=dt.timedelta(hours=1), actor=ADMIN
    )


def _signed_in(factory: Factory, cookie: str) -> bool:
    try:
        principal_for_web_session(factory=factory, token=cookie)
    except Unauthenticated:
        return False
    return True


def test_a_role_change_is_audited_with_before_and_after(session_factory: Factory) -> None:
    user_id = add_user(session_factory, "coordinator", username="chief")
    changed = accounts.change_role(
        factory=session_factory, user_id=user_id, role="admin", actor=ADMIN
    )
    assert changed.role is UserRole.ADMIN
    event = list_audit_events(factory=session_factory, entity="user").items[-1]
    assert (event.action, event.actor, event.request_id, event.client_address) == (
        "user.role",
        "boss",
        "req-9",
        "10.0.0.9",
    )
    assert (event.before, event.after) == ({"role": "coordinator"}, {"role": "admin"})


def test_resident_and_faculty_roles_need_a_person_of_that_kind(session_factory: Factory) -> None:
    chief = add_user(session_factory, "coordinator")
    faculty = add_user(session_factory, "faculty")
    with pytest.raises(Invalid, match="needs a linked resident"):
        accounts.change_role(factory=session_factory, user_id=chief, role="resident")
    with pytest.raises(Invalid, match="needs a linked resident"):
        accounts.change_role(factory=session_factory, user_id=faculty, role="resident")
    with pytest.raises(Invalid, match="role"):
        accounts.change_role(factory=session_factory, user_id=chief, role="overlord")
    assert (
        accounts.change_role(factory=session_factory, user_id=faculty, role="coordinator").role
        is UserRole.COORDINATOR
    )


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(session_factory: Factory) -> None:
    boss = add_user(session_factory, "admin")
    add_user(session_factory, "admin", active=False)  # an inactive admin does not count
    with pytest.raises(Conflict, match="last active administrator"):
        accounts.change_role(factory=session_factory, user_id=boss, role="coordinator")
    with pytest.raises(Conflict, match="last active administrator"):
        accounts.set_active(factory=session_factory, user_id=boss, active=False)
    second = add_user(session_factory, "admin")
    accounts.set_active(factory=session_factory, user_id=boss, active=False)
    assert not accounts.get_user(factory=session_factory, user_id=boss).active
    assert accounts.get_user(factory=session_factory, user_id=second).active


def test_deactivation_ends_sessions_and_is_audited(session_factory: Factory) -> None:
    user_id = add_user(session_factory, "coordinator")
    cookie = _cookie(session_factory, user_id)
    accounts.set_active(factory=session_factory, user_id=user_id, active=False, actor=ADMIN)
    assert not _signed_in(session_factory, cookie)
    accounts.set_active(factory=session_factory, user_id=user_id, active=True, actor=ADMIN)
    assert not _signed_in(session_factory, cookie)  # reactivating does not revive sessions
    actions = [e.action for e in list_audit_events(factory=session_factory, entity="user").items]
    assert actions[-2:] == ["user.deactivate", "user.activate"]


def test_changing_a_password(session_factory: Factory) -> None:
    user_id = add_user(session_factory, "coordinator", username="chief")
    here, elsewhere = _cookie(session_factory, user_id), _cookie(session_factory, user_id)
    keep = principal_for_web_session(factory=session_factory, token=here).session_id
    password_changes.change_password(
        factory=session_factory,
        limiter=LoginLimiter(MemoryStore()),
        user_id=user_id,
        current_password=PASSWORD,
        new_password=NEW_PASSWORD,
        actor=ADMIN,
        keep_session=keep,
        costs=TEST_COSTS,
    )
    assert _signed_in(session_factory, here)
    assert not _signed_in(session_factory, elsewhere)
    login = {"factory": session_factory, "username": "chief", "costs": TEST_COSTS}
    assert authenticate(password=NEW_PASSWORD, **login) == user_id  # type: ignore[arg-type]
    assert authenticate(password=PASSWORD, **login) is None  # type: ignore[arg-type]
    event = list_audit_events(factory=session_factory, entity="user").items[-1]
    assert event.action == "user.password"
    with session_factory() as session:
        stored_hash = session.get_one(UserRow, user_id).password_hash
    text = json.dumps([event.before, event.after, event.reason])
    for secret in (PASSWORD, NEW_PASSWORD, stored_hash):
        assert secret not in text


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [
        ("wrong-password-entirely", NEW_PASSWORD, "current_password"),
        (PASSWORD, "short", "new_password"),
        (PASSWORD, "password1234", "new_password"),  # on the common list
        (PASSWORD, "CHIEF.RESIDENT", "new_password"),  # the username
    ],
)
def test_a_refused_password_change_names_the_field(
    session_factory: Factory, current: str, new: str, field: str
) -> None:
    user_id = add_user(session_factory, "coordinator", username="chief.resident")
    with pytest.raises(Invalid) as raised:
        password_changes.change_password(
            factory=session_factory,
            limiter=LoginLimiter(MemoryStore()),
            user_id=user_id,
            current_password=current,
            new_password=new,
            costs=TEST_COSTS,
        )
    assert raised.value.details["field"] == field
    assert list_audit_events(factory=session_factory).total == 0


def test_listing_users_never_shows_hashes(session_factory: Factory) -> None:
    add_user(session_factory, "admin", username="boss")
    add_user(session_factory, "resident", username="rosa")
    page = accounts.list_users(factory=session_factory)
    assert [u.username for u in page.items] == ["boss", "rosa"]
    rosa = page.items[1]
    assert rosa.person_code is not None
    assert rosa.person_name is not None
    assert "argon2" not in repr(page)
