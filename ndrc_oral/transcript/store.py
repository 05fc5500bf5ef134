"""Writing transcripts durably and reading them back.

* ``TranscriptWriter.append`` returns only once the event is written and
  ``fsync``ed: that is the moment the screen may say "saved".
* ``read_transcript`` never trusts the file: it cuts it into events, checks
  each hash and the chain, drops a half-written last event (a crash) with a
  warning, and reports anything else (an edit, a cut) as damage.
* ``Store`` is the data directory: one file per session, named after the
  session id (time + random suffix), never after a candidate; files 0600,
  directory 0700.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.session.events import Event, Kind
from ndrc_oral.transcript import codec

SUFFIX = ".toml"
MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024
"""A transcript larger than this is not a transcript we wrote (a day of notes is < 1 MiB)."""


class TranscriptError(NdrcError):
    """A transcript cannot be read at all (missing, unreadable, not ours)."""


class SaveError(NdrcError):
    """An event could not be saved (disk full, directory gone, read-only...)."""

    def __init__(self, message: str, errno_: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno_


def _describe_os_error(exc: OSError) -> str:
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

    def __init__(self, path: Path, last_hash: str = codec.GENESIS, *, fsync: bool = True) -> None:
        self.path = path
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
                self._create(codec.HEADER.encode() + payload)
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
                t("store.save_failed", path=self.path, why=_describe_os_error(exc)), exc.errno
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


class Integrity(StrEnum):
    """What ``read_transcript`` found."""

    INTACT = "intact"
    TORN_TAIL = "torn-tail"
    """The last event was half-written (a crash while saving): dropped, the rest is intact."""
    DAMAGED = "damaged"
    """An event was edited, removed or reordered, or the file was cut: not trustworthy."""


@dataclass
class Transcript:
    """A transcript as read: the events that can be trusted, and what was wrong."""

    path: Path
    events: list[Event]
    integrity: Integrity
    problems: list[str] = field(default_factory=list)
    """Human-readable, the first one first: which event is bad and why."""
    first_bad_seq: int | None = None
    last_hash: str = codec.GENESIS
    valid_bytes: int = 0
    """Length of the file's trustworthy prefix (a resume cuts a torn tail there)."""

    @property
    def finished(self) -> bool:
        return any(e.kind == Kind.FINISHED for e in self.events)

    @property
    def created(self) -> Event | None:
        return self.events[0] if self.events and self.events[0].kind == Kind.CREATED else None


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a ``TranscriptError`` that says why not."""
    try:
        if path.is_dir():
            raise TranscriptError(t("store.is_dir", path=path))
        size = path.stat().st_size
        if size > MAX_TRANSCRIPT_BYTES:
            raise TranscriptError(t("store.too_large", path=path, size=size))
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise TranscriptError(t("store.no_file", path=path)) from exc
    except OSError as exc:
        raise TranscriptError(
            t("store.unreadable", path=path, why=_describe_os_error(exc))
        ) from exc


def read_transcript(path: Path) -> Transcript:
    """Read and check a transcript (raises ``TranscriptError`` only if nothing can be read)."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Keep what precedes the bad byte: the events before it may be intact.
        text = data[: exc.start].decode("utf-8")
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            # A character cut in two at the very end: a write cut short, which
            # the last event's own check reports as a torn tail.
            tail_problem: str | None = None
        else:
            tail_problem = t("store.not_utf8", pos=exc.start)
    else:
        tail_problem = None
    return check_text(path, text, tail_problem)


def _preamble_ok(preamble: str) -> bool:
    """Whether the text before the first event is what the writer puts there.

    That is the header (or the part of it written before a failure), then the
    newline that opens every event, and perhaps the beginning of a first
    event whose write was cut short.
    """
    head, _, unfinished = preamble.rpartition("\n")
    if codec.MARKER.startswith(unfinished):
        preamble = head
    return codec.HEADER.startswith(preamble.removesuffix("\n"))


def _whole_lines(chunk: codec.Chunk) -> codec.Chunk | None:
    """The chunk without its unfinished last line (``None`` if it ends with a newline)."""
    cut = chunk.text.rfind("\n") + 1
    if cut == len(chunk.text):
        return None
    return codec.Chunk(chunk.line, chunk.offset, chunk.text[:cut])


def check_text(path: Path, text: str, tail_problem: str | None = None) -> Transcript:
    """The checks of ``read_transcript`` on text already read."""
    preamble, chunks = codec.split(text)
    events: list[Event] = []
    problems: list[str] = []
    prev = codec.GENESIS
    first_bad: int | None = None
    integrity = Integrity.INTACT
    valid_chars = len(preamble)
    if not _preamble_ok(preamble):
        integrity = Integrity.DAMAGED
        first_bad = 0
        problems.append(t("store.header_altered"))
    for i, chunk in enumerate(chunks):
        seq = len(events)
        decoded = codec.decode(chunk)
        may_be_torn = i == len(chunks) - 1 and tail_problem is None
        torn_after = False
        if decoded.error is not None and may_be_torn:
            # A write cut short may have stopped in the first line of the next
            # event ("[[eve"): the event before it is then whole and stays.
            whole = _whole_lines(chunk)
            retry = codec.decode(whole) if whole is not None else None
            if whole is not None and retry is not None and retry.error is None:
                chunk, decoded, torn_after = whole, retry, True
        error = decoded.error
        if error is None and decoded.prev != prev:
            error = t("store.chain_broken")
        if error is None and decoded.event is not None and decoded.event.seq != seq:
            error = t("store.bad_number", found=decoded.event.seq, expected=seq)
        if error is not None:
            first_bad = seq
            if may_be_torn and decoded.error is not None and not torn_after:
                # Only the last event is bad, and it is not even a whole event:
                # what a crash in the middle of a write leaves. Dropped, with a
                # warning; the rest is trusted. (A whole event that is out of
                # place was moved or copied: that is damage, below.)
                integrity = Integrity.TORN_TAIL
                problems.append(t("store.torn", seq=seq, line=chunk.line, error=error))
            else:
                integrity = Integrity.DAMAGED
                problems.append(t("store.altered", seq=seq, line=chunk.line, error=error))
            break
        assert decoded.event is not None and decoded.hash is not None
        events.append(decoded.event)
        prev = decoded.hash
        valid_chars = chunk.offset + len(chunk.text)
        if torn_after and integrity is Integrity.INTACT:
            integrity = Integrity.TORN_TAIL
            first_bad = seq + 1
            problems.append(t("store.torn_line", seq=seq))
    if tail_problem is not None and integrity is Integrity.INTACT:
        integrity = Integrity.DAMAGED
        first_bad = len(events)
        problems.append(t("store.after_event", seq=len(events) - 1, problem=tail_problem))
    if not events and integrity is Integrity.INTACT:
        integrity = Integrity.DAMAGED
        first_bad = 0
        problems.append(t("store.no_event"))
    elif events and events[0].kind != Kind.CREATED:
        integrity = Integrity.DAMAGED
        first_bad = 0
        problems.insert(0, t("store.not_created"))
    return Transcript(
        path=path,
        events=events,
        integrity=integrity,
        problems=problems,
        first_bad_seq=first_bad,
        last_hash=prev,
        valid_bytes=len(text[:valid_chars].encode("utf-8")),
    )


def new_session_id(now: datetime) -> str:
    """Time + random suffix: sortable, unique, and never derived from a name."""
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


class Store:
    """The data directory: where transcripts are made, found and listed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def ensure(self) -> None:
        """Create the directory (0700) if needed; ``SaveError`` when impossible."""
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            if self.root.stat().st_mode & 0o077:
                self.root.chmod(0o700)
        except OSError as exc:
            raise SaveError(
                t("store.data_dir", path=self.root, why=_describe_os_error(exc)), exc.errno
            ) from exc

    def path_for(self, session_id: str) -> Path:
        """The transcript file of a session id."""
        if not session_id or "/" in session_id or session_id.startswith("."):
            raise TranscriptError(t("store.not_id", id=session_id))
        return self.root / f"{session_id}{SUFFIX}"

    def paths(self) -> list[Path]:
        """Every transcript file, oldest first (ids sort by time)."""
        try:
            entries = [
                Path(e.path)
                for e in os.scandir(self.root)
                if e.name.endswith(SUFFIX) and not e.name.startswith(".") and e.is_file()
            ]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise TranscriptError(
                t("store.read_dir", path=self.root, why=_describe_os_error(exc))
            ) from exc
        return sorted(entries)

    def resolve(self, target: str) -> Path:
        """A path, a session id, or a unique prefix of one: the transcript file."""
        candidate = Path(target)
        if candidate.suffix == SUFFIX or os.sep in target:
            if candidate.exists():
                return candidate
            raise TranscriptError(t("store.no_file", path=target))
        exact = self.root / f"{target}{SUFFIX}"
        if exact.exists() and "/" not in target:
            return exact
        matches = [p for p in self.paths() if p.stem.startswith(target)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise TranscriptError(t("store.no_session", id=target, path=self.root))
        ids = ", ".join(p.stem for p in matches[:5]) + (" ..." if len(matches) > 5 else "")
        raise TranscriptError(t("store.ambiguous", id=target, count=len(matches), ids=ids))

    # --- heartbeats ------------------------------------------------------------
    # A running kiosk notes, about once a second, the session time it has
    # reached. After a crash this says when the session stopped: the time
    # between the last event and the crash was the candidate's, the time after
    # is downtime. It is not the transcript (no fsync, overwritten in place).

    def _heartbeat_path(self, session_id: str) -> Path:
        return self.root / ".live" / session_id

    def heartbeat(self, session_id: str, session_t: float, wall: datetime) -> None:
        """Record that the session was alive at ``session_t`` (best effort, never raises)."""
        path = self._heartbeat_path(session_id)
        try:
            path.parent.mkdir(mode=0o700, exist_ok=True)
            path.write_text(f"{session_t:.3f} {wall.isoformat()}\n")
        except OSError:
            pass

    def last_seen(self, session_id: str) -> tuple[float, datetime] | None:
        """The last heartbeat of a session, if any."""
        try:
            t_text, wall_text = self._heartbeat_path(session_id).read_text().split()
            return float(t_text), datetime.fromisoformat(wall_text)
        except (OSError, ValueError):
            return None

    def forget_heartbeat(self, session_id: str) -> None:
        """The session ended cleanly: no heartbeat to keep."""
        with contextlib.suppress(OSError):
            self._heartbeat_path(session_id).unlink()
