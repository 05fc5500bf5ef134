"""The candidate's view (F6) repaints the digit that changed, nothing more (issue 15).

Textual sends a changed widget from the start of its span on each line, and it
composites the screen under the top one whatever its opacity: a clock drawn as
one widget, over a run screen that kept painting its own (hidden) timer,
went out whole to the terminal every second, 10 kB/s. Here the FakeClock
moves by a second at a time and the test looks at what Textual is asked to
draw.
"""

from __future__ import annotations

import pytest
from textual.widget import Widget

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.dialogs import ReasonDialog
from ndrc_oral.tui.screens.privacy import PrivacyScreen
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.bigclock import BigClock
from ndrc_oral.tui.widgets.glyphs import Glyph
from ndrc_oral.tui.widgets.timer import TimerPanel
from tui.conftest import e5_running, kiosk, live_session, spy


async def test_a_second_on_the_candidate_view_redraws_one_glyph_not_the_screen(
    catalog: Catalog, store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with e5_running(catalog, store, clock) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f6")
        assert isinstance(app.screen, PrivacyScreen)
        await pilot.pause()
        # What each second asks Textual to redraw, read as the repaint asks it (no waiting
        # on the event loop, so nothing else of the app's can come in between).
        asked = spy(
            monkeypatch,
            Widget,
            "refresh",
            lambda w, *_, **__: w.character if isinstance(w, Glyph) else type(w).__name__,
        )
        for expected, glyph in (("39:56", "6"), ("39:55", "5"), ("39:54", "4")):
            asked.clear()
            clock.advance(1.0)
            screen.refresh_clock()
            assert asked == [glyph]  # the last digit alone: nothing of the screen below
            await pilot.pause()
            assert app.screen.query_one(BigClock).value == expected


async def test_the_commission_screen_is_right_again_after_the_candidate_view(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock, exam="e5-pratique")
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2", "f6")
        for _ in range(75):  # more than a minute behind the candidate's view
            clock.advance(1.0)
            screen.refresh_clock()
        await pilot.pause()
        assert app.screen.query_one(BigClock).value == "38:45"
        await pilot.press("f6")
        assert app.screen is screen
        assert screen.query_one(TimerPanel).text == "38:45"


async def test_the_big_clock_fits_the_window_and_follows_its_size(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock, exam="e5-pratique")
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2", "f6")
        big = app.screen.query_one(BigClock)
        small = big.lines
        assert len(small) == 10 and len(small[0]) == 68  # 2 rows a pixel, 4 columns
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        large = big.lines
        assert len(large) > len(small) and len(large[0]) > len(small[0])
        assert len(large[0]) <= big.content_region.width


async def test_the_covered_run_screen_is_not_composited_a_dialog_keeps_it_seen(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    """Textual counts the screen just below the top one as seen, whatever covers it, and one
    with anything to redraw passes a full repaint up at each of its wake-ups: under F6, the
    run screen (awake each second) made the whole big clock go out every second."""
    live = live_session(catalog, store, clock, exam="e5-pratique")
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2", "f6")
        assert isinstance(app.screen, PrivacyScreen)
        assert not screen.is_current  # opaque cover: nothing of it to composite
        await pilot.press("f6", "f3")  # back, and pause: the reason dialog is see-through
        assert isinstance(app.screen, ReasonDialog)
        assert screen.is_current


async def test_a_resize_under_the_candidate_view_reaches_the_run_screen(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock, exam="e5-pratique")
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2", "f6")
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen is screen
        assert screen.size == (140, 40)
        assert screen.query_one("#note-box").region.right == 140
