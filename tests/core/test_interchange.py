"""The interchange format: the INTERCHANGE.md example, the shipped JSON Schema, path-precise errors,
document loading limits, and writing schedules and reports."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import jsonschema
import pytest

from resched.core.errors import Invalid
from resched.core.interchange import (
    MAX_DOCUMENT_BYTES,
    load_document,
    load_schema,
    parse_schedule,
    write_report,
    write_schedule,
)
from resched.core.model import Averaging, LoggedWorkKind, Role, ShiftKind
from resched.core.rules import ScheduleContext, check_all

EXAMPLE: dict[str, Any] = {
    "format": "resched.schedule/v1",
    "program": {
        "name": "Demo Internal Medicine",
        "timezone": "America/Chicago",
        "rules": {
            "hours_per_week_limit": 80,
            "night_float_max_consecutive": 6,
            "supervision_ratio": {"1": 2, "2": 4, "3": 4},
            "merge_gap_minutes": 120,
        },
    },
    "range": {"start": "2026-07-01", "end": "2026-07-28"},
    "people": [
        {"id": "r1", "name": "Ada Lee", "role": "resident", "pgy": 1},
        {"id": "f1", "name": "Grace Kim", "role": "faculty"},
    ],
    "shift_types": [
        {"code": "DAY", "name": "Ward day", "start": "07:00", "minutes": 720, "kind": "work"},
        {"code": "CALL", "name": "24h call", "start": "07:00", "minutes": 1440,
         "transition_minutes": 240, "kind": "in_house_call"},
        {"code": "CLIN-AM", "name": "Clinic AM", "start": "08:00", "minutes": 240, "kind": "work",
         "requires_supervision": True, "supervised_by": ["PRECEPT-AM"]},
        {"code": "PRECEPT-AM", "name": "Precepting AM", "start": "08:00", "minutes": 240,
         "kind": "work"},
    ],
    "assignments": [
        {"person": "r1", "date": "2026-07-01", "shift": "DAY"},
        {"person": "r1", "date": "2026-07-02", "shift": "CALL"},
    ],
    "absences": [{"person": "r1", "start": "2026-07-20", "end": "2026-07-24", "type": "vacation"}],
    "logged_work": [
        {"person": "r1", "start": "2026-07-05T18:00", "end": "2026-07-05T23:00",
         "kind": "moonlighting"}
    ],
}  # fmt: skip


def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def errors_of(document: Any) -> list[str]:
    with pytest.raises(Invalid) as caught:
        parse_schedule(document)
    return [f"{e['path']}: {e['message']}" for e in caught.value.details["errors"]]


def test_example_is_valid_against_the_shipped_schema() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "resched.schedule/v1" in schema["$id"]
    jsonschema.Draft202012Validator(schema).validate(EXAMPLE)


def test_example_parses_into_core_objects() -> None:
    schedule = parse_schedule(example())
    assert schedule.program.timezone == "America/Chicago"
    assert schedule.program.rules.supervision_ratio == {1: 2, 2: 4, 3: 4}
    ada, grace = schedule.people
    assert (ada.id, ada.code, ada.name, ada.role, ada.pgy) == (1, "r1", "Ada Lee", Role.RESIDENT, 1)
    assert (grace.role, grace.pgy) == (Role.FACULTY, None)
    call = schedule.shift_types[1]
    assert (call.kind, call.minutes, call.transition_minutes) == (
        ShiftKind.IN_HOUSE_CALL,
        1440,
        240,
    )
    assert schedule.shift_types[2].supervised_by == ("PRECEPT-AM",)
    assert [(a.person_id, a.shift_code) for a in schedule.assignments] == [(1, "DAY"), (1, "CALL")]
    assert schedule.logged_work[0].kind is LoggedWorkKind.MOONLIGHTING
    assert schedule.logged_work[0].start == dt.datetime(2026, 7, 5, 18, 0)
    assert (schedule.range.start, schedule.range.end) == (dt.date(2026, 7, 1), dt.date(2026, 7, 28))


def mutate(path: str, value: Any) -> dict[str, Any]:
    """The example with the member at a dotted path (list indexes as numbers) set, or deleted
    when ``value`` is ``DELETE``."""
    document = example()
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key: Any = int(last) if isinstance(target, list) else last
    if value is DELETE:
        del target[key]
    else:
        target[key] = value
    return document


DELETE = object()

AGREEMENT_CASES = [
    ("accepted: unknown top-level key", "comment", "hello", True),
    ("accepted: unknown member of a person", "people.0.email", "a@b.c", True),
    ("accepted: integer written as 720.0", "shift_types.0.minutes", 720.0, True),
    ("accepted: no range", "range", DELETE, True),
    ("accepted: faculty with a pgy", "people.1.pgy", 3, True),
    ("accepted: block averaging", "program.rules.averaging", "block", True),
    ("rejected: no format", "format", DELETE, False),
    ("rejected: other format", "format", "resched.schedule/v2", False),
    ("rejected: resident without pgy", "people.0.pgy", DELETE, False),
    ("rejected: pgy 0", "people.0.pgy", 0, False),
    ("rejected: pgy true", "people.0.pgy", True, False),
    ("rejected: minutes 0", "shift_types.0.minutes", 0, False),
    ("rejected: minutes as text", "shift_types.0.minutes", "720", False),
    ("rejected: start 7:00", "shift_types.0.start", "7:00", False),
    ("rejected: start 24:00", "shift_types.0.start", "24:00", False),
    ("rejected: unknown kind", "shift_types.0.kind", "nap", False),
    ("rejected: requires_supervision as text", "shift_types.2.requires_supervision", "yes", False),
    ("accepted: unknown rule setting", "program.rules.hours_per_weak_limit", 80, True),
    ("rejected: ratio for PGY 0", "program.rules.supervision_ratio", {"0": 2}, False),
    ("rejected: empty ratio table", "program.rules.supervision_ratio", {}, False),
    ("rejected: zero limit", "program.rules.hours_per_week_limit", 0, False),
    ("accepted: logged work with seconds", "logged_work.0.start", "2026-07-05T18:00:00", True),
    ("rejected: logged work with 60 seconds", "logged_work.0.start", "2026-07-05T18:00:60", False),
    ("rejected: logged work with fractions", "logged_work.0.end", "2026-07-05T23:00:00.5", False),
    ("rejected: date with slashes", "assignments.0.date", "07/01/2026", False),
    ("rejected: people not an array", "people", {"r1": {}}, False),
    ("rejected: assignment without shift", "assignments.0.shift", DELETE, False),
    ("rejected: unknown absence type", "absences.0.type", "holiday", False),
    ("rejected: unknown logged kind", "logged_work.0.kind", "overtime", False),
]


@pytest.mark.parametrize(
    ("path", "value", "accepted"),
    [case[1:] for case in AGREEMENT_CASES],
    ids=[case[0] for case in AGREEMENT_CASES],
)
def test_parser_accepts_exactly_what_the_schema_accepts(
    path: str, value: Any, accepted: bool
) -> None:
    document = mutate(path, value)
    schema_ok = jsonschema.Draft202012Validator(load_schema()).is_valid(document)
    try:
        parse_schedule(document)
        parser_ok = True
    except Invalid:
        parser_ok = False
    assert (schema_ok, parser_ok) == (accepted, accepted)


def test_impossible_date_is_refused_by_parser_and_by_schema_format_check() -> None:
    document = mutate("assignments.0.date", "2026-02-30")
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert not jsonschema.Draft202012Validator(load_schema(), format_checker=checker).is_valid(
        document
    )
    assert errors_of(document) == ['assignments[0].date: impossible date "2026-02-30"']


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            "shift_types.1",
            {"code": "NIGHT", "start": "19:00", "minutes": 720, "kind": "night_float"},
            'assignments[1].shift: unknown shift type "CALL"',
        ),
        ("people.0.pgy", DELETE, "people[0].pgy: required for residents"),
        ("range.end", "2026-06-30", "range.end: before range.start"),
        ("format", "resched/v0", 'format: expected "resched.schedule/v1", got "resched/v0"'),
        ("program.timezone", "Mars/Base", 'program.timezone: unknown timezone "Mars/Base"'),
        ("people.1.id", "r1", 'people[1].id: duplicate id "r1"'),
        ("shift_types.1.code", "DAY", 'shift_types[1].code: duplicate code "DAY"'),
        ("absences.0.person", "r9", 'absences[0].person: unknown person "r9"'),
        ("shift_types.0.minutes", "720", 'shift_types[0].minutes: expected an integer, got "720"'),
        (
            "people.1.role",
            "nurse",
            'people[1].role: expected one of "resident", "faculty", got "nurse"',
        ),
        ("logged_work.0.end", "2026-07-05T18:00", "logged_work[0].end: not after start"),
        ("absences.0.end", "2026-07-19", "absences[0].end: before start"),
        (
            "shift_types.2.supervised_by",
            ["PRECEPT"],
            'shift_types[2].supervised_by[0]: unknown shift type "PRECEPT"',
        ),
        (
            "program.rules.supervision_ratio",
            {"1": 0},
            "program.rules.supervision_ratio.1: expected an integer >= 1, got 0",
        ),
    ],
)
def test_errors_name_the_exact_path(path: str, value: Any, message: str) -> None:
    document = mutate(path, value)
    assert errors_of(document)[0] == message
    with pytest.raises(Invalid, match="^" + message.replace("[", r"\[").replace("(", r"\(")):
        parse_schedule(document)


def test_all_errors_are_collected() -> None:
    document = example()
    document["format"] = "x"
    document["people"][0]["pgy"] = "one"
    document["assignments"][0]["shift"] = "NOPE"
    document["assignments"][1]["date"] = "2026-13-01"
    assert errors_of(document) == [
        'format: expected "resched.schedule/v1", got "x"',
        'people[0].pgy: expected an integer, got "one"',
        'assignments[0].shift: unknown shift type "NOPE"',
        'assignments[1].date: impossible date "2026-13-01"',
    ]


def test_errors_are_capped() -> None:
    document = example()
    document["assignments"] = [{"person": "zz", "date": "2026-07-01", "shift": "DAY"}] * 500
    with pytest.raises(Invalid) as caught:
        parse_schedule(document)
    assert len(caught.value.details["errors"]) == 100
    assert caught.value.details["truncated"] is True


def test_document_must_be_an_object() -> None:
    assert errors_of([1, 2]) == ["document: expected a JSON object, got [1, 2]"]


def test_defaults_without_program_or_range() -> None:
    document = example()
    del document["program"], document["range"]
    schedule = parse_schedule(document)
    assert schedule.program.timezone == "UTC"
    assert schedule.program.rules.averaging is Averaging.ROLLING
    assert (schedule.range.start, schedule.range.end) == (dt.date(2026, 7, 1), dt.date(2026, 7, 2))


def test_no_assignments_and_no_range_is_refused() -> None:
    assert errors_of({"format": "resched.schedule/v1"}) == [
        "range: required when the document has no assignments"
    ]


def test_load_document_refuses_documents_over_20_mb() -> None:
    assert MAX_DOCUMENT_BYTES == 20 * 1024 * 1024
    raw = b'{"format": "resched.schedule/v1", "pad": "' + b"x" * MAX_DOCUMENT_BYTES + b'"}'
    with pytest.raises(Invalid, match="too large"):
        load_document(raw)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (b'{"format": ', "not valid JSON"),
        (b'{"limit": NaN}', "not valid JSON"),
        (b"[1, 2]", "expected a JSON object, got an array"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_load_document_explains_unreadable_input(raw: bytes, fragment: str) -> None:
    with pytest.raises(Invalid, match=fragment):
        load_document(raw)


def test_load_document_accepts_a_byte_order_mark() -> None:
    assert load_document(b"\xef\xbb\xbf" + json.dumps(EXAMPLE).encode()) == EXAMPLE


def test_write_schedule_round_trips() -> None:
    schedule = parse_schedule(example())
    document = write_schedule(
        program=schedule.program,
        people=schedule.people,
        shift_types=schedule.shift_types,
        assignments=schedule.assignments,
        absences=schedule.absences,
        logged_work=schedule.logged_work,
        range=schedule.range,
    )
    jsonschema.Draft202012Validator(load_schema()).validate(document)
    assert document["assignments"][0] == {"person": "r1", "date": "2026-07-01", "shift": "DAY"}
    assert parse_schedule(json.loads(json.dumps(document))) == schedule


def test_write_report_matches_the_format() -> None:
    schedule = parse_schedule(example())
    findings = check_all(ScheduleContext(schedule))
    report = write_report(findings, schedule.range, schedule.people, schedule.assignments)
    assert report["format"] == "resched.compliance/v1"
    assert report["range"] == {"start": "2026-07-01", "end": "2026-07-28"}
    assert report["compliant"] is False
    assert report["summary"] == {"violations": 1, "warnings": 0, "people": 2, "assignments": 2}
    [item] = report["findings"]
    assert list(item) == ["rule", "severity", "person", "start", "end", "value", "limit", "message"]
    assert (item["rule"], item["person"], item["value"]) == ("moonlighting-pgy1", "r1", 5.0)


def test_report_of_a_compliant_schedule() -> None:
    document = example()
    document["logged_work"] = []
    schedule = parse_schedule(document)
    findings = check_all(ScheduleContext(schedule))
    report = write_report(findings, schedule.range, schedule.people, schedule.assignments)
    assert report["compliant"] is True
    assert report["findings"] == []
