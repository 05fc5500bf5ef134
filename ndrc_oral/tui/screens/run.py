"""The run screen: the timer, the phases, the grid and the notes of a session.

Time comes from the engine's clock, never from the UI: ``refresh_clock`` asks
the session where it stands, paints what changed, rings the bell on a
threshold or a planned end, sends a heartbeat, and schedules itself for the
next moment a shown value changes (nothing runs in between). Tests move a
FakeClock and call ``refresh_clock`` themselves.

The screen holds a list of sessions with one *current* one: one candidate,
or up to ``exam.max_candidates`` for the E5 practical, each with their own
timer, grid, notes and transcript. Every key acts on the current candidate;
every candidate is ticked, kept alive and rings at their own thresholds, and
the strip above the phases shows all their timers. One key switches, one
adds a candidate; a candidate's result leads back here while others remain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static

from ndrc_oral.errors import NdrcError
from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import language, t
from ndrc_oral.session.engine import MAX_NOTE, Session, SessionError
from ndrc_oral.session.events import Kind
from ndrc_oral.session.state import Snapshot, Status
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.transcript.report import duration
from ndrc_oral.transcript.writer import SaveError
from ndrc_oral.tui import bindings
from ndrc_oral.tui.rescue import default_rescue_dir, redirect_all
from ndrc_oral.tui.screens.add_candidate import AddCandidateDialog, NewCandidate
from ndrc_oral.tui.screens.dialogs import (
    CarryDialog,
    ConfirmDialog,
    ExtendDialog,
    ReasonDialog,
    RedirectDialog,
)
from ndrc_oral.tui.screens.privacy import PrivacyScreen
from ndrc_oral.tui.setup import SessionRequest, check_requests, create_session
from ndrc_oral.tui.view import (
    candidate_name,
    candidate_row,
    candidate_view,
    next_change_in,
    phase_label,
    phase_rows,
    speaker_text,
    status_text,
    timer_view,
    total_line,
)
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.candidates import CandidateStrip
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NoteInput, NotesLog, wall_time
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

HEARTBEAT_S = 1.0
"""How often a running session tells the store it is alive (a crash loses at most this)."""

_LATE = 0.005
"""Repaint this long after a boundary, so the new value is certainly there."""

_LIVE_STATES = (Status.RUNNING, Status.PAUSED)


@dataclass(eq=False)
class Seat:
    """One candidate on the screen: their session, their grid and notes, their bell state."""

    live: LiveSession
    pane: str
    """The id of the pane holding their grid and notes."""
    draft: str = ""
    """The note being typed when the examiner switched to another candidate."""
    bell_phase: int | str | None = "unset"
    bell_warning: int = 0
    bell_end: bool = False
    snap: Snapshot | None = field(default=None, repr=False)
    """The last snapshot painted (refreshed at each repaint)."""


class RunScreen(Screen[None]):
    """The commission's (or the rehearsing student's) screen during a session."""

    BINDINGS = bindings.RUN

    def __init__(self, lives: Sequence[LiveSession], current: int = 0) -> None:
        super().__init__()
        if not lives:
            raise ValueError("a run screen needs a session")
        self._panes = 0
        self.seats = [self._seat(live) for live in lives]
        self.current = current
        self.general_note = False
        self.failure: str | None = None
        """The last save failure, while it is not resolved (the banner shows it)."""
        self.privacy: PrivacyScreen | None = None
        self._timer: Timer | None = None
        self._last_status: Status | None = None
        self.multi = self.exam.max_candidates > 1 or len(self.seats) > 1
        """Several candidates may sit at once: the strip of candidates is shown."""

    def _seat(self, live: LiveSession) -> Seat:
        self._panes += 1
        return Seat(live, pane=f"run-pane-{self._panes}")

    # --- what the screen works on ------------------------------------------------------

    @property
    def lives(self) -> list[LiveSession]:
        """Every candidate's session, in screen order."""
        return [seat.live for seat in self.seats]

    @property
    def seat(self) -> Seat:
        return self.seats[self.current]

    @property
    def live(self) -> LiveSession:
        """The current session (the one the keys act on)."""
        return self.seat.live

    @property
    def session(self) -> Session:
        return self.live.session

    @property
    def exam(self) -> Exam:
        return self.session.exam

    @property
    def rehearsal(self) -> bool:
        return self.session.state.info.get("mode") == "rehearsal"

    def grid(self) -> GridList:
        """The current candidate's grid."""
        return self.query_one(f"#{self.seat.pane} GridList", GridList)

    def notes(self) -> NotesLog:
        """The current candidate's saved notes."""
        return self.query_one(f"#{self.seat.pane} NotesLog", NotesLog)

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._top_text(), id="run-top", markup=False)
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
                yield self._pane(seat)
        with Vertical(id="note-box"):
            yield NoteInput(placeholder=t("tui.notes.placeholder"), id="note-input", compact=True)
            yield Static("", id="run-saved", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def _pane(self, seat: Seat) -> Horizontal:
        """A candidate's grid and notes, shown while they are the current candidate."""
        session = seat.live.session
        grid = GridList(session.exam, session.state.ratings)
        grid.add_class("run-grid")
        grid.border_title = t("tui.grid.title")
        grid.border_subtitle = self._rating_hint(session.exam)
        notes = NotesLog(session.exam)
        notes.add_class("run-notes")
        notes.border_title = t("tui.notes.title")
        pane = Horizontal(grid, notes, id=seat.pane, classes="run-pane")
        pane.display = seat is self.seat
        return pane

    def on_mount(self) -> None:
        if self.rehearsal:
            self.add_class("-rehearsal")
        for seat in self.seats:
            notes = self.query_one(f"#{seat.pane} NotesLog", NotesLog)
            notes.add_notes(seat.live.session.state.notes)
        self._update_note_title()
        self.query_one("#note-input", NoteInput).focus()
        self.refresh_clock()

    def on_unmount(self) -> None:
        self._stop_timer()

    def _top_text(self) -> str:
        info = self.session.state.info
        candidate = info.get("candidate", {})
        name = str(candidate.get("name", "")) if isinstance(candidate, dict) else ""
        number = str(candidate.get("number", "")) if isinstance(candidate, dict) else ""
        parts = [t("tui.run.rehearsal") if self.rehearsal else t("tui.run.live")]
        who = t("tui.run.candidate", name=name, number=number) if number else name
        if len(self.seats) > 1:
            who = t("tui.run.position", n=self.current + 1, count=len(self.seats)) + " " + who
        parts.append(who)
        if info.get("commission"):
            parts.append(t("tui.run.commission", n=info["commission"]))
        extra = info.get("extra_time")
        if extra:
            parts.append(
                t("tui.run.tiers_temps") if extra == "1/3" else t("tui.run.extra", f=extra)
            )
        if info.get("cms"):
            parts.append(str(info["cms"]))
        parts.append(self.exam.title.get(language()))
        return " · ".join(parts)

    @staticmethod
    def _rating_hint(exam: Exam) -> str:
        levels = exam.level_codes()[: bindings.MAX_LEVEL_KEYS]
        return t("tui.grid.hint", n=len(levels), low=levels[0], high=levels[-1])

    # --- the clock ----------------------------------------------------------------------------

    def refresh_clock(self) -> None:
        """Repaint from the clock; ring, beat and schedule the next repaint. Cheap when idle."""
        self._stop_timer()
        ring = False
        delays: list[float] = []
        for seat in self.seats:
            session = seat.live.session
            try:
                events = session.tick()
            except SaveError as exc:  # a phase that ends by itself could not be saved
                self._save_failed(t("tui.save.what.timing"), exc)
                events = []
            snap = session.snapshot()
            seat.snap = snap
            auto_end = any(e.kind == Kind.PHASE_ENDED for e in events)
            crossed = self._crossed(seat, snap)
            if auto_end or crossed:
                ring = True  # a threshold, a planned end, or the end of a phase that ends by itself
                if seat is not self.seat:
                    self._tell_other(seat, snap, auto_end)
            delay = next_change_in(snap)
            if delay is not None:
                delays.append(delay)
            if session.status in _LIVE_STATES:
                delays.append(HEARTBEAT_S)
        if ring:
            self.app.bell()
        current = self.seat.snap
        assert current is not None
        self._paint(current)
        self._paint_strip()
        self._beat()
        if delays:
            self._timer = self.set_timer(min(delays) + _LATE, self.refresh_clock)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @staticmethod
    def _crossed(seat: Seat, snap: Snapshot) -> bool:
        """Whether a warning threshold or the planned end was passed since the last repaint."""
        key = snap.phase_index if snap.status in _LIVE_STATES else None
        ended = snap.status is Status.RUNNING and snap.remaining_s <= 0
        if key != seat.bell_phase:
            # Another phase (or none): what it shows now is the baseline, no bell.
            seat.bell_phase = key
            seat.bell_warning = snap.warning
            seat.bell_end = ended
            return False
        ring = snap.warning > seat.bell_warning or (ended and not seat.bell_end)
        seat.bell_warning = snap.warning  # an extension lowers it: the bell can ring again
        seat.bell_end = ended
        return ring and snap.status is Status.RUNNING

    def _tell_other(self, seat: Seat, snap: Snapshot, auto_end: bool) -> None:
        """A candidate who is not on screen reached a threshold: say who, with the bell."""
        session = seat.live.session
        name = candidate_name(session.state)
        if auto_end:
            ended = [v for v in snap.phases if v.state == "done"]
            phase = phase_label(session.exam, snap.phases.index(ended[-1])) if ended else ""
            message = t("tui.run.other_auto_end", name=name, phase=phase)
        elif snap.remaining_s <= 0:
            phase = phase_label(session.exam, snap.phase_index)
            message = t("tui.run.other_end", name=name, phase=phase)
        else:
            message = t("tui.run.other_warning", name=name, left=timer_view(snap).text)
        self.notify(message, severity="warning", timeout=10)

    def _paint(self, snap: Snapshot) -> None:
        paused_for = 0.0
        state = self.session.state
        if snap.status is Status.PAUSED and state.current is not None:
            paused_for = self.session.now() - state.phases[state.current].pauses[-1].start
        self.query_one(TimerPanel).show(
            timer_view(snap),
            phase_label(self.exam, snap.phase_index),
            speaker_text(self.exam, snap.phase_index),
            # A running phase's status names no key: the key list (a walk of every
            # binding) is only built when a status shows one.
            status_text(
                snap,
                self.exam,
                {} if snap.status is Status.RUNNING else self._keys(),
                paused_for=paused_for,
            ),
        )
        self.query_one(PhaseList).show(phase_rows(snap, state), total_line(snap))
        if self.privacy is not None:
            self.privacy.show(candidate_view(snap, self.exam))
        if snap.status is not self._last_status:
            self._last_status = snap.status
            self.refresh_bindings()

    def _paint_strip(self) -> None:
        if not self.multi:
            return
        rows = []
        for i, seat in enumerate(self.seats):
            snap = seat.snap
            assert snap is not None  # refresh_clock sets every seat's before painting
            rows.append(candidate_row(snap, seat.live.session.state, i + 1, i == self.current))
        self.query_one(CandidateStrip).show(rows, self._strip_hint())

    def _strip_hint(self) -> str:
        count, most = len(self.seats), self.exam.max_candidates
        switch = self.key_of(bindings.SWITCH)
        add = self.key_of(bindings.ADD_CANDIDATE)
        if count < most and count > 1:
            return t("tui.strip.both_hint", switch=switch, add=add, n=count, max=most)
        if count < most:
            return t("tui.strip.add_hint", key=add, n=count, max=most)
        return t("tui.strip.switch_hint", key=switch) if count > 1 else ""

    def _keys(self) -> dict[str, str]:
        """The keys the status line mentions, as the footer shows them."""
        return {
            "start": self.key_of(bindings.START),
            "resume": self.key_of(bindings.RESUME),
            "finish": self.key_of(bindings.FINISH),
        }

    def key_of(self, binding: Binding) -> str:
        """How the footer shows this binding's key (a keymap may have changed it)."""
        for active in self.active_bindings.values():
            if active.binding.id == binding.id:
                return self.app.get_key_display(active.binding)
        return self.app.get_key_display(binding)

    def _beat(self) -> None:
        # At every repaint: they come at least every HEARTBEAT_S, so a crash gives
        # back at most that much of the candidate's time. (A beat that waited a
        # second since the last one could skip a repaint: 1.6 s were measured.)
        for seat in self.seats:
            session = seat.live.session
            if session.status in _LIVE_STATES:
                seat.live.heartbeat()

    # --- saving ---------------------------------------------------------------------------------

    def _do(self, what: str, operation: Callable[[], Any]) -> bool:
        """Run one engine operation; True once saved. A failure is shown at once, loudly."""
        try:
            operation()
        except SaveError as exc:
            self._save_failed(what, exc)
            self.refresh_clock()
            return False
        except SessionError as exc:
            self.notify(str(exc), severity="warning")
            self.refresh_clock()
            return False
        self._saved(what)
        self.refresh_clock()
        return True

    def _saved(self, what: str) -> None:
        if self.failure is not None:  # saving works again (space was freed, the disk is back)
            self.failure = None
            self.query_one(SaveBanner).clear()
            self.notify(t("tui.save.recovered"), timeout=8)
            self.refresh_bindings()
        saved = self.query_one("#run-saved", Static)
        saved.update(
            t("tui.save.ok", what=what, at=wall_time(self.session.clock.wall().isoformat()))
        )
        saved.set_class(False, "-failed")

    def _save_failed(self, what: str, exc: NdrcError) -> None:
        failure = t("tui.save.failed", what=what, detail=str(exc))
        if failure == self.failure:
            return  # already on screen (an automatic end retried at each repaint): no new bell
        self.failure = failure
        key = self.key_of(bindings.REDIRECT)
        hint = t("tui.save.failed_hint", key=key)
        self.query_one(SaveBanner).alert(f"{self.failure}\n{hint}")
        saved = self.query_one("#run-saved", Static)
        saved.update(t("tui.save.not_saved", what=what))
        saved.set_class(True, "-failed")
        self.app.bell()
        self.refresh_bindings()

    # --- keys ---------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.session.status
        if action == "switch_candidate":
            return len(self.seats) > 1
        if action == "add_candidate":
            return self.multi and len(self.seats) < self.exam.max_candidates
        if action == "start":
            return status in (Status.READY, Status.BETWEEN)
        if action == "pause":
            return status is Status.RUNNING
        if action == "resume":
            return status is Status.PAUSED
        if action == "end_phase":
            return status in _LIVE_STATES
        if action == "extend":
            return status in (Status.READY, Status.RUNNING, Status.PAUSED, Status.BETWEEN)
        if action == "finish":
            return status is not Status.FINISHED
        if action == "redirect":
            return self.failure is not None
        if action in ("note_mode", "note_mode_quiet"):
            if (action == "note_mode_quiet") != self.multi:
                return False  # the footer names F7 on a one-candidate screen only
            return bool(parameters and parameters[0]) != self.general_note
        return True

    def action_start(self) -> None:
        self._do(t("tui.save.what.start"), self.session.start)

    def _whose(self, text: str) -> str:
        """With several candidates, a question says whose session it is about."""
        if len(self.seats) < 2:
            return text
        return t("tui.run.whose", name=candidate_name(self.session.state), text=text)

    def action_pause(self) -> None:
        session = self.session

        def paused(reason: str | None) -> None:
            if reason is not None:
                self._do(t("tui.save.what.pause"), lambda: session.pause(reason))

        title = self._whose(t("tui.pause.title"))
        self.app.push_screen(ReasonDialog(title, t("tui.pause.default")), paused)

    def action_resume(self) -> None:
        self._do(t("tui.save.what.resume"), self.session.resume)

    def action_end_phase(self) -> None:
        session = self.session
        session.tick()
        index = session.state.current
        if index is None:
            self.refresh_clock()
            return
        snap = session.snapshot()
        label = phase_label(self.exam, index)
        what = t("tui.save.what.end_phase")
        if snap.remaining_s < 0.5:  # at or past the planned end: nothing to ask
            self._do(what, session.end_phase)
            return
        left = duration(snap.remaining_s)
        if index + 1 < len(self.exam.phases):

            def carried(carry: bool | None) -> None:
                if carry is not None:
                    self._do(what, lambda: session.end_phase(carry_over=carry))

            default = self.exam.phases[index].carry_over
            next_label = phase_label(self.exam, index + 1)
            dialog = CarryDialog(self._whose(label), left, next_label, default)
            self.app.push_screen(dialog, carried)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._do(what, session.end_phase)

        question = self._whose(t("tui.end_phase.confirm", phase=label, left=left))
        self.app.push_screen(
            ConfirmDialog(question, t("tui.end_phase.yes"), t("tui.dialog.no")), confirmed
        )

    def action_extend(self) -> None:
        session = self.session
        state = session.state
        index = state.current if state.current is not None else state.next_index

        def extended(answer: tuple[float, str] | None) -> None:
            if answer is not None:
                seconds, reason = answer
                self._do(t("tui.save.what.extend"), lambda: session.extend(seconds, reason))

        label = self._whose(phase_label(self.exam, index))
        self.app.push_screen(ExtendDialog(label), extended)

    def action_privacy(self) -> None:
        if self.privacy is not None:
            return
        self.privacy = PrivacyScreen(candidate_view(self.session.snapshot(), self.exam))

        def back(_: None) -> None:
            self.privacy = None
            self.refresh_clock()

        self.app.push_screen(self.privacy, back)

    def action_note_mode(self, general: int) -> None:
        """Tie the next notes to no criterion (1) or to the highlighted one (0)."""
        self.general_note = bool(general)
        self._update_note_title()
        self.refresh_bindings()

    def action_note_mode_quiet(self, general: int) -> None:
        """The same, from the binding that has no footer entry (several candidates)."""
        self.action_note_mode(general)

    def action_finish(self) -> None:
        status = self.session.status
        if status in (Status.OVER, Status.FINISHED):
            self._conclude()
            return
        remaining = sum(
            1 for v in self.session.snapshot().phases if v.state in ("pending", "running")
        )

        session = self.session

        def confirmed(yes: bool | None) -> None:
            # The result form is for the current candidate: the one the question named.
            if (
                yes
                and session is self.session
                and self._do(t("tui.save.what.finish"), session.finish)
            ):
                self._conclude()

        question = self._whose(t("tui.finish.confirm", n=remaining))
        self.app.push_screen(
            ConfirmDialog(question, t("tui.finish.yes"), t("tui.dialog.no")), confirmed
        )

    def _conclude(self) -> None:
        """The result form (live) or the student's summary (rehearsal).

        The screen's clock keeps going underneath: the other candidates' timers,
        bells and heartbeats do not wait for this one's result.
        """
        if self.rehearsal:
            from ndrc_oral.tui.screens.summary import SummaryScreen

            if not self.session.state.finished and not self._do(
                t("tui.save.what.finish"), self.session.finish
            ):
                return
            self.app.push_screen(SummaryScreen(self.live))
        else:
            from ndrc_oral.tui.screens.result import ResultScreen

            def back(_: None) -> None:
                self.refresh_clock()

            self.app.push_screen(ResultScreen(self.live), back)

    def action_redirect(self) -> None:
        if self.failure is None:
            return

        def attempt(directory: Any) -> str | None:
            return redirect_all(self.lives, directory)

        def moved(directory: Any) -> None:
            if directory is None:
                return
            self.failure = None
            self.query_one(SaveBanner).clear()
            app: Any = self.app
            app.data_moved(directory)
            self.notify(t("tui.redirect.done", path=directory), timeout=8)
            self.refresh_bindings()

        self.app.push_screen(RedirectDialog(self.failure, default_rescue_dir(), attempt), moved)

    def action_rate(self, index: int) -> None:
        grid = self.grid()
        criterion = grid.criterion
        if criterion is None:
            self.notify(t("tui.grid.no_criterion"), severity="warning")
            return
        levels = self.exam.level_codes()
        if index > len(levels):
            self.notify(t("tui.grid.no_level", n=index, max=len(levels)), severity="warning")
            return
        level = levels[index - 1] if index else None
        if self.session.state.ratings.get(criterion) == level:
            return
        crit = self.exam.criterion(criterion)
        label = crit.label.get(language()) if crit else criterion
        what = t("tui.save.what.rating", level=level or "—", criterion=_short(label))
        if self._do(what, lambda: self.session.rate(criterion, level)):
            grid.show_level(criterion, self.session.state.ratings.get(criterion))

    def action_grid_move(self, step: int) -> None:
        self.grid().move(step)

    # --- several candidates (E5) -----------------------------------------------------------------

    def action_switch_candidate(self) -> None:
        """The next candidate becomes the current one (the keys act on them)."""
        if len(self.seats) > 1:
            self.show_candidate((self.current + 1) % len(self.seats))

    @on(CandidateStrip.Picked)
    def _picked(self, message: CandidateStrip.Picked) -> None:
        self.show_candidate(message.index)

    def show_candidate(self, index: int) -> None:
        """Make the candidate at ``index`` current: their timer, grid, notes and draft note."""
        if not 0 <= index < len(self.seats) or index == self.current:
            return
        note = self.query_one("#note-input", NoteInput)
        grid_focused = self.focused is not None and self.focused is self.grid()
        self.seat.draft = note.value  # a half-typed note stays with its candidate
        self.current = index
        self._show_pane()
        note.value = self.seat.draft
        note.cursor_position = len(note.value)
        self._after_switch()
        (self.grid() if grid_focused else note).focus()

    def _show_pane(self) -> None:
        """Only the current candidate's grid and notes are shown."""
        for pane in self.query(".run-pane"):
            pane.display = pane.id == self.seat.pane

    def _after_switch(self) -> None:
        """Everything that shows the current candidate follows the new one."""
        self.query_one("#run-top", Static).update(self._top_text())
        self.set_class(self.rehearsal, "-rehearsal")
        saved = self.query_one("#run-saved", Static)
        saved.update("")
        saved.set_class(False, "-failed")
        self._last_status = None  # the footer follows the new candidate's state
        self._update_note_title()
        self.refresh_clock()

    def action_add_candidate(self) -> None:
        """Another candidate on the same subject, up to the exam's maximum."""
        most = self.exam.max_candidates
        if len(self.seats) >= most:
            self.notify(t("tui.run.full", max=most), severity="warning")
            return
        info = self.session.state.info
        cms = f" · {info['cms']}" if info.get("cms") else ""
        title = t("tui.add.title", n=len(self.seats) + 1, max=most, cms=cms)

        def added(done: bool | None) -> None:
            if done:
                name = candidate_name(self.session.state)
                key = self.key_of(bindings.SWITCH)
                self.notify(t("tui.run.added", name=name, key=key), timeout=8)

        self.app.push_screen(AddCandidateDialog(title, self._add), added)

    def _add(self, new: NewCandidate) -> str | None:
        """Create the new candidate's session with the subject's settings; the problem, if any."""
        info = self.session.state.info
        request = SessionRequest(
            exam_id=self.exam.id,
            candidate=new.name,
            number=new.number,
            commission=str(info.get("commission", "")),
            members=tuple(str(m) for m in info.get("members", [])),
            rehearsal=self.rehearsal,
            extra_time=new.extra_time,
            extra_time_reason=new.extra_time_reason,
            cms=str(info["cms"]) if info.get("cms") else None,
            group=str(info["group"]) if info.get("group") else None,
        )
        app: Any = self.app
        others = [_request_of(seat.live) for seat in self.seats]
        checked = check_requests(app.catalog, [*others, request])
        if checked.errors:
            return checked.errors[0]
        try:
            live = create_session(app.store, self.exam, self.session.clock, request)
        except NdrcError as exc:
            return str(exc)
        self.add_live(live)
        return None

    def add_live(self, live: LiveSession) -> None:
        """Put one more candidate on the screen and make them current (once their pane is up)."""
        seat = self._seat(live)
        self.seats.append(seat)
        self.call_later(self._mount_seat, seat)

    async def _mount_seat(self, seat: Seat) -> None:
        await self.query_one("#run-lower").mount(self._pane(seat))
        notes = self.query_one(f"#{seat.pane} NotesLog", NotesLog)
        notes.add_notes(seat.live.session.state.notes)
        if seat in self.seats:
            self.show_candidate(self.seats.index(seat))

    def remove_live(self, live: LiveSession) -> int:
        """Take a candidate off the screen (their session is over); how many remain.

        The next candidate in screen order becomes current.
        """
        index = next((i for i, seat in enumerate(self.seats) if seat.live is live), None)
        if index is None:
            return len(self.seats)
        if len(self.seats) == 1:
            return 0
        gone = self.seats.pop(index)
        self.query_one(f"#{gone.pane}").remove()
        if index < self.current or self.current >= len(self.seats):
            self.current = max(0, self.current - 1) if index < self.current else 0
        self.current = min(self.current, len(self.seats) - 1)
        self._show_pane()
        note = self.query_one("#note-input", NoteInput)
        note.value = self.seat.draft
        self._after_switch()
        note.focus()
        return len(self.seats)

    # --- the note ------------------------------------------------------------------------------------

    @on(Input.Submitted, "#note-input")
    def _save_note(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        if len(text) > MAX_NOTE:
            self.notify(t("tui.notes.too_long", max=MAX_NOTE), severity="error")
            return
        criterion = None if self.general_note else self.grid().criterion
        session, notes = self.session, self.notes()  # the candidate the note was typed for
        before = len(session.state.notes)
        if self._do(t("tui.save.what.note"), lambda: session.note(text, criterion)):
            event.input.value = ""
            notes.add_notes(session.state.notes[before:])

    @on(OptionList.OptionHighlighted, ".run-grid")
    def _criterion_moved(self) -> None:
        self._update_note_title()

    @on(OptionList.OptionSelected, ".run-grid")
    def _criterion_chosen(self) -> None:
        self.query_one("#note-input", NoteInput).focus()

    @on(GridList.TypedText)
    def _typed_on_grid(self, message: GridList.TypedText) -> None:
        note = self.query_one("#note-input", NoteInput)
        note.focus()
        note.insert_text_at_cursor(message.character)

    def _update_note_title(self) -> None:
        box = self.query_one("#note-box", Vertical)
        key = self.key_of(bindings.NOTE_CRITERION if self.general_note else bindings.NOTE_GENERAL)
        if self.general_note:
            box.border_title = t("tui.notes.mode_general")
            box.set_class(True, "-general")
        else:
            criterion = self.grid().criterion
            crit = self.exam.criterion(criterion) if criterion else None
            label = crit.label.get(language()) if crit else "—"
            box.border_title = t("tui.notes.mode_criterion", criterion=label)
            box.set_class(False, "-general")
        box.border_subtitle = t("tui.notes.mode_hint", key=key)
        if len(self.seats) > 1:  # several candidates: the note box says whose note it is
            name = candidate_name(self.session.state)
            box.border_title = t("tui.run.whose", name=name, text=box.border_title)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _request_of(live: LiveSession) -> SessionRequest:
    """The request a session was made from (enough to check a newcomer against it)."""
    info = live.session.state.info
    candidate = info.get("candidate", {})
    number = str(candidate.get("number", "")) if isinstance(candidate, dict) else ""
    return SessionRequest(
        exam_id=live.session.exam.id,
        candidate=candidate_name(live.session.state),
        number=number,
        cms=str(info["cms"]) if info.get("cms") else None,
    )
