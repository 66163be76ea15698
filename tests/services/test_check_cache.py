"""The per-process cache of schedule checks (issue 17): a second view reads no inputs and runs
no rules; every edit of an input the check reads gives a fresh check equal to an uncached one,
on the demo and on the pediatrics program, both with a published schedule."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid
from resched.core.model import (
    Absence,
    AbsenceStatus,
    AbsenceType,
    Assignment,
    Role,
    ScheduleStatus,
)
from resched.core.rules import ScheduleContext, check_all
from resched.db.repositories import PeopleRepository
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.session import create_engine_for, make_session_factory, transaction
from resched.db.tables import AbsenceRow, MailOutboxRow, ScheduleVersionRow
from resched.services import absences, calendar, people, rotations, schedules, shift_types
from resched.services.changes.apply import apply_change
from resched.services.changes.model import ChangeKind, ChangeRequest, Slot
from resched.services.check_cache import (
    CHECK_TABLES,
    MAX_ENTRIES,
    CheckCache,
    cache_of,
    cached_check,
)
from resched.services.permissions import AbsenceVisibility
from resched.services.program import get_program
from resched.services.read_cache import clear_read_caches
from resched.services.schedules import ScheduleCheck, check_schedule
from tests.conftest import StatementCounter
from tests.tables_read import tables_read
from tests.today_data import Duties, store_demo_duties, store_peds_duties, store_shifts

pytestmark = pytest.mark.db

Factory = sessionmaker[Session]
PROGRAMS: dict[str, Callable[[Factory], Duties]] = {
    "demo": lambda f: store_demo_duties(f, extra_days=8),
    "pediatrics": store_peds_duties,
}
RANGES = ("today", "version")


@pytest.fixture(params=sorted(PROGRAMS))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    return PROGRAMS[request.param](session_factory)


def days(duties: Duties, which: str) -> tuple[dt.date | None, dt.date | None]:
    """Today's coordinator summary (four weeks) or the compliance page (the whole version)."""
    if which == "today":
        return duties.day, duties.day + dt.timedelta(days=27)
    return None, None


def checked(factory: Factory, duties: Duties, which: str) -> ScheduleCheck:
    """The cached check, asserted equal to an uncached one (inputs and findings)."""
    start, end = days(duties, which)
    found = cached_check(factory=factory, version_id=duties.plan.version_id, start=start, end=end)
    fresh = check_schedule(factory=factory, version_id=duties.plan.version_id, start=start, end=end)
    assert found.stored.schedule == fresh.stored.schedule
    assert found.findings == fresh.findings
    return found


@pytest.fixture
def rule_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the rules ran (each call of ``check_all``)."""
    runs: list[int] = []

    def counted(context: ScheduleContext) -> object:
        runs.append(1)
        return check_all(context)

    monkeypatch.setattr(schedules, "check_all", counted)
    return runs


@pytest.mark.parametrize("which", RANGES)
def test_a_second_view_is_served_from_the_cache(
    session_factory: Factory,
    duties: Duties,
    which: str,
    rule_runs: list[int],
    statement_counter: StatementCounter,
) -> None:
    start, end = days(duties, which)

    def view() -> ScheduleCheck:
        return cached_check(
            factory=session_factory, version_id=duties.plan.version_id, start=start, end=end
        )

    first_statements = statement_counter.count(view)
    first = view()
    second_statements = statement_counter.count(view)
    assert len(rule_runs) == 1
    assert view().findings == first.findings
    assert second_statements <= 3  # the generation, the version (two): no fingerprint
    assert first_statements > second_statements + 5
    cache = cache_of(session_factory)
    assert (cache.hits, cache.misses) == (3, 1)
    # A change of a table the check does not read (a mail queued, a rotation renamed) leaves
    # the entry; a change of one it reads (the version's label) gives a fresh check.
    with transaction(session_factory) as session:
        session.add(MailOutboxRow(to_address="a@example.org", subject="hi"))
    rotation = rotations.list_rotations(factory=session_factory, limit=1).items[0]
    assert rotation.id is not None
    rotations.update_rotation(
        factory=session_factory,
        rotation_id=rotation.id,
        rotation=dataclasses.replace(rotation, name=rotation.name + " (renamed)"),
    )
    assert statement_counter.count(view) == second_statements
    assert len(rule_runs) == 1
    with transaction(session_factory) as session:
        session.execute(
            update(ScheduleVersionRow)
            .where(ScheduleVersionRow.id == duties.plan.version_id)
            .values(label="renamed")
        )
    assert view().findings == first.findings
    assert len(rule_runs) == 2
    assert (cache.hits, cache.misses) == (4, 2)


@pytest.mark.parametrize("which", RANGES)
def test_a_check_reads_only_the_tables_its_key_covers(
    session_factory: Factory, duties: Duties, which: str, engine: Engine
) -> None:
    start, end = days(duties, which)
    for drafts in (True, False):
        clear_read_caches()
        with tables_read(engine) as read:
            cached_check(
                factory=session_factory,
                version_id=duties.plan.version_id,
                start=start,
                end=end,
                include_drafts=drafts,
            )
        assert read - {"data_generation"} <= CHECK_TABLES
        assert "shift_assignment" in read


def _publish_a_change(factory: Factory, duties: Duties, days: int = 20) -> None:
    with factory() as session:
        person = next(
            p
            for p in PeopleRepository(session).in_year(duties.plan.year_id)
            if p.role is Role.RESIDENT
        )
    shift = "WARD" if "WARD" in _codes(factory) else "DAY"
    apply_change(
        factory=factory,
        version_id=duties.plan.version_id,
        change=ChangeRequest(add=(Slot(person.code, duties.day + dt.timedelta(days=days), shift),)),
        kind=ChangeKind.EDIT,
        actor="coord",
        today=duties.day - dt.timedelta(days=30),
        allow_violations=True,
        reason="test",
    )


def _codes(factory: Factory) -> set[str]:
    return {s.code for s in shift_types.list_shift_types(factory=factory, limit=200).items}


def _edit_a_shift_type(factory: Factory, duties: Duties) -> None:
    found = shift_types.list_shift_types(factory=factory, limit=200).items
    shift = next(s for s in found if s.code in ("NIGHT",))
    assert shift.id is not None
    longer = dataclasses.replace(shift, minutes=shift.minutes + 240)
    shift_types.update_shift_type(factory=factory, shift_type_id=shift.id, shift_type=longer)


def _approve_an_absence(factory: Factory, duties: Duties) -> None:
    absence = Absence(
        person_id=duties.call,
        start=duties.day,
        end=duties.day + dt.timedelta(days=1),
        type=AbsenceType.VACATION,
        status=AbsenceStatus.APPROVED,
    )
    absences.create_absence(factory=factory, absence=absence)


def _edit_program_settings(factory: Factory, duties: Duties) -> None:
    program = get_program(factory=factory)
    rules = dataclasses.replace(program.rules, hours_per_week_limit=40.0, approaching_hours=30.0)
    calendar.save_program(factory=factory, program=dataclasses.replace(program, rules=rules))


def _change_a_pgy(factory: Factory, duties: Duties) -> None:
    profile = people.get_person(factory=factory, person_id=duties.day_shift)
    levels = {year: (pgy % 3) + 1 for year, pgy in profile.pgy_by_year.items()}
    changed = dataclasses.replace(profile, pgy_by_year=levels)
    people.update_person(factory=factory, person_id=duties.day_shift, profile=changed)


EDITS: dict[str, Callable[[Factory, Duties], None]] = {
    "a published change": _publish_a_change,
    "a shift type": _edit_a_shift_type,
    "an approved absence": _approve_an_absence,
    "the program's rules": _edit_program_settings,
    "a PGY level": _change_a_pgy,
}


@pytest.mark.parametrize("which", RANGES)
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_every_edit_of_an_input_gives_a_fresh_check(
    session_factory: Factory, duties: Duties, which: str, edit: str
) -> None:
    before = checked(session_factory, duties, which)
    checked(session_factory, duties, which)
    cache = cache_of(session_factory)
    misses = cache.misses
    EDITS[edit](session_factory, duties)
    after = checked(session_factory, duties, which)
    assert cache.misses == misses + 1
    assert after.stored.schedule != before.stored.schedule
    assert checked(session_factory, duties, which) is not None
    assert cache.misses == misses + 1  # and that fresh check is kept


def test_absence_details_are_hidden_per_reader(session_factory: Factory, duties: Duties) -> None:
    """The entry holds every finding; a reader who may not see an absence's details gets the
    page's words without them, whoever viewed first."""
    _approve_an_absence(session_factory, duties)
    _publish_a_change(session_factory, duties)
    version = duties.plan.version_id
    everyone = cached_check(factory=session_factory, version_id=version)
    nobody = cached_check(factory=session_factory, version_id=version, absences=_NOBODY)
    again = cached_check(factory=session_factory, version_id=version)
    assert again.findings == everyone.findings
    fresh = check_schedule(factory=session_factory, version_id=version, absences=_NOBODY)
    assert nobody.findings == fresh.findings


_NOBODY = AbsenceVisibility(everyone=False)


def _entry(assignments: int) -> ScheduleCheck:
    """A stand-in entry: the cache weighs an entry by its assignments only."""
    schedule = SimpleNamespace(assignments=(None,) * assignments)
    return SimpleNamespace(stored=SimpleNamespace(schedule=schedule))  # type: ignore[return-value]


def test_the_cache_is_bounded_least_recently_used_first_out() -> None:
    cache = CheckCache(size=2)
    entries = [_entry(1) for _ in range(3)]
    for n, entry in enumerate(entries):
        cache.put(n, entry)
        cache.get(0)
    assert cache.get(0) is entries[0]
    assert cache.get(1) is None
    assert cache.get(2) is entries[2]
    assert MAX_ENTRIES >= 4


def test_the_cache_is_bounded_by_the_assignments_it_holds() -> None:
    cache = CheckCache(size=10, assignments=100)
    small, large, huge = _entry(40), _entry(50), _entry(500)
    cache.put("small", small)
    cache.put("large", large)
    assert cache.get("small") is small  # 92 held
    cache.put("large again", _entry(50))  # 143: the least recently used goes
    assert cache.get("large") is None
    assert cache.get("small") is small
    cache.put("huge", huge)  # over the bound alone: kept, everything else goes
    assert cache.get("huge") is huge
    assert cache.get("small") is None


def test_each_database_has_its_own_cache(session_factory: Factory) -> None:
    other = create_engine_for("sqlite://")
    try:
        assert cache_of(make_session_factory(other)) is not cache_of(session_factory)
        assert cache_of(session_factory) is cache_of(sessionmaker(bind=session_factory.kw["bind"]))
    finally:
        other.dispose()


def test_the_version_shown_is_read_on_every_view(session_factory: Factory, duties: Duties) -> None:
    """A label (or any other field of the version that no finding depends on) edited after
    the check was stored is shown as it is now (the edit, a counted change, also makes the
    next view check again)."""
    version = duties.plan.version_id
    cached_check(factory=session_factory, version_id=version)
    with session_factory.begin() as session:
        session.execute(
            update(ScheduleVersionRow)
            .where(ScheduleVersionRow.id == version)
            .values(label="renamed")
        )
    again = cached_check(factory=session_factory, version_id=version)
    assert again.stored.version.label == "renamed"
    assert (cache_of(session_factory).hits, cache_of(session_factory).misses) == (0, 2)


def test_a_draft_is_checked_again_when_its_look_back_changes(
    session_factory: Factory, duties: Duties
) -> None:
    """A draft's look-back comes from the published record: a change published there, in the
    four weeks before the draft's first day, gives the draft a fresh check."""
    first = duties.day + dt.timedelta(days=30)
    with session_factory.begin() as session:
        draft = ScheduleVersionRepository(session).add(
            academic_year_id=duties.plan.year_id, label="draft", status=ScheduleStatus.DRAFT
        )
    shift = "WARD" if "WARD" in _codes(session_factory) else "DAY"
    resident = duties.plan.residents[0]
    store_shifts(session_factory, draft, [Assignment(resident, first, shift)])

    def check() -> ScheduleCheck:
        found = cached_check(factory=session_factory, version_id=draft)
        fresh = check_schedule(factory=session_factory, version_id=draft)
        assert found.stored.schedule == fresh.stored.schedule
        assert found.findings == fresh.findings
        return found

    before = check()
    cache = cache_of(session_factory)
    misses = cache.misses
    check()
    assert cache.misses == misses
    _publish_a_change(session_factory, duties, days=25)  # in the draft's look-back
    after = check()
    assert cache.misses == misses + 1
    assert after.stored.look_back == before.stored.look_back + 1


@pytest.mark.parametrize("start", [dt.date.min, dt.date(1, 1, 20)])
def test_a_range_out_of_the_calendar_is_refused_as_before(
    session_factory: Factory, duties: Duties, start: dt.date
) -> None:
    version = duties.plan.version_id
    for given in ((start, None), (start, duties.day)):
        with pytest.raises(Invalid) as caught:
            cached_check(factory=session_factory, version_id=version, start=given[0], end=given[1])
        assert caught.value.details["errors"][0]["path"] == "start"


@pytest.mark.parametrize("which", RANGES)
def test_the_newest_absence_replaced_by_another_gives_a_fresh_check(
    session_factory: Factory, duties: Duties, which: str
) -> None:
    """SQLite gives a new row the id of the newest row deleted before it: the counts, the
    largest id and the row versions then read as before. Every write is audited, and the
    audit trail only grows, so its newest event tells the two apart."""
    first = _leave(duties, 0)
    created = absences.create_absence(factory=session_factory, absence=first)
    assert created.id is not None
    before = checked(session_factory, duties, which)
    absences.delete_absence(factory=session_factory, absence_id=created.id, actor="coord")
    replaced = absences.create_absence(factory=session_factory, absence=_leave(duties, 3))
    after = checked(session_factory, duties, which)  # equal to an uncached check
    if replaced.id == created.id:  # SQLite: the same id again
        assert after.stored.schedule.absences != before.stored.schedule.absences


@pytest.mark.parametrize("which", RANGES)
def test_a_leave_request_leaves_the_check_and_its_approval_refreshes_it(
    session_factory: Factory, duties: Duties, which: str, rule_runs: list[int]
) -> None:
    """A check reads approved absences only: a resident asking for leave changes no finding
    and keeps every coordinator's entry (resched.db.generation counts requests apart); the
    decision is a change of the absence, and the next view is checked afresh with it."""
    before = checked(session_factory, duties, which)
    runs = len(rule_runs)
    asked = absences.create_absence(
        factory=session_factory,
        absence=dataclasses.replace(_leave(duties, 0), status=AbsenceStatus.REQUESTED),
    )
    assert asked.id is not None
    assert checked(session_factory, duties, which).stored.schedule == before.stored.schedule
    assert len(rule_runs) == runs + 1  # only the uncached check inside ``checked``
    with transaction(session_factory) as session:  # as the leave decision writes it
        session.execute(
            update(AbsenceRow)
            .where(AbsenceRow.id == asked.id)
            .values(status=AbsenceStatus.APPROVED)
        )
    after = checked(session_factory, duties, which)
    assert len(rule_runs) == runs + 3  # the cached check ran the rules again
    assert [a.id for a in after.stored.schedule.absences if a.id == asked.id] == [asked.id]


def _leave(duties: Duties, offset: int) -> Absence:
    start = duties.day + dt.timedelta(days=offset)
    return Absence(
        person_id=duties.call,
        start=start,
        end=start + dt.timedelta(days=1),
        type=AbsenceType.VACATION,
        status=AbsenceStatus.APPROVED,
    )
