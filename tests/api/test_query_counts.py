"""List endpoints run the same small number of SQL statements for 5 rows and for 50."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests import builders
from tests.conftest import StatementCounter

# The signed-in user and their session (one joined lookup) + count + page (+ one per
# eager-loaded collection)
EXPECTED = {
    "people": 4,  # + PGY levels
    "shift-types": 3,
    "rotations": 5,  # + capacities + requirements
    "coverage-requirements": 3,  # shift type joined into the page query
    "absences": 3,
}


def _statements(client: TestClient, counter: StatementCounter, path: str) -> int:
    def fetch() -> None:
        response = client.get(path, params={"limit": 200})
        assert response.status_code == 200

    return counter.count(fetch)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_list_statements_do_not_grow_with_rows(
    client: TestClient,
    session_factory: sessionmaker[Session],
    statement_counter: StatementCounter,
    path: str,
) -> None:
    builders.store_program(session_factory, 5)
    small = _statements(client, statement_counter, path)
    assert client.get(path).json()["total"] == 5
    builders.store_program_more(session_factory, start=5, size=45)
    assert client.get(path, params={"limit": 200}).json()["total"] == 50
    large = _statements(client, statement_counter, path)
    assert small == large == EXPECTED[path], statement_counter.statements
