"""A session without its notes: the review's first paint, and the fiche of a big session.

Checking a transcript costs about 40 µs an event (parse, canonical JSON and
sha256, cutting and seal); a session of 20,000 notes takes a second or more
before anything is known. What the timeline and the fiche show does not
depend on the notes, so two reads leave them out:

* ``preview_session``: the file's events but its notes, **unchecked** (found
  by one regular expression, each decoded alone, no chain). The review paints
  its timeline at once from it under "vérification en cours…" and never
  calls it intact: the full check (``checked_session``) follows in the same
  worker and replaces it, or says at once that the file is damaged.
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
    read_bytes,
)

if TYPE_CHECKING:
    from ndrc_oral.transcript.recorder import LoadedSession

REMEMBER_FROM = 500
"""A checked read of a file of at least this many events is kept without its notes
(below, a full read takes less than ~20 ms and the cache stays small)."""
_VERSION = 1
_NOT_A_NOTE = re.compile(rb'\n\[\[event\]\]\nseq = \d+\ntype = "(?!note")')
"""The start of an event the writer made (``seq``, then ``type``) that is not a note."""
_NEXT = f"\n{codec.MARKER}\n".encode()


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


def preview_session(path: Path) -> LoadedSession | None:
    """The events but notes, unchecked (``None`` when that cannot be had: the full
    check says why). Its integrity is whatever the full check will say, never shown."""
    try:
        data = read_bytes(path)
    except TranscriptError:
        return None
    fmt = codec.FORMAT if f"\n{codec.SEAL}".encode() in data else 1
    # Bytes, not text: the regular expression skips the notes' 5 MB without decoding them.
    starts = [m.start() + 1 for m in _NOT_A_NOTE.finditer(data)]
    last = data.rfind(_NEXT) + 1  # the last event, whatever it is: the session's last time
    if last and (not starts or starts[-1] != last):
        starts.append(last)
    events: list[Event] = []
    for start in starts:
        end = data.find(_NEXT, start) + 1 or len(data)
        try:
            text = data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            return None
        decoded = codec.decode(codec.Chunk(0, start, text), fmt)
        if decoded.event is None or decoded.error is not None:
            return None  # already seen damaged: nothing is shown before the check says so
        events.append(decoded.event)
    if not events or events[0].kind != Kind.CREATED:
        return None
    transcript = Transcript(path=path, events=events, integrity=Integrity.INTACT, format=fmt)
    try:
        return _folded(path, transcript)
    except (ValueError, KeyError, TypeError, IndexError):
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
