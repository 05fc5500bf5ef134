"""The terminal is resized mid-session from 200x60 down to 20x8 and back.

No crash; below 80x24 the "too small" message shows (saying the timer goes
on), and it goes away when the window is big enough again; a question that
was open is still open, with what was typed in it. The timer never stops: here
nothing but the run screen's own timer repaints it (the heartbeat is made
short so that it fires within milliseconds), while the FakeClock moves.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui.conftest import kiosk, live_session

from ndrc_oral.exam_room import clock_loop
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.formatting import hms
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.dialogs import ReasonDialog
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.screens.too_small import TooSmallScreen
from ndrc_oral.tui.widgets.timer import TimerPanel

SIZES = [(200, 60), (120, 40), (80, 24), (79, 24), (40, 12), (20, 8), (80, 23), (80, 24), (200, 60)]


@pytest.fixture(autouse=True)
def _fast_repaint(monkeypatch: pytest.MonkeyPatch) -> None:
    # The screen repaints itself at least every HEARTBEAT_S: 20 ms instead of 1 s.
    monkeypatch.setattr(clock_loop, "HEARTBEAT_S", 0.02)


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``condition`` holds (its own timers do the work; the bound
    is what only a screen that never repaints would cross, on a loaded machine)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the screen's own timer did not repaint"
        await pilot.pause(0.005)


def too_small(app: object) -> bool:
    return isinstance(getattr(app, "screen", None), TooSmallScreen)


async def test_resizing_down_to_20x8_and_back_never_stops_the_timer(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=SIZES[0]) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        panel = screen.query_one(TimerPanel)
        await pilot.press("f2")
        elapsed = 0
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            small = width < 80 or height < 24
            assert too_small(app) == small, (width, height)
            if small:
                message = str(app.screen.query_one("#too-small").render())
                assert "Agrandissez" in message and "continue" in message
            clock.advance(7)
            elapsed += 7
            expected = hms(600 - elapsed)
            await until(pilot, lambda: panel.text == expected)  # noqa: B023 (awaited here)
            beat = store.last_seen(live.session_id)
            assert beat is not None and beat[0] == pytest.approx(elapsed, abs=0.05)
        assert app.screen is screen and live.session.status is Status.RUNNING
    assert app.return_code in (None, 0)


async def test_a_question_open_during_the_resize_keeps_what_was_typed(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2", "f3")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        dialog.query_one("#reason", Input).value = "Alarme incendie"
        await pilot.resize_terminal(20, 8)
        assert too_small(app)
        clock.advance(12)
        await pilot.resize_terminal(120, 40)
        assert app.screen is dialog
        assert dialog.query_one("#reason", Input).value == "Alarme incendie"
        await pilot.press("enter")
        assert app.screen is screen and live.session.status is Status.PAUSED
        # The pause began at the key press: the 12 s of the question were no one's.
        assert screen.query_one(TimerPanel).text == "10:00"


async def test_a_kiosk_started_in_a_tiny_terminal(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(20, 8)) as pilot:
        assert too_small(app)
        await pilot.press("f2")  # keys do not reach the run screen underneath
        assert live.session.status is Status.READY
        await pilot.resize_terminal(100, 30)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(3)
        await until(pilot, lambda: screen.query_one(TimerPanel).text == "09:57")
