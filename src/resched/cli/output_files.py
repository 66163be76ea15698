"""Writing a file the CLI made (an export) whole or not at all.

A full disk or a read-only directory must not leave a truncated workbook behind that looks
like an export: the content goes to a temporary file beside the target and is renamed over it
only once completely written. A target that is no regular file (``/dev/stdout``, a pipe) is
written directly, as there is nothing to rename over. Any failure exits with status 2 and a
message naming the file and the reason, never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from resched.cli.common import fail


def write_output(target: Path, content: bytes) -> None:
    try:
        if target.exists() and not target.is_file():
            target.write_bytes(content)
        else:
            _replace(target, content)
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None


def _replace(target: Path, content: bytes) -> None:
    directory = target.parent
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
