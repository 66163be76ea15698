"""/swaps end to end on the demo and the pediatrics-like program: a give-away taken from the
board, a trade approved by a coordinator, the freeze horizon's override, a rule broken, and
bad input refused with the field named and nothing written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import ScheduleChangeRow, SwapRequestRow
from tests.api.conftest import ClientAs, error_fields
from tests.swap_data import SLOT_SHIFT, Board, add_open_slot, set_auto_approve, store_board
from tests.today_data import DUTY_STORES, Duties

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_STORES))
def board(request: pytest.FixtureRequest, app: FastAPI, session_factory: Factory) -> Board:
    store: Callable[[Factory], Duties] = DUTY_STORES[request.param]
    stored = store_board(session_factory, store(session_factory))
    _today(app, stored.far)
    return stored


def _today(app: FastAPI, day: dt.date) -> None:
    app.state.clock = lambda: dt.datetime(day.year, day.month, day.day, 17, tzinfo=dt.UTC)


def _count(factory: Factory, table: type[SwapRequestRow] | type[ScheduleChangeRow]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def _offer(board: Board, **extra: object) -> dict[str, object]:
    return {"person_id": board.a, "day": board.day.isoformat(), "shift": board.shift, **extra}


def test_a_give_away_is_offered_seen_taken_and_applied(
    client_as: ClientAs, board: Board, session_factory: Factory
) -> None:
    giver = client_as("resident", person_id=board.a)
    taker = client_as("resident", person_id=board.b)
    created = giver.post("swaps", json=_offer(board))
    assert created.status_code == 201, created.text
    swap = created.json()
    assert swap["status"] == "open"
    assert swap["taker"] is None
    seen = taker.get("swaps", params={"board": "open"}).json()
    assert [s["id"] for s in seen["items"]] == [swap["id"]]
    taken = taker.post(f"swaps/{swap['id']}/accept")
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "approved"
    assert taken.json()["taker"]["id"] == board.b
    assert _count(session_factory, ScheduleChangeRow) == 1
    mine = giver.get("swaps", params={"board": "mine"}).json()
    assert [s["status"] for s in mine["items"]] == ["approved"]


def test_a_trade_is_accepted_then_approved_by_a_coordinator(
    client_as: ClientAs, board: Board, session_factory: Factory
) -> None:
    set_auto_approve(session_factory, False)
    giver = client_as("resident", person_id=board.a)
    colleague = client_as("resident", person_id=board.b)
    coordinator = client_as("coordinator")
    trade = _offer(
        board,
        kind="trade",
        to_person_id=board.b,
        want_day=board.later(10).isoformat(),
        want_shift=board.shift,
    )
    swap = giver.post("swaps", json=trade).json()
    offered = colleague.get("swaps", params={"board": "offered"}).json()["items"]
    assert [s["id"] for s in offered] == [swap["id"]]
    assert colleague.post(f"swaps/{swap['id']}/accept").json()["status"] == "pending"
    assert giver.get("swaps", params={"board": "pending"}).status_code == 403
    assert colleague.post(f"swaps/{swap['id']}/approve").status_code == 403
    queue = coordinator.get("swaps", params={"board": "pending"}).json()["items"]
    assert [s["id"] for s in queue] == [swap["id"]]
    done = coordinator.post(f"swaps/{swap['id']}/approve", json={"note": "fine"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "approved"
    assert _count(session_factory, ScheduleChangeRow) == 1
    again = coordinator.post(f"swaps/{swap['id']}/approve")
    assert again.status_code == 409


def test_a_frozen_swap_is_approved_only_with_an_override(
    app: FastAPI, client_as: ClientAs, board: Board
) -> None:
    _today(app, board.near)
    giver = client_as("resident", person_id=board.a)
    colleague = client_as("resident", person_id=board.b)
    coordinator = client_as("coordinator")
    swap = giver.post("swaps", json=_offer(board, to_person_id=board.b)).json()
    assert colleague.post(f"swaps/{swap['id']}/accept").json()["status"] == "pending"
    refused = coordinator.post(f"swaps/{swap['id']}/approve")
    assert refused.status_code == 422
    assert error_fields(refused) == {"override"}
    done = coordinator.post(f"swaps/{swap['id']}/approve", json={"override": "sick_call"})
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "approved"


def test_taking_a_shift_that_breaks_a_rule_names_the_finding(
    client_as: ClientAs, board: Board, session_factory: Factory
) -> None:
    swap = client_as("resident", person_id=board.a).post("swaps", json=_offer(board)).json()
    refused = client_as("resident", person_id=board.clash).post(f"swaps/{swap['id']}/accept")
    assert refused.status_code == 422
    assert "would break a rule" in refused.json()["error"]["message"]
    assert refused.json()["error"]["details"]["findings"]
    assert _count(session_factory, ScheduleChangeRow) == 0


def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    client_as: ClientAs, board: Board, session_factory: Factory
) -> None:
    mine = client_as("resident", person_id=board.a)
    other = client_as("resident", person_id=board.b)
    cases = [
        (other, _offer(board), 403, "person_id"),
        (mine, _offer(board, to_person_id=board.a), 422, "to_person_id"),
        (mine, _offer(board, to_person_id=99999), 404, "to_person_id"),
        (mine, _offer(board, shift="NOPE"), 404, "shift"),
        (mine, _offer(board, day=board.later(3).isoformat()), 409, "shift"),
        (mine, _offer(board, day=(board.far - dt.timedelta(days=1)).isoformat()), 422, "day"),
        (mine, _offer(board, kind="trade", to_person_id=board.b), 422, "want_shift"),
        (mine, _offer(board, kind="swapsies"), 422, "kind"),
        (mine, _offer(board, day="tomorrow"), 422, "day"),
    ]
    for client, body, status, field in cases:
        response = client.post("swaps", json=body)
        assert response.status_code == status, (body, response.text)
        assert field in error_fields(response), (body, response.text)
    assert _count(session_factory, SwapRequestRow) == 0
    assert mine.post("swaps", json=_offer(board)).status_code == 201
    assert mine.post("swaps", json=_offer(board)).status_code == 409
    assert mine.post("swaps/99999/accept").status_code == 404
    assert mine.get("swaps", params={"board": "everything"}).status_code == 422
    assert _count(session_factory, SwapRequestRow) == 1


def test_an_open_slot_is_listed_and_picked_up(
    app: FastAPI, client_as: ClientAs, board: Board, session_factory: Factory
) -> None:
    day = add_open_slot(session_factory, board)
    _today(app, day)
    volunteer = client_as("resident", person_id=board.b)
    listed = volunteer.get("swaps/slots", params={"days": 1})
    assert listed.status_code == 200, listed.text
    assert {"day": day.isoformat(), "shift": SLOT_SHIFT} in [
        {"day": s["day"], "shift": s["shift"]} for s in listed.json()
    ]
    _today(app, board.far)
    body = {"day": day.isoformat(), "shift": SLOT_SHIFT}
    done = volunteer.post("swaps/pickups", json=body)
    assert done.status_code == 201, done.text
    assert done.json()["kind"] == "pickup"
    assert done.json()["giver"] is None
    assert done.json()["status"] == "approved"
    again = client_as("resident", person_id=board.c).post("swaps/pickups", json=body)
    assert again.status_code == 409
    assert error_fields(again) == {"shift"}
    assert volunteer.get("swaps/slots", params={"days": 99}).status_code == 422
    assert _count(session_factory, ScheduleChangeRow) == 1
