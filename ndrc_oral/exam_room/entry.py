"""A result as the commission enters it, before the engine checks it. No Textual here.

The result form (a live session's, or a correction's) and ``logs correct``
each fill one ``ResultEntry``; ``Session.set_result`` and
``Session.correct_result`` take its ``engine_args()``. ``from_verdict`` gives
back what a saved result holds, as entered: the correction form starts from
it, and ``logs correct`` changes only what its options name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ndrc_oral.exams.models import FieldKind, Run
from ndrc_oral.i18n import language, t
from ndrc_oral.session.identity import Member
from ndrc_oral.session.verdict import Verdict

FieldEntry = str | Sequence[str]
"""A fiche field as typed or ticked: a text, a date (ISO), a choice's id, the ids ticked."""


@dataclass(frozen=True)
class ResultEntry:
    """The outcome (one of: a mark, reserved or not; NV with its reason; absent; a CCF
    situation done), the fiche's fields by id, and the members who sign."""

    mark: float | None = None
    outcome: str | None = None
    """``nv`` or ``absent`` (``None`` with a mark or a situation done)."""
    reserved: bool = False
    nv_reason: str | None = None
    situation_done: bool = False
    fields: Mapping[str, FieldEntry] = field(default_factory=dict)
    members: Sequence[Member | str] = ()

    def engine_args(self) -> dict[str, Any]:
        """The keywords of ``Session.set_result`` / ``correct_result``."""
        return {
            "mark": self.mark,
            "outcome": self.outcome,
            "reserved": self.reserved,
            "nv_reason": self.nv_reason,
            "situation_done": self.situation_done,
            "fields": dict(self.fields),
            "members": list(self.members),
        }

    def verdict(self) -> Verdict:
        """The result this entry records, for its words (its fields are not checked here)."""
        return Verdict(
            mark=self.mark,
            outcome=self.outcome,
            reserved=self.reserved,
            nv_reason=self.nv_reason,
            situation_done=self.situation_done,
        )

    def gaps(self, run: Run) -> list[str]:
        """What a live result holds as a rule and this one lacks, in words: the members who
        sign; with a mark or a situation done, the commission's appreciation (every text
        box of the fiche). The form asks before saving without them."""
        lang = language()
        out: list[str] = []
        names = [m.name if isinstance(m, Member) else m for m in self.members]
        if not any(name.strip() for name in names):
            out.append(t("tui.result.gap.members"))
        if self.outcome is None:
            for spec in run.fiche_fields():
                value = self.fields.get(spec.id, "")
                empty = not (value.strip() if isinstance(value, str) else value)
                if spec.kind is FieldKind.TEXT and spec.lines > 1 and empty:
                    out.append(t("tui.result.gap.empty", field=spec.label.get(lang)))
        return out

    @classmethod
    def from_verdict(cls, verdict: Verdict) -> ResultEntry:
        """What a saved result holds, as the commission entered it (a later settlement of a
        reserved mark is no part of it)."""
        return cls(
            mark=verdict.mark if verdict.outcome is None and not verdict.situation_done else None,
            outcome=verdict.outcome,
            reserved=verdict.reserved and verdict.outcome is None,
            nv_reason=verdict.nv_reason if verdict.outcome == "nv" else None,
            situation_done=verdict.situation_done,
            fields=dict(verdict.fields),
            members=tuple(verdict.members),
        )
