"""The commission's day, as an application: what each key of the day's screen does. No Textual.

``DayRoom`` holds an open day (``transcript.day_log.DayLog``) and the sessions
of the candidates who prepare (E4 ponctuel: the preparation is the first,
auto-ending phase of the candidate's own session, started when the
fiche-sujet is handed over; the oral phases then wait for the start key).
Each operation checks the slot's state, writes the session when there is one
(created from the roster, everything filled in), then records the day's fact;
a ``DayError`` says why not in one line. ``observe`` records what the
sessions did by themselves (a preparation that ended, a result saved), so the
day's file follows them; ``resume`` reopens, after a crash, the candidate
being examined and those preparing, each with their own time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from fractions import Fraction

from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.day_plan import DayPlan, PlanItem, plan_day
from ndrc_oral.exam_room.requests import SessionRequest, create_sessions, record_nv
from ndrc_oral.exams.fraction import parse_fraction
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.session.day import (
    LIVE_STATES,
    OPEN_STATES,
    PENDING_STATES,
    Convocation,
    DayKind,
    DayState,
    Slot,
    SlotState,
    maxima,
)
from ndrc_oral.session.events import Event, Kind
from ndrc_oral.session.identity import Member, SessionIdentity
from ndrc_oral.session.state import SessionState
from ndrc_oral.session.verdict import NV_REASONS
from ndrc_oral.transcript.day_log import DayLog, new_day
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import TranscriptError
from ndrc_oral.transcript.recorder import LiveSession, try_load_session
from ndrc_oral.transcript.writer import SaveError


class DayError(NdrcError):
    """A day's operation that cannot be done now (one line, in the user's language)."""


def preparation_phase(exam: Exam) -> bool:
    """Whether the exam begins with a preparation that ends by itself (E4 ponctuel)."""
    phases = exam.phases
    return bool(phases) and phases[0].preparation and phases[0].auto_end


def identity_for(convocation: Convocation, members: Sequence[Member] = ()) -> SessionIdentity:
    """The candidate's session identity, filled in from the roster."""
    return SessionIdentity(
        candidate=convocation.name,
        number=convocation.number,
        commission=convocation.commission,
        members=tuple(members),
        extra_time=convocation.extra_time,
        extra_time_reason=convocation.extra_time_reason,
    ).normalized()


@dataclass
class DayRoom:
    """An open day and the sessions of those preparing (slot -> their live session)."""

    log: DayLog
    store: Store
    catalog: Catalog
    clock: Clock
    members: tuple[Member, ...] = ()
    """The commission's members, recorded in each session created from the day."""
    preparing: dict[int, LiveSession] = field(default_factory=dict)

    @property
    def state(self) -> DayState:
        return self.log.state

    def slot(self, number: int) -> Slot:
        try:
            return self.state.slot(number)
        except KeyError:
            raise DayError(t("day.error.no_slot", slot=number)) from None

    def exam(self, slot: Slot) -> Exam:
        return self.catalog.get(slot.exam_id)

    def request(self, slot: Slot) -> SessionRequest:
        return SessionRequest(slot.exam_id, identity_for(slot.convocation, self.members))

    # --- facts without a timer -------------------------------------------------------------

    def sign_in(self, number: int) -> None:
        slot = self._in(number, (SlotState.EXPECTED,), "day.error.not_expected")
        self._record(DayKind.SIGNED_IN, {"slot": slot.number})

    def absent(self, number: int) -> None:
        slot = self._in(number, OPEN_STATES, "day.error.started")
        self._record(DayKind.ABSENT, {"slot": slot.number})

    def new_slot(self, number: int, day: date, at: time) -> None:
        slot = self._in(number, (SlotState.ABSENT,), "day.error.not_absent")
        self._record(
            DayKind.NEW_SLOT,
            {"slot": slot.number, "date": day.isoformat(), "time": at.strftime("%H:%M")},
        )

    def nv(self, number: int, reason: str) -> str:
        """NV at the conformity check: the session's result, without a timer; its id."""
        slot = self._in(number, OPEN_STATES, "day.error.started")
        if reason not in NV_REASONS:
            raise DayError(t("engine.nv_reason", choices=", ".join(NV_REASONS)))
        live = record_nv(self.store, self.exam(slot), self.clock, self.request(slot), reason)
        self._record(
            DayKind.NV, {"slot": slot.number, "reason": reason, "session": live.session_id}
        )
        return live.session_id

    # --- the preparation and the oral --------------------------------------------------------

    def hand_over(self, number: int, fiche: str) -> LiveSession:
        """The fiche-sujet handed over: the candidate's session made, their preparation runs."""
        slot = self._in(number, OPEN_STATES, "day.error.started")
        exam = self.exam(slot)
        if not preparation_phase(exam):
            raise DayError(t("day.error.no_preparation", exam=exam.id))
        if not fiche.strip():
            raise DayError(t("day.error.no_fiche"))
        self._sign_in_first(slot)
        [live] = create_sessions(self.store, exam, self.clock, [self.request(slot)])
        try:
            live.session.start()
        except SaveError:
            live.close()
            raise
        self.preparing[slot.number] = live
        self._record(DayKind.HANDED_OVER, {"slot": slot.number, "fiche": fiche.strip()})
        self._record(DayKind.PREPARATION_STARTED, {"slot": slot.number, "session": live.session_id})
        return live

    def call(self, number: int) -> LiveSession:
        """Call the candidate in: their session (made now, or the one they prepared in).

        A candidate still preparing is not called (their preparation is their time).
        """
        slot = self._in(
            number, (*OPEN_STATES, SlotState.PREPARING, SlotState.WAITING), "day.error.started"
        )
        self.observe()
        slot = self.slot(number)
        if slot.state is SlotState.PREPARING:
            raise DayError(t("day.error.preparing", name=slot.name))
        if slot.state is SlotState.WAITING:
            live = self.preparing.pop(slot.number)
            waited = self._since(slot.prep_ended_at)
        else:
            exam = self.exam(slot)
            if preparation_phase(exam):
                raise DayError(t("day.error.fiche_first", name=slot.name))
            self._sign_in_first(slot)
            [live] = create_sessions(self.store, exam, self.clock, [self.request(slot)])
            waited = None
        called: dict[str, object] = {"slot": slot.number}
        if waited is not None:
            called["waited_s"] = round(waited, 3)
        self._record(DayKind.CALLED, called)
        self._record(DayKind.EXAMINED, {"slot": slot.number, "session": live.session_id})
        return live

    def observe(self) -> None:
        """Record what the sessions did by themselves: a preparation over, an oral done."""
        for slot in self.state.in_state(SlotState.PREPARING):
            live = self.preparing.get(slot.number)
            if live is None:
                continue
            live.session.tick()
            ended = _preparation_end(live.session.state, live.session.events)
            if ended is not None:
                self._record(
                    DayKind.PREPARATION_ENDED,
                    {"slot": slot.number, "session": live.session_id, "at": ended},
                )
        for slot in self.state.in_state(SlotState.EXAMINED):
            self.session_closed(slot.session)

    def session_closed(self, session_id: str | None) -> None:
        """The oral in ``session_id`` may be over (its result saved, or cancelled): if so,
        the day records it done, with its outcome."""
        slot = next(
            (s for s in self.state.in_state(SlotState.EXAMINED) if s.session == session_id),
            None,
        )
        if slot is None or session_id is None:
            return
        try:
            loaded = try_load_session(self.store.resolve(session_id))
        except TranscriptError:
            return
        if loaded is None or not loaded.state.finished:
            return
        data: dict[str, object] = {"slot": slot.number, "session": session_id}
        data.update(_outcome(loaded.state))
        self._record(DayKind.DONE, data)

    # --- after a crash -------------------------------------------------------------------------

    def resume(self) -> tuple[list[LiveSession], list[str]]:
        """Reopen the day's unfinished sessions after a crash: the candidates examined (the
        run screen's first seats) and those preparing (kept here). Also the messages of
        any that cannot be reopened."""
        from ndrc_oral.transcript.recorder import resume_session

        examined: list[LiveSession] = []
        problems: list[str] = []
        for slot in self.state.in_state(*LIVE_STATES):
            if slot.session is None or slot.number in self.preparing:
                continue
            try:
                live = resume_session(self.store, slot.session, self.clock)
            except NdrcError as exc:
                problems.append(str(exc))
                continue
            if slot.state is SlotState.EXAMINED:
                examined.append(live)
            else:
                self.preparing[slot.number] = live
        self.observe()
        return examined, problems

    def close(self) -> None:
        for live in self.preparing.values():
            live.close()
        self.preparing.clear()
        self.log.close()

    # --- the plan and the summary -------------------------------------------------------------

    def plan(self, oral_left: dict[str, float] | None = None) -> DayPlan:
        """The plan at the clock's time (``oral_left``: session id -> planned time left of
        the orals running, as the run screen reads them)."""
        return plan_day(self.plan_items(oral_left or {}), self.clock.wall())

    def plan_items(self, oral_left: dict[str, float]) -> list[PlanItem]:
        items: list[PlanItem] = []
        for slot in self.state.in_state(*PENDING_STATES):
            try:
                prep_s, oral_s = maxima(self.exam(slot), _extra(slot))
            except NdrcError:
                continue  # its exam's definition is gone from this machine: not planned
            started = _when(slot.prep_started_at)
            left = oral_left.get(slot.session or "")
            if left is None and slot.state is SlotState.EXAMINED:
                # Not read from a running screen: the time since the call counts as used.
                left = oral_s - (self._since(slot.examined_at) or 0.0)
            items.append(
                PlanItem(
                    slot=slot.number,
                    convoked=slot.convoked(),
                    prep_s=prep_s,
                    oral_s=oral_s,
                    state=slot.state,
                    prep_started=started,
                    oral_left_s=left,
                )
            )
        return items

    def next_after(self, session_id: str) -> Slot | None:
        """Who comes after the candidate of ``session_id`` (the run screen's header)."""
        for slot in self.state.in_state(SlotState.WAITING, SlotState.PREPARING, *OPEN_STATES):
            if slot.session != session_id:
                return slot
        return None

    # --- internals ---------------------------------------------------------------------------

    def _in(self, number: int, states: Sequence[SlotState], error: str) -> Slot:
        slot = self.slot(number)
        if slot.state not in states:
            raise DayError(t(error, name=slot.name, state=t(f"day.state.{slot.state}")))
        return slot

    def _sign_in_first(self, slot: Slot) -> None:
        # Called in or given a fiche: they are here, whether the sheet was signed first or not.
        if slot.state is SlotState.EXPECTED:
            self._record(DayKind.SIGNED_IN, {"slot": slot.number})

    def _record(self, kind: DayKind, data: dict[str, object]) -> None:
        self.log.record(kind, dict(data))

    def _since(self, iso: str | None) -> float | None:
        when = _when(iso)
        return None if when is None else max(0.0, (self.clock.wall() - when).total_seconds())


def open_room(
    store: Store,
    catalog: Catalog,
    clock: Clock,
    source: str,
    rows: Sequence[Convocation],
) -> DayRoom:
    """A new day from an imported roster."""
    return DayRoom(new_day(store, clock, source, rows), store, catalog, clock)


def _preparation_end(state: SessionState, events: Sequence[Event]) -> str | None:
    """The wall time the session's preparation ended, once it has."""
    first = state.phases[0] if state.phases else None
    if first is None or first.ended is None:
        return None
    for event in events:
        if event.kind == Kind.PHASE_ENDED and event.data.get("phase") == first.id:
            return event.at
    return None


def _outcome(state: SessionState) -> dict[str, object]:
    if state.cancelled is not None:
        return {"outcome": "cancelled"}
    verdict = state.verdict
    if verdict is None:
        return {"outcome": "none"}
    if verdict.outcome is not None:
        return {"outcome": verdict.outcome}
    data: dict[str, object] = {"outcome": "mark"}
    if verdict.mark is not None:
        data["mark"] = verdict.mark
    if verdict.reserved:
        data["reserved"] = True
    return data


def _extra(slot: Slot) -> Fraction:
    extra = slot.convocation.extra_time
    try:
        return parse_fraction(extra) if extra else Fraction(0)
    except ValueError:
        return Fraction(0)


def _when(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None
