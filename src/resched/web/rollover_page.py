"""/program/years/{id}/next: "Start academic year 2027-28" on the years page. The form asks
for a preview first (what will happen: who moves up, who finishes, who joins), and the
preview carries the same values into the confirmation. Both go through the rollover service
(the same checks as the API); a refusal shows at its control - for the pasted class with its
row and column - and a next year that exists already above the form. Nothing is written
until the confirmation."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import Conflict, Invalid
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import ItemId
from resched.services import academic_years, rollover
from resched.services.permissions import Permission, Principal
from resched.web.formtools import sentence
from resched.web.rollover_form import NextYearForm, control_of, request_of
from resched.web.years_page import PAGE, years_response

router = APIRouter(include_in_schema=False, prefix="/program/years")
Writer = Annotated[Principal, require(Permission.PROGRAM_WRITE)]
Short = Annotated[str, Form(max_length=200)]
Codes = Annotated[str, Form(max_length=4000)]
Csv = Annotated[str, Form(max_length=100_000)]


def _values(
    label: Short = "",
    start: Short = "",
    final_pgy: Short = "",
    leaving: Codes = "",
    incoming_csv: Csv = "",
) -> dict[str, str]:
    """The form's fields, as typed (shared by the preview and the confirmation)."""
    return {
        "label": label,
        "start": start,
        "final_pgy": final_pgy,
        "leaving": leaving,
        "incoming_csv": incoming_csv,
    }


Values = Annotated[dict[str, str], Depends(_values)]


def _run(
    request: Request, principal: Principal, year_id: int, values: dict[str, str], *, confirm: bool
) -> Response:
    factory = request_factory(request)
    year, _ = academic_years.get_academic_year(factory=factory, academic_year_id=year_id)
    form = NextYearForm(year, values)
    try:
        wanted = request_of(values)
        if not confirm:
            plan = rollover.preview_next_year(factory=factory, from_year_id=year_id, request=wanted)
            return years_response(request, principal, next_year=replace(form, plan=plan))
        rollover.start_next_year(
            factory=factory,
            from_year_id=year_id,
            request=wanted,
            actor=request_actor(request, principal),
        )
    except Invalid as exc:
        errors = {control_of(str(exc.details.get("field", ""))): sentence(exc.message)}
        return years_response(
            request, principal, next_year=replace(form, errors=errors), status=422
        )
    except Conflict as exc:
        refused = replace(form, problem=sentence(exc.message))
        return years_response(request, principal, next_year=refused, status=409)
    return RedirectResponse(f"{PAGE}?notice=next", status_code=303)


@router.post("/{year_id:int}/next/preview")
def preview_next_year(
    request: Request, principal: Writer, year_id: ItemId, values: Values
) -> Response:
    return _run(request, principal, year_id, values, confirm=False)


@router.post("/{year_id:int}/next")
def start_next_year(
    request: Request, principal: Writer, year_id: ItemId, values: Values
) -> Response:
    return _run(request, principal, year_id, values, confirm=True)
