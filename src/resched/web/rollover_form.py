"""The "Start academic year" form of /program/years: what it holds between a preview and the
confirmation, how its text becomes a request, and at which control a refusal shows."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from resched.core.errors import Invalid
from resched.core.model import AcademicYear
from resched.services.rollover import NextYearPlan, NextYearRequest, next_year_label

FIELDS = ("label", "start", "final_pgy", "leaving", "incoming_csv")
# The control of each field the service names; the block scheme, end and holidays come from
# the year before, so a refusal about them belongs to the first day asked for.
CONTROL_OF = {"end": "start", "us_federal_holidays": "start"}


@dataclass(frozen=True)
class NextYearForm:
    from_year: AcademicYear
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    problem: str | None = None
    plan: NextYearPlan | None = None

    @classmethod
    def blank(cls, year: AcademicYear) -> NextYearForm:
        return cls(year, dict.fromkeys(FIELDS, ""))

    @property
    def label(self) -> str:
        if self.plan is not None:
            return self.plan.year.label
        return self.values.get("label", "").strip() or next_year_label(self.from_year)


def control_of(service_field: str) -> str:
    if service_field.startswith("leaving["):
        return "leaving"
    if service_field.startswith(("incoming", "scheme")):
        return "incoming_csv" if service_field.startswith("incoming") else "start"
    return CONTROL_OF.get(service_field, service_field if service_field in FIELDS else "label")


def _day(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise Invalid("expected a date YYYY-MM-DD", details={"field": "start"})


def _level(text: str) -> int | None:
    text = text.strip().upper()
    if text.startswith("PGY"):
        text = text.removeprefix("PGY").strip().removeprefix("-").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) <= 2:
        return int(text)
    raise Invalid("the final PGY level is a number, e.g. 3", details={"field": "final_pgy"})


def request_of(values: dict[str, str]) -> NextYearRequest:
    """The request the form's text says; Invalid naming the field for text that is no date or
    no number. Leaving residents are codes separated by commas or spaces."""
    leaving = tuple(code for code in re.split(r"[\s,;]+", values["leaving"]) if code)
    return NextYearRequest(
        label=values["label"].strip() or None,
        start=_day(values["start"]),
        final_pgy=_level(values["final_pgy"]),
        leaving=leaving,
        incoming_csv=values["incoming_csv"],
    )
