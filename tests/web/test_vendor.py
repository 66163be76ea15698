"""The vendored htmx file is exactly the one recorded, and it is the one the pages load."""

from __future__ import annotations

import hashlib
import re

from resched.web.templating import HTMX_FILE, STATIC_DIR, TEMPLATES_DIR

VENDOR = STATIC_DIR / "vendor"


def _recorded() -> dict[str, str]:
    lines = (VENDOR / "CHECKSUMS.sha256").read_text().splitlines()
    pairs = [line.split() for line in lines if line.strip()]
    return {name.lstrip("*"): digest for digest, name in pairs}


def test_every_vendored_script_matches_its_recorded_sha256() -> None:
    recorded = _recorded()
    scripts = sorted(p.name for p in VENDOR.glob("*.js"))
    assert scripts == sorted(recorded), "every vendored script is recorded, nothing else"
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
    assert sources == [f"/static/{HTMX_FILE}"]
    assert "<script>" not in base
    assert "<script >" not in base
