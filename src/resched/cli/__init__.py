"""The ``resched`` command line: every operation a coordinator or operator needs.

Commands import their heavy dependencies lazily so ``resched --help`` stays instant.
Bad input exits with status 2 and a message on stderr, never a traceback.
"""

from __future__ import annotations

import typer

from resched.cli.backup import backup_command, restore_command
from resched.cli.bench import bench_app
from resched.cli.db import db_app
from resched.cli.exchange import export_app, import_app
from resched.cli.generate import generate_app, publish_command
from resched.cli.imports import (
    absences_command,
    people_command,
    rotations_command,
    undo_command,
)
from resched.cli.jobs import beat_command, jobs_app, worker_command
from resched.cli.mail import mail_app
from resched.cli.pdf_export import pdf_app
from resched.cli.program import demo_command, serve_command
from resched.cli.rollover import next_command
from resched.cli.schedule_file import import_schedule_file
from resched.cli.users import user_app
from resched.cli.validate import validate_command
from resched.cli.xlsx_export import export_xlsx
from resched.cli.years import program_app, year_app

app = typer.Typer(
    name="resched",
    help="Scheduling for medical residency programs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
export_app.command("xlsx")(export_xlsx)
app.add_typer(export_app, name="export")
import_app.command("people")(people_command)
import_app.command("rotations")(rotations_command)
import_app.command("absences")(absences_command)
import_app.command("undo")(undo_command)
export_app.add_typer(pdf_app, name="pdf")
app.add_typer(import_app, name="import")
import_app.command("schedule")(import_schedule_file)
app.add_typer(generate_app, name="generate")
app.add_typer(jobs_app, name="jobs")
app.add_typer(mail_app, name="mail")
app.add_typer(bench_app, name="bench")
year_app.command("next")(next_command)
app.add_typer(program_app, name="program")
app.command("serve")(serve_command)
app.command("demo")(demo_command)
app.command("validate")(validate_command)
app.command("publish")(publish_command)
app.command("worker")(worker_command)
app.command("beat")(beat_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
