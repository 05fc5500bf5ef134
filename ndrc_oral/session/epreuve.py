"""A CCF épreuve over several sessions: how a situation continues the one before. Pure.

Each situation of a CCF épreuve is its own session, with its own transcript,
on its own date; the épreuve has one grid and one mark. The ``created``
event of every situation records the épreuve's id (``epreuve_id``, drawn at
situation A). A later situation's also records:

* ``link``: where it found the situation before when it was created: that
  session's id, its number of events and the hash of its last event. An edit
  of that file afterwards changes the hash at that event count, and
  ``logs verify`` sees it (``transcript.epreuve``);
* ``carried``: what the situations before left: the grid (their ratings, and
  their notes with their stamps), which this session's grid starts from, and
  each one's block of the fiche (its date, fields and members). The screen,
  the review and every export of this session then read one log, the same
  one: they cannot disagree about the épreuve's grid or its fiche.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Link:
    """The situation before, as it stood when this one was created."""

    session: str
    """Its session id (its transcript is ``DATA_DIR/<session>.toml``)."""
    events: int
    """How many events it had."""
    hash: str
    """The hash of its last event then."""

    def to_data(self) -> dict[str, Any]:
        return {"session": self.session, "events": self.events, "hash": self.hash}

    @classmethod
    def from_data(cls, raw: object) -> Link | None:
        """The ``link`` table of a ``created`` event (``None`` when absent or malformed)."""
        if not isinstance(raw, Mapping):
            return None
        session, events, digest = raw.get("session"), raw.get("events"), raw.get("hash")
        if (
            not isinstance(session, str)
            or not isinstance(events, int)
            or not isinstance(digest, str)
        ):
            return None
        return cls(session, events, digest)


@dataclass(frozen=True, slots=True)
class CarriedNote:
    """A note taken in an earlier situation, with its stamps."""

    situation: str
    at: str
    phase: str | None
    offset_s: float
    criterion: str | None
    text: str

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "situation": self.situation,
            "at": self.at,
            "offset_s": self.offset_s,
            "text": self.text,
        }
        if self.phase is not None:
            data["phase"] = self.phase
        if self.criterion is not None:
            data["criterion"] = self.criterion
        return data

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> CarriedNote:
        phase, criterion = raw.get("phase"), raw.get("criterion")
        return cls(
            situation=str(raw.get("situation", "")),
            at=str(raw.get("at", "")),
            phase=str(phase) if phase is not None else None,
            offset_s=float(raw.get("offset_s", 0.0)),
            criterion=str(criterion) if criterion is not None else None,
            text=str(raw.get("text", "")),
        )


@dataclass(frozen=True, slots=True)
class CarriedSituation:
    """An earlier situation's block of the fiche: its session, date, fields and members."""

    situation: str
    session: str
    at: str
    """Wall time (ISO 8601) of that session's creation: the situation's date."""
    result: Mapping[str, Any]
    """Its ``result`` event's data, as recorded (read through ``Verdict.from_result``)."""

    def to_data(self) -> dict[str, Any]:
        return {
            "situation": self.situation,
            "session": self.session,
            "at": self.at,
            "result": dict(self.result),
        }

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> CarriedSituation:
        result = raw.get("result")
        return cls(
            situation=str(raw.get("situation", "")),
            session=str(raw.get("session", "")),
            at=str(raw.get("at", "")),
            result=dict(result) if isinstance(result, Mapping) else {},
        )


@dataclass(frozen=True, slots=True)
class Carried:
    """What the situations before left: the grid's ratings, the notes in time order, and
    each situation's block of the fiche."""

    ratings: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[CarriedNote, ...] = ()
    situations: tuple[CarriedSituation, ...] = ()

    def to_data(self) -> dict[str, Any]:
        return {
            "ratings": dict(self.ratings),
            "notes": [n.to_data() for n in self.notes],
            "situations": [s.to_data() for s in self.situations],
        }

    @classmethod
    def from_data(cls, raw: object) -> Carried:
        """The ``carried`` table of a ``created`` event (empty when absent)."""
        if not isinstance(raw, Mapping):
            return cls()
        ratings = raw.get("ratings")
        return cls(
            ratings={str(k): str(v) for k, v in ratings.items()}
            if isinstance(ratings, Mapping)
            else {},
            notes=tuple(CarriedNote.from_data(n) for n in _tables(raw.get("notes"))),
            situations=tuple(CarriedSituation.from_data(s) for s in _tables(raw.get("situations"))),
        )


@dataclass(frozen=True, slots=True)
class Continuation:
    """What a later situation records about the one before (``Session.create``)."""

    link: Link
    carried: Carried

    def to_created(self) -> dict[str, Any]:
        return {"link": self.link.to_data(), "carried": self.carried.to_data()}


def _tables(raw: object) -> list[Mapping[str, Any]]:
    return [x for x in raw if isinstance(x, Mapping)] if isinstance(raw, list) else []
