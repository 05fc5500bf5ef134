"""The run screen: the timer, the phases, the grid and the notes of a session.

Time comes from the engine's clock, never from the UI: ``refresh_clock`` asks
the session where it stands, paints what changed, rings the bell on a
threshold or a planned end, sends a heartbeat, and schedules itself for the
next moment a shown value changes (nothing runs in between). Tests move a
FakeClock and call ``refresh_clock`` themselves.

The screen holds a list of sessions with one *current* one (one today; up to
``exam.max_candidates`` for the E5 practical later): every key acts on the
current session, every session is ticked and kept alive.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from ndrc_oral.transcript.store import SaveError
from ndrc_oral.tui import bindings
from ndrc_oral.tui.rescue import default_rescue_dir, redirect_all
from ndrc_oral.tui.screens.dialogs import (
    CarryDialog,
    ConfirmDialog,
    ExtendDialog,
    ReasonDialog,
    RedirectDialog,
)
from ndrc_oral.tui.screens.privacy import PrivacyScreen
from ndrc_oral.tui.view import (
    candidate_view,
    duration,
    next_change_in,
    phase_label,
    phase_rows,
    speaker_text,
    status_text,
    timer_view,
    total_line,
)
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NoteInput, NotesLog, wall_time
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

HEARTBEAT_S = 1.0
"""How often a running session tells the store it is alive (a crash loses at most this)."""

_LATE = 0.005
"""Repaint this long after a boundary, so the new value is certainly there."""

_LIVE_STATES = (Status.RUNNING, Status.PAUSED)


class RunScreen(Screen[None]):
    """The commission's (or the rehearsing student's) screen during a session."""

    BINDINGS = bindings.RUN

    def __init__(self, lives: Sequence[LiveSession], current: int = 0) -> None:
        super().__init__()
        if not lives:
            raise ValueError("a run screen needs a session")
        self.lives = list(lives)
        self.current = current
        self.general_note = False
        self.failure: str | None = None
        """The last save failure, while it is not resolved (the banner shows it)."""
        self.privacy: PrivacyScreen | None = None
        self._timer: Timer | None = None
        self._bell_phase: int | str | None = "unset"
        self._bell_warning = 0
        self._bell_end = False
        self._last_beat: dict[int, float] = {}
        self._last_status: Status | None = None

    # --- what the screen works on ------------------------------------------------------

    @property
    def live(self) -> LiveSession:
        """The current session (the one the keys act on)."""
        return self.lives[self.current]

    @property
    def session(self) -> Session:
        return self.live.session

    @property
    def exam(self) -> Exam:
        return self.session.exam

    @property
    def rehearsal(self) -> bool:
        return self.session.state.info.get("mode") == "rehearsal"

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self._top_text(), id="run-top", markup=False)
        yield SaveBanner(id="save-banner")
        with Horizontal(id="run-upper"):
            yield TimerPanel(id="run-timer")
            yield PhaseList(id="run-phases")
        with Horizontal(id="run-lower"):
            grid = GridList(self.exam, self.session.state.ratings, id="run-grid")
            grid.border_title = t("tui.grid.title")
            grid.border_subtitle = self._rating_hint()
            yield grid
            notes = NotesLog(self.exam, id="run-notes")
            notes.border_title = t("tui.notes.title")
            yield notes
        with Vertical(id="note-box"):
            yield NoteInput(placeholder=t("tui.notes.placeholder"), id="note-input", compact=True)
            yield Static("", id="run-saved", markup=False)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.rehearsal:
            self.add_class("-rehearsal")
        self.query_one(NotesLog).add_notes(self.session.state.notes)
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
        parts.append(t("tui.run.candidate", name=name, number=number) if number else name)
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

    def _rating_hint(self) -> str:
        levels = self.exam.level_codes()[: bindings.MAX_LEVEL_KEYS]
        return t("tui.grid.hint", n=len(levels), low=levels[0], high=levels[-1])

    # --- the clock ----------------------------------------------------------------------------

    def refresh_clock(self) -> None:
        """Repaint from the clock; ring, beat and schedule the next repaint. Cheap when idle."""
        self._stop_timer()
        ring = False
        for live in self.lives:
            try:
                events = live.session.tick()
            except SaveError as exc:  # a phase that ends by itself could not be saved
                self._save_failed(t("tui.save.what.timing"), exc)
                events = []
            if live is self.live and any(e.kind == Kind.PHASE_ENDED for e in events):
                ring = True  # the planned end of a phase that ends by itself
        snap = self.session.snapshot()
        ring = self._crossed(snap) or ring
        if ring:
            self.app.bell()
        self._paint(snap)
        self._beat()
        delay = next_change_in(snap)
        if any(live.session.status in _LIVE_STATES for live in self.lives):
            delay = HEARTBEAT_S if delay is None else min(delay, HEARTBEAT_S)
        if delay is not None:
            self._timer = self.set_timer(delay + _LATE, self.refresh_clock)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _crossed(self, snap: Snapshot) -> bool:
        """Whether a warning threshold or the planned end was passed since the last repaint."""
        key = snap.phase_index if snap.status in _LIVE_STATES else None
        ended = snap.status is Status.RUNNING and snap.remaining_s <= 0
        if key != self._bell_phase:
            # Another phase (or none): what it shows now is the baseline, no bell.
            self._bell_phase = key
            self._bell_warning = snap.warning
            self._bell_end = ended
            return False
        ring = snap.warning > self._bell_warning or (ended and not self._bell_end)
        self._bell_warning = snap.warning  # an extension lowers it: the bell can ring again
        self._bell_end = ended
        return ring and snap.status is Status.RUNNING

    def _paint(self, snap: Snapshot) -> None:
        paused_for = 0.0
        state = self.session.state
        if snap.status is Status.PAUSED and state.current is not None:
            paused_for = self.session.now() - state.phases[state.current].pauses[-1].start
        self.query_one(TimerPanel).show(
            timer_view(snap),
            phase_label(self.exam, snap.phase_index),
            speaker_text(self.exam, snap.phase_index),
            status_text(snap, self.exam, self._keys(), paused_for=paused_for),
        )
        self.query_one(PhaseList).show(phase_rows(snap, state), total_line(snap))
        if self.privacy is not None:
            self.privacy.show(candidate_view(snap, self.exam))
        if snap.status is not self._last_status:
            self._last_status = snap.status
            self.refresh_bindings()

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
        for i, live in enumerate(self.lives):
            if live.session.status not in _LIVE_STATES:
                continue
            now = live.session.now()
            last = self._last_beat.get(i)
            if last is None or now - last >= HEARTBEAT_S - 0.05:
                live.heartbeat()
                self._last_beat[i] = now

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
        if action == "note_mode":
            return bool(parameters and parameters[0]) != self.general_note
        return True

    def action_start(self) -> None:
        self._do(t("tui.save.what.start"), self.session.start)

    def action_pause(self) -> None:
        def paused(reason: str | None) -> None:
            if reason is not None:
                self._do(t("tui.save.what.pause"), lambda: self.session.pause(reason))

        self.app.push_screen(ReasonDialog(t("tui.pause.title"), t("tui.pause.default")), paused)

    def action_resume(self) -> None:
        self._do(t("tui.save.what.resume"), self.session.resume)

    def action_end_phase(self) -> None:
        self.session.tick()
        index = self.session.state.current
        if index is None:
            self.refresh_clock()
            return
        snap = self.session.snapshot()
        label = phase_label(self.exam, index)
        what = t("tui.save.what.end_phase")
        if snap.remaining_s < 0.5:  # at or past the planned end: nothing to ask
            self._do(what, self.session.end_phase)
            return
        left = duration(snap.remaining_s)
        if index + 1 < len(self.exam.phases):

            def carried(carry: bool | None) -> None:
                if carry is not None:
                    self._do(what, lambda: self.session.end_phase(carry_over=carry))

            default = self.exam.phases[index].carry_over
            next_label = phase_label(self.exam, index + 1)
            self.app.push_screen(CarryDialog(label, left, next_label, default), carried)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._do(what, self.session.end_phase)

        question = t("tui.end_phase.confirm", phase=label, left=left)
        self.app.push_screen(
            ConfirmDialog(question, t("tui.end_phase.yes"), t("tui.dialog.no")), confirmed
        )

    def action_extend(self) -> None:
        state = self.session.state
        index = state.current if state.current is not None else state.next_index

        def extended(answer: tuple[float, str] | None) -> None:
            if answer is not None:
                seconds, reason = answer
                self._do(t("tui.save.what.extend"), lambda: self.session.extend(seconds, reason))

        self.app.push_screen(ExtendDialog(phase_label(self.exam, index)), extended)

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

    def action_finish(self) -> None:
        status = self.session.status
        if status is Status.OVER:
            self._conclude()
            return
        remaining = sum(
            1 for v in self.session.snapshot().phases if v.state in ("pending", "running")
        )

        def confirmed(yes: bool | None) -> None:
            if yes and self._do(t("tui.save.what.finish"), self.session.finish):
                self._conclude()

        question = t("tui.finish.confirm", n=remaining)
        self.app.push_screen(
            ConfirmDialog(question, t("tui.finish.yes"), t("tui.dialog.no")), confirmed
        )

    def _conclude(self) -> None:
        """The result form (live) or the student's summary (rehearsal)."""
        self._stop_timer()
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
        grid = self.query_one(GridList)
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
        self.query_one(GridList).move(step)

    # --- the note ------------------------------------------------------------------------------------

    @on(Input.Submitted, "#note-input")
    def _save_note(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        if len(text) > MAX_NOTE:
            self.notify(t("tui.notes.too_long", max=MAX_NOTE), severity="error")
            return
        criterion = None if self.general_note else self.query_one(GridList).criterion
        before = len(self.session.state.notes)
        if self._do(t("tui.save.what.note"), lambda: self.session.note(text, criterion)):
            event.input.value = ""
            self.query_one(NotesLog).add_notes(self.session.state.notes[before:])

    @on(OptionList.OptionHighlighted, "#run-grid")
    def _criterion_moved(self) -> None:
        self._update_note_title()

    @on(OptionList.OptionSelected, "#run-grid")
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
            criterion = self.query_one(GridList).criterion
            crit = self.exam.criterion(criterion) if criterion else None
            label = crit.label.get(language()) if crit else "—"
            box.border_title = t("tui.notes.mode_criterion", criterion=label)
            box.set_class(False, "-general")
        box.border_subtitle = t("tui.notes.mode_hint", key=key)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
