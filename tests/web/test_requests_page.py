"""/requests: a resident makes a day-off request and withdraws it; a coordinator sees
everyone's with whether the last generation honoured each, adds one for anyone, decides and
deletes; bad input shows at its field and writes nothing; nobody touches another's request."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from resched.core.model import Request, RequestKind, RequestStatus, ScheduleStatus
from resched.services import people, requests
from resched.services.audit import list_audit_events
from resched.services.common import DEFAULT_PAGE_SIZE
from resched.services.demo import load_demo
from tests.generation_data import Tiny, store_tiny, store_version
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db

DAY_OFF = {"kind": "day_off", "start": "2026-07-11", "end": "", "note": "exam"}


@pytest.fixture
def tiny(web: WebApp) -> Tiny:
    return store_tiny(web.session_factory)


def _post(client: TestClient, path: str, **data: Any) -> Any:
    token = csrf_of(client.get("/requests"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _stored(web: WebApp) -> list[Any]:
    return list(requests.list_requests(factory=web.session_factory).items)


def test_a_resident_asks_for_a_day_off_and_withdraws_it(web: WebApp, tiny: Tiny) -> None:
    rosa = web.client_as("resident", person_id=tiny.residents[0])
    page = rosa.get("/requests")
    assert page.status_code == 200
    assert "No requests yet." in page.text
    assert parse(page.text).by_id("request-person") is None  # always for themself
    made = _post(rosa, "/requests", **DAY_OFF)
    assert made.status_code == 303, made.text
    (stored,) = _stored(web)
    assert (stored.person_id, stored.start.isoformat(), stored.end, stored.weight) == (
        tiny.residents[0], "2026-07-11", stored.start, 1
    )  # fmt: skip
    listed = parse(rosa.get(made.headers["location"]).text)
    assert "Your request was added." in listed.text
    card = listed.by_id(f"request-{stored.id}")
    assert card is not None
    assert "Day off" in card.text
    assert "Not generated yet" in card.text
    withdrawn = _post(rosa, f"/requests/{stored.id}/withdraw")
    assert withdrawn.status_code == 303
    assert _stored(web)[0].status is RequestStatus.WITHDRAWN
    after = rosa.get("/requests").text
    assert "Withdrawn" in after
    assert f"/requests/{stored.id}/withdraw" not in after
    assert [
        e.action
        for e in list_audit_events(factory=web.session_factory).items
        if e.entity == "request"
    ] == ["create", "update"]


def test_the_coordinator_sees_who_asked_what_and_whether_it_was_honoured(
    web: WebApp, tiny: Tiny
) -> None:
    r1, r2 = tiny.residents[:2]
    for person, rotation in ((r1, "WARDS"), (r2, "ELEC")):
        made = _post(
            web.client, "/requests", person_id=str(person), kind="rotation", start="2026-07-01",
            end="2026-07-28", rotation_code=rotation, shift_code="CALL", weight="4", note="",
        )  # fmt: skip
        assert made.status_code == 303, made.text
    store_version(web.session_factory, tiny, status=ScheduleStatus.PUBLISHED)  # all on WARDS
    page = parse(web.client.get("/requests").text)
    first, second = (r.id for r in _stored(web))
    card_1, card_2 = page.by_id(f"request-{first}"), page.by_id(f"request-{second}")
    assert card_1 is not None
    assert card_2 is not None
    assert "Dr R1" in card_1.text
    assert "Rotation WARDS" in card_1.text
    assert "Honoured" in card_1.text
    assert "Not honoured" not in card_1.text
    assert "Dr R2" in card_2.text
    assert "Not honoured" in card_2.text
    assert [r.weight for r in _stored(web)] == [4, 4]
    assert [r.shift_code for r in _stored(web)] == [None, None]  # a rotation names no shift

    only_r2 = web.client.get("/requests", params={"person_id": r2, "kind": "rotation"})
    assert f"request-{first}" not in only_r2.text
    assert f"request-{second}" in only_r2.text
    decided = _post(web.client, f"/requests/{second}/decide", status="declined")
    assert decided.status_code == 303
    assert _stored(web)[1].status is RequestStatus.DECLINED
    assert _post(web.client, f"/requests/{first}/delete").status_code == 303
    assert [r.id for r in _stored(web)] == [second]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"start": "11/07/2026"}, "request-start", "xpected a date"),
        ({"start": "2025-07-11"}, "request-start", "in no academic year"),
        ({"end": "2027-08-01"}, "request-end", "within its academic year"),
        ({"end": "2026-07-01"}, "request-end", "ends before it starts"),
        ({"kind": "shift_on"}, "request-shift", "names its shift type"),
        ({"kind": "shift_on", "shift_code": "NOPE"}, "request-shift", "unknown shift type"),
        ({"kind": "rotation"}, "request-rotation", "names its rotation"),
        ({"kind": "nap"}, "request-kind", "choose what you ask for"),
        ({"note": "x" * 2001}, "request-note", "at most 2000"),
    ],
)
def test_bad_input_shows_at_its_field_and_writes_nothing(
    web: WebApp, tiny: Tiny, change: dict[str, str], field: str, words: str
) -> None:
    rosa = web.client_as("resident", person_id=tiny.residents[0])
    response = _post(rosa, "/requests", **(DAY_OFF | change))
    assert response.status_code == 422
    control = parse(response.text).by_id(field)
    assert control is not None, response.text
    assert control.attrs.get("aria-invalid") == "true"
    assert words.lower() in response.text.lower()
    assert _stored(web) == []


def test_a_coordinator_form_names_the_person_and_the_weight(web: WebApp, tiny: Tiny) -> None:
    for data, field in (
        ({"person_id": "", "weight": "1"}, "request-person"),
        ({"person_id": str(tiny.residents[0]), "weight": "12"}, "request-weight"),
        ({"person_id": "999999", "weight": "1"}, "request-person"),
        ({"person_id": "99999999999999999999", "weight": "1"}, "request-person"),
        ({"person_id": str(tiny.residents[0]), "weight": "²"}, "request-weight"),
    ):
        response = _post(web.client, "/requests", **(DAY_OFF | data))
        assert response.status_code == 422
        control = parse(response.text).by_id(field)
        assert control is not None, data
        assert control.attrs.get("aria-invalid") == "true", data
    assert _stored(web) == []


def test_nobody_touches_another_persons_request(web: WebApp, tiny: Tiny) -> None:
    rosa = web.client_as("resident", person_id=tiny.residents[0])
    assert (
        _post(web.client, "/requests", person_id=str(tiny.residents[1]), **DAY_OFF).status_code
        == 303
    )
    (theirs,) = _stored(web)
    assert f"request-{theirs.id}" not in rosa.get("/requests").text
    assert rosa.get("/requests", params={"person_id": tiny.residents[1]}).status_code == 403
    assert _post(rosa, f"/requests/{theirs.id}/withdraw").status_code == 404
    assert _post(rosa, f"/requests/{theirs.id}/decide", status="granted").status_code == 403
    assert _post(rosa, f"/requests/{theirs.id}/delete").status_code == 403
    assert _stored(web)[0].status is RequestStatus.OPEN
    assert _post(rosa, "/requests/2147483647/withdraw").status_code == 404
    assert _post(web.client, "/requests/2147483647/decide", status="granted").status_code == 404
    faculty = web.client_as("faculty", person_id=None)
    assert faculty.get("/requests").status_code == 200


def _cards(page: Element) -> list[Element]:
    return [li for li in page.iter("li") if "request" in li.attrs.get("class", "").split()]


def test_the_demo_requests_show_with_who_asked(web: WebApp) -> None:
    load_demo(factory=web.session_factory)
    stored = requests.list_requests(factory=web.session_factory).items
    page = parse(web.client.get("/requests").text)
    assert f"Requests ({len(stored)})" in page.text
    cards = _cards(page)
    assert len(cards) == len(stored) > 0
    names = {p.id: p.name for p in people.list_people(factory=web.session_factory, limit=200).items}
    for card, request in zip(cards, stored, strict=True):
        assert card.attrs["id"] == f"request-{request.id}"
        assert names[request.person_id] in card.text
    assert not any(a.text == "Later requests" for a in page.iter("a"))


def test_a_long_list_comes_page_by_page(web: WebApp, tiny: Tiny) -> None:
    first = dt.date(2026, 7, 1)
    for n in range(DEFAULT_PAGE_SIZE + 5):
        day = first + dt.timedelta(days=n)
        wish = Request(tiny.residents[n % 4], RequestKind.DAY_OFF, day, day)
        requests.create_request(factory=web.session_factory, request=wish)
    page = parse(web.client.get("/requests").text)
    assert len(_cards(page)) == DEFAULT_PAGE_SIZE
    later = next(a for a in page.iter("a") if a.text == "Later requests")
    second = parse(web.client.get(later.attrs["href"]).text)
    assert len(_cards(second)) == 5
    assert any(a.text == "Earlier requests" for a in second.iter("a"))
