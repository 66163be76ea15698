"""The Compliance page: findings with explanations, filters, the weekly hours table, the
rolling-average charts, the empty state, errors, and a bounded number of queries."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from resched.services import people
from resched.services.schedule_import import import_schedule
from resched.web.wording import describe_rule
from tests import builders
from tests.schedule_data import base_doc, store_program, troubled_doc
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse

pytestmark = pytest.mark.db


@pytest.fixture
def version_id(web: WebApp) -> int:
    store_program(web.session_factory)
    return import_schedule(factory=web.session_factory, document=troubled_doc()).version.id


def page(web: WebApp, **params: Any) -> Element:
    response = web.client.get("/compliance", params=params)
    assert response.status_code == 200, response.text
    return parse(response.text)


def findings_rows(tree: Element) -> list[list[str]]:
    table = next(t for t in tree.iter("table") if "findings" in t.attrs.get("class", ""))
    body = table.all("tbody")[0]
    return [[td.text for td in tr.all("td")] for tr in body.all("tr")]


def hours_table(tree: Element) -> Element:
    return next(t for t in tree.iter("table") if "hours" in t.attrs.get("class", "").split())


def test_empty_state_without_a_schedule(web: WebApp) -> None:
    tree = page(web)
    assert "No schedule is stored yet" in tree.text
    assert not tree.all("table")


def test_findings_are_listed_with_their_explanations(web: WebApp, version_id: int) -> None:
    tree = page(web)
    assert "Not compliant" in tree.text
    rows = findings_rows(tree)
    rules = {row[1] for row in rows}
    ids = {"hours-80", "day-off-1-in-7", "night-float-consecutive", "supervision-ratio"}
    assert {describe_rule(r) for r in ids} <= rules
    hours = next(row for row in rows if row[1] == "Weekly hours limit, averaged")
    assert hours[0].endswith("Violation")
    assert hours[2].startswith("Ada Lee")
    assert (hours[4], hours[5]) == ("84", "80")
    assert "Ada Lee: 84 h/week averaged over" in hours[6]
    assert not any("-" in row[1] for row in rows)  # the rules in words, never their ids
    supervision = next(row for row in rows if row[1] == describe_rule("supervision-ratio"))
    assert supervision[2] == "Shift CLIN"


@pytest.mark.parametrize(
    ("params", "expected_rules", "residents"),
    [
        ({"rule": "hours-80"}, {"hours-80"}, ["Ada Lee", "Ben Ode", "Cy Park"]),
        ({"person": "r3"}, {"night-float-consecutive"}, ["Cy Park"]),
        ({"pgy": "1"}, {"hours-80", "day-off-1-in-7"}, ["Ada Lee"]),
        ({"pgy": "2"}, set(), ["Ben Ode"]),
        ({"pgy": "x"}, None, ["Ada Lee", "Ben Ode", "Cy Park"]),  # ignored, like an empty one
    ],
)
def test_filters_narrow_findings_and_residents(
    web: WebApp,
    version_id: int,
    params: dict[str, str],
    expected_rules: set[str] | None,
    residents: list[str],
) -> None:
    tree = page(web, **params)
    if expected_rules == set():
        assert "No findings for these filters" in tree.text
    elif expected_rules is not None:
        assert {row[1] for row in findings_rows(tree)} == {describe_rule(r) for r in expected_rules}
    names = [
        th.all("a")[0].text for th in hours_table(tree).iter("th") if th.attrs.get("scope") == "row"
    ]
    assert names == residents
    for key, value in params.items():  # the form shows what is applied
        if value.isalnum() and value != "x":
            select = tree.by_id(f"c-{key}")
            assert select is not None
            chosen = [o.attrs["value"] for o in select.iter("option") if "selected" in o.attrs]
            assert chosen == [value]


def test_weekly_hours_carry_text_besides_colour(web: WebApp, version_id: int) -> None:
    table = hours_table(page(web))
    headers = [th.text for th in table.all("thead")[0].iter("th")]
    assert headers[1:7] == ["1 Jul", "8 Jul", "15 Jul", "22 Jul", "29 Jul", "5 Aug"]
    ada = table.all("tbody")[0].all("tr")[0]
    cells = ada.all("td")
    assert cells[0].text == "84.0 ⚠ (over the limit)"
    assert "hours-over" in cells[0].attrs["class"]
    assert cells[4].text == "0.0"  # the fifth week: Ada is off
    assert cells[6].text.startswith("84.0")  # the worst four-week average
    ben = table.all("tbody")[0].all("tr")[1].all("td")
    assert ben[0].text == "64.0"  # five 12-hour days and the Saturday clinic
    assert "hours-ok" in ben[0].attrs["class"]


def test_rolling_average_charts_are_inline_svg_without_styles(web: WebApp, version_id: int) -> None:
    response = web.client.get("/compliance")
    tree = parse(response.text)
    figures = [f for f in tree.iter("figure") if "chart" in f.attrs.get("class", "")]
    assert len(figures) == 3
    ada = figures[0]
    assert "Ada Lee: highest four-week average 84 h/week" in ada.all("figcaption")[0].text
    svg = ada.all("svg")[0]
    assert svg.attrs["role"] == "img"
    assert svg.attrs["aria-labelledby"] == ada.all("figcaption")[0].attrs["id"]
    paths = [p.attrs.get("class") for p in svg.iter("path")]
    assert paths.count("average") == 1
    assert paths.count("over") >= 1
    assert "over" not in [p.attrs.get("class") for p in figures[1].iter("path")]
    for element in tree.iter():
        assert "style" not in element.attrs, element.tag
    assert not tree.all("style")
    assert "<script>" not in response.text


def test_a_range_and_a_version_can_be_chosen(web: WebApp, version_id: int) -> None:
    weekdays = [d for d in range(42) if (d + 2) % 7 < 5]
    doc = base_doc().assign_days("r2", "DAY", weekdays).doc
    other = import_schedule(factory=web.session_factory, document=doc, label="Other").version.id
    assert "✓ Compliant: 0 violations" in page(web, version=str(other)).text
    tree = page(web, version=str(version_id), start="2026-08-01", end="2026-08-11")
    assert tree.by_id("c-start").attrs["value"] == "2026-08-01"  # type: ignore[union-attr]
    headers = [th.text for th in hours_table(tree).all("thead")[0].iter("th")]
    assert headers[1:3] == ["1 Aug", "8 Aug (4 d)"]


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"start": "2026-07-10", "end": "2026-07-01"}, 422, "before the start"),
        ({"start": "07/01/2026"}, 422, "start: expected a date YYYY-MM-DD"),
        ({"version": "424242"}, 404, "schedule_version 424242 not found"),
        # A person or rule that names nothing is refused, not shown as everyone / every rule.
        ({"person": "nobody"}, 422, "no one in this schedule has the code"),
        ({"rule": "hours-99"}, 422, "there is no rule"),
        ({"version": "99999999999999"}, 404, "not found"),
    ],
)
def test_bad_requests_get_a_readable_page(
    web: WebApp, version_id: int, params: dict[str, str], status: int, fragment: str
) -> None:
    response = web.client.get("/compliance", params=params)
    assert response.status_code == status
    assert fragment in response.text
    assert response.headers["content-type"].startswith("text/html")


def test_everyone_signed_in_may_look_and_others_sign_in(web: WebApp, version_id: int) -> None:
    assert web.client_as("resident").get("/compliance").status_code == 200
    anonymous = web.anonymous.get("/compliance", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")


def test_query_count_does_not_grow_with_the_schedule(web: WebApp, version_id: int) -> None:
    small = web.queries.measure(lambda: page(web, version=str(version_id)))
    more = []
    for n in range(30):
        profile = dataclasses.replace(builders.resident(f"g{n:02d}", None), name=f"Grown {n:02d}")
        stored = people.create_person(factory=web.session_factory, profile=profile)
        more.append(stored)
    doc = troubled_doc()
    for p in more:
        doc["people"].append({"id": p.code, "role": "resident", "pgy": 1})
        for day in range(0, 42, 2):
            doc["assignments"].append(
                {"person": p.code, "date": f"2026-{7 + (day + 1) // 32:02d}-{(day % 31) + 1:02d}",
                 "shift": "DAY"}
            )  # fmt: skip
    big = import_schedule(factory=web.session_factory, document=doc).version
    assert big.assignments > 600

    large = web.queries.measure(lambda: page(web, version=str(big.id)))

    assert large == small
    # Measured: 16 (sign-in 1, version list 3, the version 2, program 1, years 3, rows 6).
    assert small <= 20
    assert web.queries.measure(lambda: page(web)) <= small + 4  # + finding the default version


@pytest.mark.parametrize(
    ("params", "verdict"),
    [
        ({}, "Not compliant: 4 violations and 1 warning"),
        ({"person": "r3"}, "Not compliant for Cy Park: 1 violation and 0 warnings"),
        ({"pgy": "2"}, "Compliant for PGY-2 residents: 0 violations and 0 warnings"),
        (
            {"rule": "day-off-1-in-7", "person": "r1"},
            "Not compliant for Ada Lee on the rule “One free day in seven”: 1 violation",
        ),
    ],
)
def test_the_verdict_describes_what_the_filters_show(
    web: WebApp, version_id: int, params: dict[str, str], verdict: str
) -> None:
    tree = page(web, **params)
    text = next(p for p in tree.iter("p") if "verdict" in p.attrs.get("class", "")).text
    assert verdict in " ".join(text.split())
