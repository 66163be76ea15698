"""The one Jinja2 environment of the web pages: autoescaped, strict about undefined names,
with the filters that turn core values into the words and dates a page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from starlette.templating import Jinja2Templates

from resched import __version__
from resched.core.colours import normalise_hex, text_colour_for
from resched.http.csrf import csrf_token
from resched.http.database import request_factory
from resched.services.notices.inbox import unread_count
from resched.services.permissions import Permission, Principal
from resched.web.local_time import FILTERS as TIME_FILTERS
from resched.web.local_time import GLOBALS as TIME_GLOBALS
from resched.web.wording import (
    KIND_LABELS,
    describe_coverage,
    describe_hours,
    describe_length,
    describe_penalty,
    describe_pgy,
    describe_prerequisites,
    describe_rule,
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
    permission: Permission
    # Shown only to a user linked to a person of the program (their own schedule).
    needs_person: bool = False

    def shown_to(self, principal: Principal) -> bool:
        if self.needs_person and principal.person_id is None:
            return False
        return principal.can(self.permission)


# Screens appear here when they exist; the rest of UI.md's list (Dashboard, Schedule,
# Compliance, Jobs, ...) is added with its page, never linked before. Each shows only to the
# roles whose permission its page requires.
NAV_ITEMS = (
    NavItem("Today", "/today", "today", Permission.SCHEDULE_READ),
    NavItem("My schedule", "/me", "my-schedule", Permission.SCHEDULE_READ, needs_person=True),
    NavItem("Schedule", "/schedule", "schedule", Permission.SCHEDULE_READ),
    NavItem("Block plan", "/plan", "plan", Permission.SCHEDULE_READ),
    NavItem("Program", "/program", "program", Permission.PROGRAM_READ),
    NavItem("People", "/people", "people", Permission.PEOPLE_READ),
    NavItem("Absences", "/absences", "absences", Permission.REQUESTS_OWN),
    NavItem("Leave", "/leave", "leave", Permission.ABSENCES_MANAGE),
    NavItem("Requests", "/requests", "requests", Permission.REQUESTS_OWN),
    NavItem("Swaps", "/swaps", "swaps", Permission.REQUESTS_OWN),
    NavItem("Compliance", "/compliance", "compliance", Permission.SCHEDULE_READ),
    NavItem("Contingency", "/contingency", "contingency", Permission.SCHEDULE_DRAFTS),
    NavItem("Generate", "/generate", "generate", Permission.SCHEDULE_WRITE),
    NavItem("Import", "/import", "import", Permission.PEOPLE_WRITE),
    NavItem("Jobs", "/jobs", "jobs", Permission.JOBS_OWN),
    NavItem("Users", "/admin/users", "users", Permission.USERS_MANAGE),
    NavItem("Audit trail", "/admin/audit", "audit", Permission.AUDIT_READ),
    NavItem("Outbox", "/admin/outbox", "outbox", Permission.MAIL_READ),
)


def signed_in(request: Request) -> Principal | None:
    found = getattr(request.state, "principal", None)
    return found if isinstance(found, Principal) else None


def _session_context(request: Request) -> dict[str, Any]:
    """Who is signed in, the navigation they may use, and their unread notices for the
    header's Inbox badge (every template gets these)."""
    principal = signed_in(request)
    allowed = [i for i in NAV_ITEMS if principal is not None and i.shown_to(principal)]
    return {
        "principal": principal,
        "nav_items": allowed,
        "unread_notices": partial(_unread_notices, request),
    }


def _unread_notices(request: Request) -> int:
    """Counted when the header asks (a fragment htmx swaps in never does), once a request."""
    cached = getattr(request.state, "unread_notices", None)
    if isinstance(cached, int):
        return cached
    principal = signed_in(request)
    count = 0
    if principal is not None:
        factory = request_factory(request)
        count = unread_count(factory=factory, user_id=principal.user_id)
    request.state.unread_notices = count
    return count


def short_date(day: dt.date) -> str:
    """``1 Jul`` (a no-break space: a narrow column wraps between dates, not inside one)."""
    return f"{day.day}\u00a0{day:%b}"


def long_date(day: dt.date) -> str:
    """``Wed 1 Jul 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def tel_target(number: str) -> str:
    """A ``tel:`` link's target: the digits and a leading "+" of a number as written
    ("+1 (555) 010-0100" -> "+15550100100"); an extension follows as ";ext=12"."""
    main, _, extension = number.lower().partition("x")
    digits = "".join(ch for ch in main if ch.isdigit())
    target = ("+" if main.strip().startswith("+") else "") + digits
    ext = "".join(ch for ch in extension if ch.isdigit())
    return f"{target};ext={ext}" if ext else target


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
        needs_first=describe_prerequisites,
        shift_hours=describe_hours,
        shift_length=describe_length,
        pgy_range=describe_pgy,
        rule_name=describe_rule,
        goal_name=describe_penalty,
        weekdays=describe_weekdays,
        kind_label=lambda kind: KIND_LABELS.get(kind, str(kind)),
        safe_colour=normalise_hex,
        text_colour=text_colour_for,
        tel=tel_target,
        **TIME_FILTERS,
    )
    env.globals.update(version=__version__, htmx_file=HTMX_FILE, csrf_token=csrf_token)
    env.globals.update(TIME_GLOBALS)
    return env


templates = Jinja2Templates(env=_build_environment(), context_processors=[_session_context])
