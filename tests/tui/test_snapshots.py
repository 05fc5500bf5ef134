"""SVG snapshots of the home, run and result screens at 80x24 and 120x40.

Everything that could vary is fixed: the FakeClock (time and wall time), the
session id (no random suffix), no cursor blink. Update after a deliberate
change with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look
at the report.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.screens.run import RunScreen

from .conftest import kiosk, live_session

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_home(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    app = kiosk(catalog, store, clock)

    async def ready(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def _in_session(pilot: Pilot[None], clock: FakeClock) -> None:
    """Two minutes before the end of the exposé: two notes, two ratings, first warning."""
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    note = screen.query_one("#note-input", Input)
    await pilot.press("f2")
    clock.advance(95)
    note.value = "Accroche claire, contexte du réseau bien posé"
    await pilot.press("enter", "alt+3", "down", "down", "down")
    clock.advance(385)
    note.value = "Diagnostic du rayon précis, chiffres à l'appui"
    await pilot.press("enter", "alt+4")
    screen.refresh_clock()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_run(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))

    async def before(pilot: Pilot[None]) -> None:
        await _in_session(pilot, clock)

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_result(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))

    async def before(pilot: Pilot[None]) -> None:
        await _in_session(pilot, clock)
        clock.advance(120)
        await pilot.press("f4")
        clock.advance(300)
        await pilot.press("f4", "f8")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=before)
