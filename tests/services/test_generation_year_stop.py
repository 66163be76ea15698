"""Where a block of the year stops (year_blocks.stop_gap): at the year's target while the blocks
before it are, summed, within it; closer once they went beyond it, so that blocks that can close
make up for those that could not (the year's gap is a sum of the blocks')."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

import resched.core.solver.shifts as shifts_module
import resched.services.generation.year as year_module
from resched.core.solver import SolveConfig, SolveStatus
from resched.core.solver.result import relative_gap
from resched.services.generation.outcome import BlockReport
from resched.services.generation.year_blocks import stop_gap
from tests.services.test_generation_year_revisit import _fortnights, _run, _spec

Factory = sessionmaker[Session]


def _report(objective: float, bound: float) -> BlockReport:
    day = dt.date(2026, 7, 1)
    return BlockReport(
        number=1,
        start=day,
        end=day,
        status=SolveStatus.FEASIBLE,
        objective=objective,
        bound=bound,
        gap=relative_gap(objective, bound),
        seconds=1.0,
    )


def test_the_target_holds_while_the_blocks_before_are_within_it() -> None:
    assert stop_gap([], 13, 0.05) == 0.05
    # 2 + 8 = 10 from the bounds against 5 % of 261 = 13.05: within, so no block is asked more,
    # and a block that closed further (1.5 %) does not let the next one stop farther away.
    assert stop_gap([_report(132, 130), _report(129, 121)], 11, 0.05) == 0.05


def test_what_the_blocks_before_went_beyond_is_shared_out_over_the_blocks_left() -> None:
    done = [_report(100, 90), _report(100, 100)]  # 10 from the bounds, 5 % of 200 = 10 allowed
    assert stop_gap(done, 4, 0.05) == 0.05
    done = [_report(100, 80), _report(100, 100)]  # 20: 10 beyond, the mean objective 100
    assert stop_gap(done, 4, 0.05) == pytest.approx(0.05 - 10 / (100 * 4))
    assert stop_gap(done, 1, 0.05) == 0.0  # the last block cannot make it up: a proof is asked
    # Sums, not the blocks' own gaps: the year stays within the target if every later block
    # stops where it is asked (each closes its share of what lies beyond).
    later = [_report(100, 100 * (1 - stop_gap(done, 4, 0.05)))] * 4
    year = done + later
    total = sum(r.objective or 0 for r in year)
    bound = sum(r.bound or 0 for r in year)
    assert relative_gap(total, bound) == pytest.approx(0.05)


@pytest.mark.db
def test_each_block_of_a_run_stops_where_the_blocks_before_it_ask(
    session_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run's searches are given the stop gap of the year as it stood (the revisit tests'
    three fortnights and deterministic limits: the first block ends beyond a target of 1 %)."""
    _fortnights(session_factory)
    monkeypatch.setattr(year_module, "TARGET_GAP", 0.01)
    monkeypatch.setattr(year_module, "revisit", lambda *args, **kwargs: None)
    asked: list[float] = []
    original = shifts_module.schedule_shifts

    def recording(problem: Any, config: SolveConfig, **kwargs: Any) -> Any:
        asked.append(config.relative_gap)
        return original(problem, config, **kwargs)

    monkeypatch.setattr(shifts_module, "schedule_shifts", recording)
    outcome = _run(session_factory, _spec(session_factory))
    blocks = list(outcome.blocks)
    assert len(asked) == len(blocks) > 1
    assert asked == [stop_gap(blocks[:k], len(blocks) - k, 0.01) for k in range(len(blocks))]
    assert asked[0] == 0.01
    assert min(asked) < 0.01  # a block went beyond the target, so later ones stop closer
