"""/plan/cell: a coordinator changes or locks one cell of the Block plan.

A click on a cell of the plan fetches the small form (htmx, into the page; without script, as
a page of its own). Every change of the form posts it to ``/plan/cell/check``, which answers
what the change breaks, mends or leaves broken, in words, before anything is saved. Saving
goes through the same service and audit as the API (services/rotation_plan.py): a change that
breaks a rule needs the "save anyway" box, the published plan a reason. Errors show at their
field; nothing is written. Only schedule:write reaches these routes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, Invalid, NotFound
from resched.core.model import Block, BlockAssignment, Person, ScheduleStatus
from resched.core.solver.plan.cell import CellChange, CellCheck
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import MAX_ID, url_number
from resched.services import rotation_plan
from resched.services.common import SessionFactory
from resched.services.permissions import Permission, Principal
from resched.services.rotation_plan import YearPlan
from resched.services.versions import cell_signature
from resched.services.years import load_program_info
from resched.web.formtools import sentence
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/plan/cell")
Writer = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]
Text = Annotated[str, Form(max_length=600)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]
HALVES = [("", "The whole block"), ("1", "1st half"), ("2", "2nd half")]


@dataclass
class CellForm:
    """The form as posted (strings), so a refused form comes back as it was typed."""

    year_id: str
    person_id: str
    block: str
    half: str = ""
    rotation: str = ""
    locked: bool = False
    reason: str = ""
    confirm: bool = False
    pgy: str = ""
    held: str = ""  # what the cell held when the form opened (versions.cell_signature)
    errors: dict[str, str] = field(default_factory=dict)

    def change(self) -> CellChange:
        half = _number(self.half, "half") if self.half else None
        return CellChange(
            person_id=_number(self.person_id, "person_id"),
            block_number=_number(self.block, "block"),
            rotation_code=self.rotation or None,
            half=half,
            locked=self.locked,
        )


def _number(text: str, name: str) -> int:
    value = url_number(text)
    if value is None or not 1 <= value <= MAX_ID:
        raise Invalid(f"{name}: expected a number", details={"field": name})
    return value


def _load(request: Request, form: CellForm) -> tuple[YearPlan, Person, Block]:
    """The plan, resident and block the form is about; 404 for any unknown one."""
    try:
        plan = rotation_plan.get_year_plan(
            factory=request_factory(request), academic_year_id=_number(form.year_id, "year_id")
        )
    except (NotFound, Invalid) as exc:
        raise HTTPException(404, detail=exc.message) from exc
    person = next((p for p in plan.residents if str(p.id) == form.person_id.strip()), None)
    block = next((b for b in plan.year.blocks if str(b.number) == form.block.strip()), None)
    if person is None or block is None or plan.version is None:
        raise HTTPException(404, detail="no such cell in this academic year's plan")
    return plan, person, block


def _context(request: Request, form: CellForm, check: CellCheck | None = None) -> dict[str, Any]:
    plan, person, block = _load(request, form)
    assert plan.version is not None
    back = {"year": plan.year.label} | ({"pgy": form.pgy} if form.pgy else {})
    return {
        "plan": plan,
        "person": person,
        "block": block,
        "cell": plan.cell(person.id, block.number),
        "form": form,
        "check": check,
        "halves": HALVES if plan.halves else None,
        "published": plan.version.status is ScheduleStatus.PUBLISHED,
        "back": f"/plan?{urlencode(back)}#person-{person.id}",
        "section": "plan",
        "program_name": _program_name(request_factory(request)),
    }


def _program_name(factory: SessionFactory) -> str:
    with factory() as session:
        return load_program_info(session).name


def _initial(cell: tuple[BlockAssignment, ...]) -> tuple[str, bool]:
    """The form's rotation and lock for the cell as it is (a split cell: its first half)."""
    if not cell:
        return "", False
    return cell[0].rotation_code, cell[0].locked


@router.get("")
def cell_form(
    request: Request,
    principal: Writer,
    year_id: QueryId,
    person_id: QueryId,
    block: Annotated[int, Query(ge=1, le=400)],
    pgy: Annotated[str, Query(max_length=3)] = "",
) -> Response:
    form = CellForm(str(year_id), str(person_id), str(block), pgy=pgy)
    plan, person, found = _load(request, form)
    cell = plan.cell(person.id, found.number)
    form.rotation, form.locked = _initial(cell)
    form.held = cell_signature(cell)
    if len(cell) == 2:
        form.half = "1"
    partial = request.headers.get("hx-request") == "true"
    name = "plan/_cell_form.html" if partial else "plan/cell.html"
    response = templates.TemplateResponse(request, name, _context(request, form))
    response.headers["Vary"] = "HX-Request"
    return response


def _posted(
    year_id: Text = "",
    person_id: Text = "",
    block: Text = "",
    half: Text = "",
    rotation: Text = "",
    locked: Text = "",
    reason: Text = "",
    confirm: Text = "",
    pgy: Text = "",
    held: Text = "",
) -> CellForm:
    """The posted form (a dependency of both POST routes)."""
    return CellForm(
        year_id, person_id, block, half.strip(), rotation.strip(), locked == "on",
        reason.strip(), confirm == "on", pgy.strip(), held.strip(),
    )  # fmt: skip


Posted = Annotated[CellForm, Depends(_posted)]


@router.post("/check")
def check_cell(request: Request, principal: Writer, form: Posted) -> Response:
    """The findings of the form's change, as a fragment; refusals at their field (200, so
    htmx shows them)."""
    check = None
    try:
        check = rotation_plan.check_plan_cell(
            factory=request_factory(request),
            academic_year_id=_number(form.year_id, "year_id"),
            change=form.change(),
        ).check
    except DomainError as exc:
        form.errors = _errors(exc)
    context = {"form": form, "check": check}
    return templates.TemplateResponse(request, "plan/_cell_findings.html", context)


@router.post("")
def save_cell(request: Request, principal: Writer, form: Posted) -> Response:
    factory = request_factory(request)
    context = _context(request, form)  # 404 before anything else for an unknown cell
    try:
        edit = rotation_plan.edit_plan_cell(
            factory=factory,
            academic_year_id=_number(form.year_id, "year_id"),
            change=form.change(),
            actor=request_actor(request, principal),
            reason=form.reason,
            confirm=form.confirm,
            expected_cell=form.held or None,  # a form from before this field: not compared
        )
    except DomainError as exc:
        form.errors = _errors(exc)
        # The cell as it is now is what the page shows; saving again replaces it knowingly.
        form.held = cell_signature(context["cell"])  # read by this request, before the save
        context["check"] = _check_or_none(factory, form)
        status = {"not_found": 404, "conflict": 409}.get(exc.code, 422)
        return templates.TemplateResponse(request, "plan/cell.html", context, status_code=status)
    notice = "cell" if edit.saved else "unchanged"
    location = str(context["back"]).replace("#", f"&notice={notice}#", 1)
    return RedirectResponse(location, status_code=303)


def _check_or_none(factory: SessionFactory, form: CellForm) -> CellCheck | None:
    """The findings to show next to a refusal (none when the change itself is refused)."""
    try:
        return rotation_plan.check_plan_cell(
            factory=factory,
            academic_year_id=_number(form.year_id, "year_id"),
            change=form.change(),
        ).check
    except DomainError:
        return None


# Service field paths -> the form's controls.
_FIELDS = {
    "cell": "rotation",
    "rotation_code": "rotation",
    "locked": "locked",
    "half": "half",
    "reason": "reason",
    "confirm": "confirm",
}


def _errors(exc: DomainError) -> dict[str, str]:
    errors = exc.details.get("errors")
    if isinstance(errors, list) and errors:
        return {_FIELDS.get(e["path"], "rotation"): sentence(e["message"]) for e in errors}
    name = str(exc.details.get("field", "rotation"))
    message = exc.message
    if name == "confirm":
        message = "This change breaks a rule: tick “Save anyway” to save it."
    return {_FIELDS.get(name, "rotation"): sentence(message)}
