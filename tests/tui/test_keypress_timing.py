"""F3, F4 and F8 act at the key press, whatever the question after it (issue 10).

On a FakeClock: the clock moves while the question is open, as an examiner
takes ten seconds to read it; what is recorded is the key press's time.
"""

from __future__ import annotations

from textual.widgets import Static

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.tui.dialogs import ButtonsDialog, CarryDialog, ConfirmDialog, ReasonDialog
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import kiosk, live_session
from .test_run_actions import events_of, write


def _times(path: object, kind: str) -> list[float]:
    from pathlib import Path

    assert isinstance(path, Path)
    return [e.t for e in read_transcript(path).events if e.kind == kind]


async def test_the_pause_starts_at_the_key_press(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(60)
        await pilot.press("f3")
        assert live.session.status is Status.PAUSED  # before any answer
        assert isinstance(app.screen, ReasonDialog)
        assert "08:01:00" in str(app.screen.query_one("#dialog-question").render())
        clock.advance(14)  # the commission types the reason
        await write(pilot, "Alarme incendie")
        await pilot.press("enter")
        screen.refresh_clock()
        assert screen.query_one(TimerPanel).text == "09:00"  # the 14 s cost the candidate nothing
        assert "Alarme incendie" in str(screen.query_one("#timer-status", Static).render())
    assert _times(live.path, "paused") == [60.0]


async def test_a_pause_reason_given_later(catalog: Catalog, store: Store, clock: FakeClock) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        clock.advance(30)
        await pilot.press("f3", "escape")  # no time for the reason now
        clock.advance(40)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, ReasonDialog)
        await write(pilot, "Coupure de courant")
        await pilot.press("enter", "f3")  # resume
        assert live.session.status is Status.RUNNING
    assert events_of(live.path, "pause_reason") == [
        {"phase": "expose", "start_s": 30.0, "reason": "Coupure de courant"}
    ]


async def test_the_early_end_and_its_carry_over_at_the_key_press(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)  # the exposé carries over by definition
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(77)  # 08:43 left
        await pilot.press("f4")
        assert isinstance(app.screen, CarryDialog)
        assert "08:43" in str(app.screen.query_one("#dialog-question").render())
        clock.advance(10)  # the commission reads the question
        await pilot.press("enter")
        assert screen.query_one(TimerPanel).text == "13:33"  # 5:00 + 8:43 carried, 10 s run
    assert events_of(live.path, "phase_ended")[0]["carried_s"] == 523.0
    assert _times(live.path, "phase_ended") == [77.0]


async def test_finishing_at_the_key_press(catalog: Catalog, store: Store, clock: FakeClock) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        clock.advance(200)
        await pilot.press("f8")
        assert isinstance(app.screen, ButtonsDialog)  # finish / no / started by mistake
        clock.advance(25)
        await pilot.press("left", "enter")  # "terminer la session"
    assert _times(live.path, "finished") == [200.0]
    assert live.session.snapshot().phases[0].elapsed_s == 200


async def test_the_e4_preparation_carries_nothing_and_is_out_of_the_total(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock, exam="e4-ponctuel")
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(3)
        await pilot.press("f4")
        assert isinstance(app.screen, ConfirmDialog)  # no carry-over offered
        await pilot.press("left", "enter")
        assert screen.query_one(PhaseList).total == "Total 00:00 / 1:00:00"
        await pilot.press("f2")
        assert screen.query_one(TimerPanel).text == "10:00"
    assert "carried_s" not in events_of(live.path, "phase_ended")[0]
