"""Build each route's request handling once per test process, not once per app.

Almost every API and page test builds its own app (``create_app``) on a clean database, and
FastAPI analyses all ~165 routes again for each app: each endpoint's parameters and
dependencies (``get_dependant``) and each declared response model (a pydantic
``TypeAdapter``). That is about 0.35 s of CPU per app, paid by some 1,800 tests a CI run (both
database tiers): over a quarter of the whole suite's time.

The analysis depends only on the endpoint, its path and its dependencies (or on the response
model's name and type) - never on the app, its settings or its database - so the tests keep it
in a dictionary and hand the same result to every app. The app-specific parts (the app used for
``dependency_overrides``, the handler wrapping the result) are still made per app by FastAPI.
Production builds one app per process and is not touched.

These are private FastAPI functions: if an upgrade renames them, ``install`` leaves FastAPI as
it is (the tests then just take longer) rather than fail."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import fastapi.routing as fastapi_routing

_DEPENDANT_BUILDER = "_build_dependant_with_parameterless_dependencies"
_MODEL_FIELD_FACTORY = "create_model_field"
_BODY_FIELD_BUILDER = "_get_body_field"


def _dependency_key(depends: Any) -> tuple[Any, ...]:
    # Depends objects are made afresh for every app (``Depends(verify_csrf)`` in mount_web):
    # equal declarations, equal analysis.
    return (
        type(depends),
        depends.dependency,
        depends.use_cache,
        getattr(depends, "scope", None),
        getattr(depends, "max_concurrency", None),
        tuple(getattr(depends, "scopes", None) or ()),
    )


def _cached_dependant_builder(build: Callable[..., Any]) -> Callable[..., Any]:
    built: dict[tuple[Any, ...], Any] = {}

    def cached(*, path: str, call: Callable[..., Any], dependencies: Sequence[Any]) -> Any:
        key = (path, call, tuple(_dependency_key(d) for d in dependencies))
        if key not in built:
            built[key] = build(path=path, call=call, dependencies=dependencies)
        return built[key]

    return cached


def _cached_model_fields(create: Callable[..., Any]) -> Callable[..., Any]:
    created: dict[tuple[Any, ...], Any] = {}

    def cached(name: str, type_: Any, *args: Any, **kwargs: Any) -> Any:
        # Only the (name, model) response fields routing.py makes; anything with a default,
        # field info or alias is built as usual.
        mode = kwargs.pop("mode", "validation")
        if args or kwargs:
            return create(name, type_, *args, mode=mode, **kwargs)
        try:
            key = (name, type_, mode)
            hash(key)
        except TypeError:
            return create(name, type_, mode=mode)
        if key not in created:
            created[key] = create(name, type_, mode=mode)
        return created[key]

    return cached


def _cached_body_fields(get: Callable[..., Any]) -> Callable[..., Any]:
    # A route whose body is embedded (several body parameters, or a form model) gets a pydantic
    # model made for it per app (``Body_<operation id>``): the same model every time.
    made: dict[tuple[Any, ...], tuple[list[Any], Any]] = {}

    def cached(*, body_params: list[Any], name: str, embed_body_fields: bool) -> Any:
        # The parameters come from the cached dependant, so the same objects for the same
        # route; kept in the value so that their ids stay theirs.
        key = (name, embed_body_fields, tuple(id(p) for p in body_params))
        if key not in made:
            field = get(body_params=body_params, name=name, embed_body_fields=embed_body_fields)
            made[key] = (body_params, field)
        return made[key][1]

    return cached


def install() -> bool:
    """Replace the two builders in ``fastapi.routing`` with cached ones (once); whether they
    are cached now."""
    if getattr(fastapi_routing, "_resched_tests_cached", False):
        return True
    build = getattr(fastapi_routing, _DEPENDANT_BUILDER, None)
    create = getattr(fastapi_routing, _MODEL_FIELD_FACTORY, None)
    body = getattr(fastapi_routing, _BODY_FIELD_BUILDER, None)
    if not (callable(build) and callable(create) and callable(body)):
        return False
    setattr(fastapi_routing, _DEPENDANT_BUILDER, _cached_dependant_builder(build))
    setattr(fastapi_routing, _MODEL_FIELD_FACTORY, _cached_model_fields(create))
    setattr(fastapi_routing, _BODY_FIELD_BUILDER, _cached_body_fields(body))
    fastapi_routing._resched_tests_cached = True  # type: ignore[attr-defined]
    return True
