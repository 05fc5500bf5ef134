"""Reading a transcript back and checking it.

``read_transcript`` never trusts the file: it cuts it into events, checks
each hash and the chain, drops a half-written last event (a crash) with a
warning, and reports anything else (an edit, a cut) as damage.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from ndrc_oral.errors import NdrcError, describe_os_error
from ndrc_oral.i18n import t
from ndrc_oral.session.events import Event, Kind
from ndrc_oral.transcript import codec

MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024
"""A transcript larger than this is not a transcript we wrote (a day of notes is < 1 MiB)."""
READ_CHUNK = 1 << 20


class TranscriptError(NdrcError):
    """A transcript cannot be read at all (missing, unreadable, not ours)."""


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
    format: int = codec.FORMAT
    """The file format its header names (1: ndrc-oral 0.1, no seals)."""
    hashes: list[str] = field(default_factory=list)
    """The hash of each trusted event, in order."""
    left_out: int = 0
    """Trusted events not in ``events`` (``skim.fiche_session`` leaves the notes out)."""

    @property
    def count(self) -> int:
        """How many trusted events the file holds."""
        return len(self.events) + self.left_out

    @property
    def fingerprint(self) -> str:
        """``XXXX-XXXX-XXXX-XXXX`` of the last trusted event ("" when there is none)."""
        return codec.fingerprint(self.last_hash) if self.events else ""

    def event_with_fingerprint(self, digits: str) -> int | None:
        """The number of the trusted event whose hash starts with ``digits`` (``None``: none)."""
        return next((i for i, h in enumerate(self.hashes) if h.startswith(digits)), None)

    @property
    def finished(self) -> bool:
        """Closed: finished, or cancelled (no phase will run in it again)."""
        return any(e.kind in (Kind.FINISHED, Kind.CANCELLED) for e in self.events)

    @property
    def created(self) -> Event | None:
        return self.events[0] if self.events and self.events[0].kind == Kind.CREATED else None


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_TRANSCRIPT_BYTES``, or a
    ``TranscriptError`` that says why not.

    Nothing else is read: a FIFO would wait for a writer forever, ``/dev/zero``
    never ends. The file is opened without waiting (``O_NONBLOCK``) and checked
    before a byte is read, and never read past the limit.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError as exc:
        raise TranscriptError(t("store.no_file", path=path)) from exc
    except OSError as exc:
        raise TranscriptError(t("store.unreadable", path=path, why=describe_os_error(exc))) from exc
    try:
        return _read_regular(path, fd)
    except OSError as exc:
        raise TranscriptError(t("store.unreadable", path=path, why=describe_os_error(exc))) from exc
    finally:
        os.close(fd)


def _read_regular(path: Path, fd: int) -> bytes:
    mode = os.fstat(fd).st_mode
    if stat.S_ISDIR(mode):
        raise TranscriptError(t("store.is_dir", path=path))
    if not stat.S_ISREG(mode):
        raise TranscriptError(t("store.not_regular", path=path))
    parts: list[bytes] = []
    size = 0
    while chunk := os.read(fd, READ_CHUNK):
        size += len(chunk)
        if size > MAX_TRANSCRIPT_BYTES:  # checked as it grows: it may grow while read
            raise TranscriptError(t("store.too_large", path=path, size=os.fstat(fd).st_size))
        parts.append(chunk)
    return b"".join(parts)


def read_transcript(
    path: Path, *, headers: Mapping[int, str] = codec.HEADERS, first: str = Kind.CREATED
) -> Transcript:
    """Read and check a transcript (raises ``TranscriptError`` only if nothing can be read).

    ``headers`` (by format) and ``first`` (the first event's kind) are a session's;
    a commission's day is read with its own (``transcript.day_log``)."""
    return check_bytes(path, read_bytes(path), headers=headers, first=first)


def check_bytes(
    path: Path,
    data: bytes,
    *,
    headers: Mapping[int, str] = codec.HEADERS,
    first: str = Kind.CREATED,
) -> Transcript:
    """The checks of ``read_transcript`` on the bytes of a file already read (a bundle's)."""
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
    return check_text(path, text, tail_problem, headers=headers, first=first)


def header_format(preamble: str, headers: Mapping[int, str] = codec.HEADERS) -> int | None:
    """The format the text before the first event names (``None``: not a header we write).

    That is a header (or the part of it written before a failure: format 1
    wrote it apart from the first event), then the newline that opens every
    event, and perhaps the beginning of a first event whose write was cut short.
    A beginning common to both headers is format 1's, as it always was.
    """
    head, _, unfinished = preamble.rpartition("\n")
    if codec.MARKER.startswith(unfinished):
        preamble = head
    return next((f for f, h in sorted(headers.items()) if h.startswith(preamble)), None)


def _whole_lines(chunk: codec.Chunk) -> codec.Chunk | None:
    """The chunk without its unfinished last line (``None`` if it ends with a newline)."""
    cut = chunk.text.rfind("\n") + 1
    if cut == len(chunk.text):
        return None
    return codec.Chunk(chunk.line, chunk.offset, chunk.text[:cut])


def check_text(
    path: Path,
    text: str,
    tail_problem: str | None = None,
    *,
    headers: Mapping[int, str] = codec.HEADERS,
    first: str = Kind.CREATED,
) -> Transcript:
    """The checks of ``read_transcript`` on text already read."""
    preamble, chunks = codec.split(text)
    events: list[Event] = []
    hashes: list[str] = []
    problems: list[str] = []
    prev = codec.GENESIS
    first_bad: int | None = None
    integrity = Integrity.INTACT
    valid_chars = len(preamble)
    found = header_format(preamble, headers)
    if found is None:
        integrity = Integrity.DAMAGED
        first_bad = 0
        problems.append(t("store.header_altered"))
    # A header edited beyond recognition: its events are still cut as the seals say.
    fmt = found or (codec.FORMAT if f"\n{codec.SEAL}" in text else 1)
    for i, chunk in enumerate(chunks):
        seq = len(events)
        last = i == len(chunks) - 1 and tail_problem is None
        decoded, chunk, torn_after = _check_chunk(chunk, fmt, last)
        error = decoded.error
        if error is None and decoded.prev != prev:
            error = t("store.chain_broken")
        if error is None and decoded.event is not None and decoded.event.seq != seq:
            error = t("store.bad_number", found=decoded.event.seq, expected=seq)
        if error is not None:
            first_bad = seq
            # Format 2: an event without its seal. Format 1 cannot tell: an
            # event that is not even well formed.
            unfinished = not decoded.sealed if fmt >= 2 else decoded.error is not None
            if last and unfinished and seq > 0 and integrity is Integrity.INTACT:
                # Only the last event is bad, and it lacks its end: what a crash
                # in the middle of a write leaves. Dropped, with a warning; the
                # rest is trusted. (A whole event that is out of place was moved
                # or copied: that is damage, below.)
                integrity = Integrity.TORN_TAIL
                problems.append(t("store.torn", seq=seq, line=chunk.line, error=error))
            elif last and unfinished and seq == 0:
                # Not even the session's creation is whole: the writer makes a
                # file with its first event at once, so no crash leaves this.
                integrity = Integrity.DAMAGED
                problems.append(t("store.first_cut", line=chunk.line, error=error))
            else:
                integrity = Integrity.DAMAGED
                problems.append(t("store.altered", seq=seq, line=chunk.line, error=error))
            break
        assert decoded.event is not None and decoded.hash is not None
        events.append(decoded.event)
        hashes.append(decoded.hash)
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
    elif events and events[0].kind != first:
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
        format=fmt,
        hashes=hashes,
    )


def _check_chunk(
    chunk: codec.Chunk, fmt: int, last: bool
) -> tuple[codec.Decoded, codec.Chunk, bool]:
    """The chunk decoded, the part of it that is the event, and whether a cut write of
    the next event follows it (only in the last chunk)."""
    decoded = codec.decode(chunk, fmt)
    if fmt >= 2:
        rest = decoded.rest
        if decoded.error is not None or not rest.strip("\n"):
            return decoded, chunk, False
        if not last:  # text cut by a bad byte after it: not where a write stopped
            return replace(decoded, error=t("codec.after_seal")), chunk, False
        # The seal, then the cut beginning of a next event ("[[eve"), at the end
        # of the file: the event before is whole and stays.
        return decoded, codec.Chunk(chunk.line, chunk.offset, chunk.text[: -len(rest)]), True
    if decoded.error is not None and last:
        # A write cut short may have stopped in the first line of the next
        # event ("[[eve"): the event before it is then whole and stays.
        whole = _whole_lines(chunk)
        retry = codec.decode(whole) if whole is not None else None
        if whole is not None and retry is not None and retry.error is None:
            return retry, whole, True
    return decoded, chunk, False
