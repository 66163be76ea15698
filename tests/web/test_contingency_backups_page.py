"""The Contingency page's suggested backups added in one step, on the demo (BACKUP) and the
pediatrics-like program (JEOP): a row's "Add as backup" form (CSRF) puts the stand-in on the
jeopardy shift, back on the page with a notice and the way to undo; a frozen day carries the
override (coverage gap by default) and is refused without it; a violation and a shift already
held are refused with their words; without a jeopardy shift the rows say where to set one;
only coordinators add. Nothing is written on a refusal."""

from __future__ import annotations

import datetime as dt

import httpx2
import pytest

from resched.services.audit import list_audit_events
from tests.contingency_data import POOL_STORES, Pools, set_jeopardy, with_jeopardy
from tests.services.test_contingency_backups import code_of
from tests.today_data import version_rows
from tests.web import test_accessibility as a11y
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.test_contingency_page import _run

pytestmark = pytest.mark.db


def _at(web: WebApp, day: dt.date) -> None:
    web.app.state.clock = lambda: dt.datetime(day.year, day.month, day.day, 18, tzinfo=dt.UTC)


def _ready(web: WebApp, database_url: str, program: str, *, frozen: bool = False) -> Pools:
    """The pools with a report and a jeopardy shift; today is the pools' first day (frozen)
    or a month before it."""
    pools = POOL_STORES[program](web.session_factory)
    with_jeopardy(web.session_factory)
    _at(web, pools.start if frozen else pools.start - dt.timedelta(days=30))
    _run(web, pools, database_url)
    return pools


def _forms(web: WebApp, pools: Pools) -> list[Element]:
    page = parse(web.client.get(f"/contingency?version={pools.version_id}").text)
    return [f for f in page.iter("form") if f.attrs.get("action") == "/contingency/backups"]


def _values(form: Element) -> dict[str, str]:
    """What a browser sends from the form as shown."""
    values = {i.attrs["name"]: i.attrs.get("value", "") for i in form.iter("input")}
    for choice in form.iter("select"):
        chosen = [o for o in choice.iter("option") if "selected" in o.attrs]
        values[choice.attrs["name"]] = chosen[0].attrs["value"] if chosen else ""
    return values


def _post(web: WebApp, data: dict[str, str]) -> httpx2.Response:
    return web.client.post("/contingency/backups", data=data, follow_redirects=False)


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_a_suggested_backup_is_added_in_one_step(
    web: WebApp, database_url: str, program: str
) -> None:
    pools = _ready(web, database_url, program)
    shift = with_jeopardy(web.session_factory)
    forms = _forms(web, pools)
    mine = [f for f in forms if _values(f)["out"] == pools.pair[0]]
    assert mine
    form = mine[0]
    assert "Add as backup" in form.all("button")[0].text
    assert not list(form.iter("select"))  # not frozen: no override asked
    data = _values(form)
    assert data["person"] == pools.pair[2]
    before = version_rows(web.session_factory, pools.version_id)

    sent = _post(web, data)

    assert sent.status_code == 303, sent.text
    assert "added=" in sent.headers["location"]
    after = version_rows(web.session_factory, pools.version_id)
    added = {(d.isoformat(), c) for _, d, c, _, _ in set(after) - set(before)}
    assert added == {(data["day"], shift)}
    page = parse(web.client.get(sent.headers["location"]).text)
    notice = next(p for p in page.iter("p") if p.attrs.get("role") == "status")
    assert f"Added {pools.pair[2]} to {shift}" in notice.text
    assert "(contingency)" in notice.text
    undo = notice.all("a")[0]
    assert undo.attrs["href"] == f"/schedule/changes?version={pools.version_id}"
    for check in (a11y.test_exactly_one_h1, a11y.test_every_form_control_has_a_label):
        check({"/contingency": page})
    events = list_audit_events(factory=web.session_factory, entity="schedule_version").items
    assert [e.action for e in events].count("change.edit") == 1
    history = parse(web.client.get(undo.attrs["href"]).text)
    assert "(contingency)" in history.text  # the change set, with its undo form
    undo_form = next(f for f in history.iter("form") if "/undo" in f.attrs.get("action", ""))
    undone = web.client.post(
        undo_form.attrs["action"], data=_values(undo_form), follow_redirects=False
    )
    assert undone.status_code == 303, undone.text
    assert version_rows(web.session_factory, pools.version_id) == before

    assert _post(web, data).status_code == 303  # added again after the undo
    after = version_rows(web.session_factory, pools.version_id)
    again = _post(web, data)  # already on that shift
    assert again.status_code == 409
    assert "already holds" in again.text
    assert version_rows(web.session_factory, pools.version_id) == after


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_a_frozen_day_carries_the_override(web: WebApp, database_url: str, program: str) -> None:
    pools = _ready(web, database_url, program, frozen=True)
    form = next(f for f in _forms(web, pools) if _values(f)["out"] == pools.pair[0])
    data = _values(form)
    assert data["override_reason"] == "coverage_gap"  # the default
    before = version_rows(web.session_factory, pools.version_id)
    refused = _post(web, {**data, "override_reason": ""})
    assert refused.status_code == 422
    assert "Not added" in refused.text
    assert "override" in refused.text.lower()
    assert version_rows(web.session_factory, pools.version_id) == before
    assert _post(web, data).status_code == 303


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_a_violation_is_refused_with_the_finding(
    web: WebApp, database_url: str, program: str
) -> None:
    pools = _ready(web, database_url, program)
    data = _values(_forms(web, pools)[0])
    data |= {
        "person": code_of(web.session_factory, pools.duties.call),
        "day": pools.start.isoformat(),
    }
    before = version_rows(web.session_factory, pools.version_id)
    refused = _post(web, data)
    assert refused.status_code == 422
    alert = next(p for p in parse(refused.text).iter("p") if p.attrs.get("role") == "alert")
    assert "would break a rule" in alert.text
    assert version_rows(web.session_factory, pools.version_id) == before


def test_without_a_jeopardy_shift_the_rows_say_where_to_set_one(
    web: WebApp, database_url: str
) -> None:
    pools = _ready(web, database_url, "pediatrics")
    set_jeopardy(web.session_factory, "")
    assert _forms(web, pools) == []
    page = web.client.get(f"/contingency?version={pools.version_id}").text
    assert "Set a jeopardy shift in" in page
    assert "to add backups in one step" in page


def test_only_coordinators_add_backups(web: WebApp, database_url: str) -> None:
    pools = _ready(web, database_url, "pediatrics")
    data = _values(_forms(web, pools)[0])
    before = version_rows(web.session_factory, pools.version_id)
    for role in ("resident", "faculty"):
        other = web.client_as(role)
        assert other.post("/contingency/backups", data=data).status_code == 403
    no_token = {k: v for k, v in data.items() if k != "csrf_token"}
    assert _post(web, no_token).status_code == 403
    assert version_rows(web.session_factory, pools.version_id) == before
