"""The Dockerfile: built in the hardened -dev image, run in the minimal hardened one as a
non-root user, and clean under hadolint. No Docker engine is needed (docs/deployment.md
"Container image")."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"

type Instruction = tuple[str, str]


def _instructions(text: str) -> list[Instruction]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    logical = re.sub(r"\\\n(\s*#[^\n]*\n)*", " ", text)
    found = []
    for line in logical.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            found.append((keyword.upper(), arguments.strip()))
    return found


@pytest.fixture(scope="module")
def stages() -> list[list[Instruction]]:
    """The instructions of each stage, FROM first."""
    stages: list[list[Instruction]] = []
    for instruction in _instructions(DOCKERFILE.read_text("utf-8")):
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _all(stage: list[Instruction], keyword: str) -> list[str]:
    return [arguments for name, arguments in stage if name == keyword]


def test_built_in_the_dev_image_and_run_in_the_minimal_hardened_image(
    stages: list[list[Instruction]],
) -> None:
    assert [stage[0][1] for stage in stages] == [
        "dhi.io/python:3.12-dev AS build",
        "dhi.io/python:3.12 AS runtime",
    ]


def test_dependencies_come_from_the_lock_file_with_hashes(
    stages: list[list[Instruction]],
) -> None:
    build = " ".join(_all(stages[0], "RUN"))
    assert "uv export --frozen --no-dev" in build
    assert "pip wheel --require-hashes" in build
    # The runtime venv has no pip: nothing in the final image installs packages.
    assert "venv --without-pip /opt/resched" in build


def test_the_runtime_stage_gets_only_the_installed_environment(
    stages: list[list[Instruction]],
) -> None:
    runtime = stages[1]
    assert _all(runtime, "COPY") == ["--from=build /opt/resched /opt/resched"]
    assert not _all(runtime, "RUN")  # no shell there to run it


def test_runs_as_a_numeric_non_root_user(stages: list[list[Instruction]]) -> None:
    users = _all(stages[1], "USER")
    assert users, "the runtime stage names its user"
    uid, _, gid = users[-1].partition(":")
    assert uid.isdigit()
    assert gid.isdigit()
    assert int(uid) != 0
    assert int(gid) != 0


def test_exec_form_start_and_health_check(stages: list[list[Instruction]]) -> None:
    runtime = stages[1]
    assert json.loads(_all(runtime, "ENTRYPOINT")[-1]) == ["resched"]
    assert json.loads(_all(runtime, "CMD")[-1])[0] == "serve"
    check = _all(runtime, "HEALTHCHECK")[-1]
    probe = json.loads(check[check.index("CMD ") + 4 :])
    assert probe[:2] == ["python", "-c"]
    assert "/healthz" in probe[2]
    assert "RESCHED_ALLOWED_HOSTS" in probe[2]
    assert _all(runtime, "EXPOSE") == ["8000"]


def test_writable_paths_are_volumes_and_labels_are_oci(stages: list[list[Instruction]]) -> None:
    runtime = stages[1]
    assert json.loads(_all(runtime, "VOLUME")[-1]) == ["/srv/resched/var", "/tmp"]
    labels = " ".join(_all(runtime, "LABEL"))
    for key in ("title", "version", "licenses", "base.name"):
        assert f"org.opencontainers.image.{key}=" in labels


def test_nothing_is_pinned_to_latest_or_swapped_for_slim_or_alpine() -> None:
    text = DOCKERFILE.read_text("utf-8")
    for reference in re.findall(r"(?:FROM|--from=)\s*(\S+)", text):
        if ":" in reference:
            assert not reference.endswith(":latest"), reference
    assert not re.search(r"FROM \S*(slim|alpine)", text)


def test_the_build_context_is_an_allow_list() -> None:
    lines = (ROOT / ".dockerignore").read_text("utf-8").splitlines()
    assert "*" in lines  # secrets/, .env, .venv and var/ never reach the build
    assert {"!pyproject.toml", "!uv.lock", "!src/"} <= set(lines)


def test_hadolint_passes() -> None:
    result = subprocess.run(
        [str(HADOLINT), "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
