"""Known vulnerabilities of every locked package (`make audit`, docs/troubleshooting.md).

Exports uv.lock (runtime and development groups: everything that is locked) to a hashed
requirements file and runs pip-audit on it against PyPI's vulnerability data, with the accepted
exceptions of audit-exceptions.txt passed as --ignore-vuln.

pip-audit reads PyPI's per-version JSON (/pypi/NAME/VERSION/json). Where only the project JSON
(/pypi/NAME/json) is reachable, as on a network that lets just a package index through, the
fallback reads the vulnerabilities PyPI lists there for the latest release: that is exactly the data
for every pin that is the latest release, and it names the pins it could not fully audit.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS = ROOT / "audit-exceptions.txt"
UV = ROOT / ".tools" / "bin" / "uv"
PIP_AUDIT = ROOT / ".venv" / "bin" / "pip-audit"
PYPI = "https://pypi.org/pypi"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)
TIMEOUT_SECONDS = 30
TRIES = 3


def read_exceptions(today: datetime.date) -> list[str]:
    """IDs of the accepted advisories; exits if a line is malformed or past its review date."""
    ids, problems = [], []
    for number, line in enumerate(EXCEPTIONS.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(maxsplit=2)
        where = f"{EXCEPTIONS.name}:{number}"
        if len(parts) < 3:
            problems.append(f"{where}: expected 'ID REVIEW-BY reason'")
            continue
        advisory, review_by, _reason = parts
        try:
            due = datetime.date.fromisoformat(review_by)
        except ValueError:
            problems.append(f"{where}: review date {review_by!r} is not YYYY-MM-DD")
            continue
        if due < today:
            problems.append(f"{where}: {advisory} was due for review on {due}: re-check it")
        ids.append(advisory)
    if problems:
        sys.exit("audit exceptions:\n  " + "\n  ".join(problems))
    return ids


def export_lock(target: Path) -> None:
    subprocess.run(  # noqa: S603 - our own uv, fixed arguments
        [str(UV), "export", "--frozen", "--all-groups", "--no-emit-project", "--no-header",
         "--format", "requirements.txt", "--output-file", str(target), "--quiet"],
        cwd=ROOT, check=True,
    )  # fmt: skip


def fetch_json(url: str) -> dict[str, object] | None:
    """The JSON at url, or None for a 404 (unknown there, or not let through).

    A few tries: one dropped connection should not fail a CI run.
    """
    for attempt in range(1, TRIES + 1):
        try:
            # S310: every url is built from the https PYPI constant.
            with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                return json.load(response)  # type: ignore[no-any-return]
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            if error.code < 500 or attempt == TRIES:
                raise
        except urllib.error.URLError:
            if attempt == TRIES:
                raise
        time.sleep(attempt)
    raise AssertionError("unreachable")


def per_version_data_reachable(pins: dict[str, str]) -> bool:
    return fetch_json(f"{PYPI}/pip-audit/{pins['pip-audit']}/json") is not None


def run_pip_audit(requirements: Path, ignored: list[str]) -> int:
    command = [str(PIP_AUDIT), "--strict", "--require-hashes", "--disable-pip",
               "--progress-spinner", "off", "--desc", "on", "--aliases", "on",
               "--requirement", str(requirements)]  # fmt: skip
    for advisory in ignored:
        command += ["--ignore-vuln", advisory]
    return subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603 - our pip-audit


def audit_latest_releases(pins: dict[str, str], ignored: list[str]) -> int:
    """Fallback: PyPI's vulnerabilities of each package's latest release (see the docstring)."""

    def project(name: str) -> tuple[str, dict[str, object]]:
        data = fetch_json(f"{PYPI}/{name}/json")
        if data is None:
            sys.exit(f"{name}: not found on PyPI")
        return name, data

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        projects = dict(pool.map(project, sorted(pins)))
    findings, behind = [], []
    for name, data in projects.items():
        latest = str(data["info"]["version"])  # type: ignore[index]
        if latest != pins[name]:
            behind.append(f"{name} {pins[name]} (latest {latest})")
        for vuln in data.get("vulnerabilities") or []:  # type: ignore[attr-defined]
            names = {vuln["id"], *vuln.get("aliases", [])}
            if vuln.get("withdrawn") or names & set(ignored):
                continue
            fixed = ", ".join(vuln.get("fixed_in") or []) or "no fix"
            link = vuln.get("link", "")
            findings.append(f"{name} {pins[name]}: {vuln['id']} (fixed in: {fixed}) {link}")
    print(f"audited {len(pins)} pins against the vulnerabilities PyPI lists for the latest release")
    if behind:
        print(
            f"{len(behind)} pins are behind the latest release: advisories fixed between the pin"
            " and the latest release are not visible here (pip-audit sees them):\n  "
            + "\n  ".join(behind)
        )
    if findings:
        print("known vulnerabilities:\n  " + "\n  ".join(findings))
        return 1
    print("no known vulnerabilities found")
    return 0


def main() -> int:
    ignored = read_exceptions(datetime.datetime.now(datetime.UTC).date())
    with tempfile.TemporaryDirectory() as scratch:
        requirements = Path(scratch) / "requirements.txt"
        export_lock(requirements)
        pins = {name.lower(): version for name, version in PIN.findall(requirements.read_text())}
        accepted = " ".join(ignored) or "-"
        print(f"{len(pins)} locked packages, accepted exceptions: {accepted}")
        if per_version_data_reachable(pins):
            return run_pip_audit(requirements, ignored)
        print(
            "NOTE: PyPI's per-version JSON, which pip-audit reads, is not reachable from here;"
            " falling back to the project JSON (docs/troubleshooting.md, 'Known vulnerabilities')"
        )
        return audit_latest_releases(pins, ignored)


if __name__ == "__main__":
    sys.exit(main())
