"""The ICS feeds, parsed back with icalendar, on the demo and the pediatrics-like program:
local times with the program's TZID (a night across the November change lasts 13 real
hours), stable UIDs, SEQUENCE raised and a CANCELLED event after a change set, names and
shifts only; and the CSV of a version's assignments with formula-like cells neutralised."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable

import icalendar
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import ChangeKind
from resched.core.errors import NotFound
from resched.core.model import Assignment, ScheduleStatus
from resched.db.repositories import PeopleRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.tables import ScheduleVersionRow
from resched.services import people
from resched.services.calendar_feed.csv_export import COLUMNS, assignments_csv
from resched.services.calendar_feed.feed import (
    PAST_DAYS,
    person_feed,
    program_feed,
    sequence_of,
)
from resched.services.changes.apply import apply_change
from resched.services.changes.model import ChangeRequest, Slot
from resched.services.generation.publish import publish_version
from resched.services.plan_spans import planned_spans
from tests.conftest import StatementCounter
from tests.plan_data import store_plan
from tests.today_data import DUTY_STORES, Duties, store_shifts, version_rows


def published(session: Session) -> list[int]:
    return list(ScheduleVersionRepository(session).published_by_year().values())


pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    store: Callable[[Factory], Duties] = DUTY_STORES[request.param]
    return store(session_factory)


def _events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def _code(factory: Factory, person_id: int) -> str:
    with factory() as session:
        return next(p.code for p in PeopleRepository(session).in_year(0) if p.id == person_id)


def test_a_night_across_the_clock_change_has_its_real_length(
    session_factory: Factory, duties: Duties
) -> None:
    body = person_feed(factory=session_factory, person_id=duties.night_before, now=duties.at(6))
    calendar = icalendar.Calendar.from_ical(body)
    assert [z["tzid"] for z in calendar.walk("VTIMEZONE")] == [duties.zone.key]
    events = _events(body)
    code = _code(session_factory, duties.night_before)
    yesterday = duties.day - dt.timedelta(days=1)
    uid = f"shift-{code}-{yesterday:%Y%m%d}-NIGHT@resched"
    assert list(events) == [uid]  # only this person's shifts
    night = events[uid]
    start, end = night.decoded("dtstart"), night.decoded("dtend")
    assert start.replace(tzinfo=None) == dt.datetime.combine(yesterday, start.time())
    assert str(night["dtstart"].params["TZID"]) == duties.zone.key
    real = end.astimezone(dt.UTC) - start.astimezone(dt.UTC)
    # The pediatrics night spans 1 Nov 2026, when New York's clocks go back: 12 h + 1.
    expected = 13 if duties.zone.key == "America/New_York" else 12
    assert real == dt.timedelta(hours=expected)
    assert night["status"] == "CONFIRMED"
    assert int(night["sequence"]) == sequence_of(duties.plan.version_id, 0)
    assert "(NIGHT)" in str(night["summary"])


def test_uids_are_stable_and_a_change_raises_sequence_and_cancels(
    session_factory: Factory, duties: Duties
) -> None:
    shift = "WARD" if duties.zone.key == "America/Chicago" else "DAY"
    giver = _code(session_factory, duties.day_shift)
    taker = _code(session_factory, duties.older_night)
    now = duties.at(6)
    before = person_feed(factory=session_factory, person_id=duties.day_shift, now=now)
    again = person_feed(factory=session_factory, person_id=duties.day_shift, now=now)
    assert list(_events(before)) == list(_events(again))
    uid = f"shift-{giver}-{duties.day:%Y%m%d}-{shift}@resched"
    assert uid in _events(before)
    applied = apply_change(
        factory=session_factory,
        version_id=duties.plan.version_id,
        change=ChangeRequest(
            remove=(Slot(giver, duties.day, shift),), add=(Slot(taker, duties.day, shift),)
        ),
        kind=ChangeKind.EDIT,
        actor="coord",
        today=duties.day - dt.timedelta(days=20),
    )
    gone = _events(person_feed(factory=session_factory, person_id=duties.day_shift, now=now))
    assert gone[uid]["status"] == "CANCELLED"
    raised = sequence_of(duties.plan.version_id, applied.revision)
    assert int(_events(before)[uid]["sequence"]) < raised
    assert int(gone[uid]["sequence"]) == raised
    taken = _events(person_feed(factory=session_factory, person_id=duties.older_night, now=now))
    new_uid = f"shift-{taker}-{duties.day:%Y%m%d}-{shift}@resched"
    assert taken[new_uid]["status"] == "CONFIRMED"
    assert int(taken[new_uid]["sequence"]) == raised
    # Long after, the cancellation has been delivered and is no longer sent.
    later = now + dt.timedelta(days=400)
    assert uid not in _events(
        person_feed(factory=session_factory, person_id=duties.day_shift, now=later)
    )


def test_the_feed_carries_names_and_shifts_only(session_factory: Factory, duties: Duties) -> None:
    profile = people.get_person(factory=session_factory, person_id=duties.night_before)
    people.update_person(
        factory=session_factory,
        person_id=duties.night_before,
        profile=dataclasses.replace(profile, email="secret@example.org", phone="555 0199"),
    )
    body = program_feed(factory=session_factory, now=duties.at(6)).decode()
    assert "555 01" not in body
    assert "secret@example.org" not in body
    assert "DESCRIPTION" not in body
    assert "ATTENDEE" not in body
    events = _events(body.encode())
    assert any(profile.name in str(e["summary"]) for e in events.values())
    nights = _events(program_feed(factory=session_factory, now=duties.at(6), shift_code="NIGHT"))
    assert nights
    assert all(uid.endswith("-NIGHT@resched") for uid in nights)
    with pytest.raises(NotFound):
        program_feed(factory=session_factory, now=duties.at(6), shift_code="NOPE")


def test_csv_columns_and_formula_cells_neutralised(
    session_factory: Factory, duties: Duties
) -> None:
    profile = people.get_person(factory=session_factory, person_id=duties.night_before)
    people.update_person(
        factory=session_factory,
        person_id=duties.night_before,
        profile=dataclasses.replace(profile, name='=HYPERLINK("http://x")'),
    )
    exported = assignments_csv(
        factory=session_factory,
        version_id=duties.plan.version_id,
        start=duties.day - dt.timedelta(days=2),
        end=duties.day,
    )
    assert exported.filename.endswith(".csv")
    assert '"' not in exported.filename
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert tuple(rows[0]) == COLUMNS
    code = _code(session_factory, duties.night_before)
    night = next(r for r in rows[1:] if r[1] == code)
    assert night[2] == '\'=HYPERLINK("http://x")'
    assert night[3] == "NIGHT"
    start = dt.datetime.fromisoformat(night[5])
    end = dt.datetime.fromisoformat(night[6])
    assert start.date() == duties.day - dt.timedelta(days=1)
    assert (end - start).total_seconds() / 3600 == (
        13 if duties.zone.key == "America/New_York" else 12
    )
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def _rotation_of(factory: Factory, person_id: int, day: dt.date) -> str:
    with factory() as session:
        spans = planned_spans(session, published(session), day, day, person_id=person_id)
    return next(s.rotation.code for s in spans if s.first <= day <= s.last)


def test_the_program_feed_of_a_rotation_has_its_people_on_their_days(
    session_factory: Factory, duties: Duties
) -> None:
    yesterday = duties.day - dt.timedelta(days=1)
    rotation = _rotation_of(session_factory, duties.night_before, yesterday)
    everyone = _events(program_feed(factory=session_factory, now=duties.at(6)))
    chosen = _events(
        program_feed(factory=session_factory, now=duties.at(6), rotation_code=rotation)
    )
    code = _code(session_factory, duties.night_before)
    assert f"shift-{code}-{yesterday:%Y%m%d}-NIGHT@resched" in chosen
    assert set(chosen) <= set(everyone)
    with session_factory() as session:
        people = {p.code: p.id for p in PeopleRepository(session).in_year(0)}
    for uid in chosen:
        _, person, day, _ = uid.split("@")[0].split("-", 3)
        on = _rotation_of(
            session_factory, people[person], dt.datetime.strptime(day, "%Y%m%d").date()
        )
        assert on == rotation
    left_out = set(everyone) - set(chosen)
    assert left_out, "some shifts belong to people on other rotations (or none)"
    with pytest.raises(NotFound):
        program_feed(factory=session_factory, now=duties.at(6), rotation_code="NOPE")


def test_a_newer_version_outranks_any_revision_of_an_older_one() -> None:
    """A republished schedule's events replace what a calendar kept from the version before,
    however many changes that one had."""
    assert sequence_of(8, 0) > sequence_of(7, 10**6) > sequence_of(7, 3) > sequence_of(7, 0)


def _published_at(factory: Factory, version_id: int, when: dt.datetime) -> None:
    """Publishing stamps the wall clock; the feed's window is measured from the test's day."""
    with factory.begin() as session:
        session.execute(
            update(ScheduleVersionRow)
            .where(ScheduleVersionRow.id == version_id)
            .values(published_at=when)
        )


def _republish_without(
    factory: Factory, duties: Duties, dropped: Assignment, source: int | None = None
) -> int:
    """A new version of the year - the record's (or ``source``'s) plan and shifts less
    ``dropped`` - published over the record through the publishing service, two days before
    the test's morning (the record it replaces a year before)."""
    rows = version_rows(factory, source or duties.plan.version_id)
    kept = [
        Assignment(p, day, code)
        for p, day, code, _, _ in rows
        if (p, day, code) != (dropped.person_id, dropped.date, dropped.shift_code)
    ]
    version_id = store_plan(
        factory, duties.plan.year_id, list(duties.plan.plan), status=ScheduleStatus.DRAFT
    )
    store_shifts(factory, version_id, kept)
    publish_version(factory=factory, version_id=version_id, actor="coord", reason="republish")
    _published_at(factory, source or duties.plan.version_id, duties.at(6) - dt.timedelta(days=365))
    _published_at(factory, version_id, duties.at(6) - dt.timedelta(days=2))
    return version_id


def _day_shift(duties: Duties) -> str:
    return "WARD" if duties.zone.key == "America/Chicago" else "DAY"


def test_a_republish_cancels_the_shifts_the_new_version_lacks(
    session_factory: Factory, duties: Duties
) -> None:
    """Subscribed to version A; B, published over A, lacks one of A's shifts: the feeds send
    it as cancelled above A's SEQUENCE, keep the others under their UIDs, and stop sending the
    cancellation once the republish is PAST_DAYS old."""
    now = duties.at(6)
    shift = _day_shift(duties)
    code = _code(session_factory, duties.day_shift)
    uid = f"shift-{code}-{duties.day:%Y%m%d}-{shift}@resched"
    mine = _events(person_feed(factory=session_factory, person_id=duties.day_shift, now=now))
    everyone = _events(program_feed(factory=session_factory, now=now))
    assert mine[uid]["status"] == everyone[uid]["status"] == "CONFIRMED"
    old = int(mine[uid]["sequence"])

    rows = len(version_rows(session_factory, duties.plan.version_id))
    new = _republish_without(
        session_factory, duties, Assignment(duties.day_shift, duties.day, shift)
    )
    assert len(version_rows(session_factory, new)) == rows - 1
    mine_after = _events(person_feed(factory=session_factory, person_id=duties.day_shift, now=now))
    everyone_after = _events(program_feed(factory=session_factory, now=now))
    typed = _events(program_feed(factory=session_factory, now=now, shift_code=shift))
    for feed in (mine_after, everyone_after, typed):
        assert feed[uid]["status"] == "CANCELLED"
        assert int(feed[uid]["sequence"]) == sequence_of(new, 0) > old
    assert set(mine_after) == set(mine)
    assert set(everyone_after) == set(everyone)  # the same UIDs: one cancelled, none new
    for kept, event in everyone_after.items():
        if kept != uid:
            assert event["status"] == "CONFIRMED"
            assert int(event["sequence"]) == sequence_of(new, 0)
    # Another shift type's feed has no cancellation of this one.
    assert uid not in _events(program_feed(factory=session_factory, now=now, shift_code="NIGHT"))

    _published_at(session_factory, new, now - dt.timedelta(days=PAST_DAYS + 1))
    assert uid not in _events(
        person_feed(factory=session_factory, person_id=duties.day_shift, now=now)
    )
    assert uid not in _events(program_feed(factory=session_factory, now=now))


def test_an_older_draft_published_over_the_record_outranks_it(
    session_factory: Factory, duties: Duties
) -> None:
    """Draft X is made, then Y (a higher id) is published over the record, then X over Y: X's
    events carry a SEQUENCE above Y's, so calendars take X's version of every slot."""
    now = duties.at(6)
    code = _code(session_factory, duties.day_shift)
    uid = f"shift-{code}-{duties.day:%Y%m%d}-{_day_shift(duties)}@resched"
    older = store_plan(
        session_factory, duties.plan.year_id, list(duties.plan.plan), status=ScheduleStatus.DRAFT
    )
    store_shifts(
        session_factory,
        older,
        [
            Assignment(p, day, c)
            for p, day, c, _, _ in version_rows(session_factory, duties.plan.version_id)
        ],
    )
    # Y: the record's shifts again (nothing dropped: no such slot).
    newer = _republish_without(session_factory, duties, Assignment(duties.faculty, duties.day, "-"))
    assert older < newer
    held = int(_events(program_feed(factory=session_factory, now=now))[uid]["sequence"])
    assert held == sequence_of(newer, 0)

    publish_version(factory=session_factory, version_id=older, actor="coord", reason="back")
    _published_at(session_factory, older, duties.at(6) - dt.timedelta(days=1))
    after = _events(program_feed(factory=session_factory, now=now))
    assert after[uid]["status"] == "CONFIRMED"
    assert int(after[uid]["sequence"]) == sequence_of(newer + 1, 0) > held


def test_a_slot_a_republish_and_a_change_both_removed_comes_once(
    session_factory: Factory, duties: Duties
) -> None:
    """A's shift is missing from B, put back on B by one change set and taken off by another:
    one cancelled event (a UID twice is an invalid calendar), with the change's SEQUENCE."""
    now = duties.at(6)
    shift = _day_shift(duties)
    code = _code(session_factory, duties.day_shift)
    new = _republish_without(
        session_factory, duties, Assignment(duties.day_shift, duties.day, shift)
    )
    slot = Slot(code, duties.day, shift)
    for change in (ChangeRequest(add=(slot,)), ChangeRequest(remove=(slot,))):
        applied = apply_change(
            factory=session_factory,
            version_id=new,
            change=change,
            kind=ChangeKind.EDIT,
            actor="coord",
            today=duties.day - dt.timedelta(days=20),
        )
    uid = f"shift-{code}-{duties.day:%Y%m%d}-{shift}@resched"
    for body in (
        person_feed(factory=session_factory, person_id=duties.day_shift, now=now),
        program_feed(factory=session_factory, now=now),
    ):
        found = [e for e in icalendar.Calendar.from_ical(body).walk("VEVENT") if e["uid"] == uid]
        assert len(found) == 1
        assert found[0]["status"] == "CANCELLED"
        assert int(found[0]["sequence"]) == sequence_of(new, applied.revision) > sequence_of(new, 0)


def test_a_change_to_the_replaced_version_stays_cancelled_after_the_republish(
    session_factory: Factory, duties: Duties
) -> None:
    """A change set took a shift off version A, then B (made from A as it then was) replaced
    A: a calendar not refreshed in between still holds the shift, so it stays cancelled, now
    above anything A sent."""
    now = duties.at(6)
    shift = _day_shift(duties)
    code = _code(session_factory, duties.day_shift)
    applied = apply_change(
        factory=session_factory,
        version_id=duties.plan.version_id,
        change=ChangeRequest(remove=(Slot(code, duties.day, shift),)),
        kind=ChangeKind.EDIT,
        actor="coord",
        today=duties.day - dt.timedelta(days=20),
    )
    uid = f"shift-{code}-{duties.day:%Y%m%d}-{shift}@resched"
    new = _republish_without(
        session_factory, duties, Assignment(duties.day_shift, duties.day, shift)
    )
    for body in (
        person_feed(factory=session_factory, person_id=duties.day_shift, now=now),
        program_feed(factory=session_factory, now=now),
    ):
        event = _events(body)[uid]
        assert event["status"] == "CANCELLED"
        assert (
            int(event["sequence"])
            == sequence_of(new, 0)
            > sequence_of(duties.plan.version_id, applied.revision)
        )


def test_republishes_add_no_statement_to_the_feeds(
    session_factory: Factory, duties: Duties, statement_counter: StatementCounter
) -> None:
    """The replaced versions come with the records and their shifts and changes with the
    records' own: two republishes within the window (the replaced versions with their shifts
    and a change set each) cost the feeds no statement."""
    now = duties.at(6)
    shift = _day_shift(duties)
    code = _code(session_factory, duties.day_shift)
    yesterday, before_that = (duties.day - dt.timedelta(days=n) for n in (1, 2))

    def remove(version_id: int, slot: Slot) -> None:
        apply_change(
            factory=session_factory,
            version_id=version_id,
            change=ChangeRequest(remove=(slot,)),
            kind=ChangeKind.EDIT,
            actor="coord",
            today=duties.day - dt.timedelta(days=20),
        )

    def counts() -> tuple[int, ...]:
        return (
            statement_counter.count(
                lambda: person_feed(factory=session_factory, person_id=duties.day_shift, now=now)
            ),
            statement_counter.count(lambda: program_feed(factory=session_factory, now=now)),
            statement_counter.count(
                lambda: program_feed(factory=session_factory, now=now, shift_code=shift)
            ),
        )

    # A change set first, so the cancelled events' look-ups run in both measures.
    remove(duties.plan.version_id, Slot(code, duties.day, shift))
    before = counts()
    second = _republish_without(
        session_factory, duties, Assignment(duties.night_before, yesterday, "NIGHT")
    )
    remove(second, Slot(_code(session_factory, duties.older_night), before_that, "NIGHT"))
    third = _republish_without(
        session_factory, duties, Assignment(0, duties.day, "NONE"), source=second
    )
    _published_at(session_factory, duties.plan.version_id, now - dt.timedelta(days=90))
    _published_at(session_factory, second, now - dt.timedelta(days=3))
    _published_at(session_factory, third, now - dt.timedelta(days=2))
    assert counts() == before
    everyone = _events(program_feed(factory=session_factory, now=now))
    cancelled = {uid for uid, e in everyone.items() if e["status"] == "CANCELLED"}
    assert len(cancelled) == 3  # one by A's change, one by the republish, one by B's change
