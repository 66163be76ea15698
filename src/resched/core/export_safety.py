"""Exports opened by other programs: spreadsheet cells that could run as formulas, and file
names that could escape a header or a folder."""

from __future__ import annotations

import re

# A spreadsheet reads a cell starting with one of these as a formula (tab and CR too: some
# programs strip them and then see the formula behind).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 100


def neutralise_cell(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_filename(stem: str, extension: str) -> str:
    """``stem`` reduced to letters, digits, dot, dash and underscore (no quotes, slashes or
    line breaks for a Content-Disposition header), never empty, never hidden."""
    cleaned = _UNSAFE_NAME.sub("-", stem).strip(".-")[:MAX_NAME] or "export"
    return f"{cleaned}.{extension}"
