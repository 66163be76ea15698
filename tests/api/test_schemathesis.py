"""Every operation of the OpenAPI document, fuzzed by schemathesis for every role.

The app is the real one (``create_app``) on the test database, called in process (ASGI, no
network), with a small program, two schedule versions, an absence and a job so that ids exist.
Each operation gets a bounded number of schema-valid and schema-invalid requests, generated
with a fixed seed (``derandomize``) so a CI failure reproduces locally. Every response must:

- not be a server error (5xx);
- have a status code the operation documents, with a declared content type and headers;
- match the documented response schema (formats included);
- reject a request the schema says is invalid (a 4xx, never a 2xx).

Schema-valid requests may still be refused with a 4xx: the services check more than the
schema can say (unknown codes, overlapping dates, permissions), which is not a failure.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Request, RequestKind
from resched.db.session import make_session_factory
from resched.db.tables import UserRole
from resched.services import absences, jobs, requests, schedule_import
from tests import builders
from tests.accounts import access_token, add_user, make_app
from tests.job_helpers import RecordingQueue
from tests.schedule_data import publish, store_program, troubled_doc

# The five roles on one xdist worker (make test's --dist loadgroup), so the requests are
# generated once (``_cases``), not once per worker.
pytestmark = pytest.mark.xdist_group("schema-fuzz")
# Enough to reach every parameter's edges (hypothesis starts with the simplest values: 0,
# empty strings, the bounds) while the whole module stays within a couple of minutes.
EXAMPLES_PER_OPERATION = 10
ROLES = ("admin", "coordinator", "resident", "faculty", "anonymous")
ACCOUNT_PATHS = ("/api/v1/auth/", "/api/v1/users")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
HYPOTHESIS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    # No shrinking: the first failing example is reported as it is, and the run stays bounded.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def fuzzed_app(database_url: str, engine: Engine) -> FastAPI:
    # Limits turned up, not off: a 429 is a documented answer, but a run of sign-in attempts
    # should keep reaching the code behind the limiter.
    app = make_app(
        database_url, login_attempts_per_minute=1000, login_attempts_per_minute_per_client=10_000
    )
    # The process's engine (tests/conftest.py), whose compiled statements the roles share.
    app.state.engine.dispose()
    app.state.engine, app.state.session_factory = engine, make_session_factory(engine)
    app.state.job_queue = RecordingQueue()
    _seed(app.state.session_factory)
    return app


def _seed(factory: sessionmaker[Session]) -> None:
    program = store_program(factory)
    published = schedule_import.import_schedule(factory=factory, document=troubled_doc())
    assert published.version.id is not None
    publish(factory, published.version.id)
    schedule_import.import_schedule(factory=factory, document=troubled_doc(), label="draft")
    absences.create_absence(
        factory=factory, absence=builders.absence(program.person_ids["r1"], days=3)
    )
    day = dt.date(2026, 7, 11)
    requests.create_request(
        factory=factory,
        request=Request(program.person_ids["r1"], RequestKind.DAY_OFF, day, day),
    )
    jobs.submit_job(
        factory=factory,
        queue=RecordingQueue(),
        kind="compliance_check",
        parameters={"version_id": published.version.id},
        actor=None,
        requested_by=None,
    )


@dataclass
class Credentials:
    """A signed-in user of the role. Operations under /auth and /users may sign their caller
    out, change its password, role or activity: after one of those the next request gets a
    new user, so they cannot spoil the requests after them."""

    app: FastAPI
    role: str
    numbers: Iterator[int] = field(default_factory=itertools.count)
    current: dict[str, str] | None = None

    def headers(self) -> dict[str, str]:
        if self.current is None:
            self.current = self._sign_in()
        return self.current

    def after(self, path: str) -> None:
        if path.startswith(ACCOUNT_PATHS):
            self.current = None

    def _sign_in(self) -> dict[str, str]:
        if self.role == "anonymous":
            return {}
        factory = self.app.state.session_factory
        name = f"fuzz-{self.role}-{next(self.numbers)}"
        user_id = add_user(factory, UserRole(self.role), username=name)
        return {"Authorization": f"Bearer {access_token(self.app, user_id)}"}


@dataclass
class Findings:
    """The first failure of each kind per operation, with the request that caused it."""

    seen: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, operation: str, error: BaseException) -> None:
        for failure in getattr(error, "exceptions", [error]):
            key = (operation, getattr(failure, "title", type(failure).__name__))
            self.seen.setdefault(key, str(error))

    def report(self) -> str:
        return "\n\n".join(f"## {op}: {kind}\n{text}" for (op, kind), text in self.seen.items())


def _fuzz(operation: Any, mode: GenerationMode, call: Callable[[Any], None]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @HYPOTHESIS
    def run(case: Any) -> None:
        call(case)

    try:
        run()
    except Unsatisfiable:
        # No invalid request exists for an operation without inputs.
        assert mode is GenerationMode.NEGATIVE, operation.label


def _modes(operation: Any) -> tuple[GenerationMode, ...]:
    """Multipart uploads get no schema-violating requests: every form field travels as text,
    so "a label that is an integer" or "a file that is an object" reach the server as valid
    text; the upload's own checks (tests/api/test_schedule_files_api.py) cover bad files."""
    body = (operation.definition.raw.get("requestBody") or {}).get("content") or {}
    if "multipart/form-data" in body:
        return (GenerationMode.POSITIVE,)
    return (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


# The requests generated for each (operation, mode), in the order hypothesis made them.
_GENERATED: dict[tuple[str, GenerationMode], list[Any]] = {}


def _cases(operation: Any, mode: GenerationMode) -> list[Any]:
    """What hypothesis generates for ``operation`` in ``mode``: the same requests for every
    role (derandomized, and no outcome steers the generation: every finding is caught and
    reported at the end), so they are generated once per process - about half of each role's
    time - and every role sends all of them to its own app."""
    key = (operation.label, mode)
    if key not in _GENERATED:
        generated: list[Any] = []
        _fuzz(operation, mode, generated.append)
        _GENERATED[key] = generated
    return _GENERATED[key]


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_conforms_to_the_openapi_document(fuzzed_app: FastAPI, role: str) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)
    credentials = Credentials(fuzzed_app, role)
    findings = Findings()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50  # the whole API, not an empty document

    for operation in operations:

        def call(case: Any, label: str = operation.label) -> None:
            try:
                # This test's app, whichever app the case was generated against.
                case.call_and_validate(headers=credentials.headers(), checks=CHECKS, app=fuzzed_app)
            except (Exception, BaseExceptionGroup) as error:  # a finding, reported at the end
                findings.add(label, error)
            credentials.after(case.operation.path)

        for mode in _modes(operation):
            for case in _cases(operation, mode):
                call(case)

    assert not findings.seen, findings.report()
