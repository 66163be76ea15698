"""``resched backup`` and ``resched restore`` on SQLite files of the demo and pediatrics programs:
a backup taken while another connection writes is one consistent snapshot, a restore gives back
every row of every table, and each refusal exits 2 and writes nothing."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.core.model import Role
from resched.db.migrate import alembic_config, head_revision, upgrade_to_head
from resched.db.records import PersonProfile
from resched.db.session import create_engine_for, make_session_factory
from resched.db.sqlite_files import check_integrity
from resched.services import people
from tests.table_rows import TableRows, rows_of_every_table
from tests.waits import wait_until
from tests.web.programs import PROGRAMS, store_program

runner = CliRunner()
WRITER = "backup-test-writer"


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def _run(*args: str) -> Result:
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module", params=PROGRAMS)
def program_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("program") / f"{request.param}.db"
    upgrade_to_head(_url(path))
    engine = create_engine_for(_url(path))
    store_program(make_session_factory(engine), request.param)
    engine.dispose()  # the last connection closing folds the WAL into the file
    return path


@pytest.fixture
def source(program_file: Path, tmp_path: Path) -> Path:
    """A private copy of the program's database, to write to and back up."""
    path = tmp_path / "live" / "resched.db"
    path.parent.mkdir()
    shutil.copyfile(program_file, path)
    return path


def _rows(path: Path) -> TableRows:
    return rows_of_every_table(_url(path))


def _query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()


def _table_names(path: Path) -> set[str]:
    rows = _query(path, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows if not name.startswith("sqlite_")}


class Writer:
    """Adds people, one audited transaction each, until stopped."""

    def __init__(self, path: Path) -> None:
        self.engine: Engine = create_engine_for(_url(path))
        self.written = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._write)

    def _write(self) -> None:
        factory = make_session_factory(self.engine)
        while not self.stop.is_set():
            code = f"w{self.written:04d}"
            profile = PersonProfile(code=code, name=f"Writer {code}", role=Role.FACULTY)
            people.create_person(factory=factory, profile=profile, actor=WRITER)
            self.written += 1

    def __enter__(self) -> Writer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()
        self.engine.dispose()


def test_backup_while_writing_is_a_snapshot_and_restores_every_row(
    source: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "resched-backup.db"
    with Writer(source) as writer:
        wait_until(lambda: writer.written >= 3, what="the writer has written")
        result = _run("backup", str(backup), "--database-url", _url(source))
        assert result.exit_code == 0, result.output
        at_backup = writer.written
        # The backup did not stop the writer (nor hold a lock it waits on).
        wait_until(lambda: writer.written > at_backup + 2, what="the writer goes on writing")
    assert f"wrote {backup}" in result.output
    assert f"revision {head_revision()}" in result.output
    assert "integrity ok" in result.output
    check_integrity(backup)
    assert not backup.with_name(backup.name + "-wal").exists()
    # One snapshot: each person the writer added comes with its audit event, none without.
    (copied,) = _query(backup, "SELECT count(*) FROM person WHERE code LIKE 'w%'")[0]
    (events,) = _query(backup, f"SELECT count(*) FROM audit_event WHERE actor = '{WRITER}'")[0]
    assert 3 <= copied == events < writer.written

    target = tmp_path / "fresh" / "restored.db"
    restored = _run("restore", str(backup), "--database-url", _url(target))
    assert restored.exit_code == 0, restored.output
    assert "kept the previous" not in restored.output
    assert "audit trail as database.restore" in restored.output
    expected, got = _rows(backup), _rows(target)
    assert set(expected) == _table_names(backup) - {"alembic_version"}  # every table compared
    restore_event = got["audit_event"].pop()
    assert got == expected
    actor, action, entity, entity_id = restore_event[2:6]
    assert (action, entity, entity_id) == ("database.restore", "database", "restored.db")
    assert actor.startswith("cli")

    # Once the writer has stopped, a backup holds exactly what the source holds.
    again = tmp_path / "after-writer.db"
    assert _run("backup", str(again), "--database-url", _url(source)).exit_code == 0
    assert _rows(again) == _rows(source)


def test_restore_over_a_database_keeps_it_beside(source: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    assert _run("backup", str(backup), "--database-url", _url(source)).exit_code == 0
    engine = create_engine_for(_url(source))
    profile = PersonProfile(code="after", name="Added after the backup", role=Role.FACULTY)
    people.create_person(factory=make_session_factory(engine), profile=profile)
    engine.dispose()
    before = _rows(source)

    result = _run("restore", str(backup), "--database-url", _url(source), "--force")

    assert result.exit_code == 0, result.output
    (kept,) = source.parent.glob("resched.db.before-restore-*")
    assert f"kept the previous database as {kept}" in result.output
    assert _rows(kept) == before
    assert not _query(source, "SELECT 1 FROM person WHERE code = 'after'")
    check_integrity(source)


def test_restore_of_an_older_schema_says_to_upgrade(tmp_path: Path) -> None:
    head = ScriptDirectory.from_config(alembic_config()).get_revision(head_revision())
    assert head is not None
    assert isinstance(head.down_revision, str)
    old = tmp_path / "old.db"
    command.upgrade(alembic_config(_url(old)), head.down_revision)

    result = _run("restore", str(old), "--database-url", _url(tmp_path / "new.db"))

    assert result.exit_code == 0, result.output
    assert f"revision {head.down_revision}" in result.output
    assert "run `resched db upgrade`" in result.output
    assert _query(tmp_path / "new.db", "SELECT version_num FROM alembic_version") == [
        (head.down_revision,)
    ]


def _not_sqlite(path: Path) -> None:
    path.write_text("name,code\nAna,P1-01\n")


def _not_this_app(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.commit()


def _newer(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'f00dcafe0001'")
        connection.commit()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_not_sqlite, "is not a SQLite database file"),
        (_not_this_app, "is not a resched database (it has no alembic_version table)"),
        (_newer, "is at schema revision f00dcafe0001, which this version of resched does not"),
    ],
    ids=["not-sqlite", "not-this-app", "newer-revision"],
)
def test_restore_refuses_a_file_it_cannot_use(
    spoil: Any, message: str, source: Path, tmp_path: Path
) -> None:
    candidate = tmp_path / "candidate.db"
    if spoil is _newer:
        shutil.copyfile(source, candidate)
    spoil(candidate)
    target = tmp_path / "target" / "resched.db"
    target.parent.mkdir()

    result = _run("restore", str(candidate), "--database-url", _url(target), "--force")

    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert list(target.parent.iterdir()) == []


def test_restore_of_a_missing_file_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-backup.db"
    result = _run("restore", str(missing), "--database-url", _url(tmp_path / "resched.db"))
    assert result.exit_code == 2
    assert f"there is no file at {missing}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_to_replace_data_without_force(source: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    assert _run("backup", str(backup), "--database-url", _url(source)).exit_code == 0
    listing, content = sorted(source.parent.iterdir()), source.read_bytes()

    result = _run("restore", str(backup), "--database-url", _url(source))

    assert result.exit_code == 2
    assert f"the database {source} holds data; pass --force to replace it" in result.output
    assert sorted(source.parent.iterdir()) == listing
    assert source.read_bytes() == content


def test_backup_refuses_to_overwrite_without_force(source: Path, tmp_path: Path) -> None:
    output = tmp_path / "existing.db"
    output.write_text("yesterday's backup")

    result = _run("backup", str(output), "--database-url", _url(source))

    assert result.exit_code == 2
    assert f"{output} exists; pass --force to overwrite it" in result.output
    assert output.read_text() == "yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.db", "live"]
    forced = _run("backup", str(output), "--database-url", _url(source), "--force")
    assert forced.exit_code == 0, forced.output
    check_integrity(output)


def test_backup_of_a_missing_or_foreign_database_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = _run("backup", str(tmp_path / "out.db"), "--database-url", _url(missing))
    assert result.exit_code == 2
    assert f"there is no database at {missing}" in result.output
    assert list(tmp_path.iterdir()) == []
    _not_sqlite(missing)
    result = _run("backup", str(tmp_path / "out.db"), "--database-url", _url(missing))
    assert result.exit_code == 2
    assert f"{missing} is not a SQLite database file" in result.output
    assert list(tmp_path.iterdir()) == [missing]


def test_backup_onto_the_database_itself_is_refused(source: Path) -> None:
    content = source.read_bytes()
    result = _run("backup", str(source), "--database-url", _url(source), "--force")
    assert result.exit_code == 2
    assert f"{source} is the database itself; name another file" in result.output
    assert source.read_bytes() == content
    assert [p.name for p in source.parent.iterdir()] == ["resched.db"]


@pytest.mark.parametrize("verb", ["backup", "restore"])
def test_postgresql_is_pointed_to_pg_dump(verb: str, tmp_path: Path) -> None:
    url = "postgresql+psycopg://resched@db.example.org/resched"
    result = _run(verb, str(tmp_path / "file.db"), "--database-url", url)
    assert result.exit_code == 2
    assert f"`resched {verb}` is for the embedded SQLite database" in result.output
    assert "pg_dump -Fc" in result.output
    assert "pg_restore --clean --if-exists" in result.output
    assert list(tmp_path.iterdir()) == []
