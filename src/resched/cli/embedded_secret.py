"""A private signing key for embedded installs.

Out of the box the settings carry a well-known development secret; a server started with it
would sign session cookies and tokens that anyone could forge. ``resched serve`` therefore
replaces it, in development only, with a random key created once and kept in
``var/secret_key`` (readable by the owner only), so sessions survive restarts. Production
never gets here: it refuses to start without its own RESCHED_SECRET_KEY (settings.py).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from resched.settings import DEFAULT_SECRET, Settings

SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret
ENV_NAME = "RESCHED_SECRET_KEY"


def ensure_embedded_secret(settings: Settings, var_dir: Path) -> Settings:
    """Settings with a private key, exported to the environment for the server process and
    the workers it starts (both read their settings from the environment)."""
    if settings.secret_key.get_secret_value() != DEFAULT_SECRET:
        return settings
    secret = _read_or_create(var_dir / SECRET_FILE)
    os.environ[ENV_NAME] = secret
    return settings.model_copy(update={"secret_key": type(settings.secret_key)(secret)})


def _read_or_create(path: Path) -> str:
    if path.exists():
        secret = path.read_text("utf-8").strip()
        if len(secret) >= 32:
            return secret
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # var/: the key and the database
    secret = secrets.token_urlsafe(48)
    # O_EXCL-free rewrite is fine: only this program writes the file, and a lost race just
    # means two starts agree on whichever key lands last before either serves a request.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    path.chmod(0o600)
    return secret
