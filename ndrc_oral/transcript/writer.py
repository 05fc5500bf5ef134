"""Writing a transcript durably.

``TranscriptWriter.append`` returns only once the event is written and
``fsync``ed: that is the moment the screen may say "saved". A new file gets
its header and first event at once, and its directory entry is synced too.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.session.events import Event
from ndrc_oral.transcript import codec


class SaveError(NdrcError):
    """An event could not be saved (disk full, directory gone, read-only...)."""

    def __init__(self, message: str, errno_: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno_


def describe_os_error(exc: OSError) -> str:
    """What went wrong, in the user's words (disk full, read-only, denied, gone)."""
    if exc.errno == errno.ENOSPC:
        return t("store.os.full")
    if exc.errno in (errno.EROFS,):
        return t("store.os.readonly")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return t("store.os.denied")
    if exc.errno == errno.ENOENT:
        return t("store.os.gone")
    return exc.strerror or str(exc)


class TranscriptWriter:
    """Appends events to one transcript file, each fsynced before ``append`` returns."""

    def __init__(
        self,
        path: Path,
        last_hash: str = codec.GENESIS,
        *,
        fsync: bool = True,
        header: str = codec.HEADER,
    ) -> None:
        self.path = path
        self.header = header
        """What a new file starts with (a transcript's, or a commission day's)."""
        self.last_hash = last_hash
        self._fsync = fsync
        self._fd: int | None = None
        self._size: int | None = None
        """The file's length after the last event saved here (``None``: not known yet)."""

    def _open(self) -> int:
        if self._fd is None:
            # A transcript file is only ever made by ``_create`` (header and first
            # event at once). One that is gone went away with its directory (a
            # key pulled out): a new file holding only the later events would be
            # no transcript; ``LiveSession.redirect`` writes the whole log afresh.
            try:
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
            except FileNotFoundError:
                raise FileNotFoundError(
                    errno.ENOENT, "transcript file is gone", str(self.path)
                ) from None
        return self._fd

    def append(self, event: Event) -> None:
        """Write and fsync ``event``; raise ``SaveError`` when it is not on disk."""
        payload, digest = codec.encode(event, self.last_hash)
        try:
            if self._fd is None and self.last_hash == codec.GENESIS and not self.path.exists():
                self._create(self.header.encode() + payload)
                self.last_hash = digest
                return
            fd = self._open()
            if not self.path.exists():
                # The directory vanished under us: the open fd would write into a ghost.
                raise FileNotFoundError(errno.ENOENT, "transcript file is gone", str(self.path))
            start = os.lseek(fd, 0, os.SEEK_END)
            if self._size is not None and start > self._size:
                # A failed write left part of an event that could not be cut
                # then: cut it now, or the next event would follow a torn one.
                os.ftruncate(fd, self._size)
                start = self._size
            try:
                written = os.write(fd, payload)
                if written != len(payload):
                    raise OSError(errno.ENOSPC, "short write")
                if self._fsync:
                    os.fsync(fd)
            except OSError:
                # Leave no half event behind when we can help it.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, start)
                raise
        except OSError as exc:
            self.close()
            raise SaveError(
                t("store.save_failed", path=self.path, why=describe_os_error(exc)), exc.errno
            ) from exc
        self.last_hash = digest
        self._size = start + len(payload)

    def _create(self, data: bytes) -> None:
        """Make the file with its header and first event at once (``OSError`` if not).

        A kill while creating it must not leave a file holding a header alone,
        which every listing would show as a damaged transcript: both are written
        to a hidden file, synced, then renamed to the transcript's name.
        """
        hidden = self.path.with_name(f".{self.path.name}.new")
        fd = os.open(hidden, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            if os.write(fd, data) != len(data):
                raise OSError(errno.ENOSPC, "short write")
            if self._fsync:
                os.fsync(fd)
            if self.path.exists():  # never replace another session's file
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(self.path))
            os.rename(hidden, self.path)
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(hidden)
            raise
        _fsync_dir(self.path.parent)
        self._fd = fd
        self._size = len(data)

    def close(self) -> None:
        """Release the file (appending again reopens it)."""
        if self._fd is not None:
            try:
                os.close(self._fd)
            finally:
                self._fd = None


def _fsync_dir(directory: Path) -> None:
    # A new file's directory entry is only durable once the directory is synced.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
