"""A crash gives back at most a second of the candidate's time (the kiosk's promise).

The run screen notes, at each repaint, the session time it has reached (the
heartbeat); a resume starts again from there. Repaints come when a shown
value changes and after each key. Here the screen's own schedule is followed
on a FakeClock (the delay its timer was set to), with notes, pauses and
resumes at random moments in between; the age of the heartbeat is measured
just before each repaint or key, the moments a crash loses the most.
"""

from __future__ import annotations

import random

import pytest
from textual.widgets import Input
from tui.conftest import kiosk, live_session

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.dialogs import ReasonDialog
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.notes import NoteInput


@pytest.mark.parametrize("seed", [2])
async def test_the_heartbeat_is_never_more_than_a_second_old(
    catalog: Catalog, store: Store, clock: FakeClock, seed: int
) -> None:
    rng = random.Random(seed)
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        worst = 0.0
        next_key = rng.uniform(0.0, 2.0)
        for _ in range(60):
            timer = screen._timer
            assert timer is not None  # a running phase always has its next repaint set
            repaint = timer._interval
            step = min(repaint, next_key)
            clock.advance(step)
            beat = store.last_seen(live.session_id)
            assert beat is not None
            worst = max(worst, live.session.now() - beat[0])  # a crash now gives this back
            if step == repaint:
                screen.refresh_clock()  # what the timer does when it fires
                next_key -= step
                continue
            if live.session.status is Status.PAUSED:
                await pilot.press("f3")
            elif rng.random() < 0.1:
                await pilot.press("f3")
                assert isinstance(app.screen, ReasonDialog)
                app.screen.query_one(Input).value = "bruit"
                await pilot.press("enter")
            else:
                screen.query_one(NoteInput).value = "note"
                await pilot.press("enter")
            next_key = rng.uniform(0.0, 2.0)
        assert worst <= 1.01, worst
