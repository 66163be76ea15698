"""The fairness report on hand-built schedules: exact counts per resident and per PGY group."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from resched.core.fairness import FORMAT, measure_fairness
from resched.core.interchange import parse_schedule
from tests.core.builders import Doc, d

# 2026-07-01 is a Wednesday: the 4th and 5th, 11th and 12th are the weekends of the range.
HOLIDAYS = (d("2026-07-03"), d("2026-07-04"))
HOUR = 3600


def _doc() -> Doc:
    doc = Doc("2026-07-01", days=14)
    doc.resident("a", 1).resident("b", 1).resident("dee", 1).resident("c", 2).faculty("f")
    doc.shift("DAY", "07:00", 720)
    doc.shift("CALL", "07:00", 1440, "in_house_call")  # crosses midnight: a call, not a night
    doc.shift("NF", "19:00", 720, "night_float")
    doc.shift("SWING", "16:00", 480)  # ends at 24:00 sharp: not a night
    doc.shift("LATE", "18:00", 480)  # ends at 02:00: a night
    doc.shift("HOME", "17:00", 900, "at_home_call")
    doc.shift("OFF", "00:00", 480, "off")
    # a: days on the 1st-3rd (the 3rd a holiday), call on Saturday the 4th (a holiday), a
    # late shift on Monday the 6th.
    doc.assign_days("a", "DAY", [0, 1, 2]).assign("a", 3, "CALL").assign("a", 5, "LATE")
    # b: last year's call on June 30 runs 7 h into the range (hours, not a call); at-home
    # call on Sunday the 5th; an "off" on the holiday; nights Friday and Saturday; a swing
    # shift on Sunday the 12th.
    doc.assign("b", "2026-06-30", "CALL").assign("b", 4, "HOME").assign("b", 2, "OFF")
    doc.assign_days("b", "NF", [9, 10]).assign("b", 11, "SWING")
    doc.assign("dee", 1, "DAY").assign("c", 0, "DAY").assign("f", 3, "CALL")
    return doc


def _report() -> dict:  # type: ignore[type-arg]
    return measure_fairness(parse_schedule(_doc().doc), HOLIDAYS).to_json()


def test_each_resident_is_counted_exactly() -> None:
    report = measure_fairness(parse_schedule(_doc().doc), HOLIDAYS)
    counts = {
        r.person.code: (r.calls, r.nights, r.weekend_days, r.holiday_days, r.seconds)
        for r in report.residents
    }
    assert counts == {
        "a": (1, 1, 1, 2, (3 * 12 + 24 + 8) * HOUR),
        "b": (0, 2, 3, 0, (7 + 2 * 12 + 8) * HOUR),
        "dee": (0, 0, 0, 0, 12 * HOUR),
        "c": (0, 0, 0, 0, 12 * HOUR),
    }  # faculty are not in the report
    assert (report.range.start, report.range.end) == (d("2026-07-01"), d("2026-07-14"))


def test_groups_show_range_mean_and_the_residents_furthest_from_it() -> None:
    report = measure_fairness(parse_schedule(_doc().doc), HOLIDAYS)
    pgy1, pgy2 = report.groups
    assert (pgy1.pgy, pgy1.residents, pgy2.pgy, pgy2.residents) == (1, ("a", "b", "dee"), 2, ("c",))
    spreads = {s.metric: s for s in pgy1.spreads}
    calls = spreads["calls"]
    assert (calls.minimum, calls.maximum, calls.mean, calls.spread) == (0, 1, Fraction(1, 3), 1)
    assert [(o.code, o.deviation) for o in calls.furthest] == [("a", Fraction(2, 3))]
    # A tie: both as far from the mean, one above and one below.
    nights = spreads["nights"]
    assert [(o.code, o.deviation) for o in nights.furthest] == [("b", 1), ("dee", -1)]
    assert [o.code for o in spreads["weekend_days"].furthest] == ["b"]
    assert [o.code for o in spreads["holiday_days"].furthest] == ["a"]
    hours = spreads["hours"]
    assert (hours.minimum, hours.maximum) == (12 * HOUR, 68 * HOUR)
    assert hours.mean == Fraction(119 * HOUR, 3)
    # One resident, or everyone equal: nobody stands out.
    assert all(s.furthest == () and s.spread == 0 for s in pgy2.spreads)


def test_the_json_form_gives_hours_in_hours_and_rounded_means() -> None:
    report = _report()
    assert report["format"] == FORMAT
    assert report["range"] == {"start": "2026-07-01", "end": "2026-07-14"}
    a = report["residents"][0]
    assert a == {
        "person": "a",
        "name": "Dr a",
        "pgy": 1,
        "calls": 1,
        "nights": 1,
        "weekend_days": 1,
        "holiday_days": 2,
        "hours": 68.0,
    }
    hours = report["groups"][0]["metrics"]["hours"]
    assert hours == {
        "min": 12.0,
        "max": 68.0,
        "mean": 39.67,
        "spread": 56.0,
        "furthest": [{"person": "a", "value": 68.0, "deviation": 28.33}],
    }
    assert report["groups"][0]["metrics"]["calls"]["min"] == 0


def test_leave_days_count_no_hours_and_a_range_end_cuts_off_later_days() -> None:
    doc = Doc("2026-07-01", days=7)
    doc.resident("a", 1).shift("DAY", "07:00", 720)
    doc.assign_days("a", "DAY", [0, 1, 2, 3, 6]).absence("a", 1, 1)
    doc.doc["range"]["end"] = "2026-07-04"  # the 7th lies after the range: not counted
    (a,) = measure_fairness(parse_schedule(doc.doc), [dt.date(2026, 7, 4)]).residents
    assert (a.seconds, a.weekend_days, a.holiday_days) == (3 * 12 * HOUR, 1, 1)
