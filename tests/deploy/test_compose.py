"""docker-compose.yml: parses, and is consistent and safe (docs/deployment.md "Docker Compose").
No Docker engine is needed: these read the file as compose would."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("migrate", "web", "worker", "beat")
CHECKED_SERVICES = ("web", "postgres", "redis")
# A key that names a credential; its value must come from a file or a ${VARIABLE}.
CREDENTIAL_KEY = re.compile(r"PASSWORD|SECRET|TOKEN|KEY", re.IGNORECASE)
VARIABLE_REFERENCE = re.compile(r"^\$\{[A-Z0-9_]+(:?[-?][^}]*)?\}$")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def _depends_on(service: dict[str, Any]) -> dict[str, dict[str, str]]:
    depends = service.get("depends_on", {})
    if isinstance(depends, list):  # the short form: started, nothing more
        return {name: {"condition": "service_started"} for name in depends}
    return dict(depends)


def _environment(service: dict[str, Any]) -> dict[str, str]:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        return dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def test_every_service_of_a_production_site_is_there(services: dict[str, Any]) -> None:
    assert set(services) >= {*APP_SERVICES, "postgres", "redis", "proxy"}


def test_every_dependency_names_a_defined_service(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for dependency in _depends_on(service):
            assert dependency in services, f"{name} depends on undefined {dependency}"


def test_migrations_run_to_completion_before_the_app_starts(services: dict[str, Any]) -> None:
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        condition = _depends_on(services[name]).get("migrate", {}).get("condition")
        assert condition == "service_completed_successfully", name
    assert _depends_on(services["migrate"])["postgres"]["condition"] == "service_healthy"


def test_the_app_services_run_the_documented_commands(services: dict[str, Any]) -> None:
    assert services["web"]["command"][:2] == ["serve", "--workers"]
    assert services["worker"]["command"][0] == "worker"
    assert services["beat"]["command"] == ["beat"]


def test_named_volumes_and_secrets_are_declared(compose: dict[str, Any]) -> None:
    volumes = set(compose.get("volumes") or {})
    secrets = set(compose.get("secrets") or {})
    for name, service in compose["services"].items():
        for mount in service.get("volumes", []):
            source = mount.split(":", 1)[0] if isinstance(mount, str) else mount["source"]
            if not source.startswith((".", "/")):  # not a bind mount: a named volume
                assert source in volumes, f"{name} uses undeclared volume {source}"
        for secret in service.get("secrets", []):
            secret_name = secret if isinstance(secret, str) else secret["source"]
            assert secret_name in secrets, f"{name} uses undeclared secret {secret_name}"
    for declared in compose["secrets"].values():
        # From a file outside the repository's tracked files (.gitignore), never inline.
        assert set(declared) == {"file"}
        assert declared["file"].startswith("./secrets/")
    assert "/secrets/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()


def test_postgresql_keeps_its_data_on_a_named_volume(services: dict[str, Any]) -> None:
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]


@pytest.mark.parametrize("name", CHECKED_SERVICES)
def test_health_checks(services: dict[str, Any], name: str) -> None:
    check = services[name]["healthcheck"]
    assert not check.get("disable", False)
    assert check["test"][0] in ("CMD", "CMD-SHELL")


def test_the_web_check_asks_the_real_health_path(services: dict[str, Any]) -> None:
    from resched.api.health import router

    paths = {getattr(route, "path", None) for route in router.routes}
    probe = " ".join(services["web"]["healthcheck"]["test"])
    assert "/healthz" in paths
    assert "/healthz" in probe
    assert "RESCHED_ALLOWED_HOSTS" in probe  # every request must name an allowed host


def test_no_credential_is_written_in_the_file(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for key, value in _environment(service).items():
            if not CREDENTIAL_KEY.search(key):
                continue
            if key.endswith("_FILE"):
                assert value.startswith("/run/secrets/"), f"{name}: {key}"
            else:
                assert VARIABLE_REFERENCE.match(value), f"{name}: {key} has a literal value"


def test_the_app_reads_its_credentials_from_secret_files(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        environment = _environment(services[name])
        for setting in ("SECRET_KEY", "DATABASE_URL", "BROKER_URL"):
            assert f"RESCHED_{setting}" not in environment
            path = environment[f"RESCHED_{setting}_FILE"]
            assert path.removeprefix("/run/secrets/") in services[name]["secrets"]
        assert environment["RESCHED_ENV"] == "production"


def test_app_services_run_read_only_as_a_non_root_user(services: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        service = services[name]
        assert service["read_only"] is True, name
        assert "/tmp" in service["tmpfs"], name
        uid = service["user"].split(":")[0]
        assert uid.isdigit(), name
        assert int(uid) != 0, name
        assert service["cap_drop"] == ["ALL"], name
    # Beat's schedule file survives a restart: var/ is a named volume there.
    assert "beat-state:/srv/resched/var" in services["beat"]["volumes"]


def test_images_are_pinned(services: dict[str, Any]) -> None:
    for name, service in services.items():
        image = service["image"]
        if image.startswith("${"):  # the app's own image, named by the operator
            continue
        _, _, tag = image.partition(":")
        assert tag, f"{name}: {image} has no tag"
        assert tag != "latest", name
        assert re.search(r"\d+\.\d+", tag), f"{name}: {image} is not pinned to a version"


def test_tls_proxy_sends_hsts_and_is_the_only_published_service(
    services: dict[str, Any],
) -> None:
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["proxy"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text("utf-8")
    hsts = re.search(r'Strict-Transport-Security "max-age=(\d+)', caddyfile)
    assert hsts is not None
    assert int(hsts.group(1)) >= 31_536_000
    assert "reverse_proxy web:8000" in caddyfile


def test_forwarded_headers_are_trusted_from_the_proxy_network_only(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    subnet = compose["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    assert _environment(services["web"])["RESCHED_TRUSTED_PROXIES"] == subnet
    assert compose["networks"]["backend"]["internal"] is True
    for name in ("worker", "beat", "migrate", "postgres", "redis"):
        assert services[name]["networks"] == ["backend"], name


def test_the_proxy_drops_idle_connections_before_uvicorn_does() -> None:
    """Otherwise Caddy can send a request into a connection uvicorn is closing: a 502."""
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text("utf-8")
    keepalive = re.search(r"^\s*keepalive (\d+)s\s*$", caddyfile, re.MULTILINE)
    assert keepalive is not None, "reverse_proxy needs `transport http { keepalive Ns }`"
    # `resched serve` leaves uvicorn's keep-alive timeout at its default.
    assert int(keepalive.group(1)) < uvicorn.Config("resched.main:create_app").timeout_keep_alive
