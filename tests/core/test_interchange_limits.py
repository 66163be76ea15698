"""What the reader refuses so that nothing after it can crash or run away: repeated assignments,
non-finite and huge numbers, dates whose arithmetic would overflow. And a property: whatever a
document holds, reading and validating it raises nothing but ``Invalid``."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resched.core.errors import Invalid
from resched.core.interchange import load_document, parse_schedule, write_report
from resched.core.rules import ScheduleContext, check_all
from tests.core.test_interchange import EXAMPLE, errors_of, example


def test_a_repeated_assignment_is_refused_naming_both_places() -> None:
    document = example()
    document["assignments"] += [EXAMPLE["assignments"][1], EXAMPLE["assignments"][0]]
    assert errors_of(document) == [
        "assignments[2]: repeats assignments[1]",
        "assignments[3]: repeats assignments[0]",
    ]


def test_the_same_person_date_and_shift_written_differently_is_still_a_repeat() -> None:
    document = example()
    document["assignments"].append({"shift": "DAY", "person": "r1", "date": "2026-07-01", "x": 1})
    assert errors_of(document) == ["assignments[2]: repeats assignments[0]"]


def test_many_repeats_are_refused_with_a_capped_list() -> None:
    document = example()
    document["assignments"] = [EXAMPLE["assignments"][0]] * 50_000
    with pytest.raises(Invalid) as caught:
        parse_schedule(document)
    assert caught.value.details["truncated"] is True
    assert caught.value.message.startswith("assignments[1]: repeats assignments[0] (and 99+ more)")


def raw(document: dict[str, Any], **literals: str) -> bytes:
    """The document as JSON text, with each placeholder string replaced by a raw literal."""
    text = json.dumps(document)
    for name, literal in literals.items():
        text = text.replace(f'"{name}"', literal)
    return text.encode()


def read_errors(data: bytes) -> list[str]:
    with pytest.raises(Invalid) as caught:
        parse_schedule(load_document(data))
    return [f"{e['path']}: {e['message']}" for e in caught.value.details["errors"]]


@pytest.mark.parametrize(
    ("literal", "shown"),
    [("1e400", "inf"), ("-1e400", "-inf"), ("1" + "0" * 400, "an integer of about 400 digits")],
)
def test_non_finite_and_huge_numbers_are_refused_with_their_path(literal: str, shown: str) -> None:
    document = example()
    document["program"]["rules"]["hours_per_week_limit"] = "BIG"
    assert read_errors(raw(document, BIG=literal)) == [
        f"program.rules.hours_per_week_limit: expected a finite number, got {shown}"
    ]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_that_are_not_json_are_refused(literal: str) -> None:
    document = example()
    document["program"]["rules"]["hours_per_week_limit"] = "BIG"
    assert read_errors(raw(document, BIG=literal)) == [
        f"document: not valid JSON: {literal} is not valid JSON"
    ]


def test_nan_in_a_decoded_document_is_refused() -> None:
    document = example()
    document["program"]["rules"]["transition_hours"] = float("nan")
    assert errors_of(document) == [
        "program.rules.transition_hours: expected a finite number, got nan"
    ]


@pytest.mark.parametrize("value", [-1, -0.5])
def test_negative_hours_are_refused(value: float) -> None:
    document = example()
    document["program"]["rules"]["rest_between_periods_hours"] = value
    assert errors_of(document) == [
        f"program.rules.rest_between_periods_hours: must be >= 0, got {value}"
    ]


@pytest.mark.parametrize("field", ["minutes", "transition_minutes"])
def test_shifts_longer_than_a_week_are_refused(field: str) -> None:
    document = example()
    document["shift_types"][1][field] = 1e20
    assert errors_of(document) == [f"shift_types[1].{field}: must be <= 10080, got 1e+20"]


def test_a_repeated_supervising_shift_is_refused() -> None:
    document = example()
    document["shift_types"][2]["supervised_by"] = ["PRECEPT-AM", "DAY", "PRECEPT-AM"]
    assert errors_of(document) == ["shift_types[2].supervised_by[2]: repeats supervised_by[0]"]


def test_a_huge_pgy_level_key_is_refused() -> None:
    document = example()
    document["program"]["rules"]["supervision_ratio"] = {"9" * 5000: 2}
    [error] = errors_of(document)
    assert error.endswith(": expected a PGY level (1, 2, ...) as key")


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
@pytest.mark.parametrize(
    ("where", "path"),
    [
        (("assignments", 1, "date"), "assignments[1].date"),
        (("range", "start"), "range.start"),
        (("range", "end"), "range.end"),
        (("absences", 0, "end"), "absences[0].end"),
    ],
)
def test_dates_out_of_bounds_are_refused_with_their_path(
    day: str, where: tuple[Any, ...], path: str
) -> None:
    document = example()
    document["range"] = {"start": "2026-07-01", "end": "2026-07-28"}
    parent = document
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = day
    message = f'out of range "{day}": dates from 1900-01-01 to 2199-12-31'
    assert f"{path}: {message}" in errors_of(document)


@pytest.mark.parametrize("text", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_logged_work_out_of_bounds_is_refused(text: str) -> None:
    document = example()
    document["logged_work"][0]["start"] = text
    document["logged_work"][0]["end"] = text
    assert errors_of(document)[0].startswith(f'logged_work[0].start: out of range "{text}"')


def test_a_range_of_more_than_three_years_is_refused() -> None:
    document = example()
    document["range"] = {"start": "1900-01-01", "end": "2199-12-31"}
    assert errors_of(document) == ["range: at most 1098 days (3 years), got 109573"]
    del document["range"]  # the default, first to last assignment, is held to the same limit
    document["assignments"][1]["date"] = "2030-07-01"
    assert errors_of(document) == ["range: at most 1098 days (3 years), got 1462"]
    document["assignments"][1]["date"] = "2029-07-02"  # 1098 days from 2026-07-01 inclusive
    assert parse_schedule(document).range.days == 1098


def test_the_bounds_themselves_validate() -> None:
    document = example()
    document["program"]["timezone"] = "Pacific/Kiritimati"  # UTC+14: the earliest instant
    document["range"] = {"start": "1900-01-01", "end": "1900-01-03"}
    document["assignments"] = [  # outside the range: look-back and look-ahead may be anywhere
        {"person": "r1", "date": "1900-01-01", "shift": "CALL"},
        {"person": "r1", "date": "2199-12-31", "shift": "CALL"},
    ]
    document["absences"], document["logged_work"] = [], []
    schedule = parse_schedule(document)
    assert check_all(ScheduleContext(schedule)) == []


# The property: mutate a valid document anywhere, with anything JSON can say (and the extremes a
# hand-edited document holds), and the whole path of `resched validate` raises only Invalid.

EXTREME_TEXTS = st.sampled_from(
    [
        "0001-01-01", "9999-12-31", "1900-01-01", "2199-12-31", "2026-02-30", "2026-07-01",
        "0001-01-01T00:00", "9999-12-31T23:59", "2026-07-01T07:00:00", "24:00", "23:59", "00:00",
        "r1", "f1", "DAY", "CALL", "PRECEPT-AM", "UTC", "Asia/Tokyo", "Pacific/Kiritimati",
        "../etc/passwd", "", "1", "resident", "faculty", "in_house_call", "night_float", "block",
    ]
)  # fmt: skip
EXTREME_NUMBERS = st.sampled_from(
    [0, -1, 1, 2, 7, 10**6, 10**400, -(10**400), 1e300, 1e-300, -0.0, 0.5, 1440, 10080, 10081]
) | st.floats(allow_nan=True, allow_infinity=True)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | EXTREME_NUMBERS
    | EXTREME_TEXTS
    | st.text(max_size=12)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a member or element of the document, the root's members included."""
    found: list[tuple[Any, ...]] = []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in items:
        found.append((*path, key))
        found += places(child, (*path, key))
    return found


DATES = st.dates().map(dt.date.isoformat) | st.sampled_from(["0001-01-01", "9999-12-31"])
DATETIMES = st.datetimes().map(lambda t: t.isoformat(timespec="minutes")) | st.sampled_from(
    ["0001-01-01T00:00", "9999-12-31T23:59"]
)


def like(old: Any) -> st.SearchStrategy[Any]:
    """A replacement of the same kind as ``old`` most of the time (where crashes hide: a number
    for a number, a date for a date), anything at all otherwise."""
    if isinstance(old, bool) or old is None:
        return VALUES
    if isinstance(old, int | float):
        return EXTREME_NUMBERS | VALUES
    if isinstance(old, str) and len(old) == 10 and old[4] == "-":
        return DATES | VALUES
    if isinstance(old, str) and "T" in old:
        return DATETIMES | VALUES
    return VALUES


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    document = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.sampled_from(places(document)))
        parent = document
        for key in where[:-1]:
            parent = parent[key]
        old = parent[where[-1]]
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "copy"]))
        if action == "delete":
            del parent[where[-1]]
        elif action == "add" and isinstance(old, dict):
            old[draw(st.sampled_from(["x", "pgy", "minutes", "date", "start"]))] = draw(VALUES)
        elif action == "copy" and isinstance(old, list) and old:
            old.append(copy.deepcopy(draw(st.sampled_from(old))))
        else:
            parent[where[-1]] = draw(like(old))
    return document


def validate_all_the_way(document: dict[str, Any]) -> None:
    schedule = parse_schedule(document)
    findings = check_all(ScheduleContext(schedule))
    write_report(findings, schedule.range, schedule.people, schedule.assignments)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_any_mutation_raises_only_invalid(document: dict[str, Any]) -> None:
    with contextlib.suppress(Invalid):
        validate_all_the_way(document)
    try:  # the same as bytes, the way the API and the CLI read it
        text = json.dumps(document, allow_nan=True)
    except ValueError:  # an integer too long for text: JSON cannot carry it
        return
    with contextlib.suppress(Invalid):
        validate_all_the_way(load_document(text.encode()))
