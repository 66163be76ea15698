"""A coordinator's schedule grid: each person x day cell links to its edit panel
(web/schedule_edit_page.py), opened in the page by htmx or as a page of its own."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from markupsafe import Markup

from resched.services.pages.schedule_range import Grouping
from resched.services.pages.schedule_rows import Row
from resched.services.pages.schedule_view import ScheduleView

# The grid's table carries hx-target, hx-swap and hx-push-url for these boosted links (htmx
# inherits them), so a month of thousands of cells repeats neither the URL nor the targets.
EMPTY = '<span class="visually-hidden">no shift</span>'


def edit_html(link: str, inner: Markup) -> Markup:
    """A cell's content as a link to its panel. ``link`` is built from URL-safe parts only
    (an id, a percent-quoted code, an ISO date), so plain concatenation is safe and saves the
    escaping of thousands of cells."""
    return Markup(  # noqa: S704 - inner is Markup, link is URL-safe (see edit_links)
        '<a class="cell-link" hx-boost="true" href="'
        + link
        + '"><span class="visually-hidden">Change: </span>'
        + (str(inner) or EMPTY)
        + "</a>"
    )


def edit_links(shown: ScheduleView) -> Callable[[Row], list[str | None]] | None:
    """Each person x day cell's edit panel (none outside the version's year, and none in the
    rows per shift type, whose cells hold several people)."""
    version = shown.version
    if version is None or shown.grouping is not Grouping.PERSON:
        return None
    base = f"/schedule/edit?version={version.id}&amp;person="

    def links(row: Row) -> list[str | None]:
        who = base + quote(row.code, safe="") + "&amp;day="
        return [who + d.day.isoformat() if d.in_year else None for d in shown.days]

    return links
