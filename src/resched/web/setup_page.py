"""/setup: the first start of a program. An administrator lands here after signing in while
the database holds no program or no academic year (``/`` sends them), and chooses: load the
demo program (the demo loader, audited as ``demo.load``), or set up their own program through
the checklist - program settings, year and blocks and holidays, shift types, rotations,
coverage, people - ending at generating the rotation plan. Each step links to the page that
does it and shows what is there already; the first step not done is marked Next."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.services.demo import load_demo
from resched.services.permissions import Permission, Principal
from resched.services.setup import load_setup_status
from resched.services.years import load_program_info
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/setup")
# Setting a program up, or loading the demo into it, is the program director's first act.
Admin = Annotated[Principal, require(Permission.SETTINGS_MANAGE)]
NOTICES = {"demo": "The demo program is loaded: every step below is done but the plan."}


def _page(
    request: Request, *, notice: str | None = None, problem: str | None = None, status: int = 200
) -> Response:
    factory = request_factory(request)
    setup = load_setup_status(factory=factory)
    with factory() as session:
        program_name = load_program_info(session).name
    context = {
        "setup": setup,
        "notice": notice,
        "problem": problem,
        "program_name": program_name,
        "section": "program",
    }
    return templates.TemplateResponse(request, "setup/page.html", context, status_code=status)


@router.get("")
def setup_page(request: Request, principal: Admin, notice: str = "") -> Response:
    return _page(request, notice=NOTICES.get(notice))


@router.post("/demo")
def load_demo_program(request: Request, principal: Admin) -> Response:
    """Only into an empty database: anything already set up is refused (409), nothing mixed."""
    try:
        load_demo(factory=request_factory(request), actor=request_actor(request, principal))
    except DomainError as exc:
        status = 409 if exc.code == "conflict" else 422
        return _page(request, problem=exc.message[:1].upper() + exc.message[1:], status=status)
    return RedirectResponse("/setup?notice=demo", status_code=303)
