"""/program/shift-types, /program/rotations and /program/coverage: the program's catalog as
pages. Everyone who reads the program sees each list; coordinators add, edit and delete
through the same services and audit as the API (``services.shift_types``, ``rotations``,
``coverage``). Errors show at the field they concern and nothing is written; a delete that is
refused (a shift type still in use) says who uses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.params import ItemId
from resched.services import coverage, rotations, shift_types
from resched.services.audit import ActorLike
from resched.services.common import MAX_PAGE_SIZE, SessionFactory
from resched.services.permissions import Permission, Principal
from resched.services.versions import Edited, StaleEdit, version_of
from resched.services.years import load_program_info
from resched.web import catalog_forms as forms
from resched.web.catalog_forms import FormInvalid, FormText, FormValues
from resched.web.stale_edits import FIELD, pop_version, stale_context
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/program")
Reader = Annotated[Principal, require(Permission.PROGRAM_READ)]
Writer = Annotated[Principal, require(Permission.PROGRAM_WRITE)]
MAX_FIELD = 4000  # characters of one field: far more than any code list or date list needs


@dataclass(frozen=True, slots=True)
class Catalog:
    """One kind of catalog entry and the service functions its pages call."""

    slug: str  # the URL segment under /program
    kind: str  # the templates' name: program/_<kind>_table.html, _<kind>_fields.html
    title: str
    noun: str
    read_form: Callable[[FormValues], Any]  # -> the core value, or FormInvalid
    text_of: Callable[[Any], FormText]  # the form's text for a stored value (None: blank)
    field_of: Callable[[str], str]  # a service's field path -> the form field
    list_all: Callable[[SessionFactory], list[Any]]
    get: Callable[[SessionFactory, int], Any]
    create: Callable[[SessionFactory, Any, ActorLike], object]
    # The last argument is the version the form was drawn at (None: not compared).
    update: Callable[[SessionFactory, int, Any, ActorLike, int | None], object]
    delete: Callable[[SessionFactory, int, ActorLike, int | None], None]
    edited: Edited
    label_of: Callable[[Any], str]  # how an entry is named in notices and headings
    # A live part refreshed as the form changes, shown under the submit button: above it, a
    # refresh that changes its height would move the button under a finger or a click.
    after_submit: str | None = None


SHIFT_TYPES = Catalog(
    slug="shift-types",
    kind="shift_types",
    title="Shift types",
    noun="shift type",
    read_form=forms.shift_type_of,
    text_of=forms.shift_type_text,
    field_of=lambda path: forms.SHIFT_FIELDS.get(path, path.split("[", 1)[0]),
    list_all=lambda f: list(shift_types.list_shift_types(factory=f, limit=MAX_PAGE_SIZE).items),
    get=lambda f, i: shift_types.get_shift_type(factory=f, shift_type_id=i),
    create=lambda f, s, a: shift_types.create_shift_type(factory=f, shift_type=s, actor=a),
    update=lambda f, i, s, a, v: shift_types.update_shift_type(
        factory=f, shift_type_id=i, shift_type=s, actor=a, expected_version=v
    ),
    delete=lambda f, i, a, v: shift_types.delete_shift_type(
        factory=f, shift_type_id=i, actor=a, expected_version=v
    ),
    edited=Edited.SHIFT_TYPE,
    label_of=lambda s: str(s.code),
)
ROTATIONS = Catalog(
    slug="rotations",
    kind="rotations",
    title="Rotations",
    noun="rotation",
    read_form=forms.rotation_of,
    text_of=forms.rotation_text,
    field_of=forms.rotation_field,
    list_all=lambda f: list(rotations.list_rotations(factory=f, limit=MAX_PAGE_SIZE).items),
    get=lambda f, i: rotations.get_rotation(factory=f, rotation_id=i),
    create=lambda f, r, a: rotations.create_rotation(factory=f, rotation=r, actor=a),
    update=lambda f, i, r, a, v: rotations.update_rotation(
        factory=f, rotation_id=i, rotation=r, actor=a, expected_version=v
    ),
    delete=lambda f, i, a, v: rotations.delete_rotation(
        factory=f, rotation_id=i, actor=a, expected_version=v
    ),
    edited=Edited.ROTATION,
    label_of=lambda r: str(r.code),
)
COVERAGE = Catalog(
    slug="coverage",
    kind="coverage",
    title="Coverage requirements",
    noun="coverage requirement",
    read_form=forms.coverage_of,
    text_of=forms.coverage_text,
    field_of=forms.coverage_field,
    list_all=lambda f: list(
        coverage.list_coverage_requirements(factory=f, limit=MAX_PAGE_SIZE).items
    ),
    get=lambda f, i: coverage.get_coverage_requirement(factory=f, coverage_id=i),
    create=lambda f, c, a: coverage.create_coverage_requirement(factory=f, coverage=c, actor=a),
    update=lambda f, i, c, a, v: coverage.update_coverage_requirement(
        factory=f, coverage_id=i, coverage=c, actor=a, expected_version=v
    ),
    delete=lambda f, i, a, v: coverage.delete_coverage_requirement(
        factory=f, coverage_id=i, actor=a, expected_version=v
    ),
    edited=Edited.COVERAGE,
    label_of=lambda c: str(c.name or c.shift_code),
    after_submit="program/_coverage_preview.html",
)
NOTICES = {"created": "was added.", "saved": "was saved.", "deleted": "was deleted."}


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _context(request: Request, catalog: Catalog, principal: Principal) -> dict[str, Any]:
    """What every catalog page needs: the program's name, the codes a form may name."""
    factory: SessionFactory = request_factory(request)
    with factory() as session:
        program_name = load_program_info(session).name
    return {
        "catalog": catalog,
        "can_write": principal.can(Permission.PROGRAM_WRITE),
        "program_name": program_name,
        "section": "program",
        "shift_codes": [s.code for s in SHIFT_TYPES.list_all(factory)],
        "rotation_list": ROTATIONS.list_all(factory),
        "choices": forms,
    }


def _list_page(
    request: Request,
    catalog: Catalog,
    principal: Principal,
    *,
    notice: str | None = None,
    problem: tuple[int, str] | None = None,
    status: int = 200,
) -> Response:
    context = _context(request, catalog, principal)
    items = catalog.list_all(request_factory(request))
    context |= {"items": items, "notice": notice, "problem": problem}
    context["rotation_names"] = {r.code: r.name for r in context["rotation_list"]}
    return templates.TemplateResponse(
        request, "program/catalog_list.html", context, status_code=status
    )


def _form_page(
    request: Request,
    catalog: Catalog,
    principal: Principal,
    *,
    item_id: int | None,
    form: FormText,
    errors: dict[str, str] | None = None,
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    """``extra``: the ``row_version`` the form is drawn at, or a refused save's notice."""
    context = _context(request, catalog, principal)
    context |= {"item_id": item_id, "form": form, "errors": errors or {}} | (extra or {})
    if catalog is COVERAGE:
        if not form.get("shift_code") and context["shift_codes"]:
            form = {**form, "shift_code": context["shift_codes"][0]}  # the select's first
        context |= {"form": form} | _reading(form, context)
    return templates.TemplateResponse(
        request, "program/catalog_form.html", context, status_code=status
    )


async def _form_of(request: Request) -> dict[str, str | list[str]]:
    """The posted fields (checkbox groups as lists), each cut to ``MAX_FIELD`` characters."""
    data = await request.form()
    found: dict[str, str | list[str]] = {}
    for key in data:
        values = [v[:MAX_FIELD] for v in data.getlist(key) if isinstance(v, str)]
        found[key] = values if key in {"weekdays", "roles"} else (values[0] if values else "")
    found.pop("csrf_token", None)
    return found


def _save(
    request: Request,
    catalog: Catalog,
    principal: Principal,
    form: dict[str, str | list[str]],
    item_id: int | None,
) -> Response:
    factory: SessionFactory = request_factory(request)
    actor = request_actor(request, principal)
    version = pop_version(form)
    try:
        item = catalog.read_form(form)
        if item_id is None:
            saved = catalog.create(factory, item, actor)
        else:
            saved = catalog.update(factory, item_id, item, actor, version)
    except FormInvalid as exc:
        kept = {FIELD: version}
        return _form_page(
            request,
            catalog,
            principal,
            item_id=item_id,
            form=form,
            errors=exc.errors,
            status=422,
            extra=kept,
        )
    except StaleEdit as exc:
        assert item_id is not None  # only an update compares versions
        current = catalog.text_of(catalog.get(factory, item_id))
        extra = stale_context(exc, current)
        return _form_page(
            request, catalog, principal, item_id=item_id, form=form, status=409, extra=extra
        )
    except DomainError as exc:
        if exc.code == "not_found":
            raise
        field = catalog.field_of(str(exc.details.get("field", "name")))
        status = 409 if exc.code == "conflict" else 422
        errors = {field: _sentence(exc.message)}
        return _form_page(
            request, catalog, principal, item_id=item_id, form=form, errors=errors, status=status
        )
    notice = "created" if item_id is None else "saved"
    item_key = getattr(saved, "id", "")
    return RedirectResponse(
        f"/program/{catalog.slug}?notice={notice}&item={item_key}#item-{item_key}",
        status_code=303,
    )


def _routes(catalog: Catalog) -> None:
    base = f"/{catalog.slug}"

    @router.get(base, name=f"{catalog.kind}_list")
    def list_page(
        request: Request, principal: Reader, notice: str = "", item: str = ""
    ) -> Response:
        text = None
        if notice in NOTICES:
            text = f"The {catalog.noun} {NOTICES[notice]}"
        return _list_page(request, catalog, principal, notice=text)

    @router.get(base + "/new", name=f"{catalog.kind}_new")
    def new_page(request: Request, principal: Writer) -> Response:
        return _form_page(request, catalog, principal, item_id=None, form=catalog.text_of(None))

    @router.post(base, name=f"{catalog.kind}_create")
    async def create(request: Request, principal: Writer) -> Response:
        return _save(request, catalog, principal, await _form_of(request), None)

    @router.get(base + "/{item_id:int}", name=f"{catalog.kind}_edit")
    def edit_page(request: Request, principal: Writer, item_id: ItemId) -> Response:
        factory: SessionFactory = request_factory(request)
        version = version_of(factory=factory, kind=catalog.edited, item_id=item_id)
        item = catalog.get(factory, item_id)
        return _form_page(
            request,
            catalog,
            principal,
            item_id=item_id,
            form=catalog.text_of(item),
            extra={FIELD: version},
        )

    @router.post(base + "/{item_id:int}", name=f"{catalog.kind}_update")
    async def update(request: Request, principal: Writer, item_id: ItemId) -> Response:
        return _save(request, catalog, principal, await _form_of(request), item_id)

    @router.post(base + "/{item_id:int}/delete", name=f"{catalog.kind}_delete")
    async def delete(request: Request, principal: Writer, item_id: ItemId) -> Response:
        factory: SessionFactory = request_factory(request)
        version = pop_version(await _form_of(request))
        try:
            catalog.delete(factory, item_id, request_actor(request, principal), version)
        except DomainError as exc:
            if exc.code == "not_found":
                raise
            message = _sentence(exc.message)
            users = exc.details.get("used_by")
            if users:
                message = f"{message[:-1]}: {', '.join(map(str, users))}."
            return _list_page(request, catalog, principal, problem=(item_id, message), status=409)
        return RedirectResponse(f"/program/{catalog.slug}?notice=deleted", status_code=303)


# Declared before the catalog routes: "/coverage/preview" is no item id, but keep it first.
@router.post("/coverage/preview")
async def coverage_preview(request: Request, principal: Writer) -> Response:
    """The coverage form's rule in words as it is typed (htmx): the sentence the lists will
    show, or what still keeps the form from reading as a rule. Nothing is written."""
    context = _context(request, COVERAGE, principal)
    context |= _reading(await _form_of(request), context)
    return templates.TemplateResponse(request, "program/_coverage_preview.html", context)


def _reading(form: FormValues, context: dict[str, Any]) -> dict[str, Any]:
    """The coverage rule the form reads as (None while fields are missing or unreadable)."""
    names = {r.code: r.name for r in context["rotation_list"]}
    try:
        return {"rule": forms.coverage_of(form), "pending": 0, "rotation_names": names}
    except FormInvalid as exc:
        return {"rule": None, "pending": len(exc.errors), "rotation_names": names}


for _catalog in (SHIFT_TYPES, ROTATIONS, COVERAGE):
    _routes(_catalog)
