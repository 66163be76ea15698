"""Names of a package loaded on first use: the searches need ortools (and pandas through it),
which a process that only reads problems and results (the web app) must not pay for."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from resched.core.solver.cp_model_import import load_cp_model


def lazy_names(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` (PEP 562) for ``package`` that imports each name of ``modules``
    (name -> module) when it is first asked for."""

    def load(name: str) -> Any:
        module = modules.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        load_cp_model()  # the names are the searches: CP-SAT first, without pandas
        return getattr(importlib.import_module(module), name)

    return load
