"""The vendored axe-core (tests/e2e/vendor/, for the browser checks of test_axe.py) is exactly
the file recorded: axe.min.js of the npm package axe-core at the version its name carries, with
its licences. It is test-only: the app never serves it."""

from __future__ import annotations

import hashlib
import re

from resched.web.templating import STATIC_DIR
from tests.e2e.test_axe import AXE

VENDOR = AXE.parent


def _recorded() -> dict[str, str]:
    lines = (VENDOR / "CHECKSUMS.sha256").read_text().splitlines()
    pairs = [line.split() for line in lines if line.strip()]
    return {name.lstrip("*"): digest for digest, name in pairs}


def test_the_vendored_axe_matches_its_recorded_sha256() -> None:
    recorded = _recorded()
    scripts = sorted(p.name for p in VENDOR.iterdir() if p.suffix == ".js")
    assert scripts == sorted(recorded) == [AXE.name], "every vendored script is recorded"
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == recorded[AXE.name]


def test_the_file_name_carries_the_version_the_file_says() -> None:
    version = re.fullmatch(r"axe-(\d+\.\d+\.\d+)\.min\.js", AXE.name)
    assert version, AXE.name
    assert AXE.read_text()[:40].startswith(f"/*! axe v{version[1]}\n")


def test_the_licences_come_with_it() -> None:
    licence = (VENDOR / "axe-LICENSE.txt").read_text()
    assert licence.startswith("Mozilla Public License, version 2.0")
    assert (VENDOR / "axe-LICENSE-3RD-PARTY.txt").is_file()


def test_the_app_never_serves_it() -> None:
    assert not list(STATIC_DIR.rglob("axe*")), "axe-core is for the tests only"
