"""The events a session is made of. The log of events *is* the session.

An event is plain data: its sequence number, its kind, ``t`` (session seconds,
from the monotonic clock, continuous across a crash and a resume), ``at`` (the
wall-clock label, ISO 8601) and a ``data`` mapping of JSON/TOML-friendly
values (no ``None``: an absent key means "not given").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """Every kind of event, as written in transcripts."""

    CREATED = "created"
    """The session exists: exam, candidate, commission, mode, extra time; a CCF situation
    also its ``situation``, ``epreuve_id``, and after the first its ``link`` and ``carried``."""
    PHASE_STARTED = "phase_started"
    PHASE_ENDED = "phase_ended"
    """``early`` when before the planned end; ``carried_s`` given to the next phase; ``auto``."""
    PAUSED = "paused"
    """The clock of the running phase stops, at the key press: ``reason`` may be empty."""
    PAUSE_REASON = "pause_reason"
    """The reason of a pause given after it started: ``phase``, ``start_s`` (the pause's
    start, which names it) and ``reason``."""
    RESUMED = "resumed"
    EXTENDED = "extended"
    """More time for the current phase: ``seconds`` and ``reason``."""
    NOTE = "note"
    RATED = "rated"
    MILESTONE = "milestone"
    """A moment the commission marked inside a phase: ``phase``, ``milestone`` (its id),
    ``offset_s`` (seconds into the phase). The timer is not changed."""
    RESULT = "result"
    """The commission's result: ``mark`` (with ``reserved``), ``outcome`` (``nv`` with
    ``nv_reason``, ``absent``) or ``situation_done``; ``fields`` (the fiche) and ``members``.
    A correction of a saved result is a later one with ``corrects`` (the seq of the result
    it replaces) and ``reason``."""
    RESERVATION_LIFTED = "reservation_lifted"
    """A reserved mark settled after the check: ``decision`` (``released`` | ``nv``), and
    ``reason`` (one of the NV reasons) with ``nv``."""
    FINISHED = "finished"
    CANCELLED = "cancelled"
    """The session was started by mistake (wrong exam, misspelt name): ``reason``. It is
    closed, no longer resumable, and its result (if any) does not count; it stays on disk."""
    RECOVERED = "recovered"
    """The program restarted after an interruption: ``downtime_s`` (wall clock), the
    session is paused until the commission resumes it."""


@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened, at session time ``t`` (seconds) and wall time ``at``."""

    seq: int
    kind: str
    t: float
    at: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The event as plain data (what transcripts and exports hold)."""
        return {"seq": self.seq, "type": self.kind, "t": self.t, "at": self.at, "data": self.data}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Event:
        """The inverse of ``to_dict`` (``KeyError``/``TypeError`` on malformed input)."""
        data = raw.get("data", {})
        if not isinstance(data, dict):
            raise TypeError("data must be a table")
        return cls(
            seq=int(raw["seq"]),
            kind=str(raw["type"]),
            t=float(raw["t"]),
            at=str(raw["at"]),
            data=data,
        )
