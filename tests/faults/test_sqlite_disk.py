"""The embedded SQLite database, and an export, on a disk that fills up or turns read-only
(issue 17).

A real tmpfs is mounted for the test (tests/faults/tiny_disk.py) and the database file lives
on it. A write that cannot be stored answers a clean 503 ("the database is unavailable"),
keeps nothing of the change, and leaves the file intact (``PRAGMA integrity_check``); once
there is room again, or the disk is writable again, the same request succeeds - no restart.
An export to a full disk exits 2 with the reason and leaves no truncated file that looks like
an export.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app as cli_app
from resched.db.migrate import upgrade_to_head
from resched.services.schedule_import import import_schedule
from tests.accounts import add_user, api_client, make_app
from tests.faults.tiny_disk import TinyDisk, tiny_disk
from tests.schedule_data import store_program, troubled_doc

PEOPLE = [{"code": f"DSK{n}", "name": f"Disk Tester {n}", "role": "faculty"} for n in range(3)]


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[TinyDisk]:
    with tiny_disk(tmp_path / "disk") as disk:
        yield disk


@pytest.fixture
def app(disk: TinyDisk) -> Iterator[FastAPI]:
    url = f"sqlite:///{disk.path / 'resched.db'}"
    upgrade_to_head(url)
    app = make_app(url)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def api(app: FastAPI) -> Iterator[TestClient]:
    with api_client(app, add_user(app.state.session_factory, "coordinator")) as client:
        yield client


def _codes(api: TestClient) -> set[str]:
    response = api.get("people")
    assert response.status_code == 200, response.text
    return {person["code"] for person in response.json()["items"]}


def _intact(disk: TinyDisk) -> None:
    with sqlite3.connect(disk.path / "resched.db") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _refused(response: object) -> None:
    assert response.status_code == 503, response.text  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == "database_unavailable"  # type: ignore[attr-defined]
    assert int(response.headers["retry-after"]) > 0  # type: ignore[attr-defined]


def test_a_write_on_a_full_disk_is_refused_cleanly_and_succeeds_once_there_is_room(
    disk: TinyDisk, api: TestClient
) -> None:
    assert api.post("people", json=PEOPLE[0]).status_code == 201
    disk.fill()
    _refused(api.post("people", json=PEOPLE[1]))
    disk.free()
    _intact(disk)
    assert _codes(api) == {PEOPLE[0]["code"]}  # nothing of the refused write
    assert api.post("people", json=PEOPLE[1]).status_code == 201
    assert _codes(api) == {PEOPLE[0]["code"], PEOPLE[1]["code"]}
    _intact(disk)


def test_a_write_on_a_read_only_disk_is_refused_cleanly_and_succeeds_once_writable(
    disk: TinyDisk, app: FastAPI, api: TestClient
) -> None:
    assert api.post("people", json=PEOPLE[0]).status_code == 201
    # A disk turned read-only under open files (errors=remount-ro) cannot be made with mount
    # here: the pooled connections are closed first, and the app opens new ones on it.
    app.state.engine.dispose()
    disk.make_read_only()
    try:
        _refused(api.post("people", json=PEOPLE[1]))
    finally:
        disk.make_writable()
    _intact(disk)
    assert _codes(api) == {PEOPLE[0]["code"]}
    assert api.post("people", json=PEOPLE[1]).status_code == 201
    _intact(disk)


@pytest.mark.db
def test_an_export_to_a_full_disk_fails_plainly_and_leaves_no_partial_file(
    disk: TinyDisk, database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    store_program(session_factory)
    import_schedule(factory=session_factory, document=troubled_doc())
    target = disk.path / "schedule.json"
    disk.fill()
    done = _export(database_url, target)
    assert done.exit_code == 2, done.output
    assert f"cannot write {target}: No space left on device" in done.output
    assert "Traceback" not in done.output
    assert [p.name for p in disk.path.iterdir()] == [disk.filler.name]
    # Nothing happened to the database: the same export succeeds where there is room.
    elsewhere = tmp_path / "schedule.json"
    assert _export(database_url, elsewhere).exit_code == 0
    assert json.loads(elsewhere.read_text())["assignments"]


def _export(database_url: str, target: Path) -> Result:
    arguments = ["export", "interchange", "-o", str(target), "--database-url", database_url]
    return CliRunner().invoke(cli_app, arguments)
