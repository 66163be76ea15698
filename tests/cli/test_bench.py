"""``resched bench curtois``: no database, JSON keys, the scorer's verdict, exit 2 on bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resched.cli import app
from tests.core.bench.curtois_tiny import INSTANCES, text

TINY = text(7, "D,480,", "A,D=7,9999,0,3,1,1,2", "", "A,0,D,2", "", "3,D,1,10,1")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["bench", "curtois", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_has_the_figures_and_the_verdict(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY)
    code, out, _ = _run(str(path), "--json", "--workers", "1", "--time-limit", "30")
    assert code == 0
    outcome = json.loads(out)
    assert {"objective", "bound", "status", "seconds", "instance", "best_known", "gap"} <= set(
        outcome
    )
    assert (outcome["objective"], outcome["bound"], outcome["status"]) == (0, 0, "optimal")
    assert outcome["best_known"] is None
    assert outcome["verified"] is True


def test_a_published_instance_is_compared_with_its_best_known_value() -> None:
    path = str(Path(INSTANCES) / "Instance1.txt")
    code, out, _ = _run(path, "--workers", "1", "--time-limit", "120", "--seed", "3")
    assert code == 0
    assert "best known 607" in out
    assert "scorer     agrees" in out


def test_malformed_file_exits_2_naming_line_and_section(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(TINY.replace("A,D=7,", "A,D=x,"))
    code, out, err = _run(str(path))
    assert code == 2
    assert out == ""
    assert f"error: {path}: line 8 (SECTION_STAFF): MaxShifts 'D=x' is not a number" in err


def test_missing_file_and_bad_options_exit_2(tmp_path: Path) -> None:
    code, _, err = _run(str(tmp_path / "none.txt"))
    assert code == 2
    assert "cannot read" in err
    code, _, err = _run(str(tmp_path / "none.txt"), "--time-limit", "0")
    assert code == 2
    assert "--time-limit must be positive" in err


def test_a_scorer_disagreement_exits_3_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resched.core.bench.curtois import score as score_module

    real = score_module.score_roster
    monkeypatch.setattr(
        score_module,
        "score_roster",
        lambda instance, roster: score_module.Score(real(instance, roster).objective + 1, ()),
    )
    path = tmp_path / "tiny.txt"
    path.write_text(TINY)
    code, _, err = _run(str(path), "--workers", "1", "--time-limit", "30")
    assert code == 3
    assert "MISMATCH: the scorer finds objective 1 where the solver reports 0" in err
