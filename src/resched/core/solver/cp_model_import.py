"""Loading CP-SAT's Python API without pandas.

``ortools.sat.python.cp_model`` imports pandas at the top for its optional pandas API (variables
and values as ``pd.Series``), which resched never uses; pandas costs about 0.4 s of CPU, a fifth
of the 2 s a ``resched generate plan`` may take in all. While cp_model loads, ``pandas`` is a
stand-in holding the two names cp_model reads at import (``Index`` and ``Series``, in type
annotations and ``isinstance`` checks of that pandas API); the stand-in is removed at once, so
anything importing pandas later gets the real one.
"""

from __future__ import annotations

import importlib
import sys
import types

CP_MODEL = "ortools.sat.python.cp_model"


def load_cp_model() -> None:
    """Imports cp_model (once; a no-op when it is loaded). When pandas is already loaded there
    is nothing to save and cp_model gets the real one."""
    if CP_MODEL in sys.modules or "pandas" in sys.modules:
        importlib.import_module(CP_MODEL)
        return
    stand_in = types.ModuleType("pandas", "Not pandas: names cp_model reads at import.")
    stand_in.Index = type("Index", (), {})  # type: ignore[attr-defined]
    stand_in.Series = type("Series", (), {})  # type: ignore[attr-defined]
    sys.modules["pandas"] = stand_in
    try:
        importlib.import_module(CP_MODEL)
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]
