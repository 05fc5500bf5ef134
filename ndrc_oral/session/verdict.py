"""The commission's result, read once from the log: mark, outcome, reservation, fiche fields.

A ``result`` event records what the commission entered; a later
``reservation_lifted`` event settles a mark that was reserved. ``Verdict`` is
that pair folded into one frozen value, which every screen, list and export
reads (``SessionState.verdict``). ``Verdict.from_result`` is the one
migration of older result events: version 0.1 wrote ``appreciation``,
``fiches`` and ``network`` beside the mark (now fiche ``fields`` of those
ids) and ``outcome = "reservee"`` without keeping the mark.

The outcomes, as the texts define them:

* a **mark** out of 20, given by the commission (``Status.MARK``);
* a mark **réservée**: the commission examined and marked the candidate but
  doubts the dossier; the mark is kept, withheld until a check, then either
  released as it was or replaced by NV (``Status.RESERVED``);
* **NV**, non valide: decided by the conformity check before the oral, with one
  of ``NV_REASONS`` (or after a reservation); the candidate is not examined;
* **absent**;
* a **situation done**: a CCF situation other than the last, whose mark comes
  with the last situation (``Status.SITUATION``).

A saved result is never edited: a **correction** is a later ``result`` event
that names the one it replaces (``corrects``: its seq) and says why
(``reason``). The latest result is the current one; each correction keeps
what it replaced (``Correction``), so every reader can show the history. A
settlement stays with a corrected mark that is still reserved (the check was
about the dossier, not the figure).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ndrc_oral.session.identity import Member

NV_REASONS = (
    "pas-de-dossier",
    "hors-delai",
    "stage-insuffisant",
    "pas-d-attestation",
    "non-signes",
)
"""The reasons of the official notification of non-validity (words: ``nv.reason.<code>``)."""

OUTCOMES = ("nv", "absent")
"""The results other than a mark (a reserved mark is a mark, with ``reserved``)."""

LEGACY_KEYS = ("appreciation", "fiches", "network")
"""Result keys of version 0.1, read as the fiche fields of the same ids."""

LEGACY_RESERVED = "reservee"
"""Version 0.1's outcome for a reserved mark (the mark itself was not kept)."""

FieldValue = str | tuple[str, ...]
"""A fiche field's value: a text, a date, a choice's id, or the ids ticked."""


class Status(StrEnum):
    """What a result amounts to."""

    MARK = "mark"
    RESERVED = "reserved"
    NV = "nv"
    ABSENT = "absent"
    SITUATION = "situation"


class Decision(StrEnum):
    """How a reservation is settled."""

    RELEASED = "released"
    """The check found nothing: the mark stands as given."""
    NV = "nv"
    """The check found the dossier non-compliant: NV replaces the mark (which stays on record)."""


@dataclass(frozen=True, slots=True)
class Settlement:
    """The ``reservation_lifted`` event: the decision, its reason (NV), when."""

    decision: Decision
    reason: str | None
    at: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of a session, as the log leaves it."""

    mark: float | None = None
    """The mark the commission gave (kept while reserved, and after a reservation became NV)."""
    outcome: str | None = None
    """``nv`` or ``absent`` as entered (``None`` with a mark or a situation done)."""
    reserved: bool = False
    """The mark was given réservée (whatever became of it: see ``settlement``)."""
    nv_reason: str | None = None
    """Why NV (one of ``NV_REASONS``), as entered with it."""
    situation_done: bool = False
    """A CCF situation before the last: done, the mark comes after the last one."""
    fields: Mapping[str, FieldValue] = field(default_factory=dict)
    """The fiche's fields, by id (only those filled in)."""
    members: tuple[Member, ...] = ()
    """The members who signed, with their roles when known."""
    settlement: Settlement | None = None

    # --- reading -------------------------------------------------------------------------

    @property
    def status(self) -> Status:
        if self.situation_done:
            return Status.SITUATION
        if self.outcome == "absent":
            return Status.ABSENT
        if self.outcome == "nv" or self._settled(Decision.NV):
            return Status.NV
        if self.reserved and self.settlement is None:
            return Status.RESERVED
        return Status.MARK

    @property
    def pending(self) -> bool:
        """Reserved and not settled yet: the mark is withheld."""
        return self.status is Status.RESERVED

    @property
    def reason(self) -> str | None:
        """Why NV: the reason entered with it, or the settlement's."""
        if self._settled(Decision.NV):
            assert self.settlement is not None
            return self.settlement.reason
        return self.nv_reason if self.status is Status.NV else None

    @property
    def final(self) -> bool:
        """Whether this result closes an épreuve (a mark, reserved or not, or NV)."""
        return self.status in (Status.MARK, Status.RESERVED, Status.NV)

    def text(self, field_id: str) -> str:
        """A field's value as text ("" when not filled; ticked ids joined by commas)."""
        value = self.fields.get(field_id, "")
        return ", ".join(value) if isinstance(value, tuple) else value

    def _settled(self, decision: Decision) -> bool:
        return self.settlement is not None and self.settlement.decision is decision

    # --- from the log --------------------------------------------------------------------

    @classmethod
    def from_result(cls, data: Mapping[str, Any]) -> Verdict:
        """A ``result`` event's data, whichever version wrote it; never raises."""
        fields: dict[str, FieldValue] = {}
        raw_fields = data.get("fields")
        if isinstance(raw_fields, Mapping):
            for key, value in raw_fields.items():
                parsed = _field_value(value)
                if parsed:
                    fields[str(key)] = parsed
        for key in LEGACY_KEYS:
            value = data.get(key)
            if isinstance(value, str) and value.strip() and key not in fields:
                fields[key] = value.strip()
        outcome = data.get("outcome")
        reserved = bool(data.get("reserved", False))
        if outcome == LEGACY_RESERVED:
            outcome, reserved = None, True
        mark = data.get("mark")
        members = data.get("members")
        return cls(
            mark=float(mark) if isinstance(mark, int | float) else None,
            outcome=str(outcome) if outcome in OUTCOMES else None,
            reserved=reserved,
            nv_reason=str(data["nv_reason"]) if data.get("nv_reason") else None,
            situation_done=bool(data.get("situation_done", False)),
            fields=fields,
            members=tuple(Member.from_data(m) for m in members)
            if isinstance(members, list)
            else (),
        )

    def corrected(self, data: Mapping[str, Any]) -> Verdict:
        """The verdict a correction's ``result`` data gives, this one being the one it replaces."""
        after = Verdict.from_result(data)
        if after.reserved and self.reserved and self.settlement is not None:
            after = replace(after, settlement=self.settlement)
        return after

    def entered(self) -> Verdict:
        """What the commission entered, without what a later check decided (a correction
        that changes nothing compares equal to it)."""
        return replace(self, settlement=None)

    def settled(self, data: Mapping[str, Any], at: str) -> Verdict:
        """This result after a ``reservation_lifted`` event (unchanged when not reserved)."""
        if not self.reserved or self.settlement is not None:
            return self
        decision = Decision.NV if data.get("decision") == Decision.NV else Decision.RELEASED
        reason = str(data["reason"]) if data.get("reason") else None
        return replace(self, settlement=Settlement(decision, reason, at))


def _field_value(raw: object) -> FieldValue:
    if isinstance(raw, list | tuple):
        return tuple(str(x) for x in raw if str(x))
    return "" if raw is None else str(raw).strip()


@dataclass(frozen=True, slots=True)
class Correction:
    """A saved result corrected: when, why, what it was and what it became."""

    seq: int
    """The correcting ``result`` event's seq."""
    at: str
    reason: str
    before: Verdict
    after: Verdict
