"""The Export menu of every schedule view: which downloads a view offers, as links.

One list per kind of view, read by the shared template ``_export_menu.html``. A draft's links
carry its version id (the API finds drafts only for readers who may see them, as the page
did). The PDF item points at ``PDF_PATH``, which another part of the app serves; it is only
offered when the app has that route, so the menu never links to a missing page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request
from fastapi.routing import iter_route_contexts

API = "/api/v1"
PDF_PATH = "/schedule/print.pdf"
PRINT_PATH = "/schedule/print"


@dataclass(frozen=True, slots=True)
class ExportLink:
    """A menu item: its words, where it goes, what it holds (for screen readers), and whether
    it is a file to download (not a page to open)."""

    label: str
    href: str
    detail: str
    download: bool = True


def serves(request: Request, path: str) -> bool:
    """Whether the app answers GET ``path``. The app's GET paths are collected once (routers
    are included lazily, so their routes are walked, not ``app.routes``)."""
    state = request.app.state
    paths: frozenset[str] | None = getattr(state, "export_menu_get_paths", None)
    if paths is None:
        paths = frozenset(
            c.path
            for c in iter_route_contexts(request.app.routes)
            if c.path is not None and "GET" in (c.methods or ())
        )
        state.export_menu_get_paths = paths
    return path in paths


def schedule_exports(
    request: Request,
    *,
    version_id: int | None,
    draft: bool,
    start: dt.date,
    end: dt.date,
    month: dt.date,
    files: bool,
) -> tuple[ExportLink, ...]:
    """A schedule view's menu: the month's call schedule to print (and as PDF where served),
    and with ``files`` (the data exports are the coordinators', as on the Import / export
    screen) the shown days as Excel, CSV and JSON and the version's whole year as Excel."""
    printing = {"month": f"{month:%Y-%m}"} | ({"version": str(version_id)} if draft else {})
    links = []
    if version_id is not None and files:
        span = urlencode({"start": start.isoformat(), "end": end.isoformat()})
        shown = f"of the shifts shown, {start:%d %b %Y} to {end:%d %b %Y}"
        base = f"{API}/schedules/{version_id}"
        links += [
            ExportLink("Excel (grid)", f"{base}/grid.xlsx?{span}", shown),
            ExportLink("Excel (whole year)", f"{base}/year.xlsx", "a sheet per block"),
            ExportLink("CSV", f"{base}/assignments.csv?{span}", shown),
            ExportLink("JSON (interchange)", f"{base}/interchange?{span}", shown),
        ]
    links.append(
        ExportLink(
            "Print", f"{PRINT_PATH}?{urlencode(printing)}", "this month's calls, one page", False
        )
    )
    if serves(request, PDF_PATH):
        links.append(
            ExportLink("PDF", f"{PDF_PATH}?{urlencode(printing)}", "of this month's calls")
        )
    return tuple(links)


def plan_exports(
    *, year_id: int | None, version_id: int | None, draft: bool
) -> tuple[ExportLink, ...]:
    """The block plan's menu: the shown plan as Excel and as JSON."""
    if year_id is None:
        return ()
    query = f"?{urlencode({'version': version_id})}" if draft and version_id else ""
    base = f"{API}/academic-years/{year_id}"
    return (
        ExportLink("Excel (rotation plan)", f"{base}/plan.xlsx{query}", "coloured by rotation"),
        ExportLink("JSON", f"{base}/plan{query}", "of the plan"),
    )
