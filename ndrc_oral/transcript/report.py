"""A saved session laid out for reading: the one model every export renders.

``build_report(loaded)`` turns a ``LoadedSession`` (transcript + exam + folded
state) into plain frozen data: identity, phases planned vs actual, notes with
their stamps, ratings, result, incidents, integrity. The JSON, Markdown, CSV
and PDF exports all render this, so they cannot disagree with each other.

Also here: the words they share for a result, an outcome, a mode and a
note's stamp. Times, dates and marks are formatted by ``ndrc_oral.formatting``
(one rounding rule for the screens and the exports); an export's language is a
parameter (``tr``), not the interface's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ndrc_oral.exams.models import Exam
from ndrc_oral.formatting import clock_time, mark_out_of, offset
from ndrc_oral.i18n import fr as _fr
from ndrc_oral.i18n import tr
from ndrc_oral.session.identity import SessionIdentity
from ndrc_oral.session.state import Note, PhaseRun, PhaseView
from ndrc_oral.transcript import codec
from ndrc_oral.transcript.reader import Integrity
from ndrc_oral.transcript.recorder import LoadedSession

# --- words for values ------------------------------------------------------------


def result_text(result: dict[str, Any] | None, lang: str) -> str:
    """The mark or the outcome, in words; "not entered" when there is none."""
    if not result:
        return tr(lang, "logs.result.none")
    if "mark" in result:
        return mark_out_of(float(result["mark"]), lang)
    return outcome_text(str(result.get("outcome", "")), lang)


def outcome_text(outcome: str, lang: str) -> str:
    """``nv`` / ``reservee`` / ``absent`` in words (the code itself when unknown)."""
    key = f"logs.outcome.{outcome}"
    return tr(lang, key) if key in _fr.STRINGS else outcome


def mode_text(mode: str, lang: str) -> str:
    """``live`` / ``rehearsal`` in words."""
    return tr(lang, "logs.mode.rehearsal") if mode == "rehearsal" else tr(lang, "logs.mode.live")


# --- the model ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PauseRow:
    """A pause of a phase, in session seconds (``end_s`` None: still open when the log ends)."""

    start_s: float
    end_s: float | None
    reason: str


@dataclass(frozen=True, slots=True)
class ExtensionRow:
    """Time added to a phase, and why."""

    seconds: float
    reason: str


@dataclass(frozen=True, slots=True)
class PhaseRow:
    """One phase: what was planned and what happened."""

    id: str
    label: str
    preparation: bool
    state: str
    """``done``, ``running`` (the log ends inside it), ``pending`` or ``skipped``."""
    planned_s: float
    """The definition's duration, plus extra time, time carried in and extensions."""
    elapsed_s: float
    """Time the phase ran, pauses excluded."""
    overtime_s: float
    early: bool
    carried_s: float
    """Unused time given to the next phase when this one ended early."""
    carried_in_s: float
    """Time received from the previous phase."""
    started_s: float | None
    ended_s: float | None
    extensions: tuple[ExtensionRow, ...]
    pauses: tuple[PauseRow, ...]


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A note with its stamps: wall time, phase, offset within the phase."""

    seq: int
    at: str
    t: float
    phase: str | None
    phase_label: str | None
    offset_s: float
    criterion: str | None
    criterion_label: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reader of one session needs, in one language."""

    loaded: LoadedSession
    lang: str
    id: str
    path: str
    exam: Exam
    exam_title: str
    identity: SessionIdentity
    """Who and how, as the ``created`` event records it."""
    started_at: str
    date: str
    phases: tuple[PhaseRow, ...]
    notes: tuple[NoteRow, ...]
    ratings: dict[str, str]
    result: dict[str, Any] | None
    incidents: tuple[dict[str, Any], ...]
    integrity: str
    problems: tuple[str, ...]
    first_bad_seq: int | None
    finished: bool
    status: str
    time_used_s: float
    overtime_s: float

    # The identity's values as the exports print them.

    @property
    def candidate_name(self) -> str:
        return self.identity.candidate

    @property
    def candidate_number(self) -> str:
        return self.identity.number

    @property
    def commission(self) -> str:
        return self.identity.commission

    @property
    def members(self) -> tuple[str, ...]:
        return self.identity.member_names

    @property
    def mode(self) -> str:
        return str(self.identity.mode)

    @property
    def extra_time(self) -> str | None:
        return self.identity.extra_time

    @property
    def extra_time_reason(self) -> str:
        return self.identity.extra_time_reason

    @property
    def cms(self) -> str | None:
        return self.identity.cms

    def notes_for(self, criterion: str | None) -> list[NoteRow]:
        """The notes about one criterion (``None``: the general notes), in time order."""
        return [n for n in self.notes if n.criterion == criterion]

    def result_members(self) -> tuple[str, ...]:
        """The members who signed the result, else those named at the start."""
        if self.result and self.result.get("members"):
            return tuple(str(m) for m in self.result["members"])
        return self.members

    def raw_events(self) -> list[dict[str, Any]]:
        """The log as in the file: every event with ``prev`` and ``hash``.

        The hashes are recomputed from the trusted events; they are the file's
        own, since ``read_transcript`` kept only events whose hash matched.
        """
        out: list[dict[str, Any]] = []
        prev = codec.GENESIS
        for event in self.loaded.events:
            digest = codec.event_hash(event, prev)
            raw = event.to_dict()
            out.append(
                {
                    "seq": raw["seq"],
                    "type": raw["type"],
                    "t": raw["t"],
                    "at": raw["at"],
                    "prev": prev,
                    "hash": digest,
                    "data": raw["data"],
                }
            )
            prev = digest
        return out


def build_report(loaded: LoadedSession, lang: str = "fr") -> Report:
    """Lay out a loaded session for reading, labels in ``lang``."""
    exam, state, transcript = loaded.exam, loaded.state, loaded.transcript
    # An interrupted session's time runs to its last heartbeat (a kill between two events).
    snapshot = state.snapshot(max(state.last_t, loaded.seen_t))
    phases = tuple(
        _phase_row(exam, state.phases[i], view, lang) for i, view in enumerate(snapshot.phases)
    )
    created = transcript.created
    started_at = created.at if created is not None else ""
    return Report(
        loaded=loaded,
        lang=lang,
        id=loaded.id,
        path=str(transcript.path),
        exam=exam,
        exam_title=exam.title.get(lang),
        identity=state.identity,
        started_at=started_at,
        date=started_at[:10],
        phases=phases,
        notes=tuple(_note_row(exam, n, lang) for n in state.notes),
        ratings=dict(state.ratings),
        result=dict(state.result) if state.result is not None else None,
        incidents=tuple(dict(i) for i in state.incidents),
        integrity=str(transcript.integrity),
        problems=tuple(transcript.problems),
        first_bad_seq=transcript.first_bad_seq,
        finished=state.finished,
        status=str(state.status),
        time_used_s=sum(p.elapsed_s for p in phases),
        overtime_s=sum(p.overtime_s for p in phases),
    )


def _phase_row(exam: Exam, run: PhaseRun, view: PhaseView, lang: str) -> PhaseRow:
    phase = exam.phases[exam.phase_index(run.id)]
    return PhaseRow(
        id=run.id,
        label=phase.label.get(lang),
        preparation=phase.preparation,
        state=view.state,
        planned_s=view.planned_s,
        elapsed_s=view.elapsed_s,
        overtime_s=view.overtime_s,
        early=run.early,
        carried_s=run.carried_out_s,
        carried_in_s=run.carried_in_s,
        started_s=run.started,
        ended_s=run.ended,
        extensions=tuple(ExtensionRow(seconds=s, reason=r) for s, r in run.extensions),
        pauses=tuple(PauseRow(start_s=p.start, end_s=p.end, reason=p.reason) for p in run.pauses),
    )


def _note_row(exam: Exam, note: Note, lang: str) -> NoteRow:
    phase_label = None
    if note.phase is not None:
        try:
            phase_label = exam.phases[exam.phase_index(note.phase)].label.get(lang)
        except ValueError:
            phase_label = note.phase
    criterion_label = None
    if note.criterion is not None:
        found = exam.criterion(note.criterion)
        criterion_label = found.label.get(lang) if found is not None else note.criterion
    return NoteRow(
        seq=note.seq,
        at=note.at,
        t=note.t,
        phase=note.phase,
        phase_label=phase_label,
        offset_s=note.offset_s,
        criterion=note.criterion,
        criterion_label=criterion_label,
        text=note.text,
    )


def note_stamp(note: NoteRow) -> str:
    """``08:01:24 · Exposé +01:24`` (wall time, phase, offset in the phase)."""
    when = clock_time(note.at)
    if note.phase_label is None:
        return f"{when} · {offset(note.offset_s)}"
    return f"{when} · {note.phase_label} {offset(note.offset_s)}"


def is_intact(report: Report) -> bool:
    """Whether the chain of events was found whole."""
    return report.integrity == Integrity.INTACT


def warning_key(report: Report) -> str | None:
    """The i18n key of the warning a damaged or torn transcript carries (``None``: intact)."""
    if is_intact(report):
        return None
    torn = report.integrity == Integrity.TORN_TAIL
    return "logs.md.warn_torn" if torn else "logs.md.warn_damaged"
