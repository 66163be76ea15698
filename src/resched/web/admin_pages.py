"""Users and roles, for administrators: list, create, change role, deactivate, reset a
password. Each change is audited by the service with the administrator, the request id and
their address."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError
from resched.db.tables import UserRole
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import ItemId, Offset
from resched.http.runtime import get_runtime
from resched.services import accounts
from resched.services.accounts import password_changes, users
from resched.services.permissions import Permission, Principal
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/admin")
Admin = Annotated[Principal, require(Permission.USERS_MANAGE)]
Text = Annotated[str, Form()]
PAGE_SIZE = 100
NOTICES = {
    "created": "The account was created.",
    "role": "The role was changed.",
    "activated": "The account was activated.",
    "deactivated": "The account was deactivated and its sessions ended.",
}
ROLE_OPTIONS = [(role.value, role.value.capitalize()) for role in UserRole]


def _users_page(
    request: Request,
    *,
    offset: int = 0,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problem: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Response:
    page = accounts.list_users(factory=request_factory(request), limit=PAGE_SIZE, offset=offset)
    context: dict[str, Any] = {
        "page": page,
        "form": form or {"role": UserRole.RESIDENT.value},
        "errors": errors or {},
        "problem": problem,
        "notice": notice,
        "roles": ROLE_OPTIONS,
        "section": "users",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "admin/users.html", context, status_code=status)


@router.get("/users")
def users_page(
    request: Request, _: Admin, notice: str = "", problem: str = "", offset: Offset = 0
) -> Response:
    return _users_page(
        request, offset=offset, notice=NOTICES.get(notice), problem=problem[:200] or None
    )


def _refused(error: DomainError) -> Response:
    """A refused role or access change: post/redirect/get like a success, so reloading the page
    that says why does not send the change again (an unknown account stays a 404 page)."""
    if error.code == "not_found":
        raise error
    query = urlencode({"problem": _sentence(error.message)})
    return RedirectResponse(f"/admin/users?{query}", status_code=303)


@router.post("/users")
def create_user(
    request: Request,
    admin: Admin,
    username: Text = "",
    password: Text = "",
    role: Text = "",
    person_code: Text = "",
) -> Response:
    form = {"username": username, "role": role, "person_code": person_code}
    try:
        users.create_user(
            factory=request_factory(request),
            username=username.strip(),
            password=password,
            role=role,
            person_code=person_code.strip() or None,
            actor=request_actor(request, admin),
            costs=get_runtime(request).costs,
        )
    except DomainError as exc:
        field = str(exc.details.get("field", "username"))
        return _users_page(request, form=form, errors={field: _sentence(exc.message)}, status=422)
    return RedirectResponse("/admin/users?notice=created", status_code=303)


@router.post("/users/{user_id:int}/role")
def change_role(request: Request, admin: Admin, user_id: ItemId, role: Text = "") -> Response:
    try:
        accounts.change_role(
            factory=request_factory(request),
            user_id=user_id,
            role=role,
            actor=request_actor(request, admin),
        )
    except DomainError as exc:
        return _refused(exc)
    return RedirectResponse("/admin/users?notice=role", status_code=303)


@router.post("/users/{user_id:int}/active")
def set_active(request: Request, admin: Admin, user_id: ItemId, active: Text = "") -> Response:
    try:
        accounts.set_active(
            factory=request_factory(request),
            user_id=user_id,
            active=active == "true",
            actor=request_actor(request, admin),
        )
    except DomainError as exc:
        return _refused(exc)
    notice = "activated" if active == "true" else "deactivated"
    return RedirectResponse(f"/admin/users?notice={notice}", status_code=303)


@router.get("/users/{user_id:int}/deactivate")
def confirm_deactivate(request: Request, _: Admin, user_id: ItemId) -> Response:
    """The confirmation step before deactivating: it ends the person's sessions, so it is never
    one click (the page's form posts to ``/active``)."""
    account = accounts.get_user(factory=request_factory(request), user_id=user_id)
    context = {"account": account, "section": "users", "program_name": None}
    return templates.TemplateResponse(request, "admin/deactivate.html", context)


@router.get("/users/{user_id:int}/password-reset")
def confirm_password_reset(request: Request, _: Admin, user_id: int) -> Response:
    account = accounts.get_user(factory=request_factory(request), user_id=user_id)
    context = {"account": account, "reset": None, "section": "users", "program_name": None}
    return templates.TemplateResponse(request, "admin/password_reset.html", context)


@router.post("/users/{user_id:int}/password-reset")
def reset_password(request: Request, admin: Admin, user_id: int) -> Response:
    """Answers with the one-time password itself (not a redirect): it is shown this once."""
    factory = request_factory(request)
    runtime = get_runtime(request)
    try:
        reset = password_changes.reset_password(
            factory=factory,
            user_id=user_id,
            actor=request_actor(request, admin),
            acting_user_id=admin.user_id,
            limiter=runtime.limiter,
            costs=runtime.costs,
        )
    except DomainError as exc:
        return _users_page(request, problem=_sentence(exc.message), status=_status(exc))
    account = accounts.get_user(factory=factory, user_id=user_id)
    context = {"account": account, "reset": reset, "section": "users", "program_name": None}
    return templates.TemplateResponse(request, "admin/password_reset.html", context)


def _status(error: DomainError) -> int:
    return {"not_found": 404, "conflict": 409}.get(error.code, 422)


def _sentence(message: str) -> str:
    text = message.split(": ", 1)[-1] if message.split(": ", 1)[0].isidentifier() else message
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
