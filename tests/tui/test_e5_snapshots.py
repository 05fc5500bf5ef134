"""SVG snapshots of the E5 run screen with three candidates, at 80x24 and 120x40.

Three candidates started minutes apart, notes and a rating for the one on
screen: the strip of timers must stay readable at 80 columns. Update after a
deliberate change with ``pytest tests/tui/test_e5_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ndrc_oral.exam_room.requests import create_sessions
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.screens.run import RunScreen

from .conftest import request

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_run_e5_three_candidates(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    names = ("Ada Lovelace", "Bob Martin", "Chloé Durand-Montmorency")
    lives = create_sessions(
        store,
        catalog.get("e5-pratique"),
        clock,
        [
            request("e5-pratique", candidate=n, number=f"04{i}", cms="WordPress")
            for i, n in enumerate(names)
        ],
    )
    app = KioskApp(catalog=catalog, store=store, clock=clock, sessions=lives, cursor_blink=False)

    async def before(pilot: Pilot[None]) -> None:
        screen = pilot.app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")  # Ada
        clock.advance(240)
        await pilot.press("ctrl+n", "f2")  # Bob, four minutes later
        clock.advance(1500)  # Ada: 11 min left, Bob 15
        screen.query_one("#note-input", Input).value = "Structure claire du tunnel de vente"
        await pilot.press("enter", "alt+3", "ctrl+n")  # Chloé, not started, on screen
        clock.advance(600)  # Ada: 1 min left (second warning)
        screen.refresh_clock()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=before)
