"""The Schedule page (UI.md "Month schedule": who works when?) and its printable call schedule.

A plain GET form drives every choice, so the page works without JavaScript. A value the page
cannot read (a view that is not day, week or month, a date that is not a date, a code nobody
has) is answered with a 422 naming the parameter: a filter is never dropped silently, which
would show "everyone" while the reader believes they see one rotation.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from resched.core.errors import Invalid
from resched.core.model import AbsenceType, ScheduleStatus
from resched.http.auth import require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import MAX_ID, url_number
from resched.services.candidates import find_candidates
from resched.services.pages.schedule_filters import ScheduleFilters
from resched.services.pages.schedule_range import Grouping, ViewKind
from resched.services.pages.schedule_rows import AgendaDay, Cell, Day, Entry
from resched.services.pages.schedule_view import ScheduleQuery, ScheduleView, load_schedule_view
from resched.services.permissions import Permission, Principal, absence_visibility
from resched.services.read_cache import BoundedCache
from resched.web.export_menu import schedule_exports
from resched.web.schedule_cell_links import edit_html, edit_links
from resched.web.templating import long_date, templates

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=40)]
MAX_PGY = 10

# What an absence shows in a cell and in the legend: a letter, never a colour alone.
AWAY_MARK = "—"
AWAY_WORDS = {t: t.value.replace("tdy", "TDY").capitalize() for t in AbsenceType}
# Rendered bodies kept per process, weighed by their length: the demo's month is 0.1-0.4 MB,
# 150 residents and 60 faculty 0.4-1.5 MB; an entry holds its view, so its id stays its own.
_BODIES: BoundedCache[tuple[ScheduleView, Markup]] = BoundedCache(
    64, 48_000_000, lambda entry: len(entry[1])
)


@router.get("/schedule", response_class=HTMLResponse)
def schedule_page(
    request: Request,
    principal: Annotated[Principal, require(Permission.SCHEDULE_READ)],
    view: Text = None,
    date: Text = None,
    version: Text = None,
    group: Text = None,
    pgy: Text = None,
    rotation: Text = None,
    shift: Text = None,
    person: Text = None,
    change: Text = None,
) -> Response:
    query = ScheduleQuery(
        kind=_choice("view", view, ViewKind, ViewKind.MONTH),
        anchor=_anchor("date", date),
        grouping=_choice("group", group, Grouping, Grouping.PERSON),
        filters=ScheduleFilters(
            pgy=_pgy(pgy),
            rotation=_code(rotation),
            shift=_code(shift),
            person=_code(person),
        ),
        version_id=_version(version),
    )
    shown = _load(request, principal, query)
    context = _context(request, shown, principal)
    # The change just saved (the edit panel returns here): a notice with its Undo button.
    number = url_number(change) if change else None
    wanted = number if number and number <= MAX_ID else None  # a stray value shows no notice
    context["changed"] = wanted if principal.can(Permission.SCHEDULE_WRITE) else None
    return templates.TemplateResponse(request, "schedule/page.html", context)


@router.get("/schedule/print", response_class=HTMLResponse)
def call_schedule_print(
    request: Request,
    principal: Annotated[Principal, require(Permission.SCHEDULE_READ)],
    month: Text = None,
    version: Text = None,
) -> Response:
    """The month's call schedule (on-call shift types x days, who is on), laid out to print
    on one landscape page."""
    query = ScheduleQuery(
        kind=ViewKind.MONTH,
        anchor=_anchor("month", month),
        grouping=Grouping.SHIFT,
        version_id=_version(version),
        calls_only=True,
    )
    shown = _load(request, principal, query)
    context = {**_context(request, shown, principal), "weeks": calendar_weeks(shown)}
    return templates.TemplateResponse(request, "schedule/print.html", context)


@router.get("/schedule/candidates", response_class=HTMLResponse)
def shift_candidates_page(
    request: Request,
    principal: Annotated[Principal, require(Permission.SCHEDULE_WRITE)],
    version: Text = None,
    person: Text = None,
    day: Text = None,
    shift: Text = None,
) -> Response:
    """Who could take one person's shift that day, fairest first (the day view links here)."""
    version_id = _version(version)
    anchor = _anchor("day", day)
    for field, value in (("version", version_id), ("person", person), ("day", anchor)):
        if not value:
            raise Invalid(f"{field}: required", details={"field": field})
    if not shift:
        raise Invalid("shift: required", details={"field": "shift"})
    found = find_candidates(
        factory=request_factory(request),
        version_id=version_id or 0,
        person=person or "",
        day=anchor or dt.date.min,
        shift=shift,
        include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(principal),
    )
    context = {"found": found, "section": "schedule", "program_name": None}
    return templates.TemplateResponse(request, "schedule/candidates.html", context)


def _load(request: Request, principal: Principal, query: ScheduleQuery) -> ScheduleView:
    return load_schedule_view(
        factory=request_factory(request),
        query=query,
        now=request_now(request),
        include_drafts=principal.can(Permission.SCHEDULE_DRAFTS),
        absences=absence_visibility(principal),
    )


def _context(request: Request, shown: ScheduleView, principal: Principal) -> dict[str, Any]:
    context = _shared_context(request, shown, principal)
    context["body"] = functools.partial(_body, context, principal.can(Permission.SCHEDULE_WRITE))
    return context


def _body(context: dict[str, Any], can_write: bool) -> Markup:
    """The grid, the day-by-day list and the legend: rendered once per view object (the
    service hands every reader who sees a view alike the same object) and kind of reader
    (coordinators get the cells' edit links), the biggest part of the page."""
    shown: ScheduleView = context["view"]
    key = (id(shown), can_write)
    found = _BODIES.get(key)
    if found is not None and found[0] is shown:  # the object, not a reused id
        return found[1]
    html = Markup(templates.get_template("schedule/_body.html").render(context))  # noqa: S704
    _BODIES.put(key, (shown, html))
    return html


def _period(shown: ScheduleView) -> str:
    if shown.kind is ViewKind.DAY:
        return long_date(shown.anchor)
    if shown.kind is ViewKind.WEEK:
        return f"Week of {long_date(shown.start)}"
    return shown.anchor.strftime("%B %Y")


def _shared_context(request: Request, shown: ScheduleView, principal: Principal) -> dict[str, Any]:
    return {
        "view": shown,
        "period": _period(shown),
        "cells": functools.partial(_cells_html, [_day_classes(d) for d in shown.days]),
        "edit_links": edit_links(shown) if principal.can(Permission.SCHEDULE_WRITE) else None,
        "link": lambda **changes: schedule_link(shown, **changes),
        "print_link": _print_link(shown),
        "away_mark": AWAY_MARK,
        "away_words": AWAY_WORDS,
        "can_drafts": principal.can(Permission.SCHEDULE_DRAFTS),
        "can_find_candidates": principal.can(Permission.SCHEDULE_WRITE),
        "program_name": shown.program_name,
        "section": "schedule",
        "exports": schedule_exports(
            request,
            version_id=shown.version.id if shown.version else None,
            draft=bool(shown.version and shown.version.status != ScheduleStatus.PUBLISHED),
            start=shown.start,
            end=shown.end,
            month=shown.anchor,
            files=principal.can(Permission.SCHEDULE_WRITE),
        ),
    }


def calendar_weeks(shown: ScheduleView) -> list[list[AgendaDay | None]]:
    """The month as calendar weeks, Monday to Sunday: each shown day's agenda, None for the
    days of the weeks outside the month (the printed call schedule's layout)."""
    if not shown.agenda:
        return []
    lead = [None] * shown.agenda[0].day.day.weekday()
    days: list[AgendaDay | None] = [*lead, *shown.agenda]
    days += [None] * (-len(days) % 7)
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def _day_classes(day: Day) -> str:
    """A day column's classes: today, weekend, holiday (the header says each in words too)."""
    marks = (("today", day.is_today), ("weekend", day.is_weekend), ("holiday", day.is_holiday))
    return " ".join(name for name, on in marks if on)


def _cells_html(
    day_classes: Sequence[str], cells: Sequence[Cell], links: Sequence[str | None] = ()
) -> Markup:
    """A row's day cells. Written here rather than in the template: a month of 200 people is
    over 6,000 cells, and the template's per-cell work was two thirds of the page's time
    (benchmarks/month_view.py). ``links``: a coordinator's edit panel of each cell."""
    parts = []
    for index, (css, cell) in enumerate(zip(day_classes, cells, strict=True)):
        inner = Markup("").join(_entry_html(e) for e in cell.entries)
        if cell.away is not None:
            css = f"{css} away" if css else "away"
            inner += _away_html(cell.away)
        if index < len(links) and links[index]:
            inner = edit_html(links[index] or "", inner)
        parts.append(f'<td class="{css}">{inner}</td>' if css else f"<td>{inner}</td>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


@functools.lru_cache(maxsize=64)
def _away_html(kind: AbsenceType) -> Markup:
    return Markup('<abbr class="code away-mark" title="Away: {}">{}</abbr>').format(
        AWAY_WORDS[kind], AWAY_MARK
    )


@functools.lru_cache(maxsize=4096)
def _entry_html(entry: Entry) -> Markup:
    """A cell's code, rendered once per distinct entry (a month holds thousands of cells but
    a few dozen distinct entries): on call is bold in a box and "(on call)" in its title."""
    css = "code call" if entry.on_call else "code"
    title = f"{entry.title} (on call)" if entry.on_call else entry.title
    return Markup('<abbr class="{}" title="{}">{}</abbr>').format(css, title, entry.label)


def schedule_link(shown: ScheduleView, **changes: object) -> str:
    """``/schedule?...`` for the shown view with ``changes`` (None drops a parameter): the
    filters and the version travel with every previous/next/view link."""
    f = shown.filters
    version = shown.version
    params: dict[str, object] = {
        "view": shown.kind.value,
        "date": shown.anchor.isoformat(),
        "group": shown.grouping.value,
        "version": version.id if version and version.status != "published" else None,
        "pgy": f.pgy,
        "rotation": f.rotation,
        "shift": f.shift,
        "person": f.person,
    }
    params.update(changes)
    kept = {k: str(v) for k, v in params.items() if v is not None and v != ""}
    return "/schedule?" + urlencode(kept)


def _print_link(view: ScheduleView) -> str:
    params = {"month": view.anchor.strftime("%Y-%m")}
    if view.version is not None and view.version.status != "published":
        params["version"] = str(view.version.id)
    return "/schedule/print?" + urlencode(params)


def _choice[T: (ViewKind, Grouping)](field: str, value: str | None, kind: type[T], default: T) -> T:
    if not value:
        return default
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(v.value for v in kind)
        raise Invalid(
            f"{field}: expected one of {allowed}, got {value!r}", details={"field": field}
        ) from None


def _anchor(field: str, value: str | None) -> dt.date | None:
    """A day YYYY-MM-DD, or a month YYYY-MM (its first day)."""
    if not value:
        return None
    text = value.strip()
    if len(text) == 7:
        text += "-01"
    if len(text) == 10:  # fromisoformat alone also takes 20260701 or 2026-W27-3
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise Invalid(
        f"{field}: expected a date YYYY-MM-DD or a month YYYY-MM, got {value!r}",
        details={"field": field},
    )


def _pgy(value: str | None) -> int | None:
    if not value:
        return None
    level = url_number(value)
    if level is None or not 1 <= level <= MAX_PGY:
        raise Invalid(
            f"pgy: expected a PGY level 1 to {MAX_PGY}, got {value!r}", details={"field": "pgy"}
        )
    return level


def _version(value: str | None) -> int | None:
    if not value:
        return None
    number = url_number(value)
    if number is None or not 1 <= number <= MAX_ID:
        raise Invalid(
            f"version: expected a schedule version id, got {value!r}", details={"field": "version"}
        )
    return number


def _code(value: str | None) -> str | None:
    return value.strip() or None if value else None
