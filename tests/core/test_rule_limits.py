"""A program's rule settings may be stricter than ACGME, never looser; every problem names the
setting's path and the ACGME limit."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from resched.core.model import RuleConfig
from resched.core.rule_limits import check_rules


def _errors(**change: Any) -> dict[str, str]:
    return dict(check_rules(dataclasses.replace(RuleConfig(), **change)))


def test_the_acgme_defaults_pass() -> None:
    assert check_rules(RuleConfig()) == []


@pytest.mark.parametrize(
    "change",
    [
        {"call_every_nth_night": 4},
        {"hours_per_week_limit": 72.5, "approaching_hours": 70},
        {"night_float_max_consecutive": 5},
        {"merge_gap_minutes": 180},
        {"free_day_every_n_days": 6},
        {"rest_after_24h_hours": 16},
        {"supervision_ratio": {1: 1, 2: 3}},
        {"supervision_ratio": {1: 2}},
    ],
)
def test_stricter_settings_pass(change: dict[str, Any]) -> None:
    assert _errors(**change) == {}


@pytest.mark.parametrize(
    ("change", "path", "limit"),
    [
        ({"call_every_nth_night": 2}, "rules.call_every_nth_night", "at least 3"),
        ({"hours_per_week_limit": 88}, "rules.hours_per_week_limit", "at most 80 h"),
        ({"night_float_max_consecutive": 7}, "rules.night_float_max_consecutive", "at most 6"),
        ({"night_float_max_consecutive": 0}, "rules.night_float_max_consecutive", "at most 6"),
        ({"merge_gap_minutes": 60}, "rules.merge_gap_minutes", "at least 120 min"),
        ({"max_continuous_hours": 26}, "rules.max_continuous_hours", "at most 24 h"),
        ({"rest_between_periods_hours": 6}, "rules.rest_between_periods_hours", "at least 8 h"),
        ({"supervision_ratio": {1: 3, 2: 4}}, "rules.supervision_ratio.1", "1:2"),
        ({"supervision_ratio": {1: 2, 3: 5}}, "rules.supervision_ratio.3", "1:4"),
    ],
)
def test_looser_settings_name_the_field_and_the_acgme_limit(
    change: dict[str, Any], path: str, limit: str
) -> None:
    errors = _errors(**change)
    assert list(errors) == [path]
    assert "looser than the ACGME limit" in errors[path]
    assert limit in errors[path]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"call_every_nth_night": 29}, "rules.call_every_nth_night"),
        ({"free_day_every_n_days": 1}, "rules.free_day_every_n_days"),
        ({"approaching_hours": 80}, "rules.approaching_hours"),
        ({"hours_per_week_limit": 70}, "rules.approaching_hours"),
        ({"supervision_ratio": {2: 4}}, "rules.supervision_ratio.1"),
        ({"supervision_ratio": {1: 0}}, "rules.supervision_ratio.1"),
    ],
)
def test_out_of_range_settings_name_the_field(change: dict[str, Any], path: str) -> None:
    assert path in _errors(**change)


def test_every_problem_is_reported_at_once() -> None:
    errors = _errors(call_every_nth_night=2, hours_per_week_limit=90, approaching_hours=95)
    assert set(errors) == {
        "rules.call_every_nth_night",
        "rules.hours_per_week_limit",
        "rules.approaching_hours",
    }
