"""Instants on the pages, in the program's time zone, with the zone named once per page.

Stored instants are UTC; a page shows them as the program's local time (``local_time``) and
keeps the exact instant, with its offset, in ``<time datetime>`` (``local_iso``, or both at
once with ``time_tag``). The zone is read once per request, and only by a request whose page
shows a time (one narrow statement; the pages without times read nothing more).

The footer of base.html names the zone when the page converted a time and did not name the
zone itself: a page that says "All times are in ..." in its own words calls
``time_zone_label()``, which counts as naming it, so the zone is never named twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from fastapi import Request
from markupsafe import Markup

from resched.services.time_zone import UTC_ZONE, describe_zone, load_program_zone

DATE_TIME = "%Y-%m-%d %H:%M"


@dataclass(slots=True)
class PageZone:
    """The zone of one request, and whether its page showed a time or named the zone."""

    zone: ZoneInfo
    converted: bool = False
    named: bool = False

    @property
    def label(self) -> str:
        return describe_zone(self.zone, dt.datetime.now(dt.UTC))


def page_zone(request: Request) -> PageZone:
    """The request's zone, read on first use and kept on ``request.state``."""
    found = getattr(request.state, "page_zone", None)
    if isinstance(found, PageZone):
        return found
    factory = getattr(request.app.state, "session_factory", None)
    zone = UTC_ZONE if factory is None else load_program_zone(factory=factory)
    state = PageZone(zone)
    request.state.page_zone = state
    return state


def _zone_of(context: jinja2.runtime.Context) -> PageZone:
    request = context.get("request")
    if not isinstance(request, Request):  # a template rendered outside a request
        return PageZone(UTC_ZONE)
    return page_zone(request)


def _local(context: jinja2.runtime.Context, moment: dt.datetime) -> dt.datetime:
    # Stored instants are aware UTC; a naive one can only be UTC from an older path.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    state = _zone_of(context)
    state.converted = True
    return aware.astimezone(state.zone)


@jinja2.pass_context
def local_time(
    context: jinja2.runtime.Context, moment: dt.datetime | None, format: str = DATE_TIME
) -> str:
    """``2026-07-01 09:05`` in the program's zone (``format`` as strftime); "" for None."""
    return "" if moment is None else _local(context, moment).strftime(format)


@jinja2.pass_context
def local_iso(context: jinja2.runtime.Context, moment: dt.datetime | None) -> str:
    """The instant as ISO 8601 with the program zone's offset, for ``<time datetime>``."""
    return "" if moment is None else _local(context, moment).isoformat(timespec="seconds")


@jinja2.pass_context
def time_tag(
    context: jinja2.runtime.Context, moment: dt.datetime | None, format: str = DATE_TIME
) -> Markup:
    """``<time datetime="2026-07-01T09:05:00-05:00">2026-07-01 09:05</time>``."""
    if moment is None:
        return Markup("")
    local = _local(context, moment)
    iso, shown = local.isoformat(timespec="seconds"), local.strftime(format)
    return Markup('<time datetime="{}">{}</time>').format(iso, shown)  # format escapes both


@jinja2.pass_context
def time_zone_label(context: jinja2.runtime.Context) -> str:
    """``America/Chicago (CST)`` for a page that names the zone in its own words."""
    state = _zone_of(context)
    state.named = True
    return state.label


@jinja2.pass_context
def time_zone_note(context: jinja2.runtime.Context) -> str:
    """The footer's "Times are in ..." if the page showed a time and has not named the zone."""
    request = context.get("request")
    found = getattr(request.state, "page_zone", None) if isinstance(request, Request) else None
    if not isinstance(found, PageZone) or not found.converted or found.named:
        return ""
    found.named = True
    return f"Times are in {found.label}."


FILTERS: dict[str, Any] = {
    "local_time": local_time,
    "local_iso": local_iso,
    "time_tag": time_tag,
}
GLOBALS: dict[str, Any] = {
    "time_zone_label": time_zone_label,
    "time_zone_note": time_zone_note,
}
