"""The month call schedule PDF: the calendar's weeks, each day's calls, names that fit on one
landscape page (smaller type for a fuller month), the legend, and the empty months."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from resched.io.pdf_calls import (
    CallDay,
    CallLine,
    CallMonth,
    LegendLine,
    calendar_weeks,
    day_text,
    render_call_schedule_pdf,
)
from tests.pdf_text import page_count, pdf_lines, pdf_text

OCTOBER = dt.date(2026, 10, 1)  # a Thursday
NAMES = ("Ada Lee", "Nguyễn Thị Zoë", "Łukasz Ševčík", "María García-López", "Ben Okafor")


def _month(per_shift: int = 1, holiday: str | None = "Indigenous Peoples' Day") -> CallMonth:
    days = tuple(
        CallDay(
            OCTOBER + dt.timedelta(days=i),
            holiday if i == 11 else None,
            tuple(
                CallLine(code, tuple(NAMES[(i + k + j) % len(NAMES)] for j in range(per_shift)))
                for k, code in enumerate(("CALL", "NIGHT", "FAC-CALL"))
            ),
        )
        for i in range(31)
    )
    legend = (
        LegendLine("CALL", "24 h in-house call", "07:00 for 24 h"),
        LegendLine("NIGHT", "Night float", "19:00-07:00 next day"),
        LegendLine("FAC-CALL", "Faculty call", "17:00-08:00 next day"),
    )
    return CallMonth(
        program="Sample Pediatrics Residency",
        month=OCTOBER,
        schedule="Year one (published)",
        timezone="America/Denver",
        generated_at=dt.datetime(2026, 9, 30, 12, tzinfo=dt.UTC),
        days=days,
        legend=legend,
    )


def test_weeks_run_monday_to_sunday_with_blanks_outside_the_month() -> None:
    weeks = calendar_weeks(_month().days)
    assert len(weeks) == 5
    assert weeks[0][:3] == [None, None, None]  # October 2026 starts on a Thursday
    first = weeks[0][3]
    assert first is not None
    assert first.day == OCTOBER
    last = weeks[-1][5]
    assert last is not None
    assert last.day == dt.date(2026, 10, 31)
    assert weeks[-1][6] is None
    assert calendar_weeks(()) == []


def test_a_day_lists_each_call_with_everyone_on_it() -> None:
    day = CallDay(dt.date(2026, 10, 12), "", (CallLine("CALL", ("Ada Lee", "Ben Okafor")),))
    assert day_text(day) == "12  Holiday\nCALL: Ada Lee, Ben Okafor"
    named = dataclasses.replace(day, holiday="Columbus Day", lines=())
    assert day_text(named) == "12  Holiday: Columbus Day"


def test_the_month_prints_on_one_page_with_every_name() -> None:
    data = render_call_schedule_pdf(_month(), compress=False)
    assert page_count(data) == 1
    lines = pdf_lines(data)
    text = pdf_text(data)
    assert "Call schedule, October 2026" in lines
    assert "Sample Pediatrics Residency: Year one (published). Times are in America/Denver." in text
    assert [d for d in ("Monday", "Sunday") if d in lines] == ["Monday", "Sunday"]
    flat = text.replace("\n", " ")
    assert "12  Holiday: Indigenous Peoples' Day" in flat
    for name in NAMES:
        assert name in flat
    assert "CALL: 24 h in-house call (07:00 for 24 h)" in flat
    assert "\ufffd" not in text


def test_a_full_month_shrinks_its_type_to_stay_on_one_page() -> None:
    roomy = render_call_schedule_pdf(_month(per_shift=1), compress=False)
    crowded = render_call_schedule_pdf(_month(per_shift=5), compress=False)
    assert page_count(crowded) == 1
    assert _smallest_type(roomy) == 7.5  # the legend's; the calendar's is 8 pt
    assert _smallest_type(crowded) < 7.5
    flat = pdf_text(crowded).replace("\n", " ")
    assert all(name in flat for name in NAMES)


def _smallest_type(data: bytes) -> float:
    return min(float(size) for size in re.findall(rb"/F\d+ ([0-9.]+) Tf", data))


def test_empty_months_say_why() -> None:
    none = dataclasses.replace(_month(), schedule="", days=())
    assert "No published schedule covers October 2026." in pdf_lines(
        render_call_schedule_pdf(none, compress=False)
    )
    quiet_days = tuple(dataclasses.replace(d, lines=()) for d in _month().days)
    quiet = dataclasses.replace(_month(), days=quiet_days)
    assert "No on-call shifts in October 2026." in pdf_lines(
        render_call_schedule_pdf(quiet, compress=False)
    )
