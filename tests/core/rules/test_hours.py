"""hours-80: exact boundary, leave omitted, clipping at midnight, DST, warnings."""

from __future__ import annotations

from resched.core.rules import Severity
from tests.core.builders import Doc

RANGE = ("2026-07-01", "2026-07-28")


def twenty_long_days(last_minutes: int) -> Doc:
    """20 shifts of 16 h in 28 days is exactly 80.0 h/week; the last shift's length varies."""
    doc = Doc(*RANGE).resident("r1", pgy=2)
    doc.shift("L16", "06:00", 960).shift("LAST", "06:00", last_minutes)
    doc.assign_days("r1", "L16", range(19)).assign("r1", 19, "LAST")
    return doc


def test_exactly_80_hours_is_legal_but_warned() -> None:
    doc = twenty_long_days(960)
    assert doc.violations("hours-80") == []
    [warning] = doc.warnings("hours-80")
    assert warning.value == 80.0
    assert warning.limit == 80.0


def test_one_minute_over_80_hours_is_a_violation() -> None:
    [finding] = twenty_long_days(961).violations("hours-80")
    assert finding.value > 80.0  # 80.004: rounding must not hide the crossing
    assert finding.limit == 80.0
    assert (finding.start.isoformat(), finding.end.isoformat()) == RANGE
    assert "h/week averaged over Jul 1-Jul 28 (limit 80)" in finding.message


def test_one_minute_under_80_hours_is_only_a_warning() -> None:
    doc = twenty_long_days(959)
    assert doc.violations("hours-80") == []
    assert [f.severity for f in doc.warnings("hours-80")] == [Severity.WARNING]


def test_no_warning_at_or_below_approaching_hours() -> None:
    # 19 x 16 h = 304 h = 76.0 h/week: not above 76.
    doc = Doc(*RANGE).resident("r1", pgy=2).shift("L16", "06:00", 960)
    doc.assign_days("r1", "L16", range(19))
    assert [f for f in doc.check() if f.rule == "hours-80"] == []


def test_review_committee_limit_of_88_is_honoured() -> None:
    doc = twenty_long_days(961)
    doc.doc["program"]["rules"] = {"hours_per_week_limit": 88}
    assert doc.violations("hours-80") == []


def leave_case(extra_on: int) -> Doc:
    """20 x 12 h on days 0-19 and 7 leave days 21-27: 240 h over 21 effective days = 80.0.
    A 10 h extra shift is logged on day ``extra_on``."""
    doc = Doc(*RANGE).resident("r1", pgy=2).shift("D12", "07:00", 720)
    doc.assign_days("r1", "D12", range(20)).absence("r1", 21, 27)
    doc.log("r1", f"{doc.day(extra_on)}T08:00", f"{doc.day(extra_on)}T18:00", "extra")
    return doc


def test_leave_days_are_omitted_from_numerator_and_denominator() -> None:
    # On day 20 (not leave): 250 h / 3 weeks = 83.33 h/week. Averaged over all 28 days it would
    # be 62.5, so only leaving the leave days out finds it.
    [finding] = leave_case(extra_on=20).violations("hours-80")
    assert finding.value == 83.33
    assert "7 leave days left out" in finding.message


def test_work_logged_on_a_leave_day_is_not_counted() -> None:
    assert leave_case(extra_on=22).violations("hours-80") == []


def test_window_of_only_leave_is_skipped() -> None:
    doc = Doc("2026-07-01", "2026-07-10").resident("r1").shift("D12", "07:00", 720)
    doc.absence("r1", 0, 9).log("r1", "2026-07-03T08:00", "2026-07-03T20:00", "extra")
    assert doc.check() == []


def test_range_shorter_than_28_days_is_one_window() -> None:
    doc = Doc("2026-07-01", "2026-07-07").resident("r1", pgy=2).shift("D12", "07:00", 720)
    doc.assign_days("r1", "D12", range(7))
    [finding] = doc.violations("hours-80")
    assert finding.value == 84.0
    assert (finding.start.isoformat(), finding.end.isoformat()) == ("2026-07-01", "2026-07-07")


def test_call_on_the_last_day_counts_only_until_midnight() -> None:
    rules = {"hours_per_week_limit": 16.9, "approaching_hours": 10}
    doc = Doc("2026-07-01", "2026-07-07", rules=rules).resident("r1", pgy=2)
    doc.shift("CALL", "07:00", 1440, "in_house_call", transition=240).assign("r1", 6, "CALL")
    [finding] = doc.violations("hours-80")
    assert finding.value == 17.0


def test_24h_call_across_autumn_dst_counts_25_hours() -> None:
    rules = {"hours_per_week_limit": 24.5, "approaching_hours": 20}

    def doc(timezone: str) -> Doc:
        built = Doc("2026-10-29", "2026-11-04", timezone=timezone, rules=rules).resident("r1")
        return built.shift("C24", "07:00", 1440, "in_house_call").assign("r1", 2, "C24")

    [chicago] = doc("America/Chicago").violations("hours-80")
    assert chicago.value == 25.0
    assert doc("UTC").violations("hours-80") == []
    assert [f.value for f in doc("UTC").warnings("hours-80")] == [24.0]


def test_logged_home_call_counts_for_hours() -> None:
    doc = Doc("2026-07-01", "2026-07-07").resident("r1", pgy=2).shift("D11", "07:00", 660)
    doc.assign_days("r1", "D11", range(7))  # 77 h: a warning only
    assert doc.violations("hours-80") == []
    doc.log("r1", "2026-07-02T20:00", "2026-07-02T23:30", "home_call")
    [finding] = doc.violations("hours-80")
    assert finding.value == 80.5


def test_at_home_call_assignment_adds_no_hours() -> None:
    doc = Doc("2026-07-01", "2026-07-07").resident("r1", pgy=2).shift("D11", "07:00", 660)
    doc.shift("HOME", "18:00", 780, "at_home_call")
    doc.assign_days("r1", "D11", range(7)).assign_days("r1", "HOME", range(7))
    assert doc.violations("hours-80") == []
