"""The PDF writers need nothing from the operating system: no installed font, no fontconfig,
no image library of the system (the minimal runtime image has none of them). Every file a
render opens is the package's own font or part of an installed Python package."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import resched
from resched.io.pdf_base import FONT_DIR, FONT_FILES
from tests.io.test_pdf_calls import _month
from tests.io.test_pdf_compliance import _report

OPENED: list[str] | None = None


def _record(event: str, args: tuple[Any, ...]) -> None:
    if OPENED is not None and event == "open" and isinstance(args[0], str | Path):
        OPENED.append(str(args[0]))


sys.addaudithook(_record)  # audit hooks stay for the process: it records only when asked


def _opened_while(action: Any) -> list[str]:
    global OPENED  # the hook reads it
    OPENED = []
    try:
        action()
        return OPENED
    finally:
        OPENED = None


def test_the_fonts_are_bundled_with_their_licence() -> None:
    assert FONT_DIR.is_relative_to(Path(resched.__file__).parent)
    for name in FONT_FILES.values():
        assert (FONT_DIR / name).stat().st_size > 100_000
    assert "Bitstream Vera" in (FONT_DIR / "LICENSE").read_text(encoding="utf-8")


def test_rendering_opens_only_the_packages_own_files() -> None:
    from resched.io.pdf_calls import render_call_schedule_pdf
    from resched.io.pdf_compliance import render_compliance_pdf

    report, month = _report(), _month()
    opened = _opened_while(lambda: (render_compliance_pdf(report), render_call_schedule_pdf(month)))
    allowed = (
        str(Path(resched.__file__).parent),
        sysconfig.get_paths()["purelib"],
        sysconfig.get_paths()["platlib"],
        sysconfig.get_paths()["stdlib"],
    )
    assert any(path.startswith(str(FONT_DIR)) for path in opened)
    assert [path for path in opened if not path.startswith(allowed)] == []


def test_the_web_process_starts_without_the_pdf_stack(tmp_path: Path) -> None:
    """fpdf2, Pillow and fontTools load when a PDF is asked for, openpyxl when a workbook is
    read or written, not at every start (together about a second of imports)."""
    probe = (
        "import sys, resched.main, resched.services.pdf_reports, resched.web.pdf_downloads\n"
        "print(' '.join(m for m in ('fpdf', 'PIL', 'fontTools', 'openpyxl') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
