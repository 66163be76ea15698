"""``resched user ...``: accounts for operators (create, list, deactivate, reset a password).

Changes are audited with the operating-system user who ran the command (``cli:<name>``).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from resched.cli.common import database, domain_errors_exit, fail, load_settings, operator
from resched.cli.db import DatabaseUrl

if TYPE_CHECKING:
    from resched.services.accounts import UserAccount

user_app = typer.Typer(help="User accounts.", no_args_is_help=True)

ROLES = ("admin", "coordinator", "faculty", "resident")
Username = Annotated[str, typer.Argument(help="The account's username (exact).")]


@user_app.command("create")
def create_command(
    username: Annotated[str, typer.Option(help="Login name.")],
    role: Annotated[str, typer.Option(help="admin, coordinator, faculty or resident.")],
    person: Annotated[
        str | None, typer.Option(help="Person code to link (faculty and residents).")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Create a user account. The password is asked for (hidden) or read from stdin."""
    from resched.http.runtime import hashing_costs
    from resched.services.accounts.users import create_user

    if role not in ROLES:
        raise fail(f"--role: must be one of {', '.join(ROLES)} (got {role!r})")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = load_settings(database_url)
    with domain_errors_exit(), database(settings.database_url) as factory:
        create_user(
            factory=factory,
            username=username,
            password=password,
            role=role,
            person_code=person,
            costs=hashing_costs(settings),
        )
    typer.echo(f"user {username!r} created with role {role}")


@user_app.command("list")
def list_command(database_url: DatabaseUrl = None) -> None:
    """Every account: username, role, active, last sign-in (if known), must change password."""
    from resched.services.accounts import list_users
    from resched.services.common import MAX_PAGE_SIZE

    accounts: list[UserAccount] = []
    with domain_errors_exit(), database(database_url) as factory:
        while True:
            page = list_users(factory=factory, limit=MAX_PAGE_SIZE, offset=len(accounts))
            accounts.extend(page.items)
            if not page.items or len(accounts) >= page.total:
                break
    header = ("USERNAME", "ROLE", "ACTIVE", "LAST SIGN-IN", "MUST CHANGE PASSWORD")
    rows = [header, *(_row(account) for account in accounts)]
    widths = [max(len(row[n]) for row in rows) for n in range(len(header))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        typer.echo("  ".join(cells).rstrip())


def _row(account: UserAccount) -> tuple[str, str, str, str, str]:
    last = account.last_sign_in_at
    return (
        account.username,
        account.role.value,
        "yes" if account.active else "no",
        last.strftime("%Y-%m-%d %H:%M UTC") if last else "-",
        "yes" if account.must_change_password else "no",
    )


@user_app.command("deactivate")
def deactivate_command(username: Username, database_url: DatabaseUrl = None) -> None:
    """Deactivate an account and end its sessions. The last active administrator cannot be
    deactivated (exit 2)."""
    from resched.services.accounts import find_user_id, set_active

    with domain_errors_exit(), database(database_url) as factory:
        user_id = find_user_id(factory=factory, username=username)
        set_active(factory=factory, user_id=user_id, active=False, actor=operator())
    typer.echo(f"user {username!r} deactivated; their sessions ended")


@user_app.command("reset-password")
def reset_password_command(username: Username, database_url: DatabaseUrl = None) -> None:
    """Give the account a one-time password, printed once: the person signs in with it and
    must choose a new password first. Their sessions end."""
    from resched.http.runtime import counter_store, hashing_costs
    from resched.services.accounts import find_user_id
    from resched.services.accounts.password_changes import (
        LOCKOUT_NOT_LIFTED_BY_COMMAND,
        reset_password,
    )
    from resched.services.auth.ratelimit import LoginLimiter

    settings = load_settings(database_url)
    # With Redis the server's sign-in lockout of the account is lifted too (in memory it
    # lives in the server process, out of reach, and ends by itself).
    redis_url = settings.rate_limit_redis_url
    limiter = LoginLimiter(store=counter_store(settings)) if redis_url else None
    with domain_errors_exit(), database(settings.database_url) as factory:
        user_id = find_user_id(factory=factory, username=username)
        reset = reset_password(
            factory=factory,
            user_id=user_id,
            actor=operator(),
            limiter=limiter,
            costs=hashing_costs(settings),
        )
    typer.echo(f"one-time password for {username!r} (shown once, stored nowhere):")
    typer.echo(reset.one_time_password)
    typer.echo("They must choose a new password at their next sign-in.", err=True)
    if limiter is not None and not reset.lockout_lifted:
        typer.echo(LOCKOUT_NOT_LIFTED_BY_COMMAND.format(username=username), err=True)
