"""Starting the next academic year: exact promotions, the incoming class, the old year's
published schedule and its validation report unchanged to the byte, and every refusal a
422 or 409 that writes nothing. On the demo and on a small pediatrics-like program."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid
from resched.core.model import BlockSchemeKind
from resched.core.rollover import IncomingResident
from resched.services.academic_years import get_academic_year
from resched.services.audit import list_audit_events
from resched.services.rollover import NextYearRequest, preview_next_year, start_next_year
from tests.rollover_data import (
    PEDS_RESIDENTS,
    demo_program,
    levels_in,
    peds_program,
    record_of,
    row_counts,
)

pytestmark = pytest.mark.db

INCOMING_CSV = "code,name,email,pgy\nped1c,Ivy Nolan,ivy@example.org,1\nped1d,Otto Ray,,PGY-1\n"


def test_the_pediatrics_program_moves_up_a_year_and_its_old_year_stays_byte_for_byte(
    session_factory: sessionmaker[Session],
) -> None:
    stored = peds_program(session_factory)
    before = record_of(session_factory, stored.version_id)
    old_levels = levels_in(session_factory, stored.year_id)
    request = NextYearRequest(incoming_csv=INCOMING_CSV)
    preview = preview_next_year(
        factory=session_factory, from_year_id=stored.year_id, request=request
    )
    assert preview.year.id is None
    assert preview.year.label == "2027-28"
    plan = start_next_year(
        factory=session_factory, from_year_id=stored.year_id, request=request, actor="chief"
    )
    assert plan.year.id is not None
    assert plan.summary() == preview.summary()
    assert plan.final_pgy == 3
    assert plan.dated_coverage == ("Thanksgiving ward",)
    assert levels_in(session_factory, plan.year.id) == {
        "ped1a": 2,
        "ped1b": 2,
        "ped2a": 3,
        "ped2b": 3,
        "ped1c": 1,
        "ped1d": 1,
    }
    assert [p.code for p in plan.promotions.graduating] == ["ped3a", "ped3b"]
    year, holidays = get_academic_year(factory=session_factory, academic_year_id=plan.year.id)
    assert (year.start, year.end) == (dt.date(2027, 7, 1), dt.date(2028, 6, 30))
    assert year.scheme is BlockSchemeKind.MONTHLY
    assert len(year.blocks) == 12
    assert dt.date(2027, 7, 5) in year.holidays  # Independence Day 2027, observed on Monday
    assert len(holidays) == 11
    assert levels_in(session_factory, stored.year_id) == old_levels
    assert record_of(session_factory, stored.version_id) == before
    events = list_audit_events(factory=session_factory, entity="academic_year")
    rollover = next(e for e in events.items if e.action == "start_next_year")
    assert rollover.actor == "chief"
    assert rollover.after is not None
    assert rollover.after["promoted"] == {c: [p, p + 1] for c, p in PEDS_RESIDENTS if p < 3}
    assert rollover.after["incoming"] == {"ped1c": 1, "ped1d": 1}
    created = list_audit_events(factory=session_factory, entity="person").items
    assert sorted(e.after["code"] for e in created if e.actor == "chief" and e.after) == [
        "ped1c",
        "ped1d",
    ]


def test_the_demo_moves_up_a_year_and_its_old_year_stays_byte_for_byte(
    session_factory: sessionmaker[Session],
) -> None:
    stored = demo_program(session_factory)
    before = record_of(session_factory, stored.version_id)
    old_levels = levels_in(session_factory, stored.year_id)
    old_year, _ = get_academic_year(factory=session_factory, academic_year_id=stored.year_id)
    plan = start_next_year(
        factory=session_factory,
        from_year_id=stored.year_id,
        request=NextYearRequest(incoming_csv="n1,Nia One,n1@example.org,1\n"),
    )
    assert plan.year.id is not None
    new_levels = levels_in(session_factory, plan.year.id)
    top = max(old_levels.values())
    expected = {code: pgy + 1 for code, pgy in old_levels.items() if pgy < top} | {"n1": 1}
    assert new_levels == expected
    assert len(plan.promotions.graduating) == sum(1 for p in old_levels.values() if p == top)
    year, _ = get_academic_year(factory=session_factory, academic_year_id=plan.year.id)
    assert year.scheme is old_year.scheme
    assert [b.days for b in year.blocks][:-1] == [b.days for b in old_year.blocks][:-1]
    assert year.start == old_year.end + dt.timedelta(days=1)
    assert record_of(session_factory, stored.version_id) == before
    assert levels_in(session_factory, stored.year_id) == old_levels


@pytest.mark.parametrize(
    ("request_", "field", "extra"),
    [
        (
            NextYearRequest(incoming_csv="x1,X,x@e.org,4\n"),
            "incoming_csv",
            {"row": 1, "column": "pgy"},
        ),
        (
            NextYearRequest(incoming_csv="code,name,email,pgy\nx1,X,,1\nX1,Y,,1\n"),
            "incoming_csv",
            {"row": 3, "column": "code"},
        ),
        (
            NextYearRequest(incoming_csv="x1,X,a@e.org,1\nx2,Y,A@e.org,1\n"),
            "incoming_csv",
            {"row": 2, "column": "email"},
        ),
        (NextYearRequest(incoming_csv="x1,X,1\n"), "incoming_csv", {"row": 1, "column": "pgy"}),
        (
            NextYearRequest(incoming_csv="ped2a,Again,,1\n"),
            "incoming_csv",
            {"row": 1, "column": "code"},
        ),
        (NextYearRequest(incoming=(IncomingResident("x1", "X", None, 0),)), "incoming[0].pgy", {}),
        (
            NextYearRequest(incoming=(IncomingResident("x1", "X", "ped1a@example.org", 1),)),
            "incoming[0].email",
            {},
        ),
        (
            NextYearRequest(incoming=(IncomingResident("x 1", "X", None, 1),)),
            "incoming[0].code",
            {},
        ),
        (NextYearRequest(incoming=(IncomingResident("x1", " ", None, 1),)), "incoming[0].name", {}),
        (NextYearRequest(leaving=("nobody",)), "leaving[0]", {}),
        (NextYearRequest(leaving=("ped1a", "ped1a")), "leaving[1]", {}),
        (NextYearRequest(final_pgy=2), "final_pgy", {}),
        (NextYearRequest(start=dt.date(2027, 6, 30)), "start", {}),
        (NextYearRequest(label="2026-27"), "label", {}),
        (
            NextYearRequest(incoming_csv="x1,A\0,,1\n"),
            "incoming_csv",
            {"row": 1, "column": "name"},
        ),
    ],
)
def test_bad_input_is_refused_at_its_field_and_writes_nothing(
    session_factory: sessionmaker[Session],
    request_: NextYearRequest,
    field: str,
    extra: dict[str, object],
) -> None:
    stored = peds_program(session_factory)
    counts = row_counts(session_factory)
    for run in (preview_next_year, start_next_year):
        with pytest.raises(Invalid) as caught:
            run(factory=session_factory, from_year_id=stored.year_id, request=request_)
        assert caught.value.details["field"] == field
        assert {k: caught.value.details[k] for k in extra} == extra
    assert row_counts(session_factory) == counts


def test_a_second_next_year_is_a_conflict_and_writes_nothing(
    session_factory: sessionmaker[Session],
) -> None:
    stored = peds_program(session_factory)
    start_next_year(factory=session_factory, from_year_id=stored.year_id, request=NextYearRequest())
    counts = row_counts(session_factory)
    with pytest.raises(Conflict, match="2027-28"):
        start_next_year(
            factory=session_factory, from_year_id=stored.year_id, request=NextYearRequest()
        )
    assert row_counts(session_factory) == counts


def test_leaving_residents_and_an_explicit_final_level_shape_the_new_year(
    session_factory: sessionmaker[Session],
) -> None:
    stored = peds_program(session_factory)
    plan = start_next_year(
        factory=session_factory,
        from_year_id=stored.year_id,
        request=NextYearRequest(leaving=("ped1b",), final_pgy=4, us_federal_holidays=False),
    )
    assert plan.year.id is not None
    assert levels_in(session_factory, plan.year.id) == {
        "ped1a": 2,
        "ped2a": 3,
        "ped2b": 3,
        "ped3a": 4,
        "ped3b": 4,
    }
    assert [p.code for p in plan.promotions.leaving] == ["ped1b"]
    assert plan.year.holidays == ()
