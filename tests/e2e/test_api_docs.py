"""The API docs page in a real browser: the vendored Swagger UI renders the schema under the
strict Content-Security-Policy of every page, with no violation and nothing from elsewhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

REPORT_VIOLATIONS = """document.addEventListener('securitypolicyviolation',
  e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"""


def test_swagger_ui_renders_under_the_page_policy(page: Page, base_url: str) -> None:
    problems: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(base_url) else foreign.append(r.url))
    page.add_init_script(REPORT_VIOLATIONS)
    response = page.goto("/api/docs")
    assert response is not None
    assert "script-src 'self';" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("resched")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 40
    assert problems == []
    assert foreign == []
