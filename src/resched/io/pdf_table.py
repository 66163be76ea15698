"""A bordered, striped table whose heading repeats on each page, drawn line by line.

fpdf2's own ``table()`` lays each cell out twice through its general line breaker, which
measures the whole line again for every character added: about 25 ms a finding, 30 s for a
bad year's thousand findings on a loaded machine (benchmarks/pdf_export.py). Here words are
measured once per document and each row is wrapped by their widths, then drawn with one
``cell`` per line: the same table in a fraction of the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from resched.io.pdf_base import FAMILY, ReportPdf

HEAD_FILL = (225, 225, 225)
STRIPE_FILL = (244, 244, 244)
PAD = 0.8  # mm between a cell's border and its text


@dataclass
class Table:
    """Column ``widths`` (mm), ``aligns`` ("L" or "R") and the type ``size`` (pt)."""

    widths: Sequence[float]
    heading: Sequence[str]
    aligns: Sequence[str]
    size: float = 8.0
    line_height: float = 3.6
    _widths_of: dict[tuple[str, str], float] = field(default_factory=dict)

    def draw(self, pdf: ReportPdf, rows: Sequence[Sequence[str]]) -> None:
        self._row(pdf, self.heading, style="B", fill=HEAD_FILL)
        for index, row in enumerate(rows):
            lines = [
                self._wrap(pdf, text, width) for text, width in zip(row, self.widths, strict=True)
            ]
            height = max(len(cell) for cell in lines) * self.line_height + 2 * PAD
            if pdf.will_page_break(height):
                pdf.add_page()
                self._row(pdf, self.heading, style="B", fill=HEAD_FILL)
            self._draw_lines(pdf, lines, height, STRIPE_FILL if index % 2 else None, "")
        pdf.set_fill_color(255, 255, 255)

    def _row(
        self, pdf: ReportPdf, texts: Sequence[str], style: str, fill: tuple[int, int, int]
    ) -> None:
        lines = [
            self._wrap(pdf, text, width, style)
            for text, width in zip(texts, self.widths, strict=True)
        ]
        height = max(len(cell) for cell in lines) * self.line_height + 2 * PAD
        self._draw_lines(pdf, lines, height, fill, style)

    def _draw_lines(
        self,
        pdf: ReportPdf,
        lines: Sequence[Sequence[str]],
        height: float,
        fill: tuple[int, int, int] | None,
        style: str,
    ) -> None:
        top, x = pdf.get_y(), pdf.l_margin
        pdf.set_font(FAMILY, style, self.size)
        pdf.set_line_width(0.2)
        for cell, width, align in zip(lines, self.widths, self.aligns, strict=True):
            if fill is not None:
                pdf.set_fill_color(*fill)
            pdf.rect(x, top, width, height, style="DF" if fill is not None else "D")
            for n, line in enumerate(cell):
                pdf.set_xy(x + PAD, top + PAD + n * self.line_height)
                pdf.cell(width - 2 * PAD, self.line_height, line, align=align)
            x += width
        pdf.set_xy(pdf.l_margin, top + height)
        pdf.set_font(FAMILY, "", self.size)

    def _wrap(self, pdf: ReportPdf, text: str, width: float, style: str = "") -> list[str]:
        """``text`` in lines that fit ``width`` less the padding; a word longer than a line
        is broken between characters."""
        room = width - 2 * PAD - 0.3  # a little slack for rounding in fpdf2's own measure
        pdf.set_font(FAMILY, style, self.size)
        space = self._width(pdf, " ", style)
        lines: list[str] = []
        current, used = "", 0.0
        for word in text.split():
            size = self._width(pdf, word, style)
            if current and used + space + size <= room:
                current, used = f"{current} {word}", used + space + size
                continue
            if current:
                lines.append(current)
            while size > room and len(word) > 1:
                cut = self._fitting(pdf, word, room, style)
                lines.append(word[:cut])
                word = word[cut:]
                size = self._width(pdf, word, style)
            current, used = word, size
        return [*lines, current] if current or not lines else lines

    def _fitting(self, pdf: ReportPdf, word: str, room: float, style: str) -> int:
        cut = len(word) - 1
        while cut > 1 and self._width(pdf, word[:cut], style) > room:
            cut -= 1
        return cut

    def _width(self, pdf: ReportPdf, text: str, style: str) -> float:
        key = (style, text)
        if key not in self._widths_of:
            self._widths_of[key] = pdf.get_string_width(text)
        return self._widths_of[key]
