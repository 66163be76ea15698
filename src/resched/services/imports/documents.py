"""People and absences from an interchange document (INTERCHANGE.md, ``resched.schedule/v1``).

The document's array (``people`` or ``absences``) becomes a table - a header row of the
kind's column names, then one row per item (row n is item n-1) - so the staging that reads a
CSV reads it unchanged. A problem found there is then placed at the item's JSON path
(``people[3].pgy``) instead of a column letter. Only the array's shape is checked here; the
values are checked by the kind, as a CSV's are. Unlike the whole-document reader
(core/interchange), which must find every person an absence names in the same document, an
imported absence names a person already stored, so the document is read array by array.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from resched.core.errors import Invalid
from resched.core.interchange import SCHEDULE_FORMAT
from resched.core.interchange.fields import Issues, quoted
from resched.io.tables import Row, Sheet
from resched.io.uploads import FileKind, Upload, load_json
from resched.services.imports.staging import Staged, first_sheet


@dataclass(frozen=True, slots=True)
class DocumentArray:
    """``name`` is the document's array; ``columns`` maps each key its items may hold to the
    kind's column that key fills."""

    name: str
    columns: Mapping[str, str]

    @property
    def sheet_name(self) -> str:
        return f"{self.name}[]"


def table_of(upload: Upload, array: DocumentArray, *, notes: list[str]) -> Sheet:
    """The table a kind stages: the first worksheet of a workbook or CSV, or the ``array``
    of an interchange document."""
    if upload.kind is FileKind.JSON:
        return document_sheet(load_json(upload), array)
    return first_sheet(upload, notes=notes)


def document_sheet(document: Any, array: DocumentArray) -> Sheet:
    """The items of ``array`` as a sheet, or Invalid naming the path of each shape error."""
    issues = Issues()
    if not isinstance(document, Mapping):
        issues.add("document", f"expected a JSON object, got {quoted(document)}")
        _raise(issues)
    if document.get("format") != SCHEDULE_FORMAT:
        got = " (missing)" if "format" not in document else f", got {quoted(document['format'])}"
        issues.add("format", f'expected "{SCHEDULE_FORMAT}"{got}')
    items = document.get(array.name)
    if not isinstance(items, list):
        got = "it is missing" if array.name not in document else f"got {quoted(items)}"
        issues.add(array.name, f"expected an array, {got}")
        items = []
    rows = [_row(item, f"{array.name}[{i}]", i + 1, array, issues) for i, item in enumerate(items)]
    _raise(issues)
    header = Row(number=0, cells=tuple(array.columns.values()))
    return Sheet(name=array.sheet_name, rows=(header, *rows))


def _row(item: Any, path: str, number: int, array: DocumentArray, issues: Issues) -> Row:
    if not isinstance(item, Mapping):
        issues.add(path, f"expected an object, got {quoted(item)}")
        return Row(number=number, cells=())
    for key in item:
        if key not in array.columns:
            known = ", ".join(array.columns)
            issues.add(f"{path}.{key}", f"unknown key; an item of {array.name} holds {known}")
    return Row(
        number=number,
        cells=tuple(_cell(item.get(key), f"{path}.{key}", issues) for key in array.columns),
    )


def _cell(value: Any, path: str, issues: Issues) -> str:
    """A member as the text a spreadsheet cell would hold (missing or null: empty)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    issues.add(path, f"expected a string or a whole number, got {quoted(value)}")
    return ""


def _raise(issues: Issues) -> None:
    try:
        issues.raise_if_any()
    except Invalid as exc:
        raise Invalid(exc.message, details={"field": "file", **exc.details}) from None


def place_at_paths(staged: Staged, array: DocumentArray) -> Staged:
    """Problems of a document's table named by JSON path: row n's column ``pgy`` becomes
    ``people[n-1].pgy`` (the row number stays the item's position + 1)."""
    keys = {column: key for key, column in array.columns.items()}
    for found in staged.problems:
        if found["sheet"] != array.sheet_name:
            continue
        key = keys.get(found["field"], "")
        path = f"{array.name}[{int(found['row']) - 1}]"
        found["column"] = f"{path}.{key}" if key else path
    return staged
