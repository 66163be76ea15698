"""resched: scheduling for medical residency programs."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    __version__: str


def __getattr__(name: str) -> str:
    """``__version__`` on first use: reading the installed metadata imports importlib.metadata
    (and the email package under it), which a CLI command that never shows the version should
    not pay for at start-up."""
    if name != "__version__":
        raise AttributeError(f"module 'resched' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("resched")
    except PackageNotFoundError:  # running from a source tree without an install
        found = "0.0.0"
    globals()["__version__"] = found
    return found
