"""The compliance report as a PDF, for accreditation site visits: a summary page (what was
checked, the verdict, counts by rule and severity), the hours per resident as a chart, then
every rule with what it asks in plain words and its findings (who, when, by how much, why).
"""

from __future__ import annotations

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from resched.core.rules.findings import fmt_number
from resched.io.pdf_base import FAMILY, ReportPdf, pdf_bytes
from resched.io.pdf_chart import draw_hours_chart
from resched.io.pdf_compliance_model import ComplianceReport, RuleSection
from resched.io.pdf_table import Table

TITLE = "ACGME compliance report"
HEAD = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))
# Severity, who, dates, value, limit, explanation (mm of a letter page's 191.9 mm).
FINDING_WIDTHS = (17, 33, 23, 13, 11, 94.9)


def render_compliance_pdf(report: ComplianceReport, *, compress: bool = True) -> bytes:
    pdf = ReportPdf(title=TITLE, program=report.program, generated_at=report.generated_at)
    pdf.add_page()
    _summary(pdf, report)
    _chart(pdf, report)
    for section in report.sections:
        _section(pdf, section)
    return pdf_bytes(pdf, compress=compress)


def _summary(pdf: ReportPdf, report: ComplianceReport) -> None:
    pdf.heading(TITLE, 17)
    pdf.set_font(FAMILY, size=10)
    facts = (
        ("Program", report.program),
        ("Schedule", report.version),
        ("Period", report.period),
        ("Generated", report.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()),
    )
    for label, value in facts:
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(28, 6, label)
        pdf.set_font(FAMILY, size=10)
        pdf.multi_cell(0, 6, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    for line in report.summary_lines():
        pdf.paragraph(line, 10)
    pdf.ln(1)
    pdf.heading("Findings by rule", 12)
    with pdf.table(
        col_widths=(110, 27, 27),
        width=164,
        align="LEFT",
        headings_style=HEAD,
        text_align=("LEFT", "RIGHT", "RIGHT"),
        line_height=5.2,
    ) as table:
        table.row(("Rule", "Violations", "Warnings"))
        for section in report.sections:
            table.row((section.name, str(section.violations), str(section.warnings)))
        table.row(("All rules", str(report.violations), str(report.warnings)), style=HEAD)
    pdf.ln(4)


def _chart(pdf: ReportPdf, report: ComplianceReport) -> None:
    pdf.heading("Hours per resident", 12)
    limit = fmt_number(report.hours_limit)
    pdf.paragraph(
        "Each bar is the resident's average hours per week over the whole period (duty, call "
        "and logged work; leave days left out). The black tick is the highest four-week "
        f"average, the number the {limit}-hour rule limits; the red line is the limit and the "
        f"dashed line {fmt_number(report.approaching_hours)} h, where a warning starts. "
        "Residents with a four-week average over the limit are marked OVER.",
        8.5,
    )
    if not report.bars:
        pdf.paragraph("No residents in this schedule.")
        return
    pdf.ln(4)
    draw_hours_chart(pdf, report.bars, report.hours_limit, report.approaching_hours)


def _section(pdf: ReportPdf, section: RuleSection) -> None:
    pdf.ln(2)
    pdf.heading(f"{section.name} ({section.rule})", 11.5)
    pdf.paragraph(section.summary, 9)
    if not section.rows:
        pdf.paragraph("No findings.", 9)
        return
    pdf.paragraph(
        f"{section.violations} violation{'' if section.violations == 1 else 's'}, "
        f"{section.warnings} warning{'' if section.warnings == 1 else 's'}.",
        9,
    )
    table = Table(
        widths=FINDING_WIDTHS,
        heading=("Severity", "Who", "Dates", "Value", "Limit", "Explanation"),
        aligns=("L", "L", "L", "R", "R", "L"),
    )
    table.draw(
        pdf, [(r.severity, r.who, r.dates, r.value, r.limit, r.message) for r in section.rows]
    )
    pdf.set_font(FAMILY, size=10)
