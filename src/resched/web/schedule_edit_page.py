"""/schedule/edit: a coordinator changes one person's shifts on one day of a schedule version.

A click on a cell of the schedule view fetches the panel (htmx, into the page; without script,
as a page of its own). The panel's form lists the person's shifts that day with a "clear" box
each and a select of shift types to add. "Check" posts the form and answers what the change
would break and mend, in words (services/changes preview), and for a cleared shift who could
legally take it instead, each with a "give to" button that fills the form. "Save" posts the
revision the check answered: a change made meanwhile is caught and the new check shown.
Frozen days of the published schedule need an override reason. Only schedule:write reaches
these routes; the service refuses what is wrong and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.changes.kinds import OVERRIDE_LABELS, ChangeKind, OverrideReason
from resched.core.errors import DomainError, Invalid
from resched.http.auth import request_actor, require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import MAX_ID, url_number
from resched.services.candidates import ShiftCandidates, find_candidates
from resched.services.changes.apply import apply_change, preview_change
from resched.services.changes.model import ChangePreview, ChangeRequest, Override, Slot
from resched.services.fairness import today_of_program
from resched.services.pages.schedule_edit import EditCell, load_edit_cell
from resched.services.permissions import Permission, Principal, absence_visibility
from resched.web.formtools import MAX_FIELD_LENGTH, parse_day, refusal_status, sentence
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/schedule/edit")
Writer = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]
Text = Annotated[str, Query(max_length=40)]
TOP_CANDIDATES = 5
OVERRIDES = [("", "Choose a reason")] + [(r.value, OVERRIDE_LABELS[r]) for r in OverrideReason]
STALE = "The schedule changed since you checked. Here is what the change would do now."


@dataclass
class EditForm:
    """The panel's form as posted (text), so a refused form comes back as it was typed."""

    version: str
    person: str
    day: str
    clear: list[str] = field(default_factory=list)
    add: str = ""
    give_to: str = ""
    reason: str = ""
    override_reason: str = ""
    override_note: str = ""
    expected_revision: str = ""
    action: str = "check"
    errors: dict[str, str] = field(default_factory=dict)

    def version_id(self) -> int:
        number = url_number(self.version)
        if number is None or not 1 <= number <= MAX_ID:
            raise Invalid("version: expected a schedule version id", details={"field": "version"})
        return number

    def date(self) -> dt.date:
        return parse_day(self.day, "day")

    def change(self) -> ChangeRequest:
        day = self.date()
        remove = tuple(Slot(self.person, day, code) for code in self.clear)
        add = [Slot(self.person, day, self.add)] if self.add else []
        if self.give_to:
            add += [Slot(self.give_to, day, code) for code in self.clear]
        if not remove and not add:
            raise Invalid("choose a shift to clear or one to add", details={"field": "add"})
        return ChangeRequest(remove=remove, add=tuple(add))

    def override(self) -> Override | None:
        found = next((r for r in OverrideReason if r.value == self.override_reason), None)
        return Override(found, self.override_note) if found else None

    def revision(self) -> int | None:
        return url_number(self.expected_revision) if self.expected_revision else None


async def _posted(request: Request) -> EditForm:
    form = await request.form()

    def text(name: str) -> str:
        value = form.get(name, "")
        return value[:MAX_FIELD_LENGTH].strip() if isinstance(value, str) else ""

    clear = [v.strip()[:40] for v in form.getlist("clear") if isinstance(v, str) and v.strip()]
    # A "give to" button sends its value after the typed field's: the last one is the choice.
    given = [v.strip()[:40] for v in form.getlist("give_to") if isinstance(v, str)]
    return EditForm(
        version=text("version"), person=text("person")[:40], day=text("day")[:20],
        clear=sorted(set(clear))[:20], add=text("add")[:40], give_to=given[-1] if given else "",
        reason=text("reason"), override_reason=text("override_reason"),
        override_note=text("override_note"), expected_revision=text("expected_revision")[:12],
        action=text("action") or "check",
    )  # fmt: skip


Posted = Annotated[EditForm, Depends(_posted)]


def back_link(cell: EditCell, **extra: object) -> str:
    params: dict[str, object] = {"view": "day", "date": cell.day.isoformat()}
    if not cell.published:
        params["version"] = cell.version.id
    params.update(extra)
    return "/schedule?" + urlencode({k: str(v) for k, v in params.items()})


def _cell(request: Request, form: EditForm) -> EditCell:
    return load_edit_cell(
        factory=request_factory(request),
        version_id=form.version_id(),
        person=form.person,
        day=form.date(),
        now=request_now(request),
    )


@router.get("")
def edit_panel(
    request: Request, principal: Writer, version: Text = "", person: Text = "", day: Text = ""
) -> Response:
    form = EditForm(version, person, day)
    return _render(request, principal, _cell(request, form), form)


@router.post("")
def edit_cell(request: Request, principal: Writer, form: Posted) -> Response:
    cell = _cell(request, form)  # 404/422 for an unknown cell before anything else
    factory = request_factory(request)
    preview: ChangePreview | None = None
    status = 200
    try:
        change = form.change()
        if form.action == "save" and form.revision() is not None:
            applied = apply_change(
                factory=factory,
                version_id=cell.version.id,
                change=change,
                kind=ChangeKind.EDIT,
                actor=request_actor(request, principal),
                today=_today(request),
                expected_revision=form.revision(),
                reason=form.reason,
                override=form.override(),
            )
            return _redirect(request, back_link(cell, change=applied.id))
        preview = _preview(request, cell, change)
    except DomainError as exc:
        status = refusal_status(exc)
        form.errors = _errors(exc)
        preview = _preview_or_none(request, cell, form)
    return _render(request, principal, cell, form, preview, status)


def _today(request: Request) -> dt.date:
    return today_of_program(factory=request_factory(request), now=request_now(request))


def _preview(request: Request, cell: EditCell, change: ChangeRequest) -> ChangePreview:
    return preview_change(
        factory=request_factory(request),
        version_id=cell.version.id,
        change=change,
        today=_today(request),
    )


def _preview_or_none(request: Request, cell: EditCell, form: EditForm) -> ChangePreview | None:
    """The check to show beside a refusal (none when the change itself cannot be read)."""
    try:
        return _preview(request, cell, form.change())
    except DomainError:
        return None


def _candidates(
    request: Request, principal: Principal, cell: EditCell, form: EditForm
) -> list[ShiftCandidates]:
    found = []
    for code in form.clear:
        try:
            found.append(
                find_candidates(
                    factory=request_factory(request),
                    version_id=cell.version.id,
                    person=cell.person,
                    day=cell.day,
                    shift=code,
                    absences=absence_visibility(principal),
                )
            )
        except DomainError:
            continue  # the shift is no longer held: the check says so
    return found


def _render(
    request: Request,
    principal: Principal,
    cell: EditCell,
    form: EditForm,
    preview: ChangePreview | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "cell": cell,
        "form": form,
        "preview": preview,
        "candidates": _candidates(request, principal, cell, form) if preview else [],
        "top": TOP_CANDIDATES,
        "overrides": OVERRIDES,
        "back": back_link(cell),
        "section": "schedule",
        "program_name": None,
    }
    partial = request.headers.get("hx-request") == "true"
    name = "schedule/_edit_panel.html" if partial else "schedule/edit.html"
    if partial and status != 200:
        status = 200  # htmx swaps only successful answers; the panel shows the refusal
    response = templates.TemplateResponse(request, name, context, status_code=status)
    response.headers["Vary"] = "HX-Request"
    return response


def _redirect(request: Request, location: str) -> Response:
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


# Service field paths -> the form's controls.
_FIELDS = {"remove": "clear", "add": "add", "override": "override_reason", "reason": "reason"}
_FIELDS |= {"person": "give_to", "shift": "add", "day": "add", "expected_revision": "stale"}


def _errors(exc: DomainError) -> dict[str, str]:
    errors = exc.details.get("errors")
    if isinstance(errors, list) and errors:
        path = str(errors[0].get("path", "add"))
        return {_FIELDS.get(path, "add"): sentence(exc.message)}
    name = _FIELDS.get(str(exc.details.get("field", "add")), "add")
    return {name: STALE if name == "stale" else sentence(exc.message)}
