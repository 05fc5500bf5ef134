"""Reading a transcript back and checking it.

``read_transcript`` never trusts the file: it cuts it into events, checks
each hash and the chain, drops a half-written last event (a crash) with a
warning, and reports anything else (an edit, a cut) as damage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.session.events import Event, Kind
from ndrc_oral.transcript import codec
from ndrc_oral.transcript.writer import describe_os_error

MAX_TRANSCRIPT_BYTES = 64 * 1024 * 1024
"""A transcript larger than this is not a transcript we wrote (a day of notes is < 1 MiB)."""


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

    @property
    def finished(self) -> bool:
        """Closed: finished, or cancelled (no phase will run in it again)."""
        return any(e.kind in (Kind.FINISHED, Kind.CANCELLED) for e in self.events)

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
        raise TranscriptError(t("store.unreadable", path=path, why=describe_os_error(exc))) from exc


def read_transcript(
    path: Path, *, header: str = codec.HEADER, first: str = Kind.CREATED
) -> Transcript:
    """Read and check a transcript (raises ``TranscriptError`` only if nothing can be read).

    ``header`` and ``first`` (the first event's kind) are a session's; a commission's
    day is read with its own (``transcript.day_log``)."""
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
    return check_text(path, text, tail_problem, header=header, first=first)


def _preamble_ok(preamble: str, header: str) -> bool:
    """Whether the text before the first event is what the writer puts there.

    That is the header (or the part of it written before a failure), then the
    newline that opens every event, and perhaps the beginning of a first
    event whose write was cut short.
    """
    head, _, unfinished = preamble.rpartition("\n")
    if codec.MARKER.startswith(unfinished):
        preamble = head
    return header.startswith(preamble.removesuffix("\n"))


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
    header: str = codec.HEADER,
    first: str = Kind.CREATED,
) -> Transcript:
    """The checks of ``read_transcript`` on text already read."""
    preamble, chunks = codec.split(text)
    events: list[Event] = []
    problems: list[str] = []
    prev = codec.GENESIS
    first_bad: int | None = None
    integrity = Integrity.INTACT
    valid_chars = len(preamble)
    if not _preamble_ok(preamble, header):
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
    )
