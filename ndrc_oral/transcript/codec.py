"""The transcript file format: TOML, one ``[[event]]`` table per event, hash-chained.

Each event is written in one piece::

    [[event]]
    seq = 3
    type = "note"
    t = 84.211
    at = "2026-06-02T08:01:24.211+02:00"
    prev = "9f2c…"      # the hash of event 2
    hash = "41ab…"      # sha256 of this event's canonical JSON (hash excluded)

    [event.data]
    text = "Bonne reformulation"

The whole file is valid TOML. Because strings never hold a raw newline (the
writer escapes them), a line ``[[event]]`` always starts an event, so a file can
be cut into events without trusting any of them, and each is checked alone.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from typing import Any

import tomli_w

from ndrc_oral.i18n import t
from ndrc_oral.session.events import Event
from ndrc_oral.transcript import toml_subset

HEADER = (
    "# ndrc-oral transcript: append-only, one [[event]] per event.\n"
    "# Each event carries the hash of the previous one; `ndrc-oral logs verify` checks the chain.\n"
    "# Do not edit: a correction is a new event.\n"
)
MARKER = "[[event]]"
GENESIS = ""
"""The ``prev`` of the first event."""


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


def encode(event: Event, prev: str) -> tuple[bytes, str]:
    """The bytes to append for ``event`` and its hash."""
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
    return ("\n" + text).encode("utf-8"), digest


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


def decode(chunk: Chunk) -> Decoded:
    """Parse and check one chunk alone (its own hash; the chain is checked by the reader)."""
    if chunk.text.startswith("#") or "\n#" in chunk.text:
        # The writer puts no comment in an event (and strings hold no raw
        # newline): a comment line was added by hand.
        return Decoded(chunk.line, None, None, None, t("codec.comment"))
    try:
        # tomllib's result, faster on the TOML we write (anything else: tomllib itself).
        doc = toml_subset.loads(chunk.text)
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
