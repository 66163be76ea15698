"""An interchange import run as a background job: the document travels in the job's
parameters, compressed, and the job imports it as a draft (services/schedule_import.py).

Parameters as submitted: ``{"document": {...}, "label": "..."}``. The check at submission
refuses a document over the interchange limit (20 MB as compact JSON) and stores it as
``{"encoding": "zlib+base64", "bytes": n, "data": "..."}``: schedule JSON compresses about
tenfold, so even a 20 MB document stays a few MB in the job row (and in its audit record).
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping
from typing import Any

from resched.core.interchange import MAX_DOCUMENT_BYTES, load_document
from resched.services.audit import ActorLike
from resched.services.common import SessionFactory, fail
from resched.services.schedule_import import MAX_LABEL, ImportResult, import_schedule

ENCODING = "zlib+base64"


def pack_import(parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The checked parameters of an import job (Invalid naming the field otherwise)."""
    document = parameters.get("document")
    if not isinstance(document, dict):
        fail("document", "document must be a resched.schedule/v1 JSON object")
    label = parameters.get("label", "")
    if not isinstance(label, str) or len(label) > MAX_LABEL:
        fail("label", f"label must be text of at most {MAX_LABEL} characters")
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    if len(raw) > MAX_DOCUMENT_BYTES:
        fail("document", f"too large: {len(raw)} bytes, the limit is {MAX_DOCUMENT_BYTES} (20 MB)")
    data = base64.b64encode(zlib.compress(raw, 6)).decode("ascii")
    return {"label": label, "document": {"encoding": ENCODING, "bytes": len(raw), "data": data}}


def unpack_document(packed: Mapping[str, Any]) -> dict[str, Any]:
    """The document ``pack_import`` stored (read back through the interchange loader)."""
    if packed.get("encoding") != ENCODING:
        fail("document", f"unknown document encoding {packed.get('encoding')!r}")
    # Written by pack_import at submission, so at most the interchange limit once inflated.
    raw = zlib.decompress(base64.b64decode(packed["data"]))
    return load_document(raw)


def import_packed(
    *, factory: SessionFactory, parameters: Mapping[str, Any], actor: ActorLike
) -> ImportResult:
    document = unpack_document(parameters["document"])
    return import_schedule(
        factory=factory, document=document, label=parameters.get("label", ""), actor=actor
    )


def import_result(result: ImportResult) -> dict[str, Any]:
    """What an import job stores as its result: the new draft and the reader's notes."""
    v = result.version
    return {
        "version_id": v.id,
        "label": v.label,
        "academic_year": v.academic_year_label,
        "assignments": v.assignments,
        "notes": [{"path": n.path, "message": n.message} for n in result.notes],
    }
