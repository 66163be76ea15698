"""The one Jinja2 environment of the web pages: autoescaped, strict about undefined names,
with the filters that turn core values into the words and dates a page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import jinja2
from starlette.templating import Jinja2Templates

from resched import __version__
from resched.web.colours import normalise_hex, text_colour_for
from resched.web.wording import (
    KIND_LABELS,
    describe_coverage,
    describe_hours,
    describe_length,
    describe_pgy,
    describe_weekdays,
)

PACKAGE_DIR = Path(__file__).parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
# The vendored htmx: dist/htmx.min.js of the npm package htmx.org 2.0.11 (tarball sha1
# a85363c4c5af94cd634df04c4b83d06dd0e91aa7, as the registry lists it), licence 0BSD
# (static/vendor/htmx-LICENSE.txt). Its SHA-256 is in static/vendor/CHECKSUMS.sha256;
# base.html names the same file, and tests/web/test_vendor.py holds the three together.
# To upgrade: `npm pack htmx.org@<version>`, copy dist/htmx.min.js under the new name, update
# the checksum, this constant and base.html.
HTMX_FILE = "vendor/htmx-2.0.11.min.js"


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    section: str


# Screens appear here when they exist; the rest of UI.md's list (Dashboard, Schedule,
# Compliance, Jobs, ...) is added with its page, never linked before.
NAV_ITEMS = (
    NavItem("Block plan", "/plan", "plan"),
    NavItem("Program", "/program", "program"),
)


def short_date(day: dt.date) -> str:
    """``1 Jul`` (a no-break space: a narrow column wraps between dates, not inside one)."""
    return f"{day.day}\u00a0{day:%b}"


def long_date(day: dt.date) -> str:
    """``Wed 1 Jul 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def _build_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        short_date=short_date,
        long_date=long_date,
        coverage=describe_coverage,
        shift_hours=describe_hours,
        shift_length=describe_length,
        pgy_range=describe_pgy,
        weekdays=describe_weekdays,
        kind_label=lambda kind: KIND_LABELS.get(kind, str(kind)),
        safe_colour=normalise_hex,
        text_colour=text_colour_for,
    )
    env.globals.update(nav_items=NAV_ITEMS, version=__version__, htmx_file=HTMX_FILE)
    return env


templates = Jinja2Templates(env=_build_environment())
