"""Structured logging that never carries passwords, tokens or secrets.

Every event passes through ``redact`` before it is rendered: values under sensitive keys are
replaced, and credentials embedded in URLs (``postgresql://user:secret@host``) are masked
wherever they appear in a string value.

Tracebacks are rendered as plain text, frames and source lines only, never the values of local
variables (a request's password, the derived signing keys), and cut to a bounded size, in every
renderer: rich's pretty tracebacks, structlog's default when rich is installed, printed every
local of every frame (tens of thousands of lines per error, rendered inside the event loop).
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

REDACTED = "[redacted]"
SENSITIVE_KEY = re.compile(
    r"pass(word|wd)?|secret|token|authori[sz]ation|cookie|api[_-]?key|credential|hash|jwt|csrf",
    re.IGNORECASE,
)
URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:/@\s]*):[^@/\s]+@")
BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
# A traceback longer than this keeps its first and last parts: the outermost frames say where
# the request entered, the innermost ones and the message say what failed.
MAX_TRACEBACK_CHARS = 20_000
TRACEBACK_CUT = "\n  [... {} characters of traceback left out ...]\n"
# An exception the request guard has logged (with its request id) carries this attribute, so
# the server's own "Exception in ASGI application" line does not repeat it.
LOGGED_MARK = "_resched_logged"


def redact_text(text: str) -> str:
    text = URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:{REDACTED}@", text)
    return BEARER.sub(lambda m: f"{m[1]} {REDACTED}", text)


def redact_value(key: str, value: Any) -> Any:
    if SENSITIVE_KEY.search(key):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {str(k): redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(key, item) for item in value]
    return value


def plain_traceback(exc_info: Any) -> str:
    """The traceback as Python prints it (no local values), at most ``MAX_TRACEBACK_CHARS``."""
    text = "".join(traceback.format_exception(*exc_info)).rstrip("\n")
    if len(text) <= MAX_TRACEBACK_CHARS:
        return text
    half = MAX_TRACEBACK_CHARS // 2
    return text[:half] + TRACEBACK_CUT.format(len(text) - 2 * half) + text[-half:]


def _exc_info_tuple(value: Any) -> Any:
    if isinstance(value, BaseException):
        return (type(value), value, value.__traceback__)
    if value is True:
        return sys.exc_info()
    return value


def render_exception(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: ``exc_info`` becomes a plain ``exception`` string, before redaction
    and before any renderer could format it its own way."""
    exc_info = _exc_info_tuple(event_dict.pop("exc_info", None))
    if exc_info and exc_info[0] is not None:
        event_dict["exception"] = plain_traceback(exc_info)
    return event_dict


class _AlreadyLogged(logging.Filter):
    """Drops the server's report of an exception the request guard has already logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not getattr(exc, LOGGED_MARK, False)


def redact(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: the last line of defence before anything is written."""
    # uvicorn attaches a copy of its message with terminal colour codes; the renderer adds none.
    event_dict.pop("color_message", None)
    for key in list(event_dict):
        if key == "event":
            event_dict[key] = redact_text(str(event_dict[key]))
        else:
            event_dict[key] = redact_value(key, event_dict[key])
    return event_dict


def configure_logging(*, level: str = "INFO", json: bool = False) -> None:
    """Route structlog and the standard library (uvicorn, SQLAlchemy) through one renderer."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.PositionalArgumentsFormatter(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        render_exception,
        redact,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.ExtraAdder(), redact],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = _StderrHandler()
    handler.setFormatter(formatter)
    handler.addFilter(_AlreadyLogged())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # The request middleware logs every request once, with its id; uvicorn's access line would
    # repeat it. Alembic announces its dialect at INFO on every readiness probe.
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now, so a replaced stream (a test capture, a
    daemonised process) never leaves the handler writing to a closed file."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)
