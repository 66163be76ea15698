"""Stored schedules: import a document as a draft, export it back, check it through the service
exactly as ``resched validate`` checks the document; look-back from the published record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid, NotFound
from resched.core.interchange import parse_schedule, write_report
from resched.core.model import ScheduleStatus
from resched.core.rules import ScheduleContext, check_all
from resched.db.tables import ScheduleVersionRow, ShiftAssignmentRow
from resched.services.audit import list_audit_events
from resched.services.schedule_import import import_schedule
from resched.services.schedules import (
    check_schedule,
    default_schedule,
    export_schedule,
    get_schedule,
    list_schedules,
    load_schedule,
)
from tests.schedule_data import StoredProgram, base_doc, publish, store_program, troubled_doc

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture
def program(session_factory: Factory) -> StoredProgram:
    return store_program(session_factory)


def _rows(document: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(a["person"], a["date"], a["shift"]) for a in document["assignments"]}


def _count(factory: Factory, table: Any) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_import_creates_an_audited_draft(session_factory: Factory, program: StoredProgram) -> None:
    document = troubled_doc()
    result = import_schedule(factory=session_factory, document=document, actor="chief")

    version = result.version
    assert (version.status, version.academic_year_label) == (ScheduleStatus.DRAFT, "2026-27")
    assert version.label == "Imported 2026-07-01 to 2026-08-11"
    assert version.assignments == len(document["assignments"])
    assert (version.first_day, version.last_day) == (dt.date(2026, 7, 1), dt.date(2026, 8, 11))
    events = list_audit_events(factory=session_factory, entity="schedule_version").items
    assert [(e.action, e.actor, e.entity_id) for e in events] == [
        ("import", "chief", str(version.id))
    ]
    assert events[0].after is not None
    assert events[0].after["assignments"] == version.assignments


def test_export_gives_back_the_imported_assignments(
    session_factory: Factory, program: StoredProgram
) -> None:
    document = troubled_doc()
    version = import_schedule(factory=session_factory, document=document).version

    exported = export_schedule(factory=session_factory, version_id=version.id)

    assert _rows(exported) == _rows(document)
    assert exported["range"] == document["range"]
    assert [p["id"] for p in exported["people"]] == ["f1", "r1", "r2", "r3"]
    assert parse_schedule(exported).program.timezone == "America/Chicago"


def test_checking_through_the_service_equals_validating_the_document(
    session_factory: Factory, program: StoredProgram
) -> None:
    document = troubled_doc()
    version = import_schedule(factory=session_factory, document=document).version

    via_service = check_schedule(factory=session_factory, version_id=version.id).report()
    schedule = parse_schedule(document)
    direct = write_report(
        check_all(ScheduleContext(schedule)), schedule.range, schedule.people, schedule.assignments
    )

    assert via_service == direct
    assert {f["rule"] for f in direct["findings"]} >= {
        "hours-80",
        "day-off-1-in-7",
        "night-float-consecutive",
        "supervision-ratio",
    }
    exported = export_schedule(factory=session_factory, version_id=version.id)
    again = parse_schedule(exported)
    assert via_service == write_report(
        check_all(ScheduleContext(again)), again.range, again.people, again.assignments
    )


def test_a_range_narrows_export_and_check(session_factory: Factory, program: StoredProgram) -> None:
    version = import_schedule(factory=session_factory, document=troubled_doc()).version
    start, end = dt.date(2026, 7, 8), dt.date(2026, 7, 14)
    exported = export_schedule(factory=session_factory, version_id=version.id, start=start, end=end)
    assert exported["range"] == {"start": "2026-07-08", "end": "2026-07-14"}
    # A draft's look-back comes from the published record, and nothing is published.
    assert {a["date"] for a in exported["assignments"]} <= {
        (start + dt.timedelta(days=n)).isoformat() for n in range(7)
    }


def test_look_back_comes_from_the_published_record(
    session_factory: Factory, program: StoredProgram
) -> None:
    july = base_doc(days=31).assign_days("r1", "CALL", range(0, 31, 2)).doc
    published = import_schedule(factory=session_factory, document=july).version
    publish(session_factory, published.id)
    august = base_doc("2026-08-01", days=28).assign_days("r1", "CALL", [0]).doc
    draft = import_schedule(factory=session_factory, document=august).version

    stored = load_schedule(factory=session_factory, version_id=draft.id)

    earlier = [a for a in stored.schedule.assignments if a.date < dt.date(2026, 8, 1)]
    assert stored.look_back == len(earlier) == 14  # calls on Jul 5, 7, ..., 31
    assert min(a.date for a in earlier) >= dt.date(2026, 7, 5)
    rules = {f.rule for f in check_schedule(factory=session_factory, version_id=draft.id).findings}
    assert "call-q3" in rules  # 15 calls in the window Jul 5 - Aug 1


def test_unknown_codes_are_refused_with_their_paths(
    session_factory: Factory, program: StoredProgram
) -> None:
    doc = base_doc().resident("r9", 1).shift("XRAY", "07:00", 60).assign("r9", 0, "XRAY").doc

    with pytest.raises(Invalid) as caught:
        import_schedule(factory=session_factory, document=doc)

    paths = [e["path"] for e in caught.value.details["errors"]]
    assert paths == ["people[4].id"]  # people first: shift types are checked when people match
    assert 'unknown person "r9"' in caught.value.message
    doc["people"].pop()
    doc["assignments"] = []
    with pytest.raises(Invalid, match=r'^shift_types\[5\]\.code: unknown shift type "XRAY"'):
        import_schedule(factory=session_factory, document=doc)
    assert _count(session_factory, ScheduleVersionRow) == 0


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(format="nope"), "format"),
        (lambda d: d.update(range={"start": "2027-06-20", "end": "2027-07-10"}), "range"),
        (lambda d: d["assignments"].append(dict(d["assignments"][0])), "assignments[1]"),
        (lambda d: d["assignments"].append({"person": "r1", "date": "2026-07-32"}), None),
    ],
)
def test_bad_documents_store_nothing(
    session_factory: Factory, program: StoredProgram, change: Any, path: str | None
) -> None:
    doc = base_doc().assign("r1", 0, "DAY").doc
    change(doc)
    with pytest.raises(Invalid) as caught:
        import_schedule(factory=session_factory, document=doc)
    if path is not None:
        assert caught.value.details["errors"][0]["path"] == path
    assert _count(session_factory, ScheduleVersionRow) == 0
    assert _count(session_factory, ShiftAssignmentRow) == 0


def test_notes_tell_what_was_ignored(session_factory: Factory, program: StoredProgram) -> None:
    doc = base_doc().assign("r1", 0, "DAY").absence("r1", 5, 6).doc
    doc["program"]["rules"]["foo"] = 1
    doc["shift_types"][0]["minutes"] = 600
    doc["people"][0]["pgy"] = 2
    doc["assignments"].append({"person": "r1", "date": "2026-08-20", "shift": "DAY"})

    notes = {str(n) for n in import_schedule(factory=session_factory, document=doc).notes}

    assert notes == {
        "program.rules.foo is not a known setting; ignored",
        "shift_types[0] differs from the program's DAY in minutes; the program's is used",
        "people[0] differs from the program's r1 (resident, PGY-1); the program's is used",
        "assignments 1 dated outside the range; not imported",
        "absences 1 not imported; the program's apply",
    }


def test_listing_getting_and_the_default_version(
    session_factory: Factory, program: StoredProgram
) -> None:
    assert default_schedule(factory=session_factory) is None
    ids = [
        import_schedule(
            factory=session_factory, document=base_doc().assign("r1", n, "DAY").doc
        ).version.id
        for n in range(3)
    ]
    page = list_schedules(factory=session_factory, limit=2, offset=0)
    assert (page.total, [v.id for v in page.items]) == (3, ids[:0:-1])
    assert default_schedule(factory=session_factory).id == ids[2]  # type: ignore[union-attr]
    publish(session_factory, ids[0])
    assert default_schedule(factory=session_factory).id == ids[0]  # type: ignore[union-attr]
    assert get_schedule(factory=session_factory, version_id=ids[1]).assignments == 1
    with pytest.raises(NotFound):
        get_schedule(factory=session_factory, version_id=9999)


def test_ranges_are_checked(session_factory: Factory, program: StoredProgram) -> None:
    version = import_schedule(factory=session_factory, document=troubled_doc()).version
    with pytest.raises(Invalid) as caught:
        load_schedule(
            factory=session_factory,
            version_id=version.id,
            start=dt.date(2026, 7, 10),
            end=dt.date(2026, 7, 9),
        )
    assert caught.value.details["errors"][0]["path"] == "end"
    with pytest.raises(Invalid, match="longer than 731 days"):
        load_schedule(factory=session_factory, version_id=version.id, end=dt.date(2029, 1, 1))
    with pytest.raises(NotFound):
        load_schedule(factory=session_factory, version_id=version.id + 1)
