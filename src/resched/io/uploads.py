"""What an uploaded file must pass before anything reads it.

The kind of a file is decided by its content, never by its name: a CSV renamed ``.xlsx`` is CSV
text, and is refused as a workbook. A workbook is a zip archive, so its declared sizes are
checked before a byte is inflated (a zip bomb of a few kilobytes can expand to gigabytes), and
its XML is parsed by openpyxl through defusedxml (no entity expansion, no external entities;
io/tables.py asserts it before reading).
Macros are never run by anything here; a macro-enabled workbook is read for its cells only.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, NoReturn

from resched.core.errors import Invalid
from resched.core.export_safety import safe_filename

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# A workbook of 10 MB compresses text about 5-10:1; these caps are far above real files.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_MEMBER_RATIO = 100
MAX_MEMBERS = 10_000

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected .xlsx
_BOM = b"\xef\xbb\xbf"
_WORKBOOK_TYPES = (b"spreadsheetml.sheet.main", b"ms-excel.sheet.macroEnabled.main")
_SIGNATURES = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


class FileKind(StrEnum):
    XLSX = "xlsx"
    CSV = "csv"
    JSON = "json"


_DESCRIPTIONS = {
    FileKind.XLSX: "an Excel workbook (.xlsx)",
    FileKind.CSV: "CSV text",
    FileKind.JSON: "a JSON document",
}
_EXTENSIONS = {
    ".xlsx": FileKind.XLSX,
    ".xlsm": FileKind.XLSX,
    ".csv": FileKind.CSV,
    ".txt": FileKind.CSV,
    ".json": FileKind.JSON,
}


@dataclass(frozen=True, slots=True)
class Upload:
    name: str  # sanitised: safe to show, store and put in a header
    kind: FileKind
    data: bytes
    notes: tuple[str, ...] = ()


def refuse(message: str, **details: Any) -> NoReturn:
    raise Invalid(message, details={"field": "file", **details})


def check_upload(*, filename: str, data: bytes, allowed: Collection[FileKind]) -> Upload:
    """``data`` as an :class:`Upload` of one of the ``allowed`` kinds, or :class:`Invalid`
    saying what is wrong with the file in words its owner can act on."""
    shown = _base_name(filename)
    if not data:
        refuse(f"{shown} is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        refuse(f"{shown} is {len(data) / 1024 / 1024:.1f} MB; the limit is 10 MB")
    kind, notes = _detect(shown, data)
    claimed = _EXTENSIONS.get(PurePosixPath(shown).suffix.lower())
    if claimed is not None and claimed is not kind:
        refuse(
            f"{shown} is named as {_DESCRIPTIONS[claimed]} but its content is "
            f"{_DESCRIPTIONS[kind]}: save it again in the right format, or rename it"
        )
    if kind not in allowed:
        wanted = ", ".join(_DESCRIPTIONS[k] for k in FileKind if k in allowed)
        refuse(f"{shown} is {_DESCRIPTIONS[kind]}; expected {wanted}")
    stem = PurePosixPath(shown).stem
    return Upload(name=safe_filename(stem, kind.value), kind=kind, data=data, notes=notes)


def load_json(upload: Upload) -> Any:
    """The JSON value of ``upload``, or :class:`Invalid` naming the line and column."""
    try:
        return json.loads(decode_text(upload.name, upload.data))
    except json.JSONDecodeError as error:
        refuse(
            f"{upload.name}: not valid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}",
            line=error.lineno,
        )


def _base_name(filename: str) -> str:
    """The last part of a client's path (browsers on Windows may send ``C:\\...\\x.csv``),
    without control characters, for messages only."""
    base = PureWindowsPath(PurePosixPath(filename).name).name
    shown = "".join(ch for ch in base if ch.isprintable()).strip()[:100]
    return shown or "the file"


def _detect(shown: str, data: bytes) -> tuple[FileKind, tuple[str, ...]]:
    if data.startswith(_ZIP):
        return FileKind.XLSX, _check_workbook(shown, data)
    if data.startswith(_OLE):
        refuse(
            f"{shown} is an old-format (.xls) or password-protected workbook: save it from "
            "Excel as an Excel Workbook (.xlsx) without a password"
        )
    for signature, described in _SIGNATURES.items():
        if data.startswith(signature):
            refuse(f"{shown} is {described}, not a spreadsheet, CSV or JSON file")
    text = decode_text(shown, data)
    if text.lstrip()[:1] in ("{", "["):
        return FileKind.JSON, ()
    return FileKind.CSV, ()


def decode_text(shown: str, data: bytes) -> str:
    body = data.removeprefix(_BOM)
    if b"\x00" in body:
        refuse(f"{shown} is a binary file, not a spreadsheet, CSV or JSON file")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        refuse(
            f"{shown} is not UTF-8 text (byte {error.start + 1}): save it as "
            "'CSV UTF-8' (Excel) or with UTF-8 encoding"
        )


def _check_workbook(shown: str, data: bytes) -> tuple[str, ...]:
    """Refuse a zip that is not a workbook, is encrypted, or would inflate beyond the caps,
    reading only the archive's directory and its small content-types part."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        refuse(f"{shown} is a damaged zip archive or workbook")
    with archive:
        members = archive.infolist()
        _check_sizes(shown, members)
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names:
            refuse(f"{shown} is a zip archive, not an Excel workbook")
        try:
            content_types = archive.read("[Content_Types].xml")
        except (zipfile.BadZipFile, ValueError, OSError, EOFError):
            refuse(f"{shown} is a damaged workbook")
    if not any(kind in content_types for kind in _WORKBOOK_TYPES):
        refuse(f"{shown} is an Office file but not an Excel workbook")
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return ("the workbook's macros were ignored (only cell values are read)",)
    return ()


def _check_sizes(shown: str, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        refuse(f"{shown} holds {len(members)} parts; a workbook holds far fewer")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            refuse(f"{shown} is encrypted: save it without a password")
        total += member.file_size
        if member.file_size > MAX_MEMBER_RATIO * max(member.compress_size, 1) + 1024:
            refuse(
                f"{shown} is refused: its part {member.filename[:60]} would expand more than "
                f"{MAX_MEMBER_RATIO} times (a zip bomb, or not a normal workbook)"
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        refuse(
            f"{shown} is refused: it would expand to {total // 1024 // 1024} MB "
            f"(the limit is {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB)"
        )
