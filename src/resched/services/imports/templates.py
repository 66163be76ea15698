"""The template file of each table kind: its columns as the header and one example row."""

from __future__ import annotations

from dataclasses import dataclass

from resched.core.errors import NotFound
from resched.io.table_files import csv_file, xlsx_file
from resched.services.imports.kinds import kind_named

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True, slots=True)
class TemplateFile:
    name: str
    media_type: str
    data: bytes


def template_file(*, kind: str, file_kind: str) -> TemplateFile:
    spec = kind_named(kind)
    if not spec.columns or file_kind not in MEDIA_TYPES:
        raise NotFound(f"no {file_kind} template for {kind}", details={"kind": kind})
    rows = [[c.name for c in spec.columns], [c.example for c in spec.columns]]
    data = csv_file(rows) if file_kind == "csv" else xlsx_file(spec.title, rows)
    return TemplateFile(f"resched-{spec.name}.{file_kind}", MEDIA_TYPES[file_kind], data)
