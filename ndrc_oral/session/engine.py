"""The live session: operations that turn into events. Pure: no I/O, no Textual.

Every operation builds one event, hands it to the ``sink`` (the transcript
writer, which writes and fsyncs it), and only then folds it into the state. If
the sink raises, the state is unchanged and the caller still holds what it
tried to save: nothing is shown as saved that is not on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from ndrc_oral.errors import NdrcError
from ndrc_oral.exams.fraction import parse_extra_time
from ndrc_oral.exams.models import Exam, FicheField, FieldKind, Milestone, Run
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.session.epreuve import Continuation
from ndrc_oral.session.events import Event, Kind
from ndrc_oral.session.identity import Member, Mode, SessionIdentity
from ndrc_oral.session.state import SessionState, Snapshot, Status, fold
from ndrc_oral.session.verdict import NV_REASONS, OUTCOMES, Decision

Sink = Callable[[Event], None]
"""Receives each event before it counts; raises to refuse it (disk full...)."""

MAX_NOTE = 20_000
"""Longest note kept (characters); a longer paste is refused, not cut."""

MAX_REASON = 500
"""Longest reason of a correction or a cancellation (a sentence, not a page)."""


class SessionError(NdrcError):
    """An operation that makes no sense now (start while running, unknown criterion...)."""


class Session:
    """One candidate's session: an exam, a clock, a sink, and the state folded from events."""

    def __init__(self, exam: Exam, clock: Clock, sink: Sink, *, base: float) -> None:
        self.exam = exam
        self.clock = clock
        self._sink = sink
        self._base = base
        self.state = SessionState(exam=exam)
        self.events: list[Event] = []

    # --- construction ------------------------------------------------------

    @classmethod
    def create(
        cls,
        exam: Exam,
        clock: Clock,
        sink: Sink,
        *,
        session_id: str,
        identity: SessionIdentity,
        continues: Continuation | None = None,
    ) -> Session:
        """A new session; its ``created`` event is the first one saved.

        The identity is recorded trimmed (``SessionIdentity.normalized``); its
        ``group`` ties together the sessions one examiner runs at once (the E5
        practical: up to three candidates on one subject), so that they can be
        resumed together. A CCF exam's identity names its ``situation`` and its
        ``epreuve_id``; a situation after the first ``continues`` the one before
        (``session.epreuve``).
        """
        if identity.mode not in set(Mode):
            raise SessionError(t("engine.mode", found=identity.mode))
        if not identity.candidate.strip():
            raise SessionError(t("engine.no_candidate"))
        if identity.extra_time:
            try:
                parse_extra_time(identity.extra_time)
            except ValueError as exc:
                raise SessionError(str(exc)) from exc
        cms = identity.cms
        if cms is not None and exam.cms_choices and cms not in exam.cms_choices:
            raise SessionError(t("engine.cms", choices=", ".join(exam.cms_choices), found=cms))
        _check_situation(exam, identity, continues)
        session = cls(exam, clock, sink, base=clock.monotonic())
        data: dict[str, Any] = {
            "id": session_id,
            "exam": exam.id,
            "exam_title": exam.title.fr,
            # The definition travels with the session: a transcript can be read,
            # resumed and exported without the config it was made with.
            "exam_def": exam.model_dump(mode="json", exclude_none=True),
            **identity.normalized().to_created(),
        }
        if continues is not None:
            data.update(continues.to_created())
        session._emit(Kind.CREATED, data, t=0.0)
        return session

    @classmethod
    def restore(
        cls,
        exam: Exam,
        clock: Clock,
        sink: Sink,
        events: Sequence[Event],
        *,
        last_seen_t: float | None = None,
        downtime_s: float | None = None,
        reason: str = "interruption",
    ) -> Session:
        """Reopen a saved session after the program stopped.

        Session time resumes where the log (or the heartbeat ``last_seen_t``)
        left it: the downtime does not eat the candidate's time. Unless the
        session had finished, a ``recovered`` event records the incident and
        pauses a running phase until the commission resumes it.
        """
        state = fold(exam, events)
        resume_t = max(state.last_t, last_seen_t or 0.0)
        session = cls(exam, clock, sink, base=clock.monotonic() - resume_t)
        session.state = state
        session.events = list(events)
        # A phase that reached its automatic end before the stop ends there,
        # before the incident (else the pause would land after its end).
        session.tick()
        if not state.finished:
            data: dict[str, Any] = {"reason": reason}
            if downtime_s is not None:
                data["downtime_s"] = round(max(0.0, downtime_s), 3)
            session._emit(Kind.RECOVERED, data)
        return session

    @classmethod
    def reopen(
        cls,
        exam: Exam,
        clock: Clock,
        sink: Sink,
        events: Sequence[Event],
        *,
        last_seen_t: float | None = None,
    ) -> Session:
        """A saved session no kiosk is running, reopened to record one more decision about
        it (a correction, a settlement, a cancellation): nothing is recorded by reopening
        it, and its time stands where the log (or the heartbeat) left it."""
        state = fold(exam, events)
        resume_t = max(state.last_t, last_seen_t or 0.0)
        session = cls(exam, clock, sink, base=clock.monotonic() - resume_t)
        session.state = state
        session.events = list(events)
        return session

    def set_sink(self, sink: Sink) -> None:
        """Send later events elsewhere (the transcript moved to another disk)."""
        self._sink = sink

    # --- time ----------------------------------------------------------------

    def now(self) -> float:
        """Session time in seconds (monotonic; never before the last event).

        Rounded to the millisecond, as event times are: a time read between two
        events is then exactly the one an event would record, so saving an event
        never moves the timer back by the rounding.
        """
        return max(round(self.clock.monotonic() - self._base, 3), self.state.last_t)

    def snapshot(self) -> Snapshot:
        """What the timer shows now."""
        return self.state.snapshot(self.now())

    @property
    def status(self) -> Status:
        return self.state.status

    @property
    def session_id(self) -> str:
        return self.state.session_id

    @property
    def identity(self) -> SessionIdentity:
        """Who and how (as the ``created`` event records it)."""
        return self.state.identity

    @property
    def run(self) -> Run:
        """What this session runs: the exam's phases, or its situation's."""
        return self.state.run

    def current_phase_id(self) -> str | None:
        """The running or paused phase, if any."""
        current = self.state.current
        return None if current is None else self.run.phases[current].id

    # --- operations ------------------------------------------------------------

    def start(self) -> Event:
        """Start the next phase (the start key)."""
        self.tick()
        if self.status not in (Status.READY, Status.BETWEEN):
            raise SessionError(t("engine.nothing_to_start", status=self.status))
        return self._emit(Kind.PHASE_STARTED, {"phase": self.run.phases[self.state.next_index].id})

    def pause(self, reason: str = "") -> Event:
        """Stop the clock of the running phase (an incident in the room), at once.

        The reason may come later (``give_pause_reason``): the kiosk pauses at
        the key press and asks afterwards, so the question costs the candidate
        no time.
        """
        self.tick()
        if self.status is not Status.RUNNING:
            raise SessionError(t("engine.nothing_to_pause", status=self.status))
        return self._emit(Kind.PAUSED, {"reason": reason.strip()})

    def give_pause_reason(self, reason: str) -> Event:
        """The reason of the latest pause (running or over), given after it started."""
        reason = reason.strip()
        if not reason:
            raise SessionError(t("engine.pause_reason_empty"))
        latest = self.state.latest_pause()
        if latest is None:
            raise SessionError(t("engine.no_pause"))
        index, pause = latest
        data = {"phase": self.run.phases[index].id, "start_s": pause.start, "reason": reason}
        return self._emit(Kind.PAUSE_REASON, data)

    def resume(self) -> Event:
        """Restart the clock after a pause."""
        if self.status is not Status.PAUSED:
            raise SessionError(t("engine.not_paused"))
        return self._emit(Kind.RESUMED, {})

    def end_phase(self, carry_over: bool | None = None, *, at: float | None = None) -> list[Event]:
        """End the current phase now, or at the session time ``at`` (the key press that
        asked, before a question about the carry-over); the next one starts if its
        definition says so.

        ``carry_over``: whether unused time goes to the next phase (``None``:
        as the definition says; never from a preparation). Returns the events saved.
        """
        when = self._moment(at)
        self.tick(until=when)
        if self.status not in (Status.RUNNING, Status.PAUSED):
            raise SessionError(t("engine.no_phase_to_end", status=self.status))
        return self._end_at(when, carry_over, auto=False)

    def extend(self, seconds: float, reason: str) -> Event:
        """Give the current (or next) phase more time, with the reason."""
        self.tick()
        if not 0 < seconds <= 4 * 3600:
            raise SessionError(t("engine.extension_range", found=seconds))
        index = self.state.current if self.state.current is not None else self.state.next_index
        if self.state.finished or index >= len(self.run.phases):
            raise SessionError(t("engine.no_phase_to_extend"))
        data = {"phase": self.run.phases[index].id, "seconds": float(seconds), "reason": reason}
        return self._emit(Kind.EXTENDED, data)

    def note(self, text: str, criterion: str | None = None) -> Event:
        """A note, tied to a criterion or general, stamped with the phase and its time."""
        self.tick()
        text = text.strip()
        if not text:
            raise SessionError(t("engine.note_empty"))
        if len(text) > MAX_NOTE:
            raise SessionError(t("engine.note_long", max=MAX_NOTE))
        if criterion is not None and self.exam.criterion(criterion) is None:
            raise SessionError(t("engine.unknown_criterion", found=criterion))
        snap = self.snapshot()
        data: dict[str, Any] = {"text": text}
        phase = self._stamp_phase()
        if phase is not None:
            data["phase"] = phase
        data["offset_s"] = round(snap.elapsed_s if phase is not None else self.now(), 3)
        if criterion is not None:
            data["criterion"] = criterion
        return self._emit(Kind.NOTE, data)

    def rate(self, criterion: str, level: str | None) -> Event:
        """Rate a criterion (a later rating replaces it; ``None`` clears it)."""
        self.tick()
        if self.exam.criterion(criterion) is None:
            raise SessionError(t("engine.unknown_criterion", found=criterion))
        if level is not None and level not in self.exam.level_codes():
            levels = ", ".join(self.exam.level_codes())
            raise SessionError(t("engine.level", levels=levels, found=level))
        data: dict[str, Any] = {"criterion": criterion, "level": level or ""}
        phase = self._stamp_phase()
        if phase is not None:
            data["phase"] = phase
        return self._emit(Kind.RATED, data)

    def milestone(self, milestone_id: str) -> Event:
        """Mark a moment of the running phase (the entretien starts); the timer is unchanged."""
        self.tick()
        current = self.state.current
        if current is None or self.running_milestone(milestone_id) is None:
            raise SessionError(t("engine.no_milestone", found=milestone_id))
        offset_s = round(self.state.phases[current].elapsed(self.now()), 3)
        data = {
            "phase": self.run.phases[current].id,
            "milestone": milestone_id,
            "offset_s": offset_s,
        }
        return self._emit(Kind.MILESTONE, data)

    def running_milestone(self, milestone_id: str) -> Milestone | None:
        """The milestone of that id in the running phase (``None``: no phase runs, or it
        has none of that id)."""
        current = self.state.current
        return self.run.phases[current].milestone(milestone_id) if current is not None else None

    def set_result(
        self,
        *,
        mark: float | None = None,
        outcome: str | None = None,
        reserved: bool = False,
        nv_reason: str | None = None,
        situation_done: bool = False,
        fields: Mapping[str, str | Sequence[str]] | None = None,
        appreciation: str = "",
        members: Sequence[Member | str] = (),
    ) -> Event:
        """The commission's result (``session.verdict``): a mark out of 20 (half points),
        ``reserved`` or not; NV (with one of ``NV_REASONS``) or absent; or, for a CCF
        situation before the last, ``situation_done`` (its mark comes with the last one).

        ``fields`` are the fiche's, by id (those of ``run.fiche_fields()``); ``appreciation``
        is the value of the ``appreciation`` field, the one of a definition that declares
        none. A result entered again before the session is closed replaces the earlier
        one (both stay in the log); once closed with a result, only a correction
        (``correct_result``, with its reason) changes it.
        """
        self._refuse_if_cancelled()
        self.tick()  # a phase past its automatic end ends first: the log stays in time order
        if self.state.finished and self.state.verdict is not None:
            raise SessionError(t("engine.result_saved"))
        data = self._result_data(
            mark, outcome, reserved, nv_reason, situation_done, fields, appreciation, members
        )
        return self._emit(Kind.RESULT, data)

    def correct_result(
        self,
        reason: str,
        *,
        mark: float | None = None,
        outcome: str | None = None,
        reserved: bool = False,
        nv_reason: str | None = None,
        situation_done: bool = False,
        fields: Mapping[str, str | Sequence[str]] | None = None,
        members: Sequence[Member | str] = (),
    ) -> Event:
        """Correct the saved result of a closed session (a typo in the mark, a member's name).

        The whole result is given again, as ``set_result`` takes it, with the reason of
        the correction; it is a new ``result`` event naming the one it replaces
        (``corrects``). A correction that changes nothing is refused.
        """
        self._refuse_if_cancelled()
        verdict = self.state.verdict
        if not self.state.finished or verdict is None or self.state.result_seq is None:
            raise SessionError(t("engine.nothing_to_correct"))
        why = reason.strip()
        if not why:
            raise SessionError(t("engine.correction_reason"))
        if len(why) > MAX_REASON:
            raise SessionError(t("engine.reason_long", max=MAX_REASON))
        data = self._result_data(
            mark, outcome, reserved, nv_reason, situation_done, fields, "", members
        )
        if verdict.corrected(data).entered() == verdict.entered():
            raise SessionError(t("engine.correction_same"))
        data["corrects"] = self.state.result_seq
        data["reason"] = why
        return self._emit(Kind.RESULT, data)

    def cancel(self, reason: str) -> Event:
        """Cancel the session (started by mistake: wrong exam, misspelt name), with why.

        A running phase ends there; the session is closed, no longer resumable, and
        a result it holds no longer counts. The transcript stays as it is, with this
        last event: nothing more can be recorded in it.
        """
        self._refuse_if_cancelled()
        self.tick()
        why = reason.strip()
        if not why:
            raise SessionError(t("engine.cancel_reason"))
        if len(why) > MAX_REASON:
            raise SessionError(t("engine.reason_long", max=MAX_REASON))
        return self._emit(Kind.CANCELLED, {"reason": why})

    def settle_reservation(self, decision: Decision | str, reason: str | None = None) -> Event:
        """A reserved mark, after the check: released as given, or NV (with its reason)."""
        self._refuse_if_cancelled()
        verdict = self.state.verdict
        if verdict is None or not verdict.pending:
            raise SessionError(t("engine.not_reserved"))
        if decision not in set(Decision):
            raise SessionError(t("engine.decision", found=decision))
        data: dict[str, Any] = {"decision": str(decision)}
        if decision == Decision.NV:
            if reason not in NV_REASONS:
                raise SessionError(t("engine.nv_reason", choices=", ".join(NV_REASONS)))
            data["reason"] = reason
        return self._emit(Kind.RESERVATION_LIFTED, data)

    def finish(self, *, at: float | None = None) -> Event:
        """Close the session, now or at the session time ``at`` (the key press, before the
        confirmation): a running phase ends then; phases not run are marked skipped."""
        when = self._moment(at)
        self.tick(until=when)
        if self.state.finished:
            raise SessionError(t("engine.already_finished"))
        return self._emit(Kind.FINISHED, {}, t=when)

    def tick(self, *, until: float | None = None) -> list[Event]:
        """Apply what time alone causes: a phase that ends by itself at its planned end.

        The kiosk calls this when it repaints; the event is stamped at the exact
        planned end, however late the call comes. ``until``: only what happened
        up to that session time (an operation stamped at an earlier key press).
        """
        saved: list[Event] = []
        while True:
            current = self.state.current
            end_t = self.state.phase_end_t()
            if current is None or end_t is None or not self.run.phases[current].auto_end:
                return saved
            if (self.now() if until is None else until) < end_t:
                return saved
            saved.extend(self._end_at(end_t, carry_over=False, auto=True))

    def _moment(self, at: float | None) -> float:
        """The session time an operation is stamped at: now, or an earlier key press,
        never before the last event saved (the log stays in time order)."""
        now = self.now()
        if at is None:
            return now
        return min(now, max(round(at, 3), self.state.last_t))

    # --- internals ---------------------------------------------------------------

    def _refuse_if_cancelled(self) -> None:
        """Say "cancelled" before any other reason (``_emit`` refuses anyway)."""
        if self.state.cancelled is not None:
            raise _cancelled_error()

    def _stamp_phase(self) -> str | None:
        current = self.state.current
        if current is not None:
            return self.run.phases[current].id
        return None

    def _end_at(self, t: float, carry_over: bool | None, auto: bool) -> list[Event]:
        assert self.state.current is not None
        index = self.state.current
        phases = self.run.phases
        phase = phases[index]
        run = self.state.phases[index]
        remaining = run.planned_s - run.elapsed(t)
        carry = phase.carry_over if carry_over is None else carry_over
        carry = carry and not phase.preparation  # time alone "en loge" is never the oral's
        has_next = index + 1 < len(phases)
        data: dict[str, Any] = {"phase": phase.id, "early": remaining > 0.5}
        if auto:
            data["auto"] = True
        if carry and has_next and remaining > 0:
            data["carried_s"] = round(remaining, 3)
        saved = [self._emit(Kind.PHASE_ENDED, data, t=t)]
        if has_next and phases[index + 1].auto_start:
            saved.append(self._emit(Kind.PHASE_STARTED, {"phase": phases[index + 1].id}, t=t))
        return saved

    def _result_data(
        self,
        mark: float | None,
        outcome: str | None,
        reserved: bool,
        nv_reason: str | None,
        situation_done: bool,
        fields: Mapping[str, str | Sequence[str]] | None,
        appreciation: str,
        members: Sequence[Member | str],
    ) -> dict[str, Any]:
        """A ``result`` event's data, checked: the outcome, the fiche's fields, the members."""
        data = self._outcome_data(mark, outcome, reserved, nv_reason, situation_done)
        given = dict(fields or {})
        if appreciation.strip():
            given.setdefault("appreciation", appreciation)
        data["fields"] = _checked_fields(self.run.fiche_fields(), given)
        data["members"] = [m.to_data() if isinstance(m, Member) else m for m in _members(members)]
        return data

    def _outcome_data(
        self,
        mark: float | None,
        outcome: str | None,
        reserved: bool,
        nv_reason: str | None,
        situation_done: bool,
    ) -> dict[str, Any]:
        """The result's own keys, checked against what this session may record."""
        last = self.run.last
        given = [mark is not None, outcome is not None, situation_done]
        if sum(given) != 1 or (situation_done and last) or (mark is not None and not last):
            key = "engine.mark_or_outcome" if last else "engine.situation_or_outcome"
            raise SessionError(t(key))
        if mark is not None:
            if not 0 <= mark <= 20 or (mark * 2) != int(mark * 2):
                raise SessionError(t("engine.mark_range", found=mark))
            return {"mark": float(mark), **({"reserved": True} if reserved else {})}
        if reserved:
            raise SessionError(t("engine.reserved_needs_mark"))
        if situation_done:
            return {"situation_done": True}
        if outcome not in OUTCOMES:
            raise SessionError(t("engine.outcome", choices=", ".join(OUTCOMES)))
        if outcome == "nv":
            if nv_reason not in NV_REASONS:
                raise SessionError(t("engine.nv_reason", choices=", ".join(NV_REASONS)))
            return {"outcome": outcome, "nv_reason": nv_reason}
        return {"outcome": outcome}

    def _emit(self, kind: Kind, data: dict[str, Any], t: float | None = None) -> Event:
        self._refuse_if_cancelled()  # the one door: nothing follows a cancellation
        now = self.now()
        when = now if t is None else t
        wall = self.clock.wall()
        if when < now:
            wall = wall - timedelta(seconds=now - when)
        event = Event(
            seq=self.state.last_seq + 1,
            kind=str(kind),
            t=round(when, 3),
            at=wall.isoformat(timespec="milliseconds"),
            data=_clean(data),
        )
        self._sink(event)  # raises if it could not be saved: nothing below happens
        self.state.apply(event)
        self.events.append(event)
        return event


def _cancelled_error() -> SessionError:
    return SessionError(t("engine.cancelled"))


def _clean(value: Any) -> Any:
    """Plain data a transcript can hold: no ``None``, no lone surrogate from a broken terminal."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value if v is not None]
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _check_situation(exam: Exam, identity: SessionIdentity, continues: Continuation | None) -> None:
    """A CCF exam's session names its situation and épreuve; a later one continues another."""
    if not exam.ccf:
        if identity.situation or continues is not None:
            raise SessionError(t("engine.not_ccf", exam=exam.id))
        return
    try:
        run = exam.run(identity.situation)
    except ValueError as exc:
        raise SessionError(str(exc)) from None
    if not identity.epreuve_id:
        raise SessionError(t("engine.no_epreuve"))
    first = run.situation_id == exam.situations[0].id
    if first != (continues is None):
        raise SessionError(t("engine.continues" if first else "engine.needs_link"))


def _members(members: Sequence[Member | str]) -> list[Member | str]:
    """The names given, trimmed, the empty ones dropped."""
    out: list[Member | str] = []
    for m in members:
        if isinstance(m, Member):
            if m.name.strip():
                out.append(Member(m.name.strip(), m.role))
        elif m.strip():
            out.append(m.strip())
    return out


def _checked_fields(
    declared: Sequence[FicheField], given: Mapping[str, str | Sequence[str]]
) -> dict[str, Any]:
    """The fiche's values as recorded: those filled in, each of its field's kind."""
    by_id = {f.id: f for f in declared}
    out: dict[str, Any] = {}
    for field_id, raw in given.items():
        spec = by_id.get(field_id)
        if spec is None:
            known = ", ".join(by_id) or "—"
            raise SessionError(t("engine.unknown_field", found=field_id, known=known))
        value = _field_value(spec, raw)
        if value:
            out[field_id] = value
    return out


def _field_value(spec: FicheField, raw: str | Sequence[str]) -> str | list[str]:
    """One field's value checked against its kind (``SessionError`` when it is not one)."""
    choice_ids = [c.id for c in spec.choices]
    if spec.kind is FieldKind.CHOICES:
        ticked = [raw] if isinstance(raw, str) else list(raw)
        ticked = [x.strip() for x in ticked if x.strip()]
        if any(x not in choice_ids for x in ticked):
            raise SessionError(
                t("engine.field_choice", field=spec.id, choices=", ".join(choice_ids))
            )
        return [c for c in choice_ids if c in ticked]  # the fiche's order, each once
    if not isinstance(raw, str):
        raise SessionError(t("engine.field_text", field=spec.id))
    text = raw.strip()
    if len(text) > MAX_NOTE:
        raise SessionError(t("engine.note_long", max=MAX_NOTE))
    if not text:
        return ""
    if spec.kind is FieldKind.CHOICE and text not in choice_ids:
        raise SessionError(t("engine.field_choice", field=spec.id, choices=", ".join(choice_ids)))
    if spec.kind is FieldKind.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise SessionError(t("engine.field_date", field=spec.id, found=text)) from None
    return text
