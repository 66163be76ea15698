"""resched: scheduling for medical residency programs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("resched")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0"
