"""``resched user list | deactivate | reset-password``: the operator's account commands, on
the test database (SQLite, or PostgreSQL when RESCHED_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.services.accounts.users import authenticate
from resched.services.audit import list_audit_events
from tests.accounts import PASSWORD, TEST_COSTS, add_user
from tests.services.test_accounts import _cookie, _signed_in

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]
runner = CliRunner()


def _run(database_url: str, *args: str) -> Result:
    return runner.invoke(app, ["user", *args, "--database-url", database_url])


def _refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.output


def test_user_list_shows_role_activity_last_sign_in_and_the_reset_mark(
    database_url: str, session_factory: Factory
) -> None:
    boss = add_user(session_factory, "admin", username="boss")
    add_user(session_factory, "coordinator", username="chief", active=False)
    _cookie(session_factory, boss)
    result = _run(database_url, "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == [
        "USERNAME",
        "ROLE",
        "ACTIVE",
        "LAST",
        "SIGN-IN",
        "MUST",
        "CHANGE",
        "PASSWORD",
    ]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    assert rows["boss"][:4] == ["boss", "admin", "yes", today]
    assert rows["boss"][-1] == "no"
    assert rows["chief"] == ["chief", "coordinator", "no", "-", "no"]


def test_reset_password_prints_a_one_time_password_once(
    database_url: str, session_factory: Factory
) -> None:
    user_id = add_user(session_factory, "coordinator", username="chief")
    cookie = _cookie(session_factory, user_id)
    result = _run(database_url, "reset-password", "chief")
    assert result.exit_code == 0, result.output
    one_time = result.stdout.splitlines()[-1]
    assert result.stdout.count(one_time) == 1
    login = {"factory": session_factory, "username": "chief", "costs": TEST_COSTS}
    assert authenticate(password=one_time, **login) == user_id  # type: ignore[arg-type]
    assert authenticate(password=PASSWORD, **login) is None  # type: ignore[arg-type]
    assert not _signed_in(session_factory, cookie)
    assert _run(database_url, "list").stdout.splitlines()[1].split()[-1] == "yes"
    events = list_audit_events(factory=session_factory, entity="user").items
    event = next(e for e in events if e.action == "user.password_reset")
    assert event.actor.startswith("cli")
    assert one_time not in str((event.before, event.after, event.reason))


def test_deactivate_ends_sessions_and_is_audited(
    database_url: str, session_factory: Factory
) -> None:
    add_user(session_factory, "admin", username="boss")
    user_id = add_user(session_factory, "coordinator", username="chief")
    cookie = _cookie(session_factory, user_id)
    result = _run(database_url, "deactivate", "chief")
    assert result.exit_code == 0, result.output
    assert not _signed_in(session_factory, cookie)
    event = list_audit_events(factory=session_factory, entity="user").items[-1]
    assert (event.action, event.entity_id) == ("user.deactivate", str(user_id))
    assert event.actor.startswith("cli")


def test_the_last_active_administrator_is_not_deactivated(
    database_url: str, session_factory: Factory
) -> None:
    boss = add_user(session_factory, "admin", username="boss")
    add_user(session_factory, "admin", username="gone", active=False)
    cookie = _cookie(session_factory, boss)
    _refused(_run(database_url, "deactivate", "boss"), "last active administrator")
    assert _signed_in(session_factory, cookie)
    actions = [e.action for e in list_audit_events(factory=session_factory).items]
    assert actions == ["auth.login"]  # the sign-in of the session above; nothing more


@pytest.mark.parametrize("command", ["deactivate", "reset-password"])
def test_an_unknown_username_is_exit_2(database_url: str, command: str) -> None:
    _refused(_run(database_url, command, "nobody"), "'nobody' not found")
