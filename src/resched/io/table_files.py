"""One table written as a CSV or an xlsx file (the import templates: a header row and an
example row)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence


def csv_file(rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with a byte order mark, so Excel opens accented names correctly."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_file(title: str, rows: Sequence[Sequence[str]]) -> bytes:
    """Every cell as text (no formulas: a value starting with '=' stays text)."""
    from openpyxl import Workbook  # imported on use: about 0.4 s (io/xlsx_sheets.py)

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title[:31]
    for values in rows:
        sheet.append(list(values))
    for row in sheet.iter_rows():
        for cell in row:
            cell.data_type = "s"
            cell.number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
