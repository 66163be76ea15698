"""The inbox (newest first, paged, unread counted; only one's own notices), the outbox as
administrators read it, and the notice every account of the year gets when a schedule is
published - on the demo and the pediatrics-like program, in one bulk insert."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import NoticeKind
from resched.core.errors import NotFound
from resched.core.model import Role, ScheduleStatus
from resched.db.repositories import PeopleRepository
from resched.db.tables import MailOutboxRow, NotificationRow, PersonRow, UserRole
from resched.services.generation import publish_version
from resched.services.notices import notify_people, notify_users, queue_mail
from resched.services.notices.inbox import (
    list_notices,
    mark_all_read,
    mark_read,
    unread_count,
)
from resched.services.notices.outbox import OutboxFilter, list_outbox
from tests.accounts import add_user
from tests.conftest import StatementCounter
from tests.plan_data import store_plan
from tests.today_data import DUTY_STORES

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
T0 = dt.datetime(2026, 9, 1, 8, tzinfo=dt.UTC)


def _notices(factory: Factory, user_id: int, count: int) -> list[int]:
    """``count`` notices for the user, one minute apart (the last is the newest)."""
    with factory.begin() as session:
        for i in range(count):
            notify_users(
                session,
                user_ids=[user_id],
                kind=NoticeKind.SHIFT_CHANGED,
                title=f"notice {i}",
                link="/me",
            )
        found = list(
            session.scalars(
                select(NotificationRow.id)
                .where(NotificationRow.user_id == user_id)
                .order_by(NotificationRow.id)
            )
        )
        for notice_id in found:
            session.execute(
                update(NotificationRow)
                .where(NotificationRow.id == notice_id)
                .values(created_at=T0 + dt.timedelta(minutes=notice_id))
            )
        return found


def test_the_inbox_lists_newest_first_in_pages_with_the_unread_count(
    session_factory: Factory,
) -> None:
    me = add_user(session_factory, UserRole.RESIDENT)
    other = add_user(session_factory, UserRole.RESIDENT)
    ids = _notices(session_factory, me, 5)
    _notices(session_factory, other, 2)

    first = list_notices(factory=session_factory, user_id=me, limit=2, offset=0)
    second = list_notices(factory=session_factory, user_id=me, limit=2, offset=2)

    assert [n.id for n in first.page.items] == [ids[4], ids[3]]
    assert [n.id for n in second.page.items] == [ids[2], ids[1]]
    assert (first.page.total, first.unread) == (5, 5)
    assert unread_count(factory=session_factory, user_id=me) == 5
    assert unread_count(factory=session_factory, user_id=other) == 2


def test_marking_read_touches_only_ones_own_notices(session_factory: Factory) -> None:
    me = add_user(session_factory, UserRole.RESIDENT)
    other = add_user(session_factory, UserRole.FACULTY)
    mine = _notices(session_factory, me, 3)
    theirs = _notices(session_factory, other, 2)
    now = T0 + dt.timedelta(days=1)

    done = mark_read(factory=session_factory, user_id=me, notice_id=mine[0], now=now)
    assert done.read_at == now
    assert not done.unread
    # Again: no change, the first read time stays.
    again = mark_read(
        factory=session_factory, user_id=me, notice_id=mine[0], now=now + T0.resolution
    )
    assert again.read_at == now
    with pytest.raises(NotFound):
        mark_read(factory=session_factory, user_id=me, notice_id=theirs[0], now=now)
    with pytest.raises(NotFound):
        mark_read(factory=session_factory, user_id=me, notice_id=theirs[-1] + 100, now=now)

    unread_only = list_notices(
        factory=session_factory, user_id=me, limit=10, offset=0, unread_only=True
    )
    assert [n.id for n in unread_only.page.items] == [mine[2], mine[1]]
    assert unread_count(factory=session_factory, user_id=other) == 2

    assert mark_all_read(factory=session_factory, user_id=me, now=now) == 2
    assert unread_count(factory=session_factory, user_id=me) == 0
    assert unread_count(factory=session_factory, user_id=other) == 2
    assert mark_all_read(factory=session_factory, user_id=me, now=now) == 0


def test_notify_people_reaches_active_linked_accounts_and_mails_addresses(
    session_factory: Factory,
) -> None:
    with session_factory.begin() as session:
        with_mail = PersonRow(code="R1", name="R One", role=Role.RESIDENT, email="r1@example.org")
        without = PersonRow(code="R2", name="R Two", role=Role.RESIDENT)
        session.add_all([with_mail, without])
        session.flush()
        people = (with_mail.id, without.id)
    active = add_user(session_factory, UserRole.RESIDENT, person_id=people[0])
    add_user(session_factory, UserRole.RESIDENT, person_id=people[1], active=False)

    with session_factory.begin() as session:
        written = notify_people(
            session,
            person_ids=people,
            kind=NoticeKind.REQUEST_DECIDED,
            title="Your request was approved",
            body="Day off on 2026-10-01",
            link="/requests",
        )
    assert written == 1
    with session_factory() as session:
        (notice,) = session.scalars(select(NotificationRow)).all()
        (mail,) = session.scalars(select(MailOutboxRow)).all()
    assert (notice.user_id, notice.kind, notice.link) == (
        active,
        NoticeKind.REQUEST_DECIDED,
        "/requests",
    )
    assert (mail.to_address, mail.subject) == ("r1@example.org", "Your request was approved")
    assert mail.body == "Day off on 2026-10-01\n\n/requests"


def test_the_outbox_lists_newest_first_and_filters_sent(session_factory: Factory) -> None:
    with session_factory.begin() as session:
        queue_mail(session, to=["a@example.org", "b@example.org"], subject="Hi", body="x")
        queue_mail(session, to=["c@example.org"], subject="Later", body="y")
        session.execute(
            update(MailOutboxRow)
            .where(MailOutboxRow.to_address == "a@example.org")
            .values(sent_at=T0, attempts=1)
        )

    every = list_outbox(factory=session_factory, limit=10, offset=0)
    unsent = list_outbox(factory=session_factory, limit=10, offset=0, status=OutboxFilter.UNSENT)
    sent = list_outbox(factory=session_factory, limit=10, offset=0, status=OutboxFilter.SENT)

    assert [m.to_address for m in every.items] == [
        "c@example.org",
        "b@example.org",
        "a@example.org",
    ]
    assert [m.to_address for m in unsent.items] == ["c@example.org", "b@example.org"]
    assert [(m.to_address, m.sent_at, m.attempts) for m in sent.items] == [("a@example.org", T0, 1)]
    assert (every.total, unsent.total, sent.total) == (3, 2, 1)


@pytest.mark.parametrize("store", DUTY_STORES.values(), ids=DUTY_STORES.keys())
def test_publishing_tells_every_active_account_of_the_year_in_one_insert(
    session_factory: Factory, statement_counter: StatementCounter, store: object
) -> None:
    duties = store(session_factory)  # type: ignore[operator]
    plan = duties.plan
    with session_factory() as session:
        in_year = [
            p
            for p in PeopleRepository(session).in_year(plan.year_id)
            if (p.role is Role.RESIDENT and p.pgy is not None)
            or (p.role is Role.FACULTY and p.active)
        ]
    # People beyond the year (their addresses set too) hear nothing.
    with session_factory.begin() as session:
        session.add(PersonRow(code="GONE", name="Graduated", role=Role.RESIDENT, email="x@y.org"))
    for i, person in enumerate(in_year[:3]):
        with session_factory.begin() as session:
            row = session.get(PersonRow, person.id)
            assert row is not None
            row.email = f"p{i}@example.org"
    residents = [
        add_user(session_factory, UserRole.RESIDENT, person_id=p) for p in plan.residents[:4]
    ]
    faculty = add_user(session_factory, UserRole.FACULTY, person_id=duties.faculty)
    staff = [add_user(session_factory, role) for role in (UserRole.COORDINATOR, UserRole.ADMIN)]
    add_user(session_factory, UserRole.COORDINATOR, active=False)
    add_user(session_factory, UserRole.RESIDENT, person_id=plan.residents[4], active=False)
    add_user(session_factory, UserRole.RESIDENT)  # a person with no PGY level this year
    draft = store_plan(session_factory, plan.year_id, list(plan.plan), ScheduleStatus.DRAFT)

    with statement_counter.counting() as statements:
        publish_version(factory=session_factory, version_id=draft, actor="chief", reason="ok")

    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO NOTIFICATION")]
    assert len(inserts) == 1
    with session_factory() as session:
        notices = session.scalars(select(NotificationRow).order_by(NotificationRow.user_id)).all()
        mails = session.scalars(select(MailOutboxRow.to_address)).all()
    assert [n.user_id for n in notices] == sorted([*residents, faculty, *staff])
    assert {(n.kind, n.link) for n in notices} == {(NoticeKind.SCHEDULE_PUBLISHED, "/schedule")}
    assert "schedule was published" in notices[0].title
    with session_factory() as session:
        addresses = session.scalars(
            select(PersonRow.email).where(
                PersonRow.id.in_([p.id for p in in_year]), PersonRow.email.is_not(None)
            )
        ).all()
    assert {"p0@example.org", "p1@example.org", "p2@example.org"} <= set(mails)
    assert sorted(mails) == sorted(addresses)
