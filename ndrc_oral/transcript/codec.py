"""The transcript file format: TOML, one ``[[event]]`` table per event, hash-chained.

Each event is written in one piece (format 2)::

    [[event]]
    seq = 3
    type = "note"
    t = 84.211
    at = "2026-06-02T08:01:24.211+02:00"
    prev = "9f2c…"      # the hash of event 2
    hash = "41ab…"      # sha256 of this event's canonical JSON (hash excluded)

    [event.data]
    text = "Bonne reformulation"
    # sealed 41ab…

The whole file is valid TOML. Because strings never hold a raw newline (the
writer escapes them), a line ``[[event]]`` always starts an event, so a file can
be cut into events without trusting any of them, and each is checked alone.

The last line, a comment repeating the hash, is the event's *seal*. A write
cut short can only lack the end of an event: an event with its seal is whole,
so one whose content, hash or seal disagree was edited (damage), and only an
event without its seal may be a torn write. The header's first line says the
format; files of format 1 (ndrc-oral 0.1, no seal) read as they always did.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from typing import Any

import tomli_w

from ndrc_oral.i18n import t
from ndrc_oral.session.events import Event

HEADER_V1 = (
    "# ndrc-oral transcript: append-only, one [[event]] per event.\n"
    "# Each event carries the hash of the previous one; `ndrc-oral logs verify` checks the chain.\n"
    "# Do not edit: a correction is a new event.\n"
)
"""The header of format 1 (no seals): files written by ndrc-oral 0.1."""
HEADER = (
    "# ndrc-oral transcript, format 2: append-only, one [[event]] per event, each sealed.\n"
    "# Each event carries the hash of the previous one; `ndrc-oral logs verify` checks the chain.\n"
    "# Do not edit: a correction is a new event.\n"
)
"""The header of the format new files are written in."""
FORMAT = 2
HEADERS = {1: HEADER_V1, 2: HEADER}
MARKER = "[[event]]"
SEAL = "# sealed "
"""What the seal line starts with; the event's hash follows."""
GENESIS = ""
"""The ``prev`` of the first event."""
_SEAL_LINE = re.compile(r"# sealed ([0-9a-f]{64})")
_HEX = frozenset("0123456789abcdef")


def _strip_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_none(v) for v in value if v is not None]
    return value


def event_hash(event: Event, prev: str) -> str:
    """sha256 of the event's canonical JSON, chained to ``prev``."""
    body = event.to_dict()
    body["prev"] = prev
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def encode(event: Event, prev: str, format: int = FORMAT) -> tuple[bytes, str]:
    """The bytes to append for ``event`` to a file of ``format``, and its hash."""
    event = Event(event.seq, event.kind, float(event.t), event.at, _strip_none(event.data))
    digest = event_hash(event, prev)
    table: dict[str, Any] = {
        "seq": event.seq,
        "type": event.kind,
        "t": event.t,
        "at": event.at,
        "prev": prev,
        "hash": digest,
        "data": event.data,
    }
    text = tomli_w.dumps({"event": [table]})
    if not text.endswith("\n"):
        text += "\n"
    if format >= 2:
        text += f"{SEAL}{digest}\n"
    return ("\n" + text).encode("utf-8"), digest


def fingerprint(digest: str) -> str:
    """What a printed sheet shows of a hash: its first 16 hex digits, ``XXXX-XXXX-XXXX-XXXX``."""
    head = digest[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, 16, 4))


def fingerprint_digits(code: str) -> str | None:
    """The 16 hex digits of a fingerprint typed back (dashes, spaces and case ignored).

    ``None`` when ``code`` is not 16 hex digits: a shorter code would match too
    many hashes to prove anything.
    """
    digits = "".join(code.split()).replace("-", "").lower()
    return digits if len(digits) == 16 and set(digits) <= _HEX else None


@dataclass(frozen=True, slots=True)
class Chunk:
    """One event's text as cut from a file, with where it starts (1-based line, char offset)."""

    line: int
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class Decoded:
    """One chunk, checked: the event, or why it is not one."""

    line: int
    event: Event | None
    prev: str | None
    hash: str | None
    error: str | None
    """``None`` when the chunk is a well-formed event whose hash matches its content."""
    sealed: bool = True
    """Whether the event has its end (format 2: its seal line; format 1 has no seal).
    Only an event without its end can be a write cut short."""
    rest: str = ""
    """What follows the seal line (format 2): newlines, then perhaps the beginning of
    the next event's marker line (a write of it cut short)."""


def split(text: str) -> tuple[str, list[Chunk]]:
    """The preamble and the event chunks of a transcript's text."""
    starts: list[tuple[int, int]] = []  # (line, offset) of each marker line
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.rstrip("\r") == MARKER:
            starts.append((number, offset))
        offset += len(line) + 1
    ends = [o for _, o in starts[1:]] + ([len(text)] if starts else [])
    chunks = [Chunk(line, o, text[o:end]) for (line, o), end in zip(starts, ends, strict=True)]
    preamble = text[: starts[0][1]] if starts else text
    return preamble, chunks


def decode(chunk: Chunk, format: int = 1) -> Decoded:
    """Parse and check one chunk of a file of ``format`` alone (its own hash and seal;
    the chain is checked by the reader)."""
    if format < 2:
        return _decode_body(chunk)
    body, seal, rest = _cut_seal(chunk.text)
    if seal is None:
        # No seal: the event lacks its end. Only the reader knows whether that
        # is a write cut short (the last event) or damage.
        return Decoded(chunk.line, None, None, None, t("codec.unsealed"), sealed=False)
    if not seal:
        return Decoded(chunk.line, None, None, None, t("codec.comment"))
    decoded = _decode_body(Chunk(chunk.line, chunk.offset, body))
    error = decoded.error
    if error is None and seal != decoded.hash:
        error = t("codec.seal_mismatch")
    if error is None and not _ends_well(rest):
        error = t("codec.comment") if "\n#" in f"\n{rest}" else t("codec.after_seal")
    return Decoded(chunk.line, decoded.event, decoded.prev, decoded.hash, error, rest=rest)


def _ends_well(rest: str) -> bool:
    """Whether what follows a seal is what the writer leaves there: the newline that
    opens the next event and, at the very end of a file, that event's marker line
    cut short (``"[[eve"``, a write of it that stopped)."""
    return not rest.strip("\n") or (rest.startswith("\n") and MARKER.startswith(rest.lstrip("\n")))


def _cut_seal(text: str) -> tuple[str, str | None, str]:
    """``(body, seal, rest)`` of a format-2 chunk.

    ``seal`` is the hash its seal line holds; ``None`` when the chunk has no
    comment line, or only the unfinished beginning of a seal as its very end
    (the event lacks its end); ``""`` when its first comment line is no seal.
    """
    start = text.find("\n#") + 1
    if not start:
        return text, None, ""
    end = text.find("\n", start)
    line = text[start:] if end < 0 else text[start:end]
    match = _SEAL_LINE.fullmatch(line)
    if match is not None:
        return text[:start], match[1], "" if end < 0 else text[end + 1 :]
    unfinished = SEAL.startswith(line) or (
        line.startswith(SEAL) and set(line[len(SEAL) :]) <= _HEX and len(line) < len(SEAL) + 64
    )
    if end < 0 and unfinished:
        return text[:start], None, ""
    return text, "", ""


def _decode_body(chunk: Chunk) -> Decoded:
    """An event's table without its seal: parsed, its shape and its hash checked."""
    if chunk.text.startswith("#") or "\n#" in chunk.text:
        # The writer puts no comment in an event (and strings hold no raw
        # newline): a comment line was added by hand.
        return Decoded(chunk.line, None, None, None, t("codec.comment"))
    try:
        doc = tomllib.loads(chunk.text)
    except tomllib.TOMLDecodeError as exc:
        return Decoded(chunk.line, None, None, None, t("codec.not_toml", detail=exc))
    tables = doc.get("event")
    if not isinstance(tables, list) or len(tables) != 1 or not isinstance(tables[0], dict):
        return Decoded(chunk.line, None, None, None, t("codec.not_one_table"))
    raw = tables[0]
    prev, digest = raw.get("prev"), raw.get("hash")
    if not isinstance(prev, str) or not isinstance(digest, str):
        return Decoded(chunk.line, None, None, None, t("codec.no_hash"))
    problem = _shape_problem(raw)
    if problem is not None:
        return Decoded(chunk.line, None, prev, digest, problem)
    try:
        event = Event.from_dict(raw)
    except (KeyError, TypeError, ValueError) as exc:
        return Decoded(chunk.line, None, prev, digest, t("codec.malformed", detail=exc))
    if event_hash(event, prev) != digest:
        return Decoded(chunk.line, event, prev, digest, t("codec.hash_mismatch"))
    return Decoded(chunk.line, event, prev, digest, None)


FIELDS = frozenset({"seq", "type", "t", "at", "prev", "hash", "data"})
"""Exactly the fields ``encode`` writes."""


def _shape_problem(raw: dict[str, Any]) -> str | None:
    """Why ``raw`` is not exactly what ``encode`` writes (``None`` when it is).

    The hash covers the event's values once read, so a change that keeps a
    value but not its form (``seq = "3"``, ``t = 84`` for ``84.0``, an added
    key, a missing ``[event.data]``) would pass it: such forms are refused here.
    """
    if set(raw) != FIELDS:
        missing, extra = sorted(FIELDS - set(raw)), sorted(set(raw) - FIELDS)
        return t("codec.fields", missing=", ".join(missing) or "-", extra=", ".join(extra) or "-")
    if type(raw["seq"]) is not int or type(raw["t"]) is not float:
        return t("codec.seq_t")
    if not isinstance(raw["type"], str) or not isinstance(raw["at"], str):
        return t("codec.type_at")
    if not isinstance(raw["data"], dict):
        return t("codec.data")
    return None
