"""Writing a transcript durably, one writer per transcript.

``TranscriptWriter.append`` returns only once the event is written and
``fsync``ed: that is the moment the screen may say "saved". A new file gets
its header and first event at once, and its directory entry is synced too.

A writer holds the file's operating-system lock (``flock``, exclusive) from
before its first byte is written until it is closed; the system releases it
when the process dies, so a crash never leaves a session locked. A second
writer (another kiosk, another terminal) is refused with ``TranscriptBusy``,
which says who holds the file (``holder.py``). Readers never need the lock.

The writer never cuts bytes it did not write itself in this process: a file
whose length is not what it last saved there is left alone (``SaveError``),
unless what follows is the beginning of the very event it failed to write.
A torn tail found by reading, while holding the lock, is cut by ``go_on_after``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Mapping
from pathlib import Path

from ndrc_oral.errors import NdrcError, describe_os_error
from ndrc_oral.i18n import t
from ndrc_oral.session.events import Event
from ndrc_oral.transcript import codec, holder


class SaveError(NdrcError):
    """An event could not be saved (disk full, directory gone, read-only...)."""

    def __init__(self, message: str, errno_: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno_


class TranscriptBusy(SaveError):
    """The transcript is held by another writer (another kiosk): nothing was opened."""

    def __init__(self, path: Path, who: holder.Holder | None) -> None:
        super().__init__(holder.describe(path, who), errno.EWOULDBLOCK)
        self.holder = who
        """Who holds it, as its note says (``None`` when there is no usable note)."""


_NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL})
"""What ``flock`` says on a file system that has no locks (some network and FUSE ones)."""


def _lock(fd: int, path: Path) -> None:
    """Take the file's exclusive lock without waiting; ``TranscriptBusy`` when held."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise TranscriptBusy(path, holder.read(path)) from None
    except OSError as exc:
        # Where the system keeps no locks, there is none to take: the kiosk
        # works as before rather than not at all.
        if exc.errno not in _NO_LOCKS:
            raise


class TranscriptWriter:
    """Appends events to one transcript file, each fsynced before ``append`` returns.

    ``TranscriptWriter(path)`` makes a new file at its first event;
    ``TranscriptWriter.take(path)`` holds an existing one to append to it.
    """

    def __init__(
        self, path: Path, *, fsync: bool = True, headers: Mapping[int, str] = codec.HEADERS
    ) -> None:
        self.path = path
        self.headers = headers
        """What a new file starts with, by format (a transcript's, or a commission day's)."""
        self.last_hash = codec.GENESIS
        self.format = codec.FORMAT
        """The format of the file's header: events are written in it (a file of
        format 1, resumed, goes on without seals)."""
        self._fsync = fsync
        self._fd: int | None = None
        self._size: int | None = None
        """The file's length after the last event saved here (``None``: no file yet)."""
        self._unsaved = b""
        """An event this writer failed to write whose bytes it could not cut then."""

    @classmethod
    def take(
        cls, path: Path, *, fsync: bool = True, headers: Mapping[int, str] = codec.HEADERS
    ) -> TranscriptWriter:
        """Hold the existing transcript ``path`` (its lock) to append to it.

        The caller reads the file, then says where the trusted part ends
        (``go_on_after``). ``TranscriptBusy`` when another writer holds it,
        ``SaveError`` when it cannot be opened.
        """
        writer = cls(path, fsync=fsync, headers=headers)
        try:
            writer._hold()
        except OSError as exc:
            raise _save_error(path, exc) from exc
        return writer

    def go_on_after(self, last_hash: str, valid_bytes: int, format: int) -> None:
        """Append after the file's first ``valid_bytes`` (whose last event hashed to
        ``last_hash``), cutting what follows: a torn write, found while holding the lock."""
        fd = self._fd
        if fd is None:
            raise ValueError("the writer holds no file: take() it first")
        try:
            if os.fstat(fd).st_size > valid_bytes:
                os.ftruncate(fd, valid_bytes)
                if self._fsync:
                    os.fsync(fd)
        except OSError as exc:
            why = describe_os_error(exc)
            raise SaveError(t("store.cannot_repair", path=self.path, why=why), exc.errno) from exc
        self._size = valid_bytes
        self.last_hash = last_hash
        self.format = format

    def _hold(self) -> int:
        """Open the existing file and take its lock (``OSError``; ``TranscriptBusy``)."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND)
        except FileNotFoundError:
            # A transcript file is only ever made by ``_create`` (header and first
            # event at once). One that is gone went away with its directory (a
            # key pulled out): a new file holding only the later events would be
            # no transcript; ``LiveSession.redirect`` writes the whole log afresh.
            raise FileNotFoundError(
                errno.ENOENT, os.strerror(errno.ENOENT), str(self.path)
            ) from None
        try:
            _lock(fd, self.path)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        holder.note(self.path)
        return fd

    def append(self, event: Event) -> None:
        """Write and fsync ``event``; raise ``SaveError`` when it is not on disk."""
        payload, digest = codec.encode(event, self.last_hash, self.format)
        try:
            if self._size is None:
                self._create(self.headers[self.format].encode() + payload)
                self.last_hash = digest
                return
            fd = self._fd if self._fd is not None else self._hold()
            if not self.path.exists():
                # The directory vanished under us: the open fd would write into a ghost.
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(self.path))
            start = self._start(fd)
            try:
                written = os.write(fd, payload)
                if written != len(payload):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                if self._fsync:
                    os.fsync(fd)
            except OSError:
                # Leave no half event behind when we can help it; when we cannot,
                # remember its bytes: the next event cuts them, and only them.
                try:
                    os.ftruncate(fd, start)
                except OSError:
                    self._unsaved = payload
                raise
        except OSError as exc:
            self.close()
            raise _save_error(self.path, exc) from exc
        self.last_hash = digest
        self._size = start + len(payload)
        self._unsaved = b""

    def _start(self, fd: int) -> int:
        """Where the next event goes: the end of the last one saved here.

        Bytes after it are cut only when they are the start of the event this
        writer failed to write (a write cut short that could not be undone then).
        Any other difference is someone else's doing: ``SaveError``, nothing cut.
        """
        assert self._size is not None
        end = os.fstat(fd).st_size
        if end == self._size:
            return end
        extra = os.pread(fd, end - self._size, self._size) if end > self._size else b""
        if not extra or not self._unsaved.startswith(extra):
            raise SaveError(t("store.changed_outside", path=self.path, size=self._size, now=end))
        os.ftruncate(fd, self._size)
        return self._size

    def _create(self, data: bytes) -> None:
        """Make the file with its header and first event at once (``OSError`` if not)."""
        fd = create_new(self.path, data, fsync=self._fsync)
        self._fd = fd
        self._size = len(data)
        fsync_dir(self.path.parent)
        holder.note(self.path)

    def close(self) -> None:
        """Release the file and its lock (appending again takes them again)."""
        if self._fd is not None:
            try:
                holder.forget(self.path)
                os.close(self._fd)
            finally:
                self._fd = None


def create_new(path: Path, data: bytes, *, fsync: bool = True) -> int:
    """Make ``path`` holding ``data``, all at once and never over an existing file;
    the open descriptor, locked (``OSError``, ``FileExistsError``, ``TranscriptBusy``).

    A kill while creating it must not leave a file holding a header alone,
    which every listing would show as a damaged transcript: ``data`` is
    written to a hidden file, synced, then renamed to ``path``. The hidden
    file is locked before anything is written to it, and the lock goes with it
    under its new name. (``logs import`` makes its files the same way.) The
    caller syncs the directory.
    """
    hidden = path.with_name(f".{path.name}.new")
    fd = os.open(hidden, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    locked = False
    try:
        _lock(fd, hidden)
        locked = True
        # A copy left by a creation that was killed: no session's (it was never renamed).
        os.ftruncate(fd, 0)
        os.fchmod(fd, 0o600)
        if os.write(fd, data) != len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        if fsync:
            os.fsync(fd)
        if path.exists():  # never replace another session's file
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
        os.rename(hidden, path)
    except BaseException:
        os.close(fd)
        if locked:  # a copy another process is making is its own: it stays
            with contextlib.suppress(OSError):
                os.unlink(hidden)
        raise
    return fd


def _save_error(path: Path, exc: OSError) -> SaveError:
    return SaveError(t("store.save_failed", path=path, why=describe_os_error(exc)), exc.errno)


def fsync_dir(directory: Path) -> None:
    """Make the new entries of ``directory`` durable (best effort): a new file's entry is
    only durable once its directory is synced."""
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
