"""Leniency of the reader: unknown ``program.rules`` settings are ignored with a note, and
logged-work date-times may carry seconds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resched.cli import app
from resched.core.errors import Invalid
from resched.core.interchange import (
    Note,
    parse_schedule,
    parse_schedule_with_notes,
    write_schedule,
)
from resched.core.rules import ScheduleContext, check_all
from tests.core.test_interchange import example


def test_unknown_rule_settings_are_ignored_with_a_note_each() -> None:
    document = example()
    document["program"]["rules"].update(foo=1, hours_per_weak_limit=70)

    parsed = parse_schedule_with_notes(document)

    assert parsed.notes == (
        Note("program.rules.foo", "is not a known setting; ignored"),
        Note("program.rules.hours_per_weak_limit", "is not a known setting; ignored"),
    )
    assert str(parsed.notes[0]) == "program.rules.foo is not a known setting; ignored"
    # The misspelt limit is not applied; the known settings beside it still are.
    assert parsed.schedule.program.rules.hours_per_week_limit == 80
    assert parsed.schedule.program.rules.supervision_ratio == {1: 2, 2: 4, 3: 4}
    assert parse_schedule(document) == parsed.schedule


def test_a_known_setting_with_a_bad_value_is_still_an_error() -> None:
    document = example()
    document["program"]["rules"].update(foo=1, merge_gap_minutes=-5)
    with pytest.raises(Invalid) as caught:
        parse_schedule_with_notes(document)
    assert [e["path"] for e in caught.value.details["errors"]] == [
        "program.rules.merge_gap_minutes"
    ]


def test_a_clean_document_has_no_notes() -> None:
    assert parse_schedule_with_notes(example()).notes == ()


def test_logged_work_accepts_seconds_and_counts_them() -> None:
    document = example()
    document["logged_work"][0].update(start="2026-07-05T18:00:30", end="2026-07-05T23:00:00")
    schedule = parse_schedule(document)
    work = schedule.logged_work[0]
    assert (work.start, work.end) == (
        dt.datetime(2026, 7, 5, 18, 0, 30),
        dt.datetime(2026, 7, 5, 23, 0),
    )
    finding = next(f for f in check_all(ScheduleContext(schedule)) if f.rule == "moonlighting-pgy1")
    assert finding.value == pytest.approx(5 - 30 / 3600, abs=0.01)


def test_writer_keeps_seconds_only_where_there_are_some() -> None:
    document = example()
    document["logged_work"][0].update(start="2026-07-05T18:00:30", end="2026-07-05T23:00")
    schedule = parse_schedule(document)
    written = write_schedule(
        program=schedule.program,
        people=schedule.people,
        shift_types=schedule.shift_types,
        assignments=schedule.assignments,
        logged_work=schedule.logged_work,
        range=schedule.range,
    )
    assert written["logged_work"][0]["start"] == "2026-07-05T18:00:30"
    assert written["logged_work"][0]["end"] == "2026-07-05T23:00"
    assert parse_schedule(written).logged_work == schedule.logged_work


def test_a_malformed_date_time_names_both_accepted_shapes() -> None:
    document = example()
    document["logged_work"][0]["start"] = "2026-07-05 18:00"
    with pytest.raises(Invalid, match=r"YYYY-MM-DDTHH:MM\[:SS\]"):
        parse_schedule(document)


def test_validate_prints_notes_on_stderr_and_keeps_the_report_clean(tmp_path: Path) -> None:
    document = example()
    document["program"]["rules"]["foo"] = True
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(document))

    result = CliRunner().invoke(app, ["validate", str(path), "--json"])

    assert result.exit_code == 1, result.output
    assert "note: program.rules.foo is not a known setting; ignored" in result.stderr
    assert json.loads(result.stdout)["format"] == "resched.compliance/v1"
