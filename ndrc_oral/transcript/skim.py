"""A session without its notes: the review's first paint, and the fiche of a big session.

Checking a transcript costs about 40 µs an event (parse, canonical JSON and
sha256, cutting and seal); a session of 20,000 notes takes a second or more
before anything is known. What the timeline and the fiche show does not
depend on the notes, so two reads leave them out:

* ``Skim``: the file's bytes read once, **unchecked**: its events but its
  notes (found by one regular expression, each decoded alone, no chain), then
  the same with its first notes or all of them (a note the writer made is
  read by one regular expression, 5 µs; anything else about it is decoded as
  the reader would). The review paints its timeline at once from it, then the
  first notes, under "vérification en cours…", and never calls it intact: the
  full check (``checked_session``) follows in the same worker and replaces
  it, or says at once that the file is damaged.
* ``fiche_session``: the events but notes that a **checked** read of exactly
  this file state found, kept in the user cache (``SessionCache.checked``),
  keyed as the listing's summaries are: name, size, ``mtime_ns`` and the last
  hash in the file's last 4 KiB (an append or a re-chained edit changes it).
  When there is none, or the file changed, the file is read and checked in
  full, and remembered. Everything the fiche prints, its fingerprint
  included, then comes from one checked read: the chain's own last hash.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ndrc_oral.session.events import Event, Kind
from ndrc_oral.transcript import codec
from ndrc_oral.transcript.cache import SessionCache, tail_hash, tail_hash_of
from ndrc_oral.transcript.quiet_gc import collector_paused
from ndrc_oral.transcript.reader import (
    Integrity,
    Transcript,
    TranscriptError,
    check_bytes,
    header_format,
    read_bytes,
)
from ndrc_oral.transcript.toml_subset import unescape

if TYPE_CHECKING:
    from ndrc_oral.transcript.recorder import LoadedSession

REMEMBER_FROM = 500
"""A checked read of a file of at least this many events is kept without its notes
(below, a full read takes less than ~20 ms and the cache stays small)."""
_VERSION = 1
_NOT_A_NOTE = re.compile(rb'\n\[\[event\]\]\nseq = \d+\ntype = "(?!note")')
"""The start of an event the writer made (``seq``, then ``type``) that is not a note."""
_NEXT = f"\n{codec.MARKER}\n".encode()
_A_NOTE = b'\ntype = "note"\n'
"""The line that makes an event a note (what ``Skim.notes`` counts)."""
_NOTE_START = re.compile(rb'\n\[\[event\]\]\nseq = \d+\ntype = "note"\n')
_STRING = rb'"((?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\(?:[btnfr"\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}))*)"'
_INT = rb"-?(?:0|[1-9][0-9]*)"
_FLOAT = rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)"
_NOTE_HEAD = (
    rb'\n\[\[event\]\]\nseq = (0|[1-9][0-9]*)\ntype = "note"\nt = (' + _FLOAT + rb")\n"
    rb"at = " + _STRING + rb'\nprev = "[0-9a-f]{64}"\nhash = "([0-9a-f]{64})"\n'
    rb"\n\[event\.data\]\n((?:[a-z_]+ = [^\n]*\n)*)"
)
_WRITTEN_NOTE = {
    # Format 1: the next event, or the end of the file.
    1: re.compile(_NOTE_HEAD + rb"(?=\n\[\[event\]\]\n|\n?\Z)"),
    # Format 2: the note's own seal, its hash again.
    2: re.compile(_NOTE_HEAD + rb"# sealed \4\n(?=\n\[\[event\]\]\n|\n?\Z)"),
}
"""A note exactly as ``codec.encode`` writes one in each format: ``seq``, ``t`` (a float),
``at``, ``prev``, ``hash``, then its data's scalars (and, sealed, its seal)."""
_DATA_LINE = re.compile(
    rb"([a-z_]+) = (?:" + _STRING + rb"|(" + _FLOAT + rb")|(" + _INT + rb")|(true)|(false))\n"
)


def checked_session(path: Path) -> LoadedSession:
    """``load_session``: read and check in full; a big session's checked read is
    remembered for ``fiche_session``."""
    before = _stat(path)
    with collector_paused():
        data = read_bytes(path)
        transcript = check_bytes(path, data)
        loaded = _folded(path, transcript)
    # Only the bytes checked are keyed: a file that changed while read is not kept.
    if transcript.count >= REMEMBER_FROM and before == _stat(path) == (len(data), before[1]):
        cache = SessionCache(path.parent)
        cache.save_checked(path.name, len(data), before[1], tail_hash_of(data), _digest(transcript))
    return loaded


def fiche_session(path: Path) -> LoadedSession:
    """The session for a format that prints no note (the fiche): from the checked read
    of this file state when the cache holds one, else read and checked in full."""
    size, mtime_ns = _stat(path)
    if size < 0:
        return checked_session(path)
    kept = SessionCache(path.parent).checked(path.name, size, mtime_ns, tail_hash(path, size))
    transcript = _from_digest(path, kept) if kept is not None else None
    if transcript is None:
        return checked_session(path)
    return _folded(path, transcript)


class Skim:
    """A transcript's bytes, read once and **unchecked**: what the review shows while the
    full check runs (``None`` from ``preview``: that cannot be had, the check says why)."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path = path
        self.data = data
        first = data.find(_NEXT)
        preamble = data[: first + 1] if first >= 0 else data
        found = header_format(preamble.decode("utf-8", "replace"))
        self.format = found or (codec.FORMAT if f"\n{codec.SEAL}".encode() in data else 1)
        self.notes = data.count(_A_NOTE)
        """How many notes the file holds (as many as lines saying ``type = "note"``)."""
        self._others: list[Event] | None = None
        """The events but notes, once found (``[]``: one was seen damaged)."""

    @classmethod
    def read(cls, path: Path) -> Skim | None:
        try:
            return cls(path, read_bytes(path))
        except TranscriptError:
            return None

    def preview(self, first_notes: int = 0, *, all_notes: bool = False) -> LoadedSession | None:
        """The events but notes, with the first ``first_notes`` notes, or all of them.

        Without notes, the file's last event is kept whatever it is (the session's
        last time); with some, the notes are exactly those taken."""
        events = self._events_but_notes()
        if events is None:
            return None
        if first_notes or all_notes:
            taken = self._notes(None if all_notes else first_notes)
            if taken is None:
                return None
            # The notes are those taken: the file's last event, kept for its time
            # when it is a note, is among them or left out.
            kept = [e for e in events if e.kind != Kind.NOTE]
            events = sorted(kept + taken, key=_seq)
        if not events or events[0].kind != Kind.CREATED:
            return None
        transcript = Transcript(
            path=self.path, events=events, integrity=Integrity.INTACT, format=self.format
        )
        try:
            return _folded(self.path, transcript)
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    def _events_but_notes(self) -> list[Event] | None:
        if self._others is None:
            self._others = self._find_events_but_notes()
        return self._others or None

    def _find_events_but_notes(self) -> list[Event]:
        """Every event but notes, decoded alone (``[]``: one is seen damaged)."""
        data = self.data
        # Bytes, not text: the regular expression skips the notes' 5 MB without decoding them.
        starts = [m.start() + 1 for m in _NOT_A_NOTE.finditer(data)]
        last = data.rfind(_NEXT) + 1  # the last event, whatever it is: the session's last time
        if last and (not starts or starts[-1] != last):
            starts.append(last)
        events: list[Event] = []
        for start in starts:
            event = self._decoded(start)
            if event is None:
                return []  # already seen damaged: nothing is shown before the check says so
            events.append(event)
        return events

    def _notes(self, limit: int | None) -> list[Event] | None:
        """The first ``limit`` notes (``None``: all), each read as the writer wrote it."""
        notes: list[Event] = []
        for start in _NOTE_START.finditer(self.data):
            if limit is not None and len(notes) >= limit:
                break
            event = _written_note(self.data, start.start(), self.format)
            event = event or self._decoded(start.start() + 1)
            if event is None:
                return None
            notes.append(event)
        return notes

    def _decoded(self, start: int) -> Event | None:
        """The event whose marker line starts at ``start``, decoded alone (no chain)."""
        data = self.data
        end = data.find(_NEXT, start) + 1 or len(data)
        try:
            text = data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        decoded = codec.decode(codec.Chunk(0, start, text), self.format)
        if decoded.event is None or decoded.error is not None:
            return None
        return decoded.event


def _seq(event: Event) -> int:
    return event.seq


def _written_note(data: bytes, at: int, format: int) -> Event | None:
    """The note at ``at`` when it is exactly as ``codec.encode`` writes one, its data
    scalars only (``None``: anything else, for the decoder to read as the reader does)."""
    pattern = _WRITTEN_NOTE.get(format)
    match = pattern.match(data, at) if pattern is not None else None
    if match is None:
        return None
    block = match.group(5)
    values: dict[str, Any] = {}
    pos = 0
    try:
        while pos < len(block):
            line = _DATA_LINE.match(block, pos)
            if line is None or line.group(1).decode() in values:
                return None
            key, string, real, whole, true = line.group(1, 2, 3, 4, 5)
            if string is not None:
                value: Any = unescape(string.decode("utf-8"))
            elif real is not None:
                value = float(real)
            elif whole is not None:
                value = int(whole)
            else:
                value = true is not None
            values[key.decode()] = value
            pos = line.end()
        return Event(
            int(match.group(1)),
            Kind.NOTE,
            float(match.group(2)),
            unescape(match.group(3).decode("utf-8")),
            values,
        )
    except (UnicodeDecodeError, ValueError):
        return None


def _folded(path: Path, transcript: Transcript) -> LoadedSession:
    from ndrc_oral.transcript.recorder import loaded_of

    return loaded_of(path, transcript)


def _stat(path: Path) -> tuple[int, int]:
    """(size, mtime_ns); (-1, -1) when it cannot be had (the read says why)."""
    try:
        st = os.stat(path)
    except OSError:
        return -1, -1
    return st.st_size, st.st_mtime_ns


def _kept(events: list[Event]) -> list[Event]:
    """The events but notes, and the last one (the session's last time, ``last_t``)."""
    kept = [e for e in events[:-1] if e.kind != Kind.NOTE]
    return kept + events[-1:]


def _digest(transcript: Transcript) -> str:
    kept = _kept(transcript.events)
    return json.dumps(
        {
            "v": _VERSION,
            "integrity": str(transcript.integrity),
            "problems": transcript.problems,
            "first_bad_seq": transcript.first_bad_seq,
            "last_hash": transcript.last_hash,
            "valid_bytes": transcript.valid_bytes,
            "format": transcript.format,
            "events": [e.to_dict() for e in kept],
            "count": transcript.count,
        },
        ensure_ascii=False,
    )


def _from_digest(path: Path, data: str) -> Transcript | None:
    """The transcript a digest describes (``None``: not one this version wrote)."""
    try:
        raw: dict[str, Any] = json.loads(data)
        if raw.get("v") != _VERSION:
            return None
        events = [Event.from_dict(e) for e in raw["events"]]
        return Transcript(
            path=path,
            events=events,
            left_out=int(raw["count"]) - len(events),
            integrity=Integrity(raw["integrity"]),
            problems=[str(p) for p in raw["problems"]],
            first_bad_seq=raw["first_bad_seq"],
            last_hash=str(raw["last_hash"]),
            valid_bytes=int(raw["valid_bytes"]),
            format=int(raw["format"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
