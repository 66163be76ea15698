"""Who the rules apply to, the default range, and the order of findings."""

from __future__ import annotations

import datetime as dt

from resched.core.rules import RULE_IDS
from tests.core.builders import Doc, rules_of

DUTY_HOUR_RULES = set(RULE_IDS) - {"supervision-ratio", "double-booked", "absence-conflict"}


def overworked(role: str) -> Doc:
    """Every day a 24 + 5 h call, then a 12 h day: breaks every duty-hour rule."""
    doc = Doc("2026-07-01", rules={"night_float_max_consecutive": 2})
    doc.resident("x", pgy=1) if role == "resident" else doc.faculty("x")
    doc.shift("CALL", "07:00", 1440, "in_house_call", transition=300)
    doc.shift("NF", "19:00", 720, "night_float")
    doc.assign_days("x", "CALL", range(0, 28, 2)).assign_days("x", "NF", range(1, 28, 2))
    return doc.log("x", "2026-07-02T12:00", "2026-07-02T13:00", "moonlighting")


def test_a_resident_breaks_every_duty_hour_rule_here() -> None:
    assert rules_of(overworked("resident").check()) >= DUTY_HOUR_RULES - {"night-float-consecutive"}


def test_faculty_are_exempt_from_duty_hour_rules() -> None:
    assert rules_of(overworked("faculty").check()) & DUTY_HOUR_RULES == set()


def test_faculty_still_get_double_booked() -> None:
    doc = overworked("faculty").assign("x", 1, "CALL")  # overlaps day 0's call until noon
    assert rules_of(doc.check()) == {"double-booked"}


def test_default_range_is_first_to_last_assignment() -> None:
    doc = Doc("2026-07-01", days=None).resident("r1", pgy=2).shift("D12", "07:00", 720)
    doc.assign_days("r1", "D12", range(3, 10))  # 7 x 12 h = 84 h in a 7-day range
    [finding] = doc.violations("hours-80")
    assert (finding.start, finding.end) == (dt.date(2026, 7, 4), dt.date(2026, 7, 10))


def test_findings_outside_the_range_are_not_reported() -> None:
    doc = Doc("2026-07-10").resident("r1", pgy=2).shift("C", "07:00", 1800, "in_house_call")
    doc.assign("r1", "2026-07-01", "C").assign("r1", "2026-08-20", "C")
    assert doc.violations("continuous-duty") == []
    doc.assign("r1", "2026-07-09", "C")  # 07:00 Jul 9 to 13:00 Jul 10: touches the range
    assert len(doc.violations("continuous-duty")) == 1


def test_findings_are_in_rule_then_person_order() -> None:
    doc = overworked("resident").resident("y", pgy=2).assign_days("y", "CALL", range(0, 28, 2))
    found = doc.check()
    order = [(RULE_IDS.index(f.rule), f.person_id, f.start) for f in found]
    assert order == sorted(order)
