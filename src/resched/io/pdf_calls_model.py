"""The month call schedule's content before any drawing: the days with their on-call shifts
and who is on them, the legend, and the calendar's weeks (no fpdf2 here: the web process
imports this when it starts, the drawing only when a PDF is asked for)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CallLine:
    code: str
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CallDay:
    day: dt.date
    holiday: str | None  # the holiday's name ("" when it has none); None on other days
    lines: tuple[CallLine, ...]


@dataclass(frozen=True, slots=True)
class LegendLine:
    code: str
    name: str
    hours: str  # "17:00-08:00 next day"


@dataclass(frozen=True, slots=True)
class CallMonth:
    program: str
    month: dt.date  # its first day
    schedule: str  # "Block 1 (published)"; "" when no schedule covers the month
    timezone: str
    generated_at: dt.datetime
    days: tuple[CallDay, ...]
    legend: tuple[LegendLine, ...]

    @property
    def title(self) -> str:
        return f"Call schedule, {self.month:%B} {self.month.year}"

    def empty_message(self) -> str | None:
        """What the page says instead of a calendar, as the print page says it."""
        if not self.schedule:
            return f"No published schedule covers {self.month:%B} {self.month.year}."
        if not any(d.lines for d in self.days):
            return f"No on-call shifts in {self.month:%B} {self.month.year}."
        return None


def day_text(day: CallDay) -> str:
    """A calendar cell: the date (and holiday), then a line per on-call shift."""
    head = str(day.day.day)
    if day.holiday is not None:
        head += f"  Holiday{': ' + day.holiday if day.holiday else ''}"
    return "\n".join([head, *(f"{line.code}: {', '.join(line.names)}" for line in day.lines)])


def calendar_weeks(days: Sequence[CallDay]) -> list[list[CallDay | None]]:
    """Monday-to-Sunday weeks, None for the days outside the month."""
    if not days:
        return []
    cells: list[CallDay | None] = [None] * days[0].day.weekday()
    cells += days
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]
