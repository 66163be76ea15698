"""Schedules in spreadsheet files: the grid workbook (people x days, one sheet per month or
block) and the CSV of assignments, read into (person code, day, shift code) triples with every
problem named by sheet, row and column. Pure: the caller passes the sheets (any object with
``name`` and ``rows`` of ``number`` and ``cells``, as ``resched.io.tables.Sheet``) and the
program's codes.

parsed = read_grid(sheets, codes)     # the grid workbook
parsed = read_csv_rows(sheet, codes)  # the assignments CSV (export columns or the minimal three)
"""

from resched.core.schedule_files.csv_rows import is_assignment_table, read_csv_rows
from resched.core.schedule_files.grid import PLAN_WORKBOOK, read_grid
from resched.core.schedule_files.model import (
    FileAssignment,
    KnownCodes,
    ParsedFile,
    Problem,
    SheetLike,
)

__all__ = [
    "PLAN_WORKBOOK",
    "FileAssignment",
    "KnownCodes",
    "ParsedFile",
    "Problem",
    "SheetLike",
    "is_assignment_table",
    "read_csv_rows",
    "read_grid",
]
