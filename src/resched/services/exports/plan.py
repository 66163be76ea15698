"""A year's rotation plan as xlsx: residents x blocks, cells coloured by rotation
(resched.io.xlsx_plan gives the layout).

The version is the plan page's: the one asked for, else the year's published plan, else (for
readers who may see drafts) its newest draft; a year without one gives an empty grid. Drafts
are found only by readers who may see them, as for the plan API.
"""

from __future__ import annotations

from collections import defaultdict

from resched.core.errors import NotFound
from resched.core.model import BlockAssignment
from resched.db.repositories import AcademicYearRepository
from resched.io.xlsx_plan import PlanBlock, PlanWorkbook, write_plan_workbook
from resched.io.xlsx_sheets import LegendEntry
from resched.services.common import SessionFactory, read
from resched.services.exports.common import XlsxExport, long_date, row_people, xlsx_export
from resched.services.exports.shift_grid import block_label
from resched.services.rotation_plan import YearPlan, get_year_plan
from resched.services.years import load_program_info

ROTATION = "rotation"


def plan_xlsx(
    *,
    factory: SessionFactory,
    academic_year_id: int,
    version_id: int | None = None,
    include_drafts: bool = True,
) -> XlsxExport:
    """NotFound as ``services.rotation_plan.get_year_plan``."""
    plan = get_year_plan(
        factory=factory,
        academic_year_id=academic_year_id,
        version_id=version_id,
        include_drafts=include_drafts,
    )
    year = plan.year
    with read(factory) as session:
        program = load_program_info(session).name
    blocks = tuple(PlanBlock(block_label(b), b.start, b.end) for b in year.blocks)
    which = (
        f"version {plan.version.id}, {plan.version.status.value}" if plan.version else "no plan yet"
    )
    span = f"{long_date(year.start)} to {long_date(year.end)}"
    book = PlanWorkbook(
        program_name=program,
        title=f"{program}: rotation plan {year.label}, {span} ({which})",
        sheet=year.label,
        people=row_people(plan.residents),
        blocks=blocks,
        cells=_cells(plan),
        colours={r.code: r.colour for r in plan.rotations},
        legend=tuple(
            LegendEntry(r.code, r.name, ROTATION, colour=r.colour)
            for r in sorted(plan.rotations, key=lambda r: r.code)
        ),
    )
    return xlsx_export(f"rotation-plan-{year.label}", write_plan_workbook(book))


def _cells(plan: YearPlan) -> dict[tuple[str, int], tuple[str, ...]]:
    """Rotation codes per (resident code, block index), halves in order."""
    index = {b.number: i for i, b in enumerate(plan.year.blocks)}
    codes = {p.id: p.code for p in plan.residents}
    found: dict[tuple[str, int], list[BlockAssignment]] = defaultdict(list)
    for a in plan.assignments:
        if a.person_id in codes and a.block_number in index:
            found[(codes[a.person_id], index[a.block_number])].append(a)
    return {
        key: tuple(a.rotation_code for a in sorted(cells, key=lambda a: a.half or 0))
        for key, cells in found.items()
    }


def find_year_id(*, factory: SessionFactory, year: str) -> int:
    """The id of the academic year labelled ``year`` (or with that id, when it is a number).
    NotFound (field ``year``) when there is none."""
    with read(factory) as session:
        repo = AcademicYearRepository(session)
        found = repo.get_by_label(year)
        if found is None and year.isdecimal() and len(year) < 10:
            found = repo.get(int(year))
    if found is None or found.id is None:
        raise NotFound(
            f"no academic year {year!r} (give its label, e.g. 2026-27, or its id)",
            details={"entity": "academic_year", "field": "year"},
        )
    return found.id
