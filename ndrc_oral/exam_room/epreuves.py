"""CCF épreuves in the exam room: which are open, which situation comes next. No Textual here.

A candidate's CCF épreuve is *open* when a situation of it is done (its
result says "situation done") and no result closes it yet (a mark, reserved
or not, or NV) and its next situation is not under way (an interrupted one is
resumed from the interrupted list instead). Starting that candidate's exam
again (same exam, same candidate number, or the same name when no number
was given) starts the next situation of it, linked to the one before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.transcript import Store
from ndrc_oral.transcript.directory import new_session_id
from ndrc_oral.transcript.index import list_sessions
from ndrc_oral.transcript.recorder import try_load_session
from ndrc_oral.transcript.summary import SessionSummary, fold_text

MAX_LISTED = 50
"""The most recent open épreuves the home screen lists; older ones open by candidate number."""


@dataclass(frozen=True, slots=True)
class OpenEpreuve:
    """A candidate's CCF épreuve with a situation done and the next one to come."""

    epreuve_id: str
    exam_id: str
    exam_title: str
    candidate: str
    number: str
    mode: str
    previous: str
    """The session of the last situation done: the next one links to it."""
    previous_at: str
    """Wall time (ISO 8601) of that session's creation."""
    next_situation: str
    """The id of the situation to start (``b``)."""

    def matches(self, exam_id: str, candidate: str, number: str) -> bool:
        """Whether a new session of ``exam_id`` for this candidate continues this épreuve."""
        if exam_id != self.exam_id:
            return False
        if number.strip() or self.number:
            return number.strip() == self.number
        return bool(candidate.strip()) and fold_text(candidate.strip()) == fold_text(self.candidate)


def open_epreuves(store: Store) -> list[OpenEpreuve]:
    """The open épreuves of the data directory, the most recent first (none if it fails)."""
    try:
        sessions = list_sessions(store.root).sessions
    except NdrcError:
        return []
    groups: dict[str, list[SessionSummary]] = {}
    for s in sessions:
        if s.epreuve_id and not s.damaged:
            groups.setdefault(s.epreuve_id, []).append(s)
    found = [e for e in (_open(group) for group in groups.values()) if e is not None]
    found.sort(key=lambda e: e.previous_at, reverse=True)
    return found[:MAX_LISTED]


def _open(group: list[SessionSummary]) -> OpenEpreuve | None:
    if any(s.status in ("mark", "reserved", "nv") for s in group):
        return None  # the épreuve has its result
    done = [s for s in group if s.status == "situation" and s.finished]
    if not done:
        return None
    previous = max(done, key=lambda s: (s.situation, s.started_at))
    loaded = try_load_session(Path(previous.path))
    if loaded is None:
        return None
    after = loaded.state.run.next_situation()
    if after is None:
        return None
    if any(s.situation == after.id and s.interrupted for s in group):
        return None  # under way: resumed from the interrupted sessions
    return OpenEpreuve(
        epreuve_id=previous.epreuve_id,
        exam_id=previous.exam_id,
        exam_title=previous.exam_title,
        candidate=previous.candidate_name,
        number=previous.candidate_number,
        mode=previous.mode,
        previous=previous.id,
        previous_at=previous.started_at,
        next_situation=after.id,
    )


def new_epreuve_id(clock: Clock) -> str:
    """A fresh épreuve id (same form as a session id: time and a random suffix)."""
    return new_session_id(clock.wall())


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a new session of a CCF exam goes: its situation, its épreuve, what it continues."""

    situation: str
    epreuve_id: str
    continues: str | None
    """The session of the situation before (``None``: the épreuve's first situation)."""


def place(
    exam: Exam,
    candidate: str,
    number: str,
    clock: Clock,
    known: list[OpenEpreuve],
    mode: str = "live",
) -> Placement | None:
    """The next situation of the candidate's open épreuve of ``exam``, or its first situation
    in a new épreuve; ``None`` for an exam without situations."""
    if not exam.ccf:
        return None
    for epreuve in known:
        if epreuve.mode == mode and epreuve.matches(exam.id, candidate, number):
            return Placement(epreuve.next_situation, epreuve.epreuve_id, epreuve.previous)
    return Placement(exam.situations[0].id, new_epreuve_id(clock), None)


def situation_words(exam: Exam, placement: Placement | None, epreuve: OpenEpreuve | None) -> str:
    """What the home screen says a start will do: ``situation B of the épreuve opened …``."""
    from ndrc_oral.formatting import day_month_time
    from ndrc_oral.i18n import language

    if placement is None:
        return ""
    situation = next(s for s in exam.situations if s.id == placement.situation)
    label = situation.label.get(language())
    if epreuve is None:
        return t("tui.home.situation_new", situation=label)
    when = day_month_time(epreuve.previous_at)
    return t("tui.home.situation_next", situation=label, when=when)
