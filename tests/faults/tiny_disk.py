"""A real small filesystem a test can fill up or make read-only: a tmpfs mounted for the test.

Mounting needs root (CI runs as root); where it is refused the test is skipped with that
reason, not run against a fake. Filling writes a file until the kernel says ENOSPC, so the
disk is full in the way a real one is; ``make_read_only`` remounts it read-only (EROFS for
every write, root included - unlike file permissions, which root ignores)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

SIZE = "16m"
CHUNK = 64 * 1024


class TinyDisk:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"

    def fill(self) -> None:
        """Write until no byte more fits (unbuffered: each write meets the kernel's ENOSPC)."""
        with self.filler.open("ab", buffering=0) as handle:
            chunk = CHUNK
            while chunk:
                try:
                    handle.write(b"\0" * chunk)
                except OSError:
                    chunk //= 2

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def make_read_only(self) -> None:
        """Refused (busy) while a file on it is open for writing: close those first."""
        _remount(self.path, "ro")

    def make_writable(self) -> None:
        _remount(self.path, "rw")


def _remount(path: Path, mode: str) -> None:
    done = _mount("-o", f"remount,{mode}", str(path))
    assert done.returncode == 0, f"remount {mode}: {done.stderr.strip()}"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


@contextmanager
def tiny_disk(path: Path) -> Iterator[TinyDisk]:
    path.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(path))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root): {mounted.stderr.strip()}")
    try:
        yield TinyDisk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
