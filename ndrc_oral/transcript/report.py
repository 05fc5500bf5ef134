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

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ndrc_oral.exams.models import Exam, FicheField, FieldKind, Run
from ndrc_oral.formatting import clock_time, mark_out_of, offset
from ndrc_oral.i18n import fr as _fr
from ndrc_oral.i18n import tr
from ndrc_oral.session.epreuve import CarriedNote, Link
from ndrc_oral.session.identity import Member, SessionIdentity
from ndrc_oral.session.state import Note, PhaseRun, PhaseView, SessionState
from ndrc_oral.session.verdict import Correction, Status, Verdict
from ndrc_oral.transcript import codec
from ndrc_oral.transcript.reader import Integrity
from ndrc_oral.transcript.recorder import LoadedSession

# --- words for values ------------------------------------------------------------


def result_text(verdict: Verdict | None, lang: str) -> str:
    """The result in words, for the commission: the mark, with its reservation and what
    became of it; NV with its reason; absent; a situation done. "Not entered" when none."""
    if verdict is None:
        return tr(lang, "logs.result.none")
    status = verdict.status
    given = mark_out_of(verdict.mark, lang) if verdict.mark is not None else ""
    if status is Status.SITUATION:
        return tr(lang, "logs.result.situation")
    if status is Status.ABSENT:
        return outcome_text("absent", lang)
    if status is Status.NV:
        text = nv_text(verdict.reason, lang)
        return tr(lang, "logs.result.nv_after", nv=text, mark=given) if verdict.reserved else text
    if status is Status.RESERVED:
        return tr(lang, "logs.result.reserved", mark=given)
    if verdict.reserved:  # released after the check
        return tr(lang, "logs.result.released", mark=given)
    return given


def fiche_result_text(verdict: Verdict | None, lang: str) -> str:
    """What the fiche d'évaluation prints in the NOTE box: the mark, or instead of it while
    reserved "note réservée dans l'attente d'une vérification"; NV; absent; "" when none."""
    if verdict is None or verdict.status is Status.SITUATION:
        return ""
    status = verdict.status
    if status is Status.RESERVED:
        return tr(lang, "logs.fiche.reserved")
    if status is Status.NV:
        return nv_text(verdict.reason, lang)
    if status is Status.ABSENT:
        return outcome_text("absent", lang)
    assert verdict.mark is not None
    return mark_out_of(verdict.mark, lang)


def nv_text(reason: str | None, lang: str) -> str:
    """``NV (non valide) — <the notification's reason>``."""
    words = outcome_text("nv", lang)
    if not reason:
        return words
    key = f"nv.reason.{reason}"
    return f"{words} — {tr(lang, key) if key in _fr.STRINGS else reason}"


def outcome_text(outcome: str, lang: str) -> str:
    """``nv`` / ``reservee`` / ``absent`` in words (the code itself when unknown)."""
    key = f"logs.outcome.{outcome}"
    return tr(lang, key) if key in _fr.STRINGS else outcome


def member_text(member: Member, lang: str) -> str:
    """``M. Martin (enseignant)``: a member's name and role, when the role is known."""
    if member.role is None:
        return member.name
    return f"{member.name} ({tr(lang, f'role.{member.role}')})"


def source_text(exam: Exam, lang: str) -> str:
    """The text an exam follows, as every export names it (its migration rule for none)."""
    from ndrc_oral.exams.sources import source_line

    return source_line(exam.source.model_dump() if exam.source is not None else None, lang)


def state_text(finished: bool, cancelled: bool, lang: str) -> str:
    """``annulée`` / ``terminée`` / ``non terminée``: where a session stands."""
    if cancelled:
        return tr(lang, "logs.state.cancelled")
    return tr(lang, "logs.state.finished" if finished else "logs.state.unfinished")


def correction_text(row: CorrectionRow, lang: str) -> str:
    """``03/06/2027 10:00 — faute de frappe : Note 13 / 20 → 15 / 20`` (one line)."""
    from ndrc_oral.formatting import day_and_time

    changes = tr(lang, "logs.list_sep").join(
        tr(
            lang,
            "logs.correction.change",
            label=c.label,
            before=c.before or "—",
            after=c.after or "—",
        )
        for c in row.changes
    )
    return tr(
        lang, "logs.correction.line", at=day_and_time(row.at), reason=row.reason, changes=changes
    )


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
class MilestoneRow:
    """A moment marked in a phase (the entretien starts)."""

    id: str
    label: str
    t: float
    offset_s: float


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
    milestones: tuple[MilestoneRow, ...] = ()
    waited_s: float | None = None
    """After a preparation: how long the candidate waited between its end and this phase's
    start (E4 ponctuel: the commission was examining the candidate before)."""


def planned_total_s(phases: Sequence[PhaseRow]) -> float:
    """The time planned for the oral, as its cap and the live total line count it: each
    phase run or to run, a preparation "en loge" aside, time carried from one phase to
    the next counted once (it is in the giver's duration already)."""
    return sum(
        p.planned_s - p.carried_in_s for p in phases if p.state != "skipped" and not p.preparation
    )


def oral_used_s(phases: Sequence[PhaseRow]) -> float:
    """The time the oral ran (pauses excluded), a preparation aside, as ``planned_total_s``."""
    return sum(p.elapsed_s for p in phases if not p.preparation)


def oral_overtime_s(phases: Sequence[PhaseRow]) -> float:
    """The oral's overtime, a preparation aside, as ``planned_total_s``."""
    return sum(p.overtime_s for p in phases if not p.preparation)


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
    situation: str | None = None
    """An earlier situation's id (CCF) for a note carried from it; ``None``: this session's."""


@dataclass(frozen=True, slots=True)
class FilledField:
    """A field of the fiche with its value, as printed."""

    id: str
    label: str
    kind: FieldKind
    lines: int
    value: str
    """The text (a date as ``JJ/MM/AAAA`` in French; the ticked labels joined)."""
    choices: tuple[tuple[str, bool], ...] = ()
    """A choice's boxes: (label, ticked)."""


@dataclass(frozen=True, slots=True)
class FicheBlockRow:
    """A block of the fiche with what its session recorded."""

    scope: str
    """``phase``, ``situation`` or ``exam`` (see ``exams.models.FicheBlock``)."""
    title: str | None
    situation: str | None
    session_id: str | None
    """The session that filled it (``None``: its situation has not taken place)."""
    started_at: str
    """Wall time of that session's creation ("" when none)."""
    fields: tuple[FilledField, ...]
    members: tuple[Member, ...]
    """Who signs this block: a situation's members (CCF); the commission, on the épreuve's
    block of an exam without situations; nobody else."""


@dataclass(frozen=True, slots=True)
class Change:
    """One value a correction changed: the result, a fiche field, the members."""

    id: str
    """``result``, ``members``, or the fiche field's id."""
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class CorrectionRow:
    """A correction of the saved result: when, why, what changed."""

    seq: int
    at: str
    reason: str
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class CancelRow:
    """The session's cancellation: when and why."""

    at: str
    reason: str


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
    """The latest ``result`` event's data as recorded (``verdict`` reads it)."""
    verdict: Verdict | None
    run: Run
    earlier_notes: tuple[NoteRow, ...]
    """Notes of the situations before this one (CCF), in time order."""
    fiche: tuple[FicheBlockRow, ...]
    epreuve_id: str | None
    link: Link | None
    incidents: tuple[dict[str, Any], ...]
    integrity: str
    problems: tuple[str, ...]
    first_bad_seq: int | None
    finished: bool
    status: str
    time_used_s: float
    overtime_s: float
    corrections: tuple[CorrectionRow, ...] = ()
    """The corrections of the saved result, oldest first (``verdict`` is the current one)."""
    cancelled: CancelRow | None = None
    """The session was cancelled (started by mistake): its result does not count."""

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

    @property
    def situation_label(self) -> str | None:
        """The situation as its fiche block is headed (CCF), else the exam's ``situation``."""
        situation = self.run.situation
        return situation.label.get(self.lang) if situation is not None else self.exam.situation

    @property
    def finished_marking(self) -> bool:
        """Whether the session's result is entered (an unfinished fiche offers no signature;
        nor does a cancelled one's)."""
        return self.finished and self.verdict is not None and self.cancelled is None

    @property
    def state_text(self) -> str:
        """Where the session stands, in words (cancelled, finished, not finished)."""
        return state_text(self.finished, self.cancelled is not None, self.lang)

    def notes_for(self, criterion: str | None, *, earlier: bool = False) -> list[NoteRow]:
        """The notes about one row (``None``: the general notes), in time order; with
        ``earlier``, those of the situations before first (the épreuve's whole grid)."""
        notes = (*self.earlier_notes, *self.notes) if earlier else self.notes
        return [n for n in notes if n.criterion == criterion]

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


def _with_waits(phases: tuple[PhaseRow, ...]) -> tuple[PhaseRow, ...]:
    """Each phase that follows a preparation, with the wait between them."""
    rows = list(phases)
    for i in range(1, len(rows)):
        before, row = rows[i - 1], rows[i]
        if before.preparation and before.ended_s is not None and row.started_s is not None:
            rows[i] = replace(row, waited_s=max(0.0, row.started_s - before.ended_s))
    return tuple(rows)


def build_report(loaded: LoadedSession, lang: str = "fr", *, notes: bool = True) -> Report:
    """Lay out a loaded session for reading, labels in ``lang``.

    ``notes=False`` leaves the notes out (a report that prints none, the fiche:
    20,000 of them took longer to lay out than the fiche to draw).
    """
    exam, state, transcript = loaded.exam, loaded.state, loaded.transcript
    # An interrupted session's time runs to its last heartbeat (a kill between two events).
    snapshot = state.snapshot(max(state.last_t, loaded.seen_t))
    phases = _with_waits(
        tuple(
            _phase_row(state.run, state.phases[i], view, lang)
            for i, view in enumerate(snapshot.phases)
        )
    )
    created = transcript.created
    started_at = created.at if created is not None else ""
    situation = state.run.situation_id
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
        notes=tuple(_note_row(exam, n, lang, situation) for n in state.notes) if notes else (),
        ratings=dict(state.ratings),
        result=dict(state.result) if state.result is not None else None,
        verdict=state.verdict,
        run=state.run,
        earlier_notes=(
            tuple(_note_row(exam, n, lang, None) for n in state.earlier_notes) if notes else ()
        ),
        fiche=tuple(fiche_blocks(state, loaded.id, started_at, lang)),
        epreuve_id=state.identity.epreuve_id,
        link=state.link,
        incidents=tuple(dict(i) for i in state.incidents),
        integrity=str(transcript.integrity),
        problems=tuple(transcript.problems),
        first_bad_seq=transcript.first_bad_seq,
        finished=state.finished,
        status=str(state.status),
        time_used_s=oral_used_s(phases),
        overtime_s=oral_overtime_s(phases),
        corrections=correction_rows(state, lang),
        cancelled=(
            CancelRow(state.cancelled.at, state.cancelled.reason)
            if state.cancelled is not None
            else None
        ),
    )


def correction_rows(state: SessionState, lang: str) -> tuple[CorrectionRow, ...]:
    """The corrections of a session's result, each with what it changed (oldest first)."""
    return tuple(_correction_row(state.exam, state.run, c, lang) for c in state.corrections)


def _correction_row(exam: Exam, run: Run, c: Correction, lang: str) -> CorrectionRow:
    """What a correction changed, value by value, as the exports print values."""
    changes: list[Change] = []
    before, after = result_text(c.before, lang), result_text(c.after, lang)
    if before != after:
        changes.append(Change("result", tr(lang, "logs.field.result"), before, after))
    declared = {f.id: f for f in run.fiche_fields()}
    for field_id in dict.fromkeys([*declared, *c.before.fields, *c.after.fields]):
        spec = declared.get(field_id) or exam.fiche_field(field_id)
        if spec is not None:
            old, new = filled_field(spec, c.before, lang), filled_field(spec, c.after, lang)
            label, was, now = spec.label.get(lang), old.value, new.value
        else:  # a key of version 0.1 the definition does not declare
            label, was, now = field_id, c.before.text(field_id), c.after.text(field_id)
        if was != now:
            changes.append(Change(field_id, label, was, now))
    names = [", ".join(member_text(m, lang) for m in v.members) for v in (c.before, c.after)]
    if names[0] != names[1]:
        changes.append(Change("members", tr(lang, "logs.field.members"), *names))
    return CorrectionRow(c.seq, c.at, c.reason, tuple(changes))


def _phase_row(plan: Run, run: PhaseRun, view: PhaseView, lang: str) -> PhaseRow:
    phase = plan.phases[plan.phase_index(run.id)]
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
        milestones=tuple(
            MilestoneRow(m.id, _milestone_label(phase.milestone(m.id), m.id, lang), m.t, m.offset_s)
            for m in run.milestones
        ),
    )


def _milestone_label(found: Any, fallback: str, lang: str) -> str:
    return str(found.label.get(lang)) if found is not None else fallback


def _labels(
    exam: Exam, phase: str | None, criterion: str | None, lang: str, situation: str | None
) -> tuple[str | None, str | None]:
    """The labels of a note's phase and row (their ids when the definition lacks them)."""
    phase_label = None
    if phase is not None:
        found = exam.find_phase(phase, situation)
        phase_label = found.label.get(lang) if found is not None else phase
    criterion_label = None
    if criterion is not None:
        crit = exam.criterion(criterion)
        criterion_label = crit.label.get(lang) if crit is not None else criterion
    return phase_label, criterion_label


def _note_row(exam: Exam, note: Note | CarriedNote, lang: str, situation: str | None) -> NoteRow:
    """A note as read; one carried from an earlier situation keeps that situation (and has no
    place in this session's log: ``seq`` -1, session time 0)."""
    carried = isinstance(note, CarriedNote)
    if isinstance(note, CarriedNote):
        situation = note.situation
    phase_label, criterion_label = _labels(exam, note.phase, note.criterion, lang, situation)
    return NoteRow(
        seq=-1 if isinstance(note, CarriedNote) else note.seq,
        at=note.at,
        t=0.0 if isinstance(note, CarriedNote) else note.t,
        phase=note.phase,
        phase_label=phase_label,
        offset_s=note.offset_s,
        criterion=note.criterion,
        criterion_label=criterion_label,
        text=note.text,
        situation=situation if carried else None,
    )


# --- the fiche ------------------------------------------------------------------------------


def signing_members(verdict: Verdict | None, identity: SessionIdentity) -> tuple[Member, ...]:
    """The members who signed the result (roles from the start when the result has none),
    else those named at the start."""
    if verdict is None or not verdict.members:
        return identity.members
    roles = {m.name: m.role for m in identity.members}
    return tuple(
        m if m.role is not None else Member(m.name, roles.get(m.name)) for m in verdict.members
    )


def filled_field(spec: FicheField, verdict: Verdict | None, lang: str) -> FilledField:
    """A field of the fiche with the value ``verdict`` recorded for it."""
    from ndrc_oral.formatting import date as day

    raw = verdict.fields.get(spec.id, "") if verdict is not None else ""
    ticked = set(raw) if isinstance(raw, tuple) else {raw}
    choices = tuple((c.label.get(lang), c.id in ticked) for c in spec.choices)
    if spec.choices:
        value = ", ".join(label for label, on in choices if on)
    elif spec.kind is FieldKind.DATE and isinstance(raw, str) and raw:
        value = day(raw, lang) or raw
    else:
        value = raw if isinstance(raw, str) else ", ".join(raw)
    return FilledField(spec.id, spec.label.get(lang), spec.kind, spec.lines, value, choices)


def fiche_blocks(
    state: SessionState, session_id: str, started_at: str, lang: str
) -> list[FicheBlockRow]:
    """The fiche's blocks in print order, each with what its session recorded.

    A CCF situation's block is filled from this session when it is this
    situation, from what was carried when it came before, and left blank
    when it is still to come; the épreuve's own block by its last situation.
    A value recorded for a field the definition does not declare (the
    ``fiches`` and ``network`` of version 0.1) is kept, in the épreuve's block.
    """
    exam, run, verdict = state.exam, state.run, state.verdict
    carried = {c.situation: c for c in state.earlier_situations}
    members = signing_members(verdict, state.identity)
    rows: list[FicheBlockRow] = []
    for block in exam.fiche_blocks():
        own = block.scope != "situation" or block.id == run.situation_id
        if block.scope == "exam" and not run.last:
            own = False
        source: Verdict | None = verdict if own else None
        sid, at, signed = (session_id, started_at, members) if own else (None, "", ())
        earlier = carried.get(block.id or "") if block.scope == "situation" else None
        if earlier is not None:
            source = Verdict.from_result(earlier.result)
            sid, at = earlier.session, earlier.at
            signed = signing_members(source, SessionIdentity())
        fields = [filled_field(f, source, lang) for f in block.fields]
        if block.scope == "exam" and own:
            fields += _undeclared(exam, verdict, lang)
        if block.scope == "phase" or (block.scope == "exam" and exam.ccf):
            signed = ()  # the commission signs once, at the end (CCF: each situation)
        rows.append(
            FicheBlockRow(
                scope=block.scope,
                title=block.title.get(lang) if block.title is not None else None,
                situation=block.id if block.scope == "situation" else None,
                session_id=sid,
                started_at=at,
                fields=tuple(fields),
                members=signed,
            )
        )
    return rows


def _undeclared(exam: Exam, verdict: Verdict | None, lang: str) -> list[FilledField]:
    if verdict is None:
        return []
    out = []
    for field_id, value in verdict.fields.items():
        if exam.fiche_field(field_id) is None:
            key = f"logs.field.{field_id}"
            label = tr(lang, key) if key in _fr.STRINGS else field_id
            text = ", ".join(value) if isinstance(value, tuple) else value
            out.append(FilledField(field_id, label, FieldKind.TEXT, 1, text))
    return out


def note_stamp(note: NoteRow, lang: str = "fr") -> str:
    """``08:01:24 · Exposé +01:24`` (wall time, phase, offset in the phase); a note carried
    from an earlier situation starts with it and its date (``situation A · 12/01 · …``)."""
    from ndrc_oral.formatting import day_month_time

    when = clock_time(note.at)
    if note.situation is not None:
        tag = tr(lang, "logs.md.situation_tag", id=note.situation.upper())
        when = f"{tag} · {day_month_time(note.at)}"
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
