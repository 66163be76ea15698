"""What every resched PDF shares: the bundled Unicode font, the running header and footer
(title, program, page n of N, when it was made), and the bytes out.

fpdf2 draws everything in pure Python, so a PDF needs no system library and no installed
font: the runtime image has neither (docs/deployment.md "PDF exports"). Its built-in core
fonts only know Latin-1, which would lose "Nguyễn" or "Łukasz"; DejaVu Sans Condensed (free
licence, fonts/LICENSE) is bundled instead and subset into each file, so a report carries
only the glyphs it uses.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
FONT_FILES = {"": "DejaVuSansCondensed.ttf", "B": "DejaVuSansCondensed-Bold.ttf"}
# fontTools logs a line per table at INFO each time a font is subset: forty lines a PDF.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)
GREY = (90, 90, 90)
BLACK = (0, 0, 0)


class ReportPdf(FPDF):
    """A page with the document's title and program on top and "Page n of N" below.

    ``generated_at`` is the moment the caller says the document was made: it is printed and
    written as the file's creation date, so the same input gives the same bytes."""

    def __init__(
        self,
        *,
        title: str,
        program: str,
        generated_at: dt.datetime,
        landscape: bool = False,
    ) -> None:
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="letter")
        self.report_title = title
        self.program = program
        self.generated_at = generated_at
        for style, name in FONT_FILES.items():
            self.add_font(FAMILY, style, str(FONT_DIR / name))
        self.set_font(FAMILY, size=10)
        self.set_margins(12, 14, 12)
        self.set_auto_page_break(auto=True, margin=14)
        self.set_title(f"{title} - {program}")
        self.set_creator("resched")
        self.set_creation_date(generated_at)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_y(6)
        self.set_font(FAMILY, size=7.5)
        self.set_text_color(*GREY)
        half = self.epw / 2
        self.cell(half, 4, self.report_title, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(half, 4, self.program, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*BLACK)
        self.set_y(self.t_margin)
        self.set_font(FAMILY, size=10)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FAMILY, size=7.5)
        self.set_text_color(*GREY)
        half = self.epw / 2
        made = f"Generated {self.generated_at.strftime('%Y-%m-%d %H:%M %Z').strip()} by resched"
        self.cell(half, 4, made, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(half, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(*BLACK)

    def heading(self, text: str, size: float = 13) -> None:
        """A bold heading, kept with at least a few lines of what follows it."""
        if self.will_page_break(size * 1.6):
            self.add_page()
        self.set_font(FAMILY, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, size=10)
        self.ln(1)

    def paragraph(self, text: str, size: float = 9.5) -> None:
        self.set_font(FAMILY, size=size)
        self.multi_cell(0, size * 0.47, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)


def pdf_bytes(pdf: FPDF, *, compress: bool = True) -> bytes:
    """The finished file. ``compress=False`` leaves the content streams readable (tests look
    for the glyph mappings of the names they print)."""
    pdf.set_compression(compress)
    return bytes(pdf.output())
