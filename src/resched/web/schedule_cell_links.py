"""A coordinator's schedule grid: each person x day cell links to its edit panel
(web/schedule_edit_page.py), opened in the page by htmx or as a page of its own."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from markupsafe import Markup

from resched.services.pages.schedule_range import Grouping
from resched.services.pages.schedule_rows import Row
from resched.services.pages.schedule_view import ScheduleView


def edit_html(link: str, inner: Markup) -> Markup:
    return Markup(
        '<a class="cell-link" href="{0}" hx-get="{0}" hx-target="#shift-editor" '
        'hx-swap="innerHTML show:top"><span class="visually-hidden">Change: </span>{1}'
        '<span class="visually-hidden">{2}</span></a>'
    ).format(link, inner, "" if inner else "no shift")


def edit_links(shown: ScheduleView) -> Callable[[Row], list[str | None]] | None:
    """Each person x day cell's edit panel (none outside the version's year, and none in the
    rows per shift type, whose cells hold several people)."""
    version = shown.version
    if version is None or shown.grouping is not Grouping.PERSON:
        return None
    base = f"/schedule/edit?version={version.id}&person="

    def links(row: Row) -> list[str | None]:
        who = base + quote(row.code, safe="") + "&day="
        return [who + d.day.isoformat() if d.in_year else None for d in shown.days]

    return links
