"""The display's beat comes from the run screen's readings in a live phase, from the app's own
timer otherwise (issue 15, the floor of a second: one wake-up a second fewer).

Either way a record is rewritten at least every second while its session is open: the
candidate's display says "connexion perdue" when the beats stop, not before.
"""

from __future__ import annotations

from ndrc_oral.display.publisher import BEAT_S
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.screens.run import RunScreen
from tui.conftest import kiosk, live_session


async def test_a_live_phase_beats_from_its_readings_and_a_pause_between_phases_from_the_app(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    # The E4's preparation ends by itself, then waits for the commission to start the oral.
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock, "e4-ponctuel"))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        display = app.candidate_display
        assert not app.screen_keeps_beat  # ready: nothing moves, the screen sleeps
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen_keeps_beat
        for _ in range(3):
            record = display.latest()
            assert record is not None
            beat = record.beat
            clock.advance(BEAT_S)
            screen.refresh_clock()  # what its timer does each second
            record = display.latest()
            # Written by the reading itself: the same face, but a beat was due.
            assert record is not None and record.beat == beat + 1
            assert record.mono == clock.monotonic()
        clock.advance(2400)
        screen.refresh_clock()
        assert screen.desk.status is Status.BETWEEN
        assert not app.screen_keeps_beat  # nothing moves between phases: the app beats
        record = display.latest()
        assert record is not None
        beat = record.beat
        clock.advance(BEAT_S)
        display.beat()  # the app's timer, once a second
        record = display.latest()
        assert record is not None and record.beat == beat + 1
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen_keeps_beat
        await app.pop_screen()  # no more readings from that screen
        await pilot.pause()
        assert not app.screen_keeps_beat
