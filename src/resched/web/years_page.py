"""/program/years: the academic years with their blocks and holidays. Coordinators create a
year (label, dates, block scheme, US federal holidays), add and remove holidays and delete a
year no schedule holds, through the same services and audit as the API; everyone who reads
the program sees the page without the forms. Errors show at the field they concern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, Invalid
from resched.core.model import BlockScheme, BlockSchemeKind, Holiday
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import ItemId
from resched.services import academic_years
from resched.services.audit import ActorLike
from resched.services.common import SessionFactory
from resched.services.permissions import Permission, Principal
from resched.services.years import load_program_info
from resched.web.formtools import parse_day, sentence
from resched.web.rollover_form import NextYearForm
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/program/years")
Reader = Annotated[Principal, require(Permission.PROGRAM_READ)]
Writer = Annotated[Principal, require(Permission.PROGRAM_WRITE)]
Text = Annotated[str, Form(max_length=4000)]
PAGE = "/program/years"
SCHEMES = [
    (BlockSchemeKind.FOUR_WEEK.value, "Blocks of 4 weeks"),
    (BlockSchemeKind.MONTHLY.value, "Calendar months"),
    (BlockSchemeKind.CUSTOM.value, "Explicit block dates"),
]
NOTICES = {
    "created": "The academic year was created.",
    "holiday": "The holiday was added.",
    "federal": "The US federal holidays of the year are in its holidays.",
    "removed": "The holiday was removed.",
    "deleted": "The academic year was deleted.",
    "next": "The new academic year was started: residents moved up and the incoming class joined.",
}


def years_response(
    request: Request,
    principal: Principal,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: tuple[int, str] | None = None,
    notice: str | None = None,
    status: int = 200,
    next_year: NextYearForm | None = None,
) -> Response:
    factory = request_factory(request)
    years = academic_years.list_academic_years(factory=factory)
    if next_year is None and years:
        next_year = NextYearForm.blank(years[-1])
    with factory() as session:
        program_name = load_program_info(session).name
    holidays = {
        y.id: academic_years.list_holidays(factory=factory, academic_year_id=y.id or 0)
        for y in years
    }
    context: dict[str, Any] = {
        "years": years,
        "holidays": holidays,
        "can_write": principal.can(Permission.PROGRAM_WRITE),
        "form": form or {"scheme": BlockSchemeKind.FOUR_WEEK.value, "blocks": "13"},
        "errors": errors or {},
        "problem": problem,
        "notice": notice,
        "schemes": SCHEMES,
        "program_name": program_name,
        "section": "program",
        "next_year": next_year,
    }
    return templates.TemplateResponse(request, "program/years.html", context, status_code=status)


@router.get("")
def years_page(request: Request, principal: Reader, notice: str = "") -> Response:
    return years_response(request, principal, notice=NOTICES.get(notice))


def _spans(text: str) -> tuple[tuple[dt.date, dt.date], ...]:
    """One block a line, ``START END`` (a comma or ' to ' also separates them)."""
    spans = []
    for index, line in enumerate(row for row in text.splitlines() if row.strip()):
        parts = line.replace(",", " ").replace(" to ", " ").split()
        field = f"scheme.blocks[{index}].start"
        if len(parts) != 2:
            raise Invalid(f"line {index + 1}: expected START END", details={"field": field})
        spans.append(
            (parse_day(parts[0], field), parse_day(parts[1], field.replace("start", "end")))
        )
    return tuple(spans)


def _scheme(form: dict[str, str]) -> BlockScheme:
    kind = next((BlockSchemeKind(v) for v, _ in SCHEMES if v == form["scheme"]), None)
    if kind is None:
        raise Invalid("choose a block scheme", details={"field": "scheme"})
    count = form["blocks"].strip()
    whole = count.isascii() and count.isdigit()  # not "²", which isdigit() takes
    if kind is BlockSchemeKind.FOUR_WEEK and not (whole and 1 <= int(count) <= 60):
        raise Invalid("the number of blocks is 1 to 60", details={"field": "scheme.blocks"})
    spans = _spans(form["spans"]) if kind is BlockSchemeKind.CUSTOM else ()
    return BlockScheme(kind, block_count=int(count) if whole else 13, spans=spans)


def _form_field(field: str) -> str:
    """The form control a service field is about (explicit blocks: the one text area)."""
    if field.startswith("scheme.blocks["):
        return "spans"
    return {"scheme.blocks": "blocks", "us_federal_holidays": "us_federal"}.get(field, field)


@router.post("")
def create_year(
    request: Request,
    principal: Writer,
    label: Text = "",
    start: Text = "",
    end: Text = "",
    scheme: Text = "",
    blocks: Text = "13",
    spans: Text = "",
    us_federal: Text = "",
) -> Response:
    form = {"label": label, "start": start, "end": end, "scheme": scheme, "blocks": blocks}
    form |= {"spans": spans, "us_federal": us_federal}
    try:
        academic_years.create_academic_year(
            factory=request_factory(request),
            label=label,
            start=parse_day(start, "start"),
            end=parse_day(end, "end") if end.strip() else None,
            scheme=_scheme(form),
            us_federal_holidays=us_federal == "on",
            actor=request_actor(request, principal),
        )
    except Invalid as exc:
        errors = {_form_field(str(exc.details.get("field", "label"))): sentence(exc.message)}
        return years_response(request, principal, form=form, errors=errors, status=422)
    return RedirectResponse(f"{PAGE}?notice=created", status_code=303)


@router.post("/{year_id:int}/holidays")
def add_holiday(
    request: Request, principal: Writer, year_id: ItemId, day: Text = "", name: Text = ""
) -> Response:
    def add(*, factory: SessionFactory, actor: ActorLike) -> object:
        holiday = Holiday(day=parse_day(day, "day"), name=name.strip())
        return academic_years.add_holiday(
            factory=factory, academic_year_id=year_id, holiday=holiday, actor=actor
        )

    return _act(request, principal, year_id, "holiday", add)


@router.post("/{year_id:int}/holidays/us-federal")
def add_federal(request: Request, principal: Writer, year_id: ItemId) -> Response:
    add = partial(academic_years.add_us_federal_holidays, academic_year_id=year_id)
    return _act(request, principal, year_id, "federal", add)


@router.post("/{year_id:int}/holidays/{holiday_id:int}/delete")
def remove_holiday(
    request: Request, principal: Writer, year_id: ItemId, holiday_id: ItemId
) -> Response:
    remove = partial(academic_years.remove_holiday, academic_year_id=year_id, holiday_id=holiday_id)
    return _act(request, principal, year_id, "removed", remove)


@router.post("/{year_id:int}/delete")
def delete_year(request: Request, principal: Writer, year_id: ItemId) -> Response:
    delete = partial(academic_years.delete_academic_year, academic_year_id=year_id)
    return _act(request, principal, year_id, "deleted", delete)


def _act(
    request: Request,
    principal: Principal,
    year_id: int,
    notice: str,
    change: Callable[..., object],
) -> Response:
    """Run one change of a year (``change(factory=, actor=)``); back to the page with the
    notice, or the page with the refusal at that year."""
    try:
        change(factory=request_factory(request), actor=request_actor(request, principal))
    except DomainError as exc:
        return _refused(request, principal, year_id, exc)
    anchor = "" if notice == "deleted" else f"#year-{year_id}"
    return RedirectResponse(f"{PAGE}?notice={notice}{anchor}", status_code=303)


def _refused(request: Request, principal: Principal, year_id: int, exc: DomainError) -> Response:
    status = {"not_found": 404, "conflict": 409}.get(exc.code, 422)
    return years_response(
        request, principal, problem=(year_id, sentence(exc.message)), status=status
    )
