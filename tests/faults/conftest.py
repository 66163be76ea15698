"""The fault tests reuse the page tests' app (the real ``create_app`` on the test database)."""

from tests.web.conftest import web

__all__ = ["web"]
