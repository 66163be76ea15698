"""``resched generate year``: every block as one draft, each block's gap in --json and in the
summary; an unknown year exits 2 with nothing stored."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.services.schedules import list_schedules
from tests.cli.test_generate import FAST, refused, run
from tests.generation_data import Tiny
from tests.year_data import BLOCKS, LABEL, store_short_year

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(name="tiny")
def _tiny(session_factory: Factory) -> Tiny:
    return store_short_year(session_factory)


def test_the_whole_year_json_lists_every_block_with_its_gap(
    database_url: str, session_factory: Factory, tiny: Tiny
) -> None:
    result = run(database_url, "generate", "year", "--year", LABEL, *FAST, "--json")

    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["version_id"] is not None
    assert [b["number"] for b in out["blocks"]] == list(range(1, BLOCKS + 1))
    for block in out["blocks"]:
        assert {"status", "objective", "bound", "gap", "seconds", "start", "end"} <= set(block)
        assert block["gap"] is not None
    assert out["bound"] == sum(b["bound"] for b in out["blocks"])


def test_the_summary_prints_a_line_per_block(
    database_url: str, session_factory: Factory, tiny: Tiny
) -> None:
    result = run(database_url, "generate", "year", "--year", LABEL, *FAST)

    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip().startswith("block ")]
    assert len(lines) == BLOCKS
    assert all("gap " in line for line in lines)
    assert "stored as one draft" in result.stdout


def test_an_unknown_year_exits_2_and_stores_nothing(
    database_url: str, session_factory: Factory, tiny: Tiny
) -> None:
    before = len(list_schedules(factory=session_factory, limit=100).items)
    refused(run(database_url, "generate", "year", "--year", "1999", *FAST), "1999")
    assert len(list_schedules(factory=session_factory, limit=100).items) == before
