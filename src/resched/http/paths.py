"""Which side of the app a path belongs to: the JSON API or the pages."""

from __future__ import annotations

from urllib.parse import urlsplit

LOGIN_PATH = "/login"


def is_api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def safe_next(target: str | None, default: str = "/") -> str:
    """Where to go after signing in: only a path on this site. Anything that could leave it
    (``//evil``, ``/\\evil``, ``https://...``, control characters) becomes ``default``."""
    if not target or len(target) > 2000 or not target.startswith("/"):
        return default
    if (
        target.startswith("//")
        or "\\" in target
        or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)
    ):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith(LOGIN_PATH):
        return default
    return target
