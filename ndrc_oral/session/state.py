"""The fold: events in, "where are we and how much time is left" out. Pure.

``SessionState.apply`` folds one event; ``fold`` folds a whole log. Nothing
here reads a clock: ``snapshot(now_t)`` is asked for a given session time, so
the same log always gives the same answer, live or reloaded from disk.

Remaining time is ``planned - (now - started - paused)``: it depends on the
monotonic session time only, never on the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ndrc_oral.session.epreuve import Carried, CarriedNote, CarriedSituation, Link
from ndrc_oral.session.events import Event, Kind
from ndrc_oral.session.identity import SessionIdentity
from ndrc_oral.session.verdict import Correction, Verdict

if TYPE_CHECKING:  # annotations only: folding a log needs no pydantic
    from ndrc_oral.exams.models import Exam, Run


class Status(StrEnum):
    """Where the session stands."""

    READY = "ready"
    """Created; the first phase waits for the start key."""
    RUNNING = "running"
    PAUSED = "paused"
    BETWEEN = "between"
    """A phase ended; the next one waits for the commission's start key."""
    OVER = "over"
    """Every phase has ended; the result is still to be entered."""
    FINISHED = "finished"


@dataclass(slots=True)
class Pause:
    """An interruption of a phase: from ``start`` to ``end`` (session seconds)."""

    start: float
    reason: str
    end: float | None = None


@dataclass(slots=True)
class PhaseRun:
    """What happened to one phase."""

    id: str
    base_s: float
    """The definition's duration, extra time included."""
    started: float | None = None
    ended: float | None = None
    paused_s: float = 0.0
    pauses: list[Pause] = field(default_factory=list)
    carried_in_s: float = 0.0
    carried_out_s: float = 0.0
    extensions: list[tuple[float, str]] = field(default_factory=list)
    early: bool = False
    skipped: bool = False
    milestones: list[Milestone] = field(default_factory=list)
    """The moments the commission marked in this phase, in order."""

    @property
    def planned_s(self) -> float:
        return self.base_s + self.carried_in_s + sum(s for s, _ in self.extensions)

    def elapsed(self, now: float) -> float:
        """Time the phase has run, pauses excluded."""
        if self.started is None:
            return 0.0
        end = self.ended if self.ended is not None else now
        open_pause = 0.0
        if self.pauses and self.pauses[-1].end is None:
            open_pause = end - self.pauses[-1].start
        return max(0.0, end - self.started - self.paused_s - open_pause)


@dataclass(frozen=True, slots=True)
class Milestone:
    """A moment marked in a phase (the entretien starts): its id, session time, offset."""

    id: str
    t: float
    offset_s: float


@dataclass(frozen=True, slots=True)
class PhaseView:
    """One phase as the screen shows it."""

    id: str
    planned_s: float
    elapsed_s: float
    overtime_s: float
    state: str
    """``pending``, ``running``, ``done`` or ``skipped``."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The state at one session time: what the timer shows."""

    status: Status
    phase_index: int | None
    """The current phase (the running or paused one; the next one when waiting)."""
    elapsed_s: float
    remaining_s: float
    overtime_s: float
    warning: int
    """How many of the current phase's warning thresholds have been passed."""
    pause_reason: str | None
    total_elapsed_s: float
    """Time run by the oral's phases (a preparation aside, as ``total_cap_s`` counts)."""
    total_planned_s: float
    """Time planned for the oral's phases (preparation and skipped phases aside)."""
    total_overtime_s: float
    """The oral's phases' overtime (a preparation aside)."""
    phases: tuple[PhaseView, ...]


@dataclass(frozen=True, slots=True)
class Cancellation:
    """The ``cancelled`` event: why, and when (wall time)."""

    seq: int
    at: str
    reason: str


@dataclass(slots=True)
class Note:
    """A note, stamped with its phase and time."""

    seq: int
    at: str
    t: float
    phase: str | None
    offset_s: float
    criterion: str | None
    text: str


@dataclass(slots=True)
class SessionState:
    """Everything the log says, folded. Compare two with ``==``."""

    exam: Exam
    run: Run = field(init=False)
    """What this session runs: the exam's phases, or its situation's (CCF)."""
    session_id: str = ""
    """The id the ``created`` event records ("" before it)."""
    identity: SessionIdentity = field(default_factory=SessionIdentity)
    """Who and how, parsed once from the ``created`` event."""
    phases: list[PhaseRun] = field(default_factory=list)
    current: int | None = None
    """Index of the running or paused phase."""
    next_index: int = 0
    """The phase the start key starts."""
    finished: bool = False
    """Closed: a ``finished`` or a ``cancelled`` event (no phase runs any more)."""
    cancelled: Cancellation | None = None
    """The session was cancelled (started by mistake): its result does not count."""
    notes: list[Note] = field(default_factory=list)
    ratings: dict[str, str] = field(default_factory=dict)
    """The grid: row id -> level (a later situation starts from the earlier ones')."""
    earlier_notes: list[CarriedNote] = field(default_factory=list)
    """The notes of the situations before this one (CCF), as carried at its creation."""
    link: Link | None = None
    """A later CCF situation: the one before, as it stood at this one's creation."""
    earlier_situations: list[CarriedSituation] = field(default_factory=list)
    """The situations before this one (CCF): their blocks of the fiche, as carried."""
    result: dict[str, Any] | None = None
    """The latest ``result`` event's data, as recorded (read it through ``verdict``)."""
    verdict: Verdict | None = None
    """The result, parsed and settled (``None`` before any result)."""
    result_seq: int | None = None
    """The seq of the latest ``result`` event (the one a correction names)."""
    corrections: list[Correction] = field(default_factory=list)
    """The corrections of the saved result, in order (``verdict`` is the last one's)."""
    incidents: list[dict[str, Any]] = field(default_factory=list)
    last_t: float = 0.0
    last_seq: int = -1
    created: bool = False

    def __post_init__(self) -> None:
        self.run = self.exam.first_run()

    # --- folding ---------------------------------------------------------

    def apply(self, event: Event) -> None:
        """Fold one event in (events come in ``seq`` order)."""
        handler = _HANDLERS.get(event.kind)
        if handler is not None:
            handler(self, event)
        self.last_t = max(self.last_t, event.t)
        self.last_seq = event.seq

    def _created(self, e: Event) -> None:
        self.session_id = str(e.data.get("id", ""))
        self.identity = SessionIdentity.from_created(e.data)
        self.created = True
        try:
            self.run = self.exam.run(self.identity.situation)
        except ValueError:  # a file made by hand: its first situation, rather than nothing
            self.run = self.exam.first_run()
        carried = Carried.from_data(e.data.get("carried"))
        self.ratings = dict(carried.ratings)
        self.earlier_notes = list(carried.notes)
        self.earlier_situations = list(carried.situations)
        self.link = Link.from_data(e.data.get("link"))
        fraction = self.identity.extra_fraction()
        self.phases = [
            PhaseRun(
                id=p.id,
                base_s=float(
                    round(p.duration_s * (1 + fraction))
                    if self.exam.extra_time_applies(p.id)
                    else p.duration_s
                ),
            )
            for p in self.run.phases
        ]

    def _phase_started(self, e: Event) -> None:
        index = self.run.phase_index(str(e.data["phase"]))
        for skipped in self.phases[self.next_index : index]:
            skipped.skipped = True
        self.phases[index].started = e.t
        self.current = index
        self.next_index = index + 1

    def _phase_ended(self, e: Event) -> None:
        if self.current is None:
            return
        run = self.phases[self.current]
        self._close_pause(run, e.t)
        run.ended = e.t
        run.early = bool(e.data.get("early", False))
        carried = float(e.data.get("carried_s", 0.0))
        run.carried_out_s = carried
        if carried and self.current + 1 < len(self.phases):
            self.phases[self.current + 1].carried_in_s += carried
        self.current = None

    def _paused(self, e: Event) -> None:
        if self.current is not None:
            self.phases[self.current].pauses.append(
                Pause(start=e.t, reason=str(e.data.get("reason", "")))
            )

    def _pause_reason(self, e: Event) -> None:
        try:
            run = self.phases[self.run.phase_index(str(e.data.get("phase", "")))]
        except ValueError:
            return
        start = float(e.data.get("start_s", -1.0))
        for pause in reversed(run.pauses):
            if abs(pause.start - start) < 0.0005:
                pause.reason = str(e.data.get("reason", ""))
                return

    def _resumed(self, e: Event) -> None:
        if self.current is not None:
            self._close_pause(self.phases[self.current], e.t)

    def _recovered(self, e: Event) -> None:
        self.incidents.append(dict(e.data, t=e.t, at=e.at))
        if self.current is not None and not self.is_paused:
            reason = str(e.data.get("reason", "interruption"))
            self.phases[self.current].pauses.append(Pause(start=e.t, reason=reason))

    def _extended(self, e: Event) -> None:
        index = self.run.phase_index(str(e.data["phase"]))
        self.phases[index].extensions.append(
            (float(e.data["seconds"]), str(e.data.get("reason", "")))
        )

    def _note(self, e: Event) -> None:
        self.notes.append(
            Note(
                seq=e.seq,
                at=e.at,
                t=e.t,
                phase=e.data.get("phase"),
                offset_s=float(e.data.get("offset_s", 0.0)),
                criterion=e.data.get("criterion"),
                text=str(e.data.get("text", "")),
            )
        )

    def _rated(self, e: Event) -> None:
        level = str(e.data.get("level", ""))
        criterion = str(e.data["criterion"])
        if level:
            self.ratings[criterion] = level
        else:
            self.ratings.pop(criterion, None)

    def _milestone(self, e: Event) -> None:
        index = self.run.phase_index(str(e.data["phase"]))
        self.phases[index].milestones.append(
            Milestone(str(e.data["milestone"]), e.t, float(e.data.get("offset_s", 0.0)))
        )

    def _result(self, e: Event) -> None:
        before = self.verdict
        if "corrects" in e.data and before is not None:
            after = before.corrected(e.data)
            reason = str(e.data.get("reason", ""))
            self.corrections.append(Correction(e.seq, e.at, reason, before, after))
        else:
            after = Verdict.from_result(e.data)
        self.result = dict(e.data)
        self.verdict = after
        self.result_seq = e.seq

    def _reservation_lifted(self, e: Event) -> None:
        if self.verdict is not None:
            self.verdict = self.verdict.settled(e.data, e.at)

    def _cancelled(self, e: Event) -> None:
        self.cancelled = Cancellation(e.seq, e.at, str(e.data.get("reason", "")))
        if not self.finished:
            self._finished(e)

    def _finished(self, e: Event) -> None:
        if self.current is not None:
            self._phase_ended(e)
        for run in self.phases[self.next_index :]:
            run.skipped = True
        self.next_index = len(self.phases)
        self.finished = True

    @staticmethod
    def _close_pause(run: PhaseRun, t: float) -> None:
        if run.pauses and run.pauses[-1].end is None:
            run.pauses[-1].end = t
            run.paused_s += t - run.pauses[-1].start

    # --- reading ---------------------------------------------------------

    @property
    def is_paused(self) -> bool:
        if self.current is None:
            return False
        pauses = self.phases[self.current].pauses
        return bool(pauses) and pauses[-1].end is None

    @property
    def status(self) -> Status:
        if self.finished:
            return Status.FINISHED
        if self.current is not None:
            return Status.PAUSED if self.is_paused else Status.RUNNING
        if self.next_index >= len(self.phases):
            return Status.OVER
        if self.next_index == 0:
            return Status.READY
        return Status.BETWEEN

    def latest_pause(self) -> tuple[int, Pause] | None:
        """The phase index and the pause that started last (open or closed), if any."""
        found: tuple[int, Pause] | None = None
        for index, run in enumerate(self.phases):
            if run.pauses and (found is None or run.pauses[-1].start >= found[1].start):
                found = (index, run.pauses[-1])
        return found

    def phase_end_t(self) -> float | None:
        """Session time at which the running phase reaches its planned end (None if paused)."""
        if self.current is None or self.is_paused:
            return None
        run = self.phases[self.current]
        assert run.started is not None
        return run.started + run.paused_s + run.planned_s

    def snapshot(self, now: float) -> Snapshot:
        """What the timer shows at session time ``now``."""
        now = max(now, self.last_t)
        views = tuple(_view(run, i == self.current, now) for i, run in enumerate(self.phases))
        orals = [not phase.preparation for phase in self.run.phases]
        index = self.current if self.current is not None else self.next_index
        in_range = index < len(self.phases)
        elapsed = remaining = overtime = 0.0
        warning = 0
        pause_reason = None
        if in_range:
            run = self.phases[index]
            elapsed = run.elapsed(now)
            remaining = run.planned_s - elapsed
            overtime = max(0.0, -remaining)
            warnings = self.run.phases[index].warnings_s
            warning = sum(1 for w in warnings if remaining <= w) if run.started is not None else 0
            if self.is_paused:
                pause_reason = run.pauses[-1].reason
        return Snapshot(
            status=self.status,
            phase_index=index if in_range else None,
            elapsed_s=elapsed,
            remaining_s=remaining,
            overtime_s=overtime,
            warning=warning,
            pause_reason=pause_reason,
            # The oral only, as the exam's cap counts it: a preparation "en loge" aside.
            total_elapsed_s=sum(v.elapsed_s for v, oral in zip(views, orals, strict=True) if oral),
            # Time carried over is planned once, in the phase that received it.
            total_planned_s=sum(
                v.planned_s
                for v, oral in zip(views, orals, strict=True)
                if oral and v.state != "skipped"
            )
            - sum(run.carried_out_s for run, oral in zip(self.phases, orals, strict=True) if oral),
            total_overtime_s=sum(
                v.overtime_s for v, oral in zip(views, orals, strict=True) if oral
            ),
            phases=views,
        )


def _view(run: PhaseRun, running: bool, now: float) -> PhaseView:
    elapsed = run.elapsed(now)
    if run.skipped and run.started is None:
        state = "skipped"
    elif running:
        state = "running"
    elif run.ended is not None:
        state = "done"
    else:
        state = "pending"
    return PhaseView(
        id=run.id,
        planned_s=run.planned_s,
        elapsed_s=elapsed,
        overtime_s=max(0.0, elapsed - run.planned_s),
        state=state,
    )


_HANDLERS: dict[str, Callable[[SessionState, Event], None]] = {
    Kind.CREATED: SessionState._created,
    Kind.PHASE_STARTED: SessionState._phase_started,
    Kind.PHASE_ENDED: SessionState._phase_ended,
    Kind.PAUSED: SessionState._paused,
    Kind.PAUSE_REASON: SessionState._pause_reason,
    Kind.RESUMED: SessionState._resumed,
    Kind.RECOVERED: SessionState._recovered,
    Kind.EXTENDED: SessionState._extended,
    Kind.NOTE: SessionState._note,
    Kind.RATED: SessionState._rated,
    Kind.MILESTONE: SessionState._milestone,
    Kind.RESULT: SessionState._result,
    Kind.RESERVATION_LIFTED: SessionState._reservation_lifted,
    Kind.FINISHED: SessionState._finished,
    Kind.CANCELLED: SessionState._cancelled,
}


def fold(exam: Exam, events: Iterable[Event]) -> SessionState:
    """The state a whole log leads to."""
    state = SessionState(exam=exam)
    for event in events:
        state.apply(event)
    return state
