"""The Compliance page: "are we legal, and if not why?" (UI.md) for one stored schedule.

A plain GET form drives every filter, so the page works without JavaScript; a bad filter value
(a version or level that is not a number) is ignored like an empty one, a malformed date is
answered on the page with the field it concerns.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid
from resched.core.rules import Level
from resched.core.rules.findings import fmt_number, fmt_span
from resched.http.auth import require
from resched.http.database import request_factory
from resched.http.params import MAX_ID, url_number
from resched.services.pages.compliance import ComplianceFilters, ComplianceView, load_compliance
from resched.services.permissions import Permission, Principal, absence_visibility
from resched.services.read_cache import BoundedCache
from resched.web.charts import rolling_chart
from resched.web.templating import templates
from resched.web.wording import describe_rule

router = APIRouter(include_in_schema=False)
# Rendered pages kept per process, weighed by their length (150 residents: some 0.2 MB each);
# an entry holds its view, so its id stays its own while the entry lives.
_RENDERED: BoundedCache[tuple[ComplianceView, Markup, Markup]] = BoundedCache(
    32, 24_000_000, lambda entry: len(entry[1]) + len(entry[2])
)
Text = Annotated[str | None, Query(max_length=40)]

# What each level shows besides its colour (UI.md: colour is never the only carrier).
LEVEL_MARKS = {
    Level.OVER: ("⚠", "over the limit"),
    Level.APPROACHING: ("▲", "approaching the limit"),
    Level.OK: ("", ""),
}


@router.get(
    "/compliance",
    response_class=HTMLResponse,
    # The schedule and its compliance are read by everyone signed in (like the API).
)
def compliance_page(
    request: Request,
    principal: Annotated[Principal, require(Permission.SCHEDULE_READ)],
    version: Text = None,
    start: Text = None,
    end: Text = None,
    rule: Text = None,
    person: Text = None,
    pgy: Text = None,
) -> Response:
    factory: sessionmaker[Session] = request_factory(request)
    filters = ComplianceFilters(rule=rule or None, person=person or None, pgy=_number(pgy))
    view = load_compliance(
        factory=factory,
        version_id=_number(version),
        start=_date("start", start),
        end=_date("end", end),
        filters=filters,
        include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(principal),
    )
    context: dict[str, Any] = {
        "view": view,
        "program_name": view.program_name,
        "section": "compliance",
        "can_make_pdf": principal.can(Permission.SCHEDULE_WRITE),
    }
    if view.version is not None:
        context["top"], context["body"] = _rendered(view)
    return templates.TemplateResponse(request, "compliance/page.html", context)


def _rendered(view: ComplianceView) -> tuple[Markup, Markup]:
    """The page's filters and verdict, and its findings, hours and charts, rendered once per
    view object: the service hands every reader who sees a view alike the same object, so
    the page is drawn once per change of the schedule rather than once per reader."""
    found = _RENDERED.get(id(view))
    if found is not None and found[0] is view:  # the object, not a reused id
        return found[1], found[2]
    context = _context(view)
    top = Markup(templates.get_template("compliance/_top.html").render(context))  # noqa: S704
    body = Markup(templates.get_template("compliance/_body.html").render(context))  # noqa: S704
    _RENDERED.put(id(view), (view, top, body))
    return top, body


def _context(view: ComplianceView) -> dict[str, Any]:
    charts = [
        rolling_chart(
            a, view.hours_limit, view.approaching_hours, leave=view.absences.shows(a.person.id)
        )
        for a in view.accounts
    ]
    return {
        "view": view,
        "charts": charts,
        "weeks": view.accounts[0].weeks if view.accounts else (),
        "marks": LEVEL_MARKS,
        "scope": _scope(view),
        "num": fmt_number,
        "span": fmt_span,
        "program_name": view.program_name,
        "section": "compliance",
    }


def _scope(view: ComplianceView) -> str:
    """What the verdict covers when filters narrow the page: " for Ada Lee (rule hours-80)"."""
    f = view.filters
    who = ""
    if f.person is not None:
        who = next((p.name for p in view.people if p.code == f.person), f.person)
    elif f.pgy is not None:
        who = f"PGY-{f.pgy} residents"
    words = f" for {who}" if who else ""
    if f.rule is not None:
        words += f" on the rule “{describe_rule(f.rule)}”"
    return words


def _number(value: str | None) -> int | None:
    text = (value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    # Ids are 32-bit in the database: a larger number names no version (0 names none either,
    # so it ends in "not found" rather than a database error).
    number = url_number(text)
    return number if number is not None and number <= MAX_ID else 0


def _date(field: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    if len(value) == 10:  # YYYY-MM-DD only: fromisoformat alone also takes 20260701
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise Invalid(f"{field}: expected a date YYYY-MM-DD, got {value!r}", details={"field": field})
