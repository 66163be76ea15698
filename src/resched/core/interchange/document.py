"""Bytes to a decoded document: a size limit first, then strict JSON."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, NoReturn

from resched.core.errors import Invalid

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
SCHEDULE_FORMAT = "resched.schedule/v1"
REPORT_FORMAT = "resched.compliance/v1"
SCHEMA_FILE = "schedule-v1.schema.json"


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``resched.schedule/v1``, shipped for other tools."""
    text = resources.files("resched.core").joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _refuse(message: str) -> NoReturn:
    raise Invalid(
        f"document: {message}", details={"errors": [{"path": "document", "message": message}]}
    )


def _no_constant(name: str) -> NoReturn:
    # json accepts NaN and Infinity by default; they are not JSON and no limit can be NaN.
    raise ValueError(f"{name} is not valid JSON")


def load_document(raw: bytes) -> dict[str, Any]:
    """The JSON object in ``raw`` (UTF-8, a byte-order mark allowed); ``Invalid`` when it is over
    ``MAX_DOCUMENT_BYTES``, not UTF-8, not JSON, or not an object."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        _refuse(f"too large: {len(raw)} bytes, the limit is {MAX_DOCUMENT_BYTES} (20 MB)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _refuse(f"not UTF-8 text (byte {exc.start})")
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        _refuse(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except ValueError as exc:
        _refuse(f"not valid JSON: {exc}")
    except RecursionError:
        _refuse("not valid JSON: nested too deeply")
    if not isinstance(document, dict):
        _refuse(f"expected a JSON object, got {_json_kind(document)}")
    return document


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"
