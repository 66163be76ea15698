"""``resched user ...``: accounts for operators."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from resched.cli.common import domain_errors_exit, fail, load_settings, session_factory_for
from resched.cli.db import DatabaseUrl

user_app = typer.Typer(help="User accounts.", no_args_is_help=True)

ROLES = ("admin", "coordinator", "faculty", "resident")


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
    from resched.services.users import create_user

    if role not in ROLES:
        raise fail(f"--role: must be one of {', '.join(ROLES)} (got {role!r})")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = load_settings(database_url)
    with domain_errors_exit(), session_factory_for(settings.database_url) as factory:
        create_user(
            session_factory=factory,
            username=username,
            password=password,
            role=role,
            person_code=person,
            costs=hashing_costs(settings),
        )
    typer.echo(f"user {username!r} created with role {role}")
