"""scripts/audit_lock.py (`make audit`): the exceptions file is read strictly, and the fallback
audit fails on a listed vulnerability unless it is an accepted exception. No network: PyPI's
answers are stand-ins."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "audit_lock.py"
TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_lock", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _exceptions(
    audit: ModuleType, tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "audit-exceptions.txt"
    path.write_text(text)
    monkeypatch.setattr(audit, "EXCEPTIONS", path)


def test_exceptions_are_read_with_their_review_dates(
    audit: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _exceptions(audit, tmp_path, "# comment\n\nGHSA-1  2027-01-01  no fix yet\n", monkeypatch)
    assert audit.read_exceptions(TODAY) == ["GHSA-1"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("GHSA-1 2027-01-01", "expected 'ID REVIEW-BY reason'"),
        ("GHSA-1 soon a reason", "is not YYYY-MM-DD"),
        ("GHSA-1 2026-12-01 a reason", "was due for review on 2026-12-01"),
    ],
)
def test_a_bad_or_overdue_exception_stops_the_audit(
    audit: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, message: str
) -> None:
    _exceptions(audit, tmp_path, line + "\n", monkeypatch)
    with pytest.raises(SystemExit) as stopped:
        audit.read_exceptions(TODAY)
    assert message in str(stopped.value)
    assert "audit-exceptions.txt:1" in str(stopped.value)


def _pypi(vulnerabilities: dict[str, list[dict[str, object]]], latest: dict[str, str]):  # type: ignore[no-untyped-def]
    def fetch(url: str) -> dict[str, object] | None:
        name = url.removeprefix(f"{SCRIPT_PYPI}/").removesuffix("/json")
        return {"info": {"version": latest[name]}, "vulnerabilities": vulnerabilities.get(name, [])}

    return fetch


SCRIPT_PYPI = "https://pypi.org/pypi"
ADVISORY = {"id": "GHSA-x", "aliases": ["CVE-2026-1"], "fixed_in": ["2.1"], "link": "https://x"}


def test_the_fallback_fails_on_a_listed_vulnerability(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(audit, "fetch_json", _pypi({"lib": [ADVISORY]}, {"lib": "2.0", "ok": "1"}))
    assert audit.audit_latest_releases({"lib": "2.0", "ok": "1"}, []) == 1
    out = capsys.readouterr().out
    assert "lib 2.0: GHSA-x (fixed in: 2.1)" in out


def test_an_accepted_exception_by_alias_or_a_withdrawn_advisory_passes(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    withdrawn = {**ADVISORY, "id": "GHSA-y", "aliases": [], "withdrawn": "2026-01-01"}
    monkeypatch.setattr(audit, "fetch_json", _pypi({"lib": [ADVISORY, withdrawn]}, {"lib": "2.0"}))
    assert audit.audit_latest_releases({"lib": "2.0"}, ["CVE-2026-1"]) == 0
    assert "no known vulnerabilities found" in capsys.readouterr().out


def test_pins_behind_the_latest_release_are_named(
    audit: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(audit, "fetch_json", _pypi({}, {"old": "3.0"}))
    assert audit.audit_latest_releases({"old": "2.9"}, []) == 0
    assert "old 2.9 (latest 3.0)" in capsys.readouterr().out
