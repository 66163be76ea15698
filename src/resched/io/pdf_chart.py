"""The hours-per-resident bar chart of the compliance report, drawn with fpdf2's lines and
rectangles: one bar per resident for the average over the range, a tick for the highest
four-week average, and the weekly limit as a line.

Colour is never the only carrier (UI.md): a resident over the limit is also named "over" in
the numbers beside the bar, and the limit line is labelled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from fpdf.enums import XPos, YPos

from resched.core.rules.findings import fmt_number
from resched.io.pdf_base import FAMILY, ReportPdf
from resched.io.pdf_compliance_model import HoursBar

ROW = 5.2  # mm per resident
NAME_W = 48
NUMBERS_W = 52
BAR_FILL = (120, 150, 190)
OVER_FILL = (200, 70, 60)
LIMIT = (180, 30, 30)
APPROACHING = (200, 140, 20)


def draw_hours_chart(
    pdf: ReportPdf, bars: Sequence[HoursBar], limit: float, approaching: float
) -> None:
    """The chart from the current position, continued on the next page when it is long
    (the scale and limit line are redrawn on each page)."""
    top = _scale_top(bars, limit)
    index = 0
    while index < len(bars):
        if pdf.will_page_break(ROW * 3 + 8):
            pdf.add_page()
        room = int((pdf.h - pdf.b_margin - pdf.get_y() - 8) // ROW)
        chunk = bars[index : index + max(room, 1)]
        _draw_part(pdf, chunk, top, limit, approaching)
        index += len(chunk)


def _scale_top(bars: Sequence[HoursBar], limit: float) -> float:
    highest = max((b.worst or b.average or 0.0 for b in bars), default=0.0)
    return float(max(20, math.ceil(max(highest, limit) * 1.1 / 20) * 20))


def _draw_part(
    pdf: ReportPdf, bars: Sequence[HoursBar], top: float, limit: float, approaching: float
) -> None:
    left = pdf.l_margin + NAME_W
    width = pdf.epw - NAME_W - NUMBERS_W
    y0 = pdf.get_y()

    def x(hours: float) -> float:
        return left + width * min(hours, top) / top

    for row, bar in enumerate(bars):
        y = y0 + row * ROW
        pdf.set_font(FAMILY, size=7.5)
        pdf.set_xy(pdf.l_margin, y)
        label = f"{bar.name} {bar.detail}".strip()
        pdf.cell(NAME_W - 1, ROW, _fit(pdf, label, NAME_W - 1.5), align="R")
        if bar.average is not None:
            pdf.set_fill_color(*(OVER_FILL if bar.over else BAR_FILL))
            pdf.rect(left, y + 1, max(x(bar.average) - left, 0.2), ROW - 2, style="F")
        if bar.worst is not None:
            pdf.set_draw_color(0, 0, 0)
            pdf.set_line_width(0.5)
            pdf.line(x(bar.worst), y + 0.4, x(bar.worst), y + ROW - 0.4)
        pdf.set_xy(left + width + 1, y)
        pdf.cell(NUMBERS_W - 1, ROW, _numbers(bar))
    bottom = y0 + len(bars) * ROW
    _axis(pdf, left, width, y0, bottom, top)
    _limit_line(pdf, x(limit), y0, bottom, f"limit {fmt_number(limit)} h", LIMIT)
    if 0 < approaching < limit:
        _limit_line(pdf, x(approaching), y0, bottom, "", APPROACHING, dashed=True)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)  # tables after the chart fill with the current colour
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin, bottom + 6)


def _axis(pdf: ReportPdf, left: float, width: float, y0: float, bottom: float, top: float) -> None:
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.line(left, y0, left, bottom)
    pdf.line(left, bottom, left + width, bottom)
    pdf.set_font(FAMILY, size=6.5)
    step = 20
    for hours in range(0, int(top) + 1, step):
        tx = left + width * hours / top
        pdf.line(tx, bottom, tx, bottom + 1)
        pdf.set_xy(tx - 5, bottom + 1)
        pdf.cell(10, 3, f"{hours}", align="C")
    pdf.set_xy(left + width - 20, bottom + 3.2)
    pdf.cell(20, 3, "hours per week", align="R")


def _limit_line(
    pdf: ReportPdf,
    at: float,
    y0: float,
    bottom: float,
    label: str,
    colour: tuple[int, int, int],
    *,
    dashed: bool = False,
) -> None:
    pdf.set_draw_color(*colour)
    pdf.set_line_width(0.4)
    if dashed:
        pdf.set_dash_pattern(dash=1, gap=1)
    pdf.line(at, y0 - 1, at, bottom)
    pdf.set_dash_pattern()
    if label:
        pdf.set_font(FAMILY, "B", 6.5)
        pdf.set_text_color(*colour)
        pdf.set_xy(at - 15, y0 - 4)
        pdf.cell(30, 3, label, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)


def _numbers(bar: HoursBar) -> str:
    """The bar's values in words, so the chart reads without its colours."""
    if bar.average is None:
        return "on leave throughout: no average" if bar.leave_shown else "no average"
    text = f"{fmt_number(round(bar.average, 1))} avg"  # the range average: no limit applies
    if bar.worst is not None:
        text += f", highest 4 wk {fmt_number(bar.worst)}"  # unrounded: 80.004 is over
    return text + (" OVER" if bar.over else "")


def _fit(pdf: ReportPdf, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to ``width`` at the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
