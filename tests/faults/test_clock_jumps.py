"""The wall clock jumps an hour (NTP, someone setting the time) during a session in the kiosk.

The remaining time shown never moves with it: not while a phase runs, not
during a pause, not across a quit and a resume. Only the labels (the time of
day written with each event) follow the wall clock.
"""

from __future__ import annotations

import pytest
from tui.conftest import kiosk, live_session

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.tui.dialogs import ReasonDialog
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.notes import NoteInput
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

HOUR = 3600.0


def shown(screen: RunScreen) -> tuple[str, str]:
    """The timer and the phase list's total, as painted."""
    phases = screen.query_one(PhaseList)
    return screen.query_one(TimerPanel).text, str(phases.border_subtitle or phases.border_title)


@pytest.mark.parametrize("jump", [HOUR, -HOUR], ids=["forward", "back"])
async def test_a_wall_clock_jump_does_not_move_the_timer(
    catalog: Catalog, store: Store, clock: FakeClock, jump: float
) -> None:
    live = live_session(catalog, store, clock)  # E6 CCF A: exposé 10:00
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(125.5)
        screen.refresh_clock()
        before = shown(screen)
        assert before[0] == "07:55"

        clock.jump_wall(jump)  # during the phase
        screen.refresh_clock()
        assert shown(screen) == before
        note = screen.query_one(NoteInput)
        note.value = "après le saut d'horloge"
        await pilot.press("enter")
        clock.advance(5)
        screen.refresh_clock()
        assert screen.query_one(TimerPanel).text == "07:50"

        await pilot.press("f3")  # a pause, and the clock jumps back during it
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("enter")
        clock.jump_wall(-jump)
        clock.advance(30)
        screen.refresh_clock()
        assert screen.query_one(TimerPanel).text == "07:50"
        assert "00:30" in str(screen.query_one("#timer-status").render())  # paused for 30 s
        await pilot.press("f3")
        clock.advance(10)
        screen.refresh_clock()
        assert screen.query_one(TimerPanel).text == "07:40"
    events = read_transcript(live.path).events
    note_event = next(e for e in events if e.kind == "note")
    assert note_event.data["offset_s"] == pytest.approx(125.5)  # the time into the phase
    # The label follows the wall clock (an hour off); the session time does not.
    start = next(e for e in events if e.kind == "phase_started")
    assert note_event.t - start.t == pytest.approx(125.5)


@pytest.mark.parametrize("jump", [HOUR, -HOUR], ids=["forward", "back"])
async def test_a_jump_while_the_kiosk_is_down_does_not_move_the_timer_either(
    catalog: Catalog, store: Store, clock: FakeClock, jump: float
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(200)
        screen.refresh_clock()  # the heartbeat: alive at 200 s
        await pilot.press("ctrl+q", "left", "enter")  # quit, the session stays resumable

    clock.advance(120)  # two minutes down...
    clock.jump_wall(jump)  # ...and the wall clock is set an hour off meanwhile
    again = kiosk(catalog, store, clock)
    async with again.run_test(size=(100, 30)) as pilot:
        assert isinstance(again.screen, HomeScreen)
        await again.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f4", "enter")
        run = again.screen
        assert isinstance(run, RunScreen)
        assert run.desk.status is Status.PAUSED
        assert run.query_one(TimerPanel).text == "06:40"  # 10:00 - 3:20, whatever the wall says
    recovered = [e for e in read_transcript(live.path).events if e.kind == "recovered"]
    downtime = recovered[-1].data["downtime_s"]
    # Measured on the wall clock (the only one that survives a restart): never negative.
    assert downtime == pytest.approx(max(0.0, 120 + jump), abs=1)
