"""Disks that fail under a running kiosk: injected errors, and real ones when root may mount.

``FailingDirectory`` makes every write into one directory fail the way a full
disk (``ENOSPC``) or a disk remounted read-only (``EROFS``) fails it, at the
level of ``os.open``/``os.write``/``os.mkdir``: the code under test runs
unchanged, its own error handling included. Files elsewhere (the rescue
directory) are not touched.

``Tmpfs`` mounts a small real filesystem (root only) that a test can fill up
or pull out (``umount -l``, what a USB key does).
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class FailingDirectory:
    """Every write under ``root`` fails with ``code`` once ``fail()`` is called."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path, code: int) -> None:
        self.root = os.path.realpath(root)
        self.code = code
        self.failing = False
        self.refused = 0
        """Writes refused so far."""
        real_write, real_open, real_mkdir = os.write, os.open, os.mkdir

        def write(fd: int, data: Any) -> int:
            if self.failing and self._under(_fd_path(fd)):
                self._refuse()
            return real_write(fd, data)

        def open_(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
            # A full disk still opens an existing file; a read-only one opens none for writing.
            refused = self.code != errno.ENOSPC or not os.path.exists(path)
            if self.failing and flags & _WRITE_FLAGS and refused and self._under(os.fspath(path)):
                self._refuse()
            return real_open(path, flags, mode, dir_fd=dir_fd)

        def mkdir(path: Any, mode: int = 0o777, *, dir_fd: int | None = None) -> None:
            if self.failing and self._under(os.fspath(path)) and not os.path.isdir(path):
                self._refuse()
            real_mkdir(path, mode, dir_fd=dir_fd)

        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(os, "open", open_)
        monkeypatch.setattr(os, "mkdir", mkdir)

    def fail(self) -> None:
        self.failing = True

    def heal(self) -> None:
        self.failing = False

    def _under(self, path: str | None) -> bool:
        if path is None:
            return False
        full = os.path.realpath(path)
        return full == self.root or full.startswith(self.root + os.sep)

    def _refuse(self) -> None:
        self.refused += 1
        raise OSError(self.code, os.strerror(self.code))


def _fd_path(fd: int) -> str | None:
    try:
        return os.readlink(f"/proc/self/fd/{fd}").removesuffix(" (deleted)")
    except OSError:
        return None


# --- a real filesystem -------------------------------------------------------------------------


def can_mount() -> bool:
    """Whether this process may mount a tmpfs (root in a VM or a privileged container)."""
    if os.geteuid() != 0 or not Path("/proc/self/fd").is_dir():
        return False
    with tempfile.TemporaryDirectory() as probe:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe],
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            return False
        subprocess.run(["umount", probe], check=False)
    return True


class Tmpfs:
    """A small tmpfs mounted at ``path``."""

    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True
        )
        self.mounted = True

    def fill(self) -> int:
        """Fill every free block with a file; the bytes written."""
        written = 0
        fd = os.open(self.path / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            block = b"\0" * 4096
            while True:
                try:
                    n = os.write(fd, block)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
                    break
                written += n
                if n < len(block):
                    break
        finally:
            os.close(fd)
        return written

    def free(self) -> None:
        (self.path / "filler").unlink()

    def pull_out(self) -> None:
        """Detach it at once, open files and all (``umount -l``: a USB key pulled out)."""
        subprocess.run(["umount", "-l", str(self.path)], check=True)
        self.mounted = False

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.path)], check=False)
            self.mounted = False


@contextlib.contextmanager
def tmpfs(path: Path, size: str = "1m") -> Iterator[Tmpfs]:
    fs = Tmpfs(path, size)
    try:
        yield fs
    finally:
        fs.close()
