"""The month's call schedule as a PDF: the printable call schedule page (/schedule/print) on
one landscape page - the month as calendar weeks, each day with its on-call shifts and who is
on them - and the legend of the shift codes.

Names must fit: the calendar is laid out at the largest type size (8 pt down to 5 pt) that
keeps the month on one page; a month too full even at 5 pt runs on to a second page rather
than cutting names.
"""

from __future__ import annotations

from collections.abc import Sequence

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from resched.io.pdf_base import FAMILY, ReportPdf, pdf_bytes
from resched.io.pdf_calls_model import (
    CallDay,
    CallLine,
    CallMonth,
    LegendLine,
    calendar_weeks,
    day_text,
)

__all__ = [
    "CallDay",
    "CallLine",
    "CallMonth",
    "LegendLine",
    "calendar_weeks",
    "day_text",
    "render_call_schedule_pdf",
]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
LEGEND_ROOM = 16.0  # mm under the calendar: the heading row and the legend
TYPE_SIZES = (8.0, 7.5, 7.0, 6.5, 6.0, 5.5, 5.0)
HEAD = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
OUTSIDE = FontFace(fill_color=(240, 240, 240))


def render_call_schedule_pdf(month: CallMonth, *, compress: bool = True) -> bytes:
    """One page when the month fits at 5 pt or more (see the module doc)."""
    pdf = _render(month, TYPE_SIZES[0])
    for size in TYPE_SIZES[1:]:
        if pdf.pages_count <= 1:
            break
        pdf = _render(month, size)
    return pdf_bytes(pdf, compress=compress)


def _render(month: CallMonth, size: float) -> ReportPdf:
    pdf = ReportPdf(
        title=month.title, program=month.program, generated_at=month.generated_at, landscape=True
    )
    pdf.set_margins(10, 12, 10)
    pdf.add_page()
    pdf.heading(month.title, 15)
    pdf.paragraph(
        f"{month.program}{': ' + month.schedule if month.schedule else ''}. "
        f"Times are in {month.timezone}.",
        9,
    )
    empty = month.empty_message()
    if empty is not None:
        pdf.paragraph(empty, 11)
        return pdf
    pdf.set_font(FAMILY, size=size)
    weeks = calendar_weeks(month.days)
    # The weeks share the page (room to write on a printed copy); fuller ones grow past it.
    week_height = (pdf.h - pdf.b_margin - pdf.get_y() - LEGEND_ROOM) / max(len(weeks), 1)
    with pdf.table(
        headings_style=HEAD,
        line_height=size * 0.42,
        text_align="LEFT",
        v_align="TOP",
        repeat_headings=1,
    ) as table:
        table.row(WEEKDAYS)
        for week in weeks:
            row = table.row(min_height=week_height)
            for entry in week:
                if entry is None:
                    row.cell("", style=OUTSIDE)
                else:
                    row.cell(day_text(entry))
    _legend(pdf, month.legend)
    return pdf


def _legend(pdf: ReportPdf, legend: Sequence[LegendLine]) -> None:
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 7.5)
    pdf.cell(14, 3.6, "Legend", new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_font(FAMILY, size=7.5)
    text = "   ".join(f"{item.code}: {item.name} ({item.hours})" for item in legend)
    pdf.multi_cell(0, 3.6, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
