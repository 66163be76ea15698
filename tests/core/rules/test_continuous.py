"""continuous-duty (24 + 4), rest-after-24h (14 h) and rest-8h (a warning), merge gap, DST."""

from __future__ import annotations

from tests.core.builders import Doc


def call(
    minutes: int, transition: int, *, start: str = "2026-07-01", tz: str = "America/Chicago"
) -> Doc:
    doc = Doc(start, timezone=tz).resident("r1", pgy=2)
    return doc.shift("C", "07:00", minutes, "in_house_call", transition=transition).assign(
        "r1", 0, "C"
    )


def test_24_plus_4_hours_is_legal() -> None:
    assert call(1440, 240).violations() == []


def test_one_minute_beyond_24_plus_4_is_a_violation() -> None:
    [finding] = call(1440, 241).violations("continuous-duty")
    assert (finding.value, finding.limit) == (28.02, 28.0)


def test_scheduled_part_over_24_hours_is_a_violation_without_transition() -> None:
    [finding] = call(1441, 0).violations("continuous-duty")
    assert (finding.value, finding.limit) == (24.02, 24.0)


def test_24_plus_4_call_across_autumn_dst_lasts_29_hours() -> None:
    [finding] = call(1440, 240, start="2026-10-31").violations("continuous-duty")
    assert finding.value == 29.0
    assert call(1440, 240, start="2026-10-31", tz="UTC").violations() == []


def test_24_plus_4_call_across_spring_dst_is_legal() -> None:
    assert call(1440, 300, start="2027-03-13").violations() == []  # 23 h + 5 h elapsed


def day_then_late(late_start: str) -> Doc:
    doc = Doc("2026-07-01").resident("r1", pgy=2).shift("DAY", "07:00", 720)
    doc.shift("LATE", late_start, 662).assign("r1", 0, "DAY")
    return doc.assign("r1", 0, "LATE")


def test_gap_under_merge_gap_joins_shifts_into_one_long_period() -> None:
    [finding] = day_then_late("20:59").violations("continuous-duty")  # 07:00 to 08:01 next day
    assert finding.value == 25.02


def test_gap_of_exactly_merge_gap_keeps_periods_apart() -> None:
    doc = day_then_late("21:00")
    assert doc.violations() == []
    assert [f.rule for f in doc.warnings()] == ["rest-8h"]


def test_custom_merge_gap_is_honoured() -> None:
    doc = day_then_late("21:00")
    doc.doc["program"]["rules"] = {"merge_gap_minutes": 121}
    assert [f.rule for f in doc.violations()] == ["continuous-duty"]


def rest_after(period_minutes: int, next_start: str) -> Doc:
    doc = Doc("2026-07-01").resident("r1", pgy=2)
    doc.shift("C", "07:00", period_minutes, "in_house_call").shift("NEXT", next_start, 360)
    return doc.assign("r1", 0, "C").assign("r1", 1, "NEXT")


def call_then(next_start: str) -> Doc:
    """A 24 + 4 h call from 07:00 day 0 to 11:00 day 1, then a shift on day 2."""
    doc = Doc("2026-07-01").resident("r1", pgy=2)
    doc.shift("C", "07:00", 1440, "in_house_call", transition=240).shift("NEXT", next_start, 360)
    return doc.assign("r1", 0, "C").assign("r1", 2, "NEXT")


def test_14_hours_off_after_24_hours_is_legal() -> None:
    assert call_then("01:00").violations() == []


def test_under_14_hours_off_after_24_hours_is_a_violation() -> None:
    [finding] = call_then("00:59").violations("rest-after-24h")
    assert (finding.value, finding.limit) == (13.98, 14.0)
    assert (finding.start.isoformat(), finding.end.isoformat()) == ("2026-07-02", "2026-07-03")


def test_rest_after_24h_needs_a_period_of_24_hours() -> None:
    # Ends 06:59 / 07:00 next day; the next shift at 18:00 leaves 11 h.
    assert rest_after(1439, "18:00").violations("rest-after-24h") == []
    assert len(rest_after(1440, "18:00").violations("rest-after-24h")) == 1


def eight_hours(next_start: str) -> Doc:
    doc = Doc("2026-07-01").resident("r1", pgy=2).shift("A", "07:00", 600)
    doc.shift("B", next_start, 240).assign("r1", 0, "A")
    return doc.assign("r1", 1, "B")


def test_8_hours_between_periods_is_fine() -> None:
    assert eight_hours("01:00").check() == []  # 17:00 to 01:00


def test_under_8_hours_between_periods_is_a_warning_not_a_violation() -> None:
    doc = eight_hours("00:59")
    assert doc.violations() == []
    [finding] = doc.warnings("rest-8h")
    assert (finding.value, finding.limit) == (7.98, 8.0)


def test_moonlighting_joins_duty_periods() -> None:
    doc = Doc("2026-07-01").resident("r1", pgy=2).shift("DAY", "07:00", 720).assign("r1", 0, "DAY")
    doc.log("r1", "2026-07-01T20:00", "2026-07-02T08:30", "moonlighting")
    [finding] = doc.violations("continuous-duty")
    assert finding.value == 25.5
