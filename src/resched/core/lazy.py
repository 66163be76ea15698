"""Package names imported on first use (PEP 562), so that importing a package for one of its
names does not load every module behind the others (a CLI command pays only for what it
runs)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(
    package: str, names_by_module: Mapping[str, tuple[str, ...]]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports each name from its module (module
    -> names) when first asked for, and keeps it in the package's namespace."""
    homes = {name: module for module, names in names_by_module.items() for name in names}

    def load(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(importlib.import_module(package), name, value)
        return value

    return load
