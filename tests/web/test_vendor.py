"""The vendored files (htmx, Swagger UI) are exactly the ones recorded, and they are the ones
the pages load."""

from __future__ import annotations

import hashlib
import re

from resched.web.api_docs import (
    DOCS_SCRIPT,
    PAGE,
    SWAGGER_UI_SCRIPT,
    SWAGGER_UI_STYLES,
    SWAGGER_UI_VERSION,
)
from resched.web.templating import HTMX_FILE, STATIC_DIR, TEMPLATES_DIR

VENDOR = STATIC_DIR / "vendor"


def _recorded() -> dict[str, str]:
    lines = (VENDOR / "CHECKSUMS.sha256").read_text().splitlines()
    pairs = [line.split() for line in lines if line.strip()]
    return {name.lstrip("*"): digest for digest, name in pairs}


def test_every_vendored_script_matches_its_recorded_sha256() -> None:
    recorded = _recorded()
    scripts = sorted(p.name for p in VENDOR.iterdir() if p.suffix in (".js", ".css"))
    assert scripts == sorted(recorded), "every vendored file is recorded, nothing else"
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_htmx_file_name_carries_its_version() -> None:
    name = HTMX_FILE.removeprefix("vendor/")
    match = re.fullmatch(r"htmx-(\d+\.\d+\.\d+)\.min\.js", name)
    assert match, name
    assert name in _recorded()
    head = (VENDOR / name).read_text()[:200]
    assert head.startswith("var htmx=function()"), "the minified htmx distribution"


def test_base_template_references_exactly_the_vendored_file() -> None:
    base = (TEMPLATES_DIR / "base.html").read_text()
    sources = re.findall(r'<script\s[^>]*src="([^"]+)"', base)
    vendored = [source for source in sources if source.startswith("/static/vendor/")]
    assert vendored == [f"/static/{HTMX_FILE}"]
    # Besides htmx only our own scripts (static/js), each loaded after it.
    ours = sources[sources.index(vendored[0]) + 1 :]
    assert ours == [source for source in sources if source not in vendored]
    for source in ours:
        assert source.startswith("/static/js/"), source
        assert (STATIC_DIR / source.removeprefix("/static/")).is_file(), source
    assert "<script>" not in base
    assert "<script >" not in base


def test_swagger_ui_files_carry_their_pinned_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", SWAGGER_UI_VERSION), "an exact version, not a range"
    for name in (SWAGGER_UI_SCRIPT, SWAGGER_UI_STYLES):
        assert SWAGGER_UI_VERSION in name
        assert name.removeprefix("vendor/") in _recorded()
    bundle = (STATIC_DIR / SWAGGER_UI_SCRIPT).read_text()
    assert "SwaggerUIBundle" in bundle
    assert (VENDOR / "swagger-ui-LICENSE.txt").read_text().lstrip().startswith("Apache License")


def test_docs_page_loads_exactly_the_vendored_files_and_our_start_script() -> None:
    assert "<script>" not in PAGE
    assert (STATIC_DIR / DOCS_SCRIPT).is_file()
    for name in ("{script}", "{docs_script}", "{styles}"):
        assert name in PAGE
