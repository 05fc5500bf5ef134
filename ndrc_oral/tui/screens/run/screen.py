"""The run screen: the timer, the phases, the grid and the notes of a session.

Time comes from the engine's clock, never from the UI: at each repaint the
screen reads every candidate and the clock loop (``exam_room.clock_loop``, a
pure state machine) says what to repaint, when to ring, whose heartbeat to
send and when to wake next; nothing runs in between. Tests move a FakeClock
and call ``refresh_clock`` themselves.

The screen holds a list of candidates with one *current* one: one candidate,
or up to ``exam.max_candidates`` for the E5 practical, each with their own
timer, grid, notes and transcript (``seats``). Every key acts on the current
candidate; every candidate is ticked, kept alive and rings at their own
thresholds, and the strip above the phases shows all their timers.

Each job has its home: the candidates and their panes (``seats``), the
painting (``painting``), the operations that ask first (``operations``), the
note box and the grid (``notes``); every engine call goes through the save
guard (``GuardedScreen``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static

from ndrc_oral import formatting
from ndrc_oral.display.publisher import BEAT_S
from ndrc_oral.exam_room.clock_loop import LATE_S, ClockLoop, Reading
from ndrc_oral.exam_room.day import DayRoom
from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.exam_room.view import next_milestone
from ndrc_oral.exams.models import Exam, Run
from ndrc_oral.i18n import t
from ndrc_oral.session.events import Kind
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.tui import bindings
from ndrc_oral.tui.screens.guarded import GuardedScreen
from ndrc_oral.tui.screens.privacy import PrivacyScreen
from ndrc_oral.tui.screens.run.alerts import Alerting
from ndrc_oral.tui.screens.run.notes import NoteAndGrid
from ndrc_oral.tui.screens.run.operations import Operations
from ndrc_oral.tui.screens.run.painting import Painter, alert_message, paused_for
from ndrc_oral.tui.screens.run.seats import Panes, Seat, Seats
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.candidates import CandidateStrip
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NoteInput
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

_LIVE_STATES = (Status.RUNNING, Status.PAUSED)
UPPER_ROWS = 8
"""The timer's row at its smallest (the 3-row digits; ``app.tcss``'s ``#run-upper``)."""


class RunScreen(GuardedScreen):
    """The commission's (or the rehearsing student's) screen during a session."""

    BINDINGS = bindings.RUN

    def __init__(
        self, lives: Sequence[LiveSession], current: int = 0, *, day: DayRoom | None = None
    ) -> None:
        super().__init__()
        self.day = day
        """The commission's day the candidates come from (the next one is named on top; a
        candidate preparing beside the oral starts only when called from the day)."""
        self.seats = Seats(self.guard, lives, current)
        """The candidates, in screen order; ``seats.current`` is the one the keys act on."""
        self.panes = Panes(self)
        self.painter = Painter(self)
        self.operations = Operations(self)
        self.notes = NoteAndGrid(self)
        self.alerting = Alerting(self)
        self.loop = ClockLoop()
        self.privacy: PrivacyScreen | None = None
        """The candidate's view, while it is shown (F6)."""
        self._timer: Timer | None = None
        self.multi = self.exam.max_candidates > 1 or len(self.seats) > 1
        """Several candidates may sit at once: the strip of candidates is shown."""

    # --- what the screen works on ------------------------------------------------------

    @property
    def current(self) -> int:
        return self.seats.current

    @property
    def seat(self) -> Seat:
        return self.seats.seat

    @property
    def desk(self) -> GuardedSession:
        """The current session (the one the keys act on)."""
        return self.seats.seat.desk

    @property
    def desks(self) -> list[GuardedSession]:
        """Every candidate's session, in screen order."""
        return self.seats.desks

    @property
    def exam(self) -> Exam:
        return self.desk.exam

    @property
    def run(self) -> Run:
        """What the current session runs (the exam's phases, or its situation's)."""
        return self.desk.run

    @property
    def general_note(self) -> bool:
        return self.notes.general

    def rescued(self) -> Sequence[GuardedSession]:
        return self.desks

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.painter.top_text(), id="run-top", markup=False)
        yield SaveBanner(id="save-banner")
        with Horizontal(id="run-upper"):
            yield TimerPanel(id="run-timer")
            if self.multi:
                with Vertical(id="run-side"):
                    yield CandidateStrip(id="run-strip")
                    yield PhaseList(id="run-phases")
            else:
                yield PhaseList(id="run-phases")
        with Vertical(id="run-lower"):
            for seat in self.seats:
                yield self.panes.build(seat)
        with Vertical(id="note-box"):
            yield NoteInput(placeholder=t("tui.notes.placeholder"), id="note-input")
            yield Static("", id="run-saved", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        self.set_class(self.desk.identity.rehearsal, "-rehearsal")
        for seat in self.seats:
            self.panes.fill(seat)
        self.notes.update_title()
        self.notes.note_input().focus()
        self.kiosk.say_no_sound_once()
        self.refresh_clock()

    def on_unmount(self) -> None:
        self._stop_timer()
        self.kiosk.screen_beats(None)  # no more readings from here: the app beats again

    # --- the clock ----------------------------------------------------------------------------

    def refresh_clock(self) -> None:
        """Read every candidate now and repaint the current one; ring, beat, schedule."""
        self._step(force=True)

    def _wake(self) -> None:
        self._timer = None
        self._step(force=False)

    def _step(self, *, force: bool) -> None:
        self._stop_timer()
        readings = [self._read(seat) for seat in self.seats]
        plan = self.loop.step(readings)
        for alert in plan.alerts:
            if alert.key != self.seat.pane:  # someone not on screen: say who, with the bell
                desk = next(s.desk for s in self.seats if s.pane == alert.key)
                self.notify(alert_message(alert, desk), severity="warning", timeout=10)
        current = self.seat
        if force or current.pane in plan.repaint:
            mine = next(r for r in readings if r.key == current.pane)
            # The reading's pause, as the loop compared it (a second reading could differ).
            self.painter.paint(mine.snapshot, mine.paused_for)
        if self.multi and (force or plan.repaint):
            self.painter.paint_strip()
        # At every reading: they come at least every HEARTBEAT_S, so a crash gives back
        # at most that much of the candidate's time.
        for seat in self.seats:
            if seat.pane in plan.beat:
                seat.desk.heartbeat()
        # The chime, the flash, the bell (once per alert, on time), and the candidate's display.
        self.alerting.after(plan)
        # A live phase reads again within a beat: the records' beats come from here then.
        steady = plan.wake_in is not None and plan.wake_in <= BEAT_S + LATE_S
        self.kiosk.screen_beats([s.desk.session_id for s in self.seats] if steady else None)
        if plan.wake_in is not None:
            self._timer = self.set_timer(plan.wake_in, self._wake)

    def _read(self, seat: Seat) -> Reading:
        events = seat.desk.tick() or []  # a phase that ends by itself; a failure: the banner
        seat.snap = seat.desk.snapshot()
        index = seat.snap.phase_index
        return Reading(
            seat.pane,
            seat.snap,
            paused_for=paused_for(seat.desk),
            auto_ended=any(e.kind == Kind.PHASE_ENDED for e in events),
            warnings_s=tuple(seat.desk.run.phases[index].warnings_s) if index is not None else (),
        )

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    # --- what the guard says (every operation goes through ``self.guard``) ----------------

    def on_operation_done(self) -> None:
        self.refresh_clock()

    def show_saved(self, what: str, at: datetime) -> None:
        saved = self.query_one("#run-saved", Static)
        saved.update(t("tui.save.ok", what=what, at=formatting.clock_time(at.isoformat())))
        saved.set_class(False, "-failed")

    def show_not_saved(self, what: str) -> None:
        saved = self.query_one("#run-saved", Static)
        saved.update(t("tui.save.not_saved", what=what))
        saved.set_class(True, "-failed")

    # --- keys ---------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.desk.status
        if action == "switch_candidate":
            return len(self.seats) > 1
        if action == "add_candidate":
            return self.multi and len(self.seats) < self.exam.max_candidates
        if action == "start":
            return status in (Status.READY, Status.BETWEEN) and not self.preparing(self.desk)
        if action == "pause":
            return status is Status.RUNNING
        if action == "resume":
            return status is Status.PAUSED
        if action == "pause_reason":
            return status is not Status.FINISHED and self.desk.state.latest_pause() is not None
        if action == "end_phase":
            return status in _LIVE_STATES
        if action == "extend":
            return status in (Status.READY, Status.RUNNING, Status.PAUSED, Status.BETWEEN)
        if action == "finish":
            return status is not Status.FINISHED
        if action == "milestone":
            return next_milestone(self.desk.state) is not None
        if action == "redirect":
            return self.failure is not None
        if action in ("note_mode", "note_mode_quiet"):
            if (action == "note_mode_quiet") != self.multi:
                return False  # the footer names F7 on a one-candidate screen only
            return bool(parameters and parameters[0]) != self.notes.general
        return True

    def preparing(self, desk: GuardedSession) -> bool:
        """Whether ``desk`` is a candidate of the day preparing (not called in yet)."""
        if self.day is None:
            return False
        return any(live.session_id == desk.session_id for live in self.day.preparing.values())

    def action_start(self) -> None:
        self.desk.start()

    def action_pause(self) -> None:
        self.operations.pause()

    def action_resume(self) -> None:
        self.desk.resume()

    def action_pause_reason(self) -> None:
        self.operations.ask_pause_reason()

    def action_end_phase(self) -> None:
        self.operations.end_phase()

    def action_extend(self) -> None:
        self.operations.extend()

    def action_privacy(self) -> None:
        self.operations.privacy()

    def action_finish(self) -> None:
        self.operations.finish()

    def action_milestone(self) -> None:
        """Mark the running phase's next milestone now (the entretien starts)."""
        milestone = next_milestone(self.desk.state)
        if milestone is not None:
            self.desk.milestone(milestone.id)

    def action_add_candidate(self) -> None:
        self.operations.add_candidate()

    def action_note_mode(self, general: int) -> None:
        """Tie the next notes to no criterion (1) or to the highlighted one (0)."""
        self.notes.set_general(bool(general))

    def action_note_mode_quiet(self, general: int) -> None:
        """The same, from the binding that has no footer entry (several candidates)."""
        self.action_note_mode(general)

    def action_rate(self, index: int) -> None:
        self.notes.rate(index)

    def action_grid_move(self, step: int) -> None:
        self.notes.grid_move(step)

    def action_switch_candidate(self) -> None:
        """The next candidate becomes the current one (the keys act on them)."""
        if len(self.seats) > 1:
            self.show_candidate((self.current + 1) % len(self.seats))

    # --- messages from the widgets --------------------------------------------------------------

    @on(Input.Submitted, "#note-input")
    def _save_note(self, event: Input.Submitted) -> None:
        self.notes.save(event.value)

    @on(OptionList.OptionHighlighted, ".run-grid")
    def _criterion_moved(self) -> None:
        self.notes.update_title()

    @on(OptionList.OptionSelected, ".run-grid")
    def _criterion_chosen(self) -> None:
        self.notes.note_input().focus()

    @on(GridList.TypedText)
    def _typed_on_grid(self, message: GridList.TypedText) -> None:
        self.notes.typed_on_grid(message.character)

    @on(TimerPanel.Scaled)
    def _timer_scaled(self, message: TimerPanel.Scaled) -> None:
        """Bigger digits in a bigger window: the timer's row grows, the grid keeps the rest."""
        self.query_one("#run-upper").styles.height = max(UPPER_ROWS, message.height)

    @on(CandidateStrip.Picked)
    def _picked(self, message: CandidateStrip.Picked) -> None:
        self.show_candidate(message.index)

    # --- several candidates (E5) -----------------------------------------------------------------

    def show_candidate(self, index: int) -> None:
        """Make the candidate at ``index`` current: their timer, grid, notes and draft note."""
        if not 0 <= index < len(self.seats) or index == self.current:
            return
        self.notes.leave()
        self.seats.current = index
        self._candidate_changed()

    def add_live(self, live: LiveSession) -> None:
        """Put one more candidate on the screen and make them current (once their pane is up)."""
        seat = self.seats.add(live)
        self.call_later(self._mount_seat, seat)

    async def _mount_seat(self, seat: Seat) -> None:
        await self.panes.mount(seat)
        if seat in self.seats:
            self.show_candidate(self.seats.index(seat))

    def remove_desk(self, desk: GuardedSession) -> int:
        """Take a candidate off the screen (their session is over); how many remain.

        The next candidate in screen order becomes current.
        """
        if len(self.seats) == 1 and self.seats[0].desk == desk:
            return 0
        gone = self.seats.remove(desk)
        if gone is None:
            return len(self.seats)
        self.panes.remove(gone)
        self.loop.forget(gone.pane)
        self._candidate_changed(keep_focus=False)
        return len(self.seats)

    def _candidate_changed(self, *, keep_focus: bool = True) -> None:
        """Everything that shows the current candidate follows the new one."""
        self.panes.show_current()
        self.notes.arrive(keep_focus=keep_focus)
        self.painter.candidate_changed()
        self.set_class(self.desk.identity.rehearsal, "-rehearsal")
        saved = self.query_one("#run-saved", Static)
        saved.update("")
        saved.set_class(False, "-failed")
        self.refresh_clock()
