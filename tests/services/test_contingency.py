"""The contingency service on the demo and the pediatrics-like program with three small pools
(tests/contingency_data.py): the lone credential holder is a single point of failure, the pairs
built to be fatal together are found and nothing else, the pool with ample slack raises no
alarm; margins, utilization and backups say the same; a cut of the pairs is stated, progress
is heard and a cancel stops the work; bad horizons name the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid, NotFound
from resched.services.contingency import analyse
from tests.contingency_data import DAYS, POOL_STORES, Pools

Factory = sessionmaker[Session]
pytestmark = pytest.mark.db


class Stop(Exception):
    pass


def _run(factory: Factory, pools: Pools, **options: Any) -> dict[str, Any]:
    return analyse(
        factory=factory, version_id=pools.version_id, start=pools.start, end=pools.end, **options
    )


def _codes(outage: dict[str, Any]) -> tuple[str, ...]:
    return tuple(p["code"] for p in outage["people"])


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_the_lone_holder_and_the_fatal_pairs_are_found_and_slack_raises_no_alarm(
    session_factory: Factory, program: str
) -> None:
    pools = POOL_STORES[program](session_factory)
    report = _run(session_factory, pools)
    assert report["format"] == "resched.contingency/v1"
    assert report["range"] == {"start": pools.start.isoformat(), "end": pools.end.isoformat()}
    by_person = {_codes(o)[0]: o for o in report["n_minus_1"]}
    lone = by_person[pools.lone]
    assert (lone["severity"], lone["orphaned"], lone["uncovered"], lone["impossible"]) == (
        "critical",
        DAYS,
        DAYS,
        DAYS,
    )
    assert pools.lone in {_codes(o)[0] for o in report["single_points_of_failure"]}
    first, second, backup = pools.pair
    for code in (first, second):
        # The backup takes every day: restored, but by a repair of a week (large: high).
        assert (by_person[code]["severity"], by_person[code]["repair_size"]) == ("high", DAYS)
    assert by_person[backup]["severity"] == "none"  # holds no shift
    fatal = {frozenset(_codes(o)) for o in report["n_minus_2"]["fatal"]}
    ours = {c for c in fatal if c & {*pools.pair, *pools.easy, pools.lone}}
    assert ours == {frozenset(p) for p in ((first, second), (first, backup), (second, backup))}
    assert report["n_minus_2"]["cut"] is None  # every pair was tried
    for code in pools.easy:
        assert by_person[code]["severity"] in ("low", "none")
        assert by_person[code]["uncovered"] == 0
    # The backups of the pair holders' outages are the third holder, every day.
    mine = [b for b in report["backups"] if b["out"]["code"] == first]
    assert len(mine) == DAYS
    assert {b["backup"]["code"] for b in mine} == {backup}
    assert {b["shift"] for b in mine} == {"PAIR"}


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_margins_and_utilization_of_the_pools(session_factory: Factory, program: str) -> None:
    pools = POOL_STORES[program](session_factory)
    report = _run(session_factory, pools)
    grid = report["margins"]
    assert len(grid["days"]) == DAYS
    column = {r["label"]: n for n, r in enumerate(grid["requirements"])}
    for row in grid["cells"]:
        ecmo, pair, easy = (row[column[f"{c} cover"]] for c in ("ECMO", "PAIR", "EASY"))
        assert (ecmo["assigned"], ecmo["minimum"], ecmo["standby"], ecmo["margin"]) == (1, 1, 0, 0)
        assert (pair["assigned"], pair["standby"], pair["margin"]) == (2, 1, 1)
        assert (easy["assigned"], easy["slack"], easy["standby"]) == (1, 0, 3)
    pools_by_label = {p["label"]: p for p in report["utilization"]["pools"]}
    ecmo = pools_by_label["ECMO cover"]
    # One person, seven days, 10 h a day against 80/7 h a day: 87.5 %, past the 80 % line.
    assert (ecmo["people"], ecmo["pool_days"], ecmo["assigned_hours"]) == (1, DAYS, 70.0)
    assert ecmo["capacity_hours"] == 80.0
    assert ecmo["no_slack"] is True
    pair = pools_by_label["PAIR cover"]
    assert (pair["people"], pair["assigned_hours"], pair["no_slack"]) == (3, 112.0, False)
    assert report["utilization"]["line"] == 0.8


def test_a_large_program_takes_pairs_among_the_most_critical_and_says_so(
    session_factory: Factory,
) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    heard: list[float] = []
    report = _run(session_factory, pools, pairs_limit=5, progress=lambda f, _: heard.append(f))
    cut = report["n_minus_2"]
    assert cut["people"] == min(30, report["people"])
    assert cut["pairs"] == cut["people"] * (cut["people"] - 1) // 2
    assert cut["cut"] is not None
    assert str(report["people"]) in cut["cut"]
    assert heard == sorted(heard)
    assert heard[-1] < 1


def test_a_cancel_stops_the_analysis(session_factory: Factory) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    calls: list[int] = []

    def cancel_check() -> None:
        calls.append(1)
        if len(calls) > 3:
            raise Stop

    with pytest.raises(Stop):
        _run(session_factory, pools, cancel_check=cancel_check)


def test_bad_horizons_name_the_field(session_factory: Factory) -> None:
    pools = POOL_STORES["pediatrics"](session_factory)
    ask = {"factory": session_factory, "version_id": pools.version_id}
    with pytest.raises(Invalid, match="end"):
        analyse(**ask, start=pools.end, end=pools.start)  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="start"):
        analyse(**ask, start=dt.date(2030, 1, 1), end=dt.date(2030, 1, 2))  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        analyse(factory=session_factory, version_id=999, start=pools.start, end=pools.end)
