"""/swaps and /swaps/offer on the demo and the pediatrics-like program: a resident offers a
shift from My schedule, a colleague takes it from the board (or is told why not), a trade waits
in the coordinators' queue and is approved there, a frozen one only with an override; bad input
shows at the field, and every form carries its CSRF token."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from resched.db.tables import PersonRow, ScheduleChangeRow, SwapRequestRow, UserRole
from tests.swap_data import SLOT_SHIFT, Board, add_open_slot, set_auto_approve, store_board
from tests.today_data import DUTY_STORES
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db


@pytest.fixture(params=sorted(DUTY_STORES))
def board(web: WebApp, request: pytest.FixtureRequest) -> Board:
    stored = store_board(web.session_factory, DUTY_STORES[request.param](web.session_factory))
    _today(web, stored.far)
    return stored


def _today(web: WebApp, day: dt.date) -> None:
    web.app.state.clock = lambda: dt.datetime(day.year, day.month, day.day, 17, tzinfo=dt.UTC)


def _post(client: TestClient, path: str, **data: Any) -> Any:
    token = csrf_of(client.get("/swaps"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _count(web: WebApp, table: type[SwapRequestRow] | type[ScheduleChangeRow]) -> int:
    with web.session_factory() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def _offer_form(board: Board, **extra: str) -> dict[str, str]:
    return {"day": board.day.isoformat(), "shift": board.shift, "kind": "giveaway", **extra}


def _ids(html: str, section: str) -> str:
    found = parse(html).by_id(section)
    assert found is not None
    assert found.parent is not None
    return found.parent.text


def test_offer_from_my_schedule_then_taken_from_the_board(web: WebApp, board: Board) -> None:
    _today(web, board.day - dt.timedelta(days=10))  # the day is in My schedule's two weeks
    giver = web.client_as(UserRole.RESIDENT, person_id=board.a)
    me = parse(giver.get("/me").text)
    links = [a.attrs["href"] for a in me.iter("a") if "my-offer" in a.attrs.get("class", "")]
    wanted = f"/swaps/offer?day={board.day.isoformat()}&shift={board.shift}"
    assert wanted in links
    form = giver.get(wanted)
    assert form.status_code == 200
    legal = next(
        g for g in parse(form.text).iter("optgroup") if g.attrs["label"] == "Could take it"
    )
    names = [o.text for o in legal.iter("option")]
    with web.session_factory() as session:
        colleague = session.get(PersonRow, board.b)
        assert colleague is not None
    assert colleague.name in names
    made = _post(giver, "/swaps/offer", **_offer_form(board))
    assert made.status_code == 303, made.text
    assert made.headers["location"] == "/swaps?notice=offered"

    taker = web.client_as(UserRole.RESIDENT, person_id=board.b)
    page = taker.get("/swaps").text
    assert "Take it" in _ids(page, "swaps-board")
    refused = web.client_as(UserRole.RESIDENT, person_id=board.clash).get("/swaps").text
    assert "You cannot take it" in _ids(refused, "swaps-board")
    (swap_id,) = _swap_ids(web)
    taken = _post(taker, f"/swaps/{swap_id}/accept")
    assert taken.status_code == 303
    assert taken.headers["location"] == "/swaps?notice=approved"
    assert _count(web, ScheduleChangeRow) == 1
    mine = giver.get("/swaps").text
    assert "Approved" in _ids(mine, "swaps-mine")


def _swap_ids(web: WebApp) -> list[int]:
    with web.session_factory() as session:
        return list(session.scalars(select(SwapRequestRow.id).order_by(SwapRequestRow.id)))


def test_a_trade_is_accepted_and_approved_in_the_queue(web: WebApp, board: Board) -> None:
    set_auto_approve(web.session_factory, False)
    giver = web.client_as(UserRole.RESIDENT, person_id=board.a)
    colleague = web.client_as(UserRole.RESIDENT, person_id=board.b)
    trade = _offer_form(
        board,
        kind="trade",
        to_person_id=str(board.b),
        want_day=board.later(10).isoformat(),
        want_shift=board.shift,
    )
    assert _post(giver, "/swaps/offer", **trade).status_code == 303
    (swap_id,) = _swap_ids(web)
    assert "Accept" in _ids(colleague.get("/swaps").text, "swaps-offered")
    accepted = _post(colleague, f"/swaps/{swap_id}/accept")
    assert accepted.headers["location"] == "/swaps?notice=pending"
    assert "swaps-waiting" not in colleague.get("/swaps").text
    queue = _ids(web.client.get("/swaps").text, "swaps-waiting")
    assert "Waiting for approval (1)" in queue
    approved = _post(web.client, f"/swaps/{swap_id}/approve", override="", override_note="")
    assert approved.headers["location"] == "/swaps?notice=approved"
    assert _count(web, ScheduleChangeRow) == 1


def test_a_frozen_swap_needs_the_override_in_the_queue(web: WebApp, board: Board) -> None:
    _today(web, board.near)
    giver = web.client_as(UserRole.RESIDENT, person_id=board.a)
    colleague = web.client_as(UserRole.RESIDENT, person_id=board.b)
    assert (
        _post(giver, "/swaps/offer", **_offer_form(board, to_person_id=str(board.b))).status_code
        == 303
    )
    (swap_id,) = _swap_ids(web)
    assert _post(colleague, f"/swaps/{swap_id}/accept").headers["location"].endswith("pending")
    assert "frozen" in _ids(web.client.get("/swaps").text, "swaps-waiting")
    refused = _post(web.client, f"/swaps/{swap_id}/approve")
    assert refused.status_code == 422
    assert "freeze horizon" in refused.text
    assert _count(web, ScheduleChangeRow) == 0
    done = _post(web.client, f"/swaps/{swap_id}/approve", override="sick_call")
    assert done.status_code == 303
    denied = _post(web.client, f"/swaps/{swap_id}/deny", reason="too late")
    assert denied.status_code == 409  # already approved


def test_bad_offers_show_at_the_field_and_write_nothing(web: WebApp, board: Board) -> None:
    giver = web.client_as(UserRole.RESIDENT, person_id=board.a)
    myself = _post(giver, "/swaps/offer", **_offer_form(board, to_person_id=str(board.a)))
    assert myself.status_code == 422
    assert "yourself" in myself.text
    trade = _post(
        giver,
        "/swaps/offer",
        **_offer_form(
            board,
            kind="trade",
            to_person_id=str(board.b),
            want_day=board.later(11).isoformat(),
            want_shift=board.shift,
        ),
    )
    assert trade.status_code == 422
    not_held = _post(giver, "/swaps/offer", **_offer_form(board, day=board.later(4).isoformat()))
    assert not_held.status_code == 409
    no_token = giver.post("/swaps/offer", data=_offer_form(board), follow_redirects=False)
    assert no_token.status_code == 403
    assert _count(web, SwapRequestRow) == 0
    deny = _post(giver, "/swaps/1/deny", reason="no")
    assert deny.status_code == 403


def test_an_open_slot_is_picked_up_from_the_board(web: WebApp, board: Board) -> None:
    day = add_open_slot(web.session_factory, board)
    _today(web, day)  # the board lists the first open slots from today on
    volunteer = web.client_as(UserRole.RESIDENT, person_id=board.b)
    slots = _ids(volunteer.get("/swaps").text, "swaps-slots")
    assert SLOT_SHIFT in slots
    assert "Pick it up" in slots
    _today(web, board.far)  # outside the freeze horizon: applied at once
    done = _post(volunteer, "/swaps/pickup", day=day.isoformat(), shift=SLOT_SHIFT)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/swaps?notice=approved"
    assert "Open slot" in _ids(volunteer.get("/swaps").text, "swaps-mine")
    again = _post(volunteer, "/swaps/pickup", day=day.isoformat(), shift=SLOT_SHIFT)
    assert again.status_code == 409
    bad = _post(volunteer, "/swaps/pickup", day="soon", shift=SLOT_SHIFT)
    assert bad.status_code == 422
    assert _count(web, ScheduleChangeRow) == 1
