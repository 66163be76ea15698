"""The fault tests reuse the page tests' app (the real ``create_app`` on the test database), and
share a private Redis server that a test may stop (tests/faults/redis_server.py)."""

from collections.abc import Iterator

import pytest

from tests.faults.redis_server import RedisServer
from tests.web.conftest import web

__all__ = ["redis_server", "web"]


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()
