"""An htmx request that fails, on a 390 px phone (issue 17): the database answers 503 while a
coordinator changes a cell of the Block plan, then the connection is lost. htmx swaps nothing
for either, so without static/js/htmx-failures.js the form just seemed not to react. The test
answers the form's own check request (/plan/cell/check) with the app's real 503 page and
Retry-After (rendered by an app whose database refuses connections), and asserts the message in
words beside the form, what was typed still there, the page fitting the screen, and axe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, Route, expect

from resched.http.cookies import SESSION_COOKIE
from tests.accounts import make_app
from tests.e2e.conftest import PATIENCE_MS, PHONE
from tests.e2e.published import OVERFLOW
from tests.e2e.test_axe import AXE, AXE_TAGS, BLOCKING, RUN_AXE
from tests.faults.redis_server import free_port

pytestmark = pytest.mark.e2e
CHECK = "**/plan/cell/check"
REASON = "Covering Dr Lee's leave"
WORDS = re.compile(r"This change breaks no rule|What this change (breaks|mends)|Still broken")


@pytest.fixture(scope="module")
def unavailable() -> tuple[int, dict[str, str], str]:
    """The app's own answer while its database refuses connections: status, headers, page."""
    app = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/gone")
    try:
        with TestClient(app) as client:
            client.cookies.set(SESSION_COOKIE, "a-session-the-database-cannot-look-up")
            answer = client.get("/plan", headers={"HX-Request": "true"})
    finally:
        app.state.engine.dispose()
    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == "5"
    headers = {"Retry-After": "5", "Content-Type": answer.headers["content-type"]}
    return answer.status_code, headers, answer.text


@pytest.fixture
def phone_page(browser: Browser, base_url: str, signed_in_state: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(
        base_url=base_url,
        viewport=PHONE,  # type: ignore[arg-type]
        storage_state=signed_in_state,  # type: ignore[arg-type]
    )
    context.set_default_timeout(PATIENCE_MS)
    context.add_init_script(path=AXE)
    yield context.new_page()
    context.close()


def _blocking(page: Page) -> list[str]:
    found = page.evaluate(RUN_AXE, AXE_TAGS)
    return [f"{f['rule']}: {f['targets']}" for f in found if f["impact"] in BLOCKING]


def test_a_503_and_a_lost_connection_are_said_and_the_form_is_kept(
    phone_page: Page, unavailable: tuple[int, dict[str, str], str]
) -> None:
    page = phone_page
    status, headers, body = unavailable
    page.goto("/plan")
    page.locator("table.plan a.cell-link").nth(1).click()
    editor = page.locator("#cell-editor")
    expect(editor.get_by_role("heading", level=2)).to_contain_text("Block 2 of ")
    editor.get_by_label("Reason").fill(REASON)
    rotation = editor.get_by_label("Rotation")
    values = rotation.locator("option").evaluate_all("os => os.map(o => o.value)")
    choices = [value for value in values if value and value != rotation.input_value()]

    def refuse(route: Route) -> None:
        route.fulfill(status=status, headers=headers, body=body)

    page.route(CHECK, refuse)
    with page.expect_response(lambda r: r.url.endswith("/plan/cell/check")) as answered:
        rotation.select_option(choices[0])  # the form's htmx check runs on every change
    assert answered.value.status == 503
    failure = editor.get_by_role("alert")
    expect(failure).to_contain_text("The database is unavailable. Nothing was changed.")
    expect(failure).to_contain_text("What you entered is still here. Try again in 5 s.")
    expect(failure).to_be_in_viewport()
    expect(editor.get_by_label("Reason")).to_have_value(REASON)
    expect(rotation).to_have_value(choices[0])
    assert page.evaluate(OVERFLOW) <= 0
    assert _blocking(page) == []

    page.unroute(CHECK)
    page.route(CHECK, lambda route: route.abort("connectionrefused"))
    rotation.select_option(choices[1] if len(choices) > 1 else "")
    expect(failure).to_contain_text("The server could not be reached")
    expect(editor.get_by_label("Reason")).to_have_value(REASON)

    page.unroute(CHECK)  # the database is back: the next check answers, the message goes
    rotation.select_option(choices[0])
    expect(editor.locator("#cell-findings")).to_contain_text(WORDS)
    expect(failure).to_have_count(0)
    expect(editor.get_by_label("Reason")).to_have_value(REASON)


# A page that means to swap a validation answer in (htmx responseHandling); error: true still
# fires htmx:responseError, which the script must leave alone: the page shows its own answer.
SWAP_422 = """() => { htmx.config.responseHandling = [
  {code: "204", swap: false}, {code: "[23]..", swap: true},
  {code: "422", swap: true, error: true}, {code: "[45]..", swap: false, error: true}]; }"""


def test_an_error_answer_the_page_swaps_in_is_left_to_the_page(phone_page: Page) -> None:
    page = phone_page
    page.goto("/plan")
    page.locator("table.plan a.cell-link").nth(1).click()
    editor = page.locator("#cell-editor")
    expect(editor.get_by_role("heading", level=2)).to_contain_text("Block 2 of ")
    page.evaluate(SWAP_422)
    fragment = '<p class="findings-refused">Pick a rotation this resident may do.</p>'
    page.route(
        CHECK,
        lambda route: route.fulfill(
            status=422, body=fragment, headers={"Content-Type": "text/html; charset=utf-8"}
        ),
    )
    rotation = editor.get_by_label("Rotation")
    other = rotation.locator("option").evaluate_all(
        "(os, now) => os.map(o => o.value).find(v => v && v !== now)", rotation.input_value()
    )
    with page.expect_response(lambda r: r.url.endswith("/plan/cell/check")):
        rotation.select_option(other)
    expect(editor.locator("#cell-findings")).to_contain_text("Pick a rotation this resident")
    expect(editor.locator(".request-failure")).to_have_count(0)
