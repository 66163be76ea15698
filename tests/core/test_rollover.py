"""The pure parts of starting the next year: the next block scheme (explicit block lengths
kept, a leap day absorbed by the last block), who moves up, and the incoming class CSV with
its row and column in every refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from resched.core.calendar import custom_blocks, four_week_blocks, monthly_blocks
from resched.core.errors import Invalid
from resched.core.model import AcademicYear, Block, BlockSchemeKind, Person, Role
from resched.core.rollover import (
    IncomingResident,
    next_scheme,
    parse_incoming_csv,
    plan_promotions,
)

D = dt.date


def _year(kind: BlockSchemeKind, blocks: tuple[Block, ...]) -> AcademicYear:
    return AcademicYear("2027-28", D(2027, 7, 1), D(2028, 6, 30), kind, blocks)


def test_explicit_blocks_keep_their_lengths_and_the_last_one_meets_the_end() -> None:
    # An orientation week, then 28-day blocks; 2027-28 has a leap day, 2028-29 does not.
    spans = [(D(2027, 7, 1), D(2027, 7, 7))]
    while spans[-1][1] < D(2028, 6, 30):
        first = spans[-1][1] + dt.timedelta(days=1)
        spans.append((first, min(first + dt.timedelta(days=27), D(2028, 6, 30))))
    old = _year(BlockSchemeKind.CUSTOM, custom_blocks(spans))
    scheme = next_scheme(old, D(2028, 7, 1), D(2029, 6, 30))
    assert scheme.kind is BlockSchemeKind.CUSTOM
    new = custom_blocks(scheme.spans)
    assert [b.days for b in new][:-1] == [b.days for b in old.blocks][:-1]
    assert new[-1].days == old.blocks[-1].days - 1
    assert (new[0].start, new[-1].end) == (D(2028, 7, 1), D(2029, 6, 30))


def test_a_shorter_next_year_drops_blocks_that_no_longer_fit() -> None:
    old = _year(
        BlockSchemeKind.CUSTOM,
        custom_blocks([(D(2027, 7, 1), D(2028, 6, 29)), (D(2028, 6, 30), D(2028, 6, 30))]),
    )
    scheme = next_scheme(old, D(2028, 7, 1), D(2029, 6, 29))
    assert scheme.spans == ((D(2028, 7, 1), D(2029, 6, 29)),)


def test_four_weeks_and_months_keep_their_scheme() -> None:
    four = _year(BlockSchemeKind.FOUR_WEEK, four_week_blocks(D(2027, 7, 1), D(2028, 6, 30), 13))
    assert next_scheme(four, D(2028, 7, 1), D(2029, 6, 30)).block_count == 13
    months = _year(BlockSchemeKind.MONTHLY, monthly_blocks(D(2027, 7, 1), D(2028, 6, 30)))
    assert next_scheme(months, D(2028, 7, 1), D(2029, 6, 30)).kind is BlockSchemeKind.MONTHLY


def test_promotions_up_one_final_year_finishes_leavers_and_inactive_leave() -> None:
    people = [
        Person(1, "a", "A", Role.RESIDENT, pgy=1),
        Person(2, "b", "B", Role.RESIDENT, pgy=2),
        Person(3, "c", "C", Role.RESIDENT, pgy=3),
        Person(4, "d", "D", Role.RESIDENT, pgy=1),
        Person(5, "e", "E", Role.RESIDENT, pgy=2, active=False),
        Person(6, "f", "F", Role.FACULTY),
        Person(7, "g", "G", Role.RESIDENT),  # no level this year
    ]
    moves = plan_promotions(people, final_pgy=3, leaving={"d"})
    assert [(p.code, p.next_pgy) for p in moves.promoted] == [("a", 2), ("b", 3)]
    assert [p.code for p in moves.graduating] == ["c"]
    assert [p.code for p in moves.leaving] == ["d", "e"]


def test_the_incoming_csv_with_a_header_blank_lines_and_pgy_spellings() -> None:
    text = 'Code,Name,Email,PGY\n\nn1, Ada Lee ,ada@example.org,1\r\nn2,"Ode, Ben",,PGY-2\n'
    assert parse_incoming_csv(text) == [
        IncomingResident("n1", "Ada Lee", "ada@example.org", 1, row=3),
        IncomingResident("n2", "Ode, Ben", None, 2, row=4),
    ]
    assert parse_incoming_csv("") == []


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("n1,A,,1\nn2,B,,x\n", 2, "pgy"),
        ("n1,A,,1\nn2,B\n", 2, "email"),
        ("n1,A,,1,extra\n", 1, "pgy"),
        ("n1,A,,-1\n", 1, "pgy"),
        ("n1,A,,PGY--1\n", 1, "pgy"),
        ("n1,A,,123\n", 1, "pgy"),
        ('n1,"A,,1\n', 1, "code"),
    ],
)
def test_a_malformed_row_names_its_row_and_column(text: str, row: int, column: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_incoming_csv(text)
    details = caught.value.details
    assert (details["field"], details["row"], details["column"]) == ("incoming_csv", row, column)
    assert caught.value.message.startswith(f"row {row}, column {column}: ")
