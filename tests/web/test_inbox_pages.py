"""The Inbox badge in the header (the unread count, one COUNT per page), the inbox page (list,
mark read, mark all read; another user's notice is a 404) and the administrators' outbox."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from resched.core.changes.kinds import NoticeKind
from resched.db.tables import NotificationRow, UserRole
from resched.services.notices import notify_users, queue_mail
from resched.services.notices.inbox import unread_count
from tests.accounts import add_user, page_client
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db


def _notify(web: WebApp, user_id: int, *titles: str, link: str = "/me") -> list[int]:
    with web.session_factory.begin() as session:
        for title in titles:
            notify_users(
                session,
                user_ids=[user_id],
                kind=NoticeKind.SHIFT_CHANGED,
                title=title,
                body="Now yours: CALL on 2026-10-14",
                link=link,
            )
        found = session.scalars(
            select(NotificationRow.id)
            .where(NotificationRow.user_id == user_id)
            .order_by(NotificationRow.id)
        )
        return list(found)


def _signed_in(web: WebApp, role: UserRole) -> tuple[int, TestClient]:
    user_id = add_user(web.session_factory, role)
    client = page_client(web.app, user_id)
    web.others.append(client)
    return user_id, client


def _inbox_link(html: str) -> Element:
    page = parse(html)
    nav = next(n for n in page.iter("nav") if n.attrs.get("aria-label") == "Account")
    return next(a for a in nav.iter("a") if a.attrs.get("href") == "/inbox")


def test_the_header_badge_counts_unread_notices_with_one_query(web: WebApp) -> None:
    me, client = _signed_in(web, UserRole.RESIDENT)
    assert _inbox_link(client.get("/today").text).text.strip() == "Inbox"
    _notify(web, me, "one", "two", "three")

    html = client.get("/today").text
    assert _inbox_link(html).all("span")[0].attrs["class"] == "badge"
    # Seen "Inbox (3)"; a screen reader says "Inbox (3 unread)".
    badge = '>Inbox <span class="badge">(3<span class="visually-hidden"> unread</span>)</span></a>'
    assert badge in html

    web.queries.counting = True
    web.queries.statements.clear()
    client.get("/today")
    web.queries.counting = False
    counts = [s for s in web.queries.statements if "notification" in s.lower()]
    assert len(counts) == 1


def test_the_inbox_lists_links_and_marks_read(web: WebApp) -> None:
    me, client = _signed_in(web, UserRole.RESIDENT)
    other, _ = _signed_in(web, UserRole.RESIDENT)
    ids = _notify(web, me, "Your shifts changed", "Swap offered to you")
    _notify(web, me, "Odd link", link="https://elsewhere.example/")
    theirs = _notify(web, other, "Not yours")

    page = client.get("/inbox")
    tree = parse(page.text)
    assert page.status_code == 200
    assert "Not yours" not in page.text
    item = tree.by_id(f"notice-{ids[0]}")
    assert item is not None
    assert [a.attrs["href"] for a in item.iter("a")] == ["/me"]
    assert "https://elsewhere.example/" not in page.text  # never a link off the site
    assert "3 unread." in page.text

    token = csrf_of(page)
    done = client.post(f"/inbox/{ids[0]}/read", data={"csrf_token": token}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/inbox?notice=read")
    assert unread_count(factory=web.session_factory, user_id=me) == 2
    after = parse(client.get("/inbox").text)
    assert after.by_id(f"notice-{ids[0]}") is not None
    assert "unread" not in after.by_id(f"notice-{ids[0]}").attrs["class"]  # type: ignore[union-attr]

    refused = client.post(f"/inbox/{theirs[0]}/read", data={"csrf_token": token})
    assert refused.status_code == 404
    no_token = client.post(f"/inbox/{ids[1]}/read", follow_redirects=False)
    assert no_token.status_code == 403
    assert unread_count(factory=web.session_factory, user_id=me) == 2

    client.post("/inbox/read-all", data={"csrf_token": token})
    assert unread_count(factory=web.session_factory, user_id=me) == 0
    assert unread_count(factory=web.session_factory, user_id=other) == 1
    assert "Mark all read" not in client.get("/inbox").text


def test_the_inbox_pages_through_unread_notices(web: WebApp) -> None:
    me, client = _signed_in(web, UserRole.FACULTY)
    ids = _notify(web, me, *(f"notice {i}" for i in range(55)))
    first = client.get("/inbox?unread=true")
    assert f'id="notice-{ids[-1]}"' in first.text
    assert f'id="notice-{ids[0]}"' not in first.text
    assert 'href="/inbox?unread=true&amp;offset=50"' in first.text
    second = client.get("/inbox?unread=true&offset=50")
    assert f'id="notice-{ids[0]}"' in second.text


@pytest.mark.parametrize("role", ["resident", "faculty", "coordinator"])
def test_only_administrators_open_the_outbox(web: WebApp, role: str) -> None:
    response = web.client_as(role).get("/admin/outbox")
    assert response.status_code == 403
    assert "You cannot open this page" in response.text
    assert "/admin/outbox" not in web.client_as(role).get("/today").text


def test_the_outbox_shows_each_mail_and_its_state(web: WebApp) -> None:
    with web.session_factory.begin() as session:
        queue_mail(
            session, to=["ana@example.org"], subject="Your shifts changed", body="Now yours\n\n/me"
        )
    admin = web.client_as("admin")
    page = admin.get("/admin/outbox")
    assert page.status_code == 200
    row = parse(page.text).all("tbody")[0].all("tr")[0]
    cells = [" ".join(c.text.split()) for c in row.children if isinstance(c, Element)]
    assert cells[0] == "ana@example.org"
    assert cells[1].startswith("Your shifts changed")
    assert cells[3:] == ["Not sent", "0", ""]
    assert "mail is not sent: it stays here" in page.text  # the embedded mode
    assert "ana@example.org" not in admin.get("/admin/outbox?status=sent").text
    nav = next(n for n in parse(page.text).iter("nav") if n.attrs.get("aria-label") == "Main")
    assert "/admin/outbox" in [a.attrs["href"] for a in nav.iter("a")]
