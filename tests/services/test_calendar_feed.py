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
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import ChangeKind
from resched.core.errors import NotFound
from resched.db.repositories import PeopleRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.services import people
from resched.services.calendar_feed.csv_export import COLUMNS, assignments_csv
from resched.services.calendar_feed.feed import person_feed, program_feed, sequence_of
from resched.services.changes.apply import apply_change
from resched.services.changes.model import ChangeRequest, Slot
from resched.services.plan_spans import planned_spans
from tests.today_data import DUTY_STORES, Duties


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
