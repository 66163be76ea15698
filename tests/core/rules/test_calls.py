"""call-q3 (9 calls in 28 days legal, 10 not; leave omitted) and night-float-consecutive."""

from __future__ import annotations

from tests.core.builders import Doc

RANGE = ("2026-07-01", "2026-07-28")


def calls(days: range, *, leave: bool = False) -> Doc:
    doc = Doc(*RANGE).resident("r1", pgy=2)
    doc.shift("CALL", "07:00", 1440, "in_house_call", transition=240)
    if leave:
        doc.absence("r1", 21, 27)
    return doc.assign_days("r1", "CALL", days)


def test_nine_calls_in_28_days_is_legal() -> None:
    assert calls(range(0, 27, 3)).violations() == []


def test_ten_calls_in_28_days_is_a_violation() -> None:
    found = calls(range(0, 28, 3)).violations()
    assert [f.rule for f in found] == ["call-q3"]
    assert (found[0].value, found[0].limit) == (10.0, 9.0)


def test_leave_days_leave_the_call_average() -> None:
    # 21 effective days allow 7 calls.
    assert calls(range(0, 14, 2), leave=True).violations("call-q3") == []
    [finding] = calls(range(0, 16, 2), leave=True).violations("call-q3")
    assert (finding.value, finding.limit) == (8.0, 7.0)


def test_other_kinds_are_not_calls() -> None:
    doc = Doc(*RANGE).resident("r1", pgy=2).shift("HOME", "17:00", 840, "at_home_call")
    assert doc.assign_days("r1", "HOME", range(0, 28, 2)).violations("call-q3") == []


def nights(count: int, rules: dict[str, int] | None = None) -> Doc:
    doc = Doc(*RANGE, rules=rules).resident("r1", pgy=2).shift("NF", "19:00", 720, "night_float")
    return doc.assign_days("r1", "NF", range(3, 3 + count))


def test_six_consecutive_nights_are_legal() -> None:
    assert nights(6).violations() == []


def test_seven_consecutive_nights_are_a_violation() -> None:
    [finding] = nights(7).violations("night-float-consecutive")
    assert (finding.value, finding.limit) == (7.0, 6.0)
    assert (finding.start.isoformat(), finding.end.isoformat()) == ("2026-07-04", "2026-07-10")


def test_zero_switches_the_night_float_rule_off() -> None:
    assert (
        nights(12, {"night_float_max_consecutive": 0}).violations("night-float-consecutive") == []
    )


def test_configured_night_float_limit() -> None:
    assert (
        len(nights(5, {"night_float_max_consecutive": 4}).violations("night-float-consecutive"))
        == 1
    )


def test_a_break_of_one_day_ends_the_run() -> None:
    doc = nights(6).assign("r1", 10, "NF")  # nights 3-8 and 10
    assert doc.violations("night-float-consecutive") == []
