"""The run screen's alerts: a sound, a flash of the timer, the bell, and the candidate's display.

After every reading the clock loop's plan says which alert each running
candidate has next (``upcoming``) and which were found crossed (``alerts``).
The upcoming ones are handed to the app's ``Alarm``, whose thread plays each
at its moment even when this screen's repaint is late; a crossed one the
alarm has not played (the kiosk was behind) is played now. Either way an
alert is played once (its ``CueId``). Playing it means: the chime (if sound
is on and a player exists), a flash of the timer (if on), the bell (if on, or
when there is no player), and a new cue in the candidate's display record.
Every reading also refreshes the display's record of each candidate.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import TYPE_CHECKING

from textual.timer import Timer

from ndrc_oral.alerts.alarm import Action, Scheduled
from ndrc_oral.display.record import FLASH_S
from ndrc_oral.exam_room.clock_loop import Plan
from ndrc_oral.tui.screens.run.seats import Seat
from ndrc_oral.tui.widgets.timer import TimerPanel

if TYPE_CHECKING:
    from ndrc_oral.tui.screens.run.screen import RunScreen


class Alerting:
    """Plays the run screen's alerts and publishes its candidates' timers."""

    def __init__(self, screen: RunScreen) -> None:
        self._screen = screen
        self._unflash: Timer | None = None

    def after(self, plan: Plan) -> None:
        """Play what was crossed and not yet played; schedule what is next; publish."""
        screen = self._screen
        app = screen.kiosk
        seats: dict[Hashable, Seat] = {seat.pane: seat for seat in screen.seats}
        for alert in plan.alerts:
            seat = seats.get(alert.key)
            if seat is not None:
                app.alarm.fire(alert.cue, self._action(seat))
        now = app.clock.monotonic()
        app.alarm.arm(
            [
                Scheduled(u.cue, now + u.in_s, self._action(seats[u.cue.key]))
                for u in plan.upcoming
                if u.cue.key in seats
            ]
        )
        for seat in screen.seats:
            if seat.snap is not None:
                app.candidate_display.show(seat.desk.session_id, seat.snap, seat.desk.run)

    def _action(self, seat: Seat) -> Action:
        """What playing an alert of this candidate does (from the alarm's thread, or here)."""
        app = self._screen.kiosk
        session_id, pane = seat.desk.session_id, seat.pane

        def play() -> None:
            if app.settings.alerts.sound:
                app.sound.play()
            app.candidate_display.cue(session_id)
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # the alarm's thread: the screen is the app's thread's
                app.call_from_thread(self.shown, pane)
            else:
                self.shown(pane)

        return play

    def shown(self, pane: str) -> None:
        """The screen's part of an alert: flash the timer, ring the bell."""
        screen = self._screen
        app = screen.kiosk
        alerts = app.settings.alerts
        if alerts.bell or (alerts.sound and not app.sound.available):
            app.bell()
        if not alerts.flash or not screen.is_mounted or pane != screen.seat.pane:
            return
        self.flash(True)
        if self._unflash is not None:
            self._unflash.stop()
        self._unflash = screen.set_timer(FLASH_S, lambda: self.flash(False))

    def flash(self, on: bool) -> None:
        """The timer (and the candidate's view, if shown) in reverse video, or back."""
        screen = self._screen
        screen.query_one(TimerPanel).set_class(on, "-flash")
        if screen.privacy is not None and screen.privacy.is_mounted:
            screen.privacy.flash(on)
