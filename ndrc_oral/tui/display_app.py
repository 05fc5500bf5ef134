"""``ndrc-oral display``: the candidate's own screen, in a second terminal (a projector, a monitor).

It follows the records the kiosk publishes for the sessions of one data
directory (``display.channel``): the session given, or the most recent live
one, and the next one when a new session starts. It paints the same
candidate's view as the kiosk's F6 (``PrivacyScreen``), built from the record
alone: a record has no field for a name, a grid, a rating or a note, so none
can reach this screen. Between records the timer counts down by itself (the
record says the time left at a ``CLOCK_MONOTONIC`` reading); when the kiosk's
beat stops for ``LOST_AFTER_S`` the screen says "connexion perdue", and it
comes back by itself when the kiosk does (a restart, a resumed session).

It repaints when what it shows changes: at the next second shown, when the
record changes (file notifications, or polling), when a flash ends, when the
link counts as lost.
"""

from __future__ import annotations

import contextlib

from textual.timer import Timer

from ndrc_oral.display.channel import Channel
from ndrc_oral.display.follow import Watcher
from ndrc_oral.display.record import LOST_AFTER_S, DisplayRecord, face, next_change_in
from ndrc_oral.exam_room.view import CandidateView, TimerView
from ndrc_oral.formatting import hms
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.session.tones import IDLE
from ndrc_oral.settings import Settings
from ndrc_oral.tui import bindings
from ndrc_oral.tui.screens.privacy import PrivacyScreen
from ndrc_oral.tui.themed import FREEZE_AFTER_S, ThemedApp, freeze_heap

COALESCE_S = 0.03
"""A change heard this close before the next reading is left to it (the same moment)."""

IDLE_RECHECK_S = 1.0
"""With no record to follow, look again this often (a new session, notifications or not)."""


def view_of(record: DisplayRecord | None, now: float) -> tuple[CandidateView, bool]:
    """What the display shows at ``now``, and whether the timer flashes."""
    if record is None:
        waiting = CandidateView(TimerView(hms(0), IDLE), "", "", t("display.waiting"))
        return waiting, False
    shown = face(record, now)
    if shown.lost:
        status = f"{t('display.lost')} — {t('display.lost_detail')}"
        view = CandidateView(TimerView(shown.text, IDLE), shown.phase, shown.speaker, status)
        return view, False
    view = CandidateView(
        TimerView(shown.text, shown.tone),
        shown.phase,
        shown.speaker,
        t(f"display.status.{shown.status}"),
        marker=shown.marker,
    )
    return view, shown.flash


class DisplayApp(ThemedApp):
    """The candidate's display: one full-screen view, fed by the kiosk's records."""

    BINDINGS = bindings.DISPLAY
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        channel: Channel,
        clock: Clock,
        *,
        session_id: str | None = None,
        settings: Settings | None = None,
        poll: bool | None = None,
        watch: bool = True,
    ) -> None:
        super().__init__(settings)
        self.channel = channel
        self.clock = clock
        self.session_id = session_id
        self.record: DisplayRecord | None = None
        """The record shown (the last one read)."""
        self.view: CandidateView | None = None
        self.flashing = False
        self._screen: PrivacyScreen | None = None
        self._timer: Timer | None = None
        self._due = 0.0
        """When the next reading is due (monotonic)."""
        display = self.settings.display
        self._poll_interval = display.poll_interval_s
        self.watcher: Watcher | None = None
        if watch:
            self.watcher = Watcher(
                channel.directory,
                self._changed_from_thread,
                poll=display.poll if poll is None else poll,
                interval=self._poll_interval,
                on_fallback=self._fell_back_from_thread,
            )

    def on_mount(self) -> None:
        now = self.clock.monotonic()
        self.record = self.channel.pick(self.session_id, now, lost_after=LOST_AFTER_S)
        self.view, _ = view_of(self.record, now)
        self._screen = PrivacyScreen(self.view, footer=False)  # painted with it when mounted
        self.push_screen(self._screen)
        if self.watcher is not None:
            self.watcher.start()
        self.call_after_refresh(self.refresh_display)
        self.set_timer(FREEZE_AFTER_S, freeze_heap)

    def on_unmount(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()

    def refresh_display(self) -> None:
        """Read the record again, paint what changed, and wake when the view next changes."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        now = self.clock.monotonic()
        self.record = self.channel.pick(self.session_id, now, lost_after=LOST_AFTER_S)
        view, flash = view_of(self.record, now)
        screen = self._screen
        if screen is not None and screen.is_mounted:
            if view != self.view:
                self.view = view
                screen.show(view)
            if flash != self.flashing:
                self.flashing = flash
                screen.flash(flash)
        delay = IDLE_RECHECK_S if self.record is None else next_change_in(self.record, now)
        self._due = now + delay + 0.005
        self._timer = self.set_timer(delay + 0.005, self.refresh_display)

    def changed(self) -> None:
        """The record may have changed (a notification, or polling): read it now.

        Unless the next reading is due within ``COALESCE_S``: a running kiosk
        writes at its second boundaries, when this display reads anyway.
        """
        if self._due - self.clock.monotonic() > COALESCE_S:
            self.refresh_display()

    def _changed_from_thread(self) -> None:
        with contextlib.suppress(RuntimeError):  # the app is closing: nothing to paint
            self.call_from_thread(self.changed)

    def _fell_back_from_thread(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self.notify, t("display.poll_fallback"), severity="warning")
