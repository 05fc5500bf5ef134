"""A half-typed note survives every focus change, key and dialog (issue 10).

Typed key by key, as an examiner types, on a FakeClock: coming back to the
note never selects its text (the next key would replace it), a letter typed
on the grid joins the note instead of replacing it, and no dialog drops it.
"""

from __future__ import annotations

from textual.pilot import Pilot

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NoteInput

from .conftest import kiosk, live_session


def _note(pilot: Pilot[None]) -> NoteInput:
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    return screen.query_one(NoteInput)


async def test_tab_to_the_grid_and_back_keeps_the_note(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2", *"hello")
        await pilot.press("tab")
        assert app.screen.query_one(GridList).has_focus
        await pilot.press("shift+tab", "w")
        assert _note(pilot).value == "hellow"
        await pilot.press("tab", "tab", "!")  # round the other way
        assert _note(pilot).value == "hellow!"


async def test_typing_on_the_grid_adds_to_the_note(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2", "tab", *"Très", "space", *"bon")
        assert _note(pilot).value == "Très bon"  # the first letter is not dropped
        await pilot.press("tab", *"!!")  # back on the grid, letters still join the note
        assert _note(pilot).value == "Très bon!!"
        await pilot.press("tab", "space", *"ok")  # a space typed on the grid is not dropped
        assert _note(pilot).value == "Très bon!! ok"


async def test_dialogs_keep_the_note(catalog: Catalog, store: Store, clock: FakeClock) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2", *"abc")
        for key in ("f5", "f4", "f8"):  # extend, end the phase, finish: each asked, then Esc
            await pilot.press(key)
            assert not isinstance(app.screen, RunScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, RunScreen)
            await pilot.press("d")
        assert _note(pilot).value == "abcddd"
        await pilot.press("f3", "escape", "e")  # a pause, its reason left for later
        assert _note(pilot).value == "abcddde"
        await pilot.press("f6", "f6", "f")  # the candidate's view and back
        assert _note(pilot).value == "abcdddef"
        clock.advance(30)
        app.screen.refresh_clock()  # type: ignore[attr-defined]
        await pilot.press("g")
        assert _note(pilot).value == "abcdddefg"
