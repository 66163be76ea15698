"""``resched mail send``: send the mail outbox now (the periodic task does it every minute)."""

from __future__ import annotations

from typing import Annotated

import typer

from resched.cli.common import fail, load_settings, session_factory_for
from resched.cli.db import DatabaseUrl

mail_app = typer.Typer(help="The mail outbox: send it.", no_args_is_help=True)


@mail_app.command("send")
def send_command(
    retry_now: Annotated[
        bool,
        typer.Option("--retry-now", help="Retry failed mails now instead of after their delay."),
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Send one batch of unsent mail over SMTP (RESCHED_SMTP_HOST and the other settings in
    docs/deployment.md). Failures are recorded on each mail and retried later."""
    from resched.services.notices.delivery import unsent_count
    from resched.tasks.mail import send_mail, smtp_config

    settings = load_settings(database_url)
    if smtp_config(settings) is None:
        raise fail("RESCHED_SMTP_HOST is not set: in the embedded mode mail stays in the outbox")
    with session_factory_for(settings.database_url) as factory:
        typer.echo(send_mail(settings, factory, retry_now=retry_now))
        typer.echo(f"{unsent_count(factory=factory)} unsent in the outbox")
