"""Ending a session: the result form (live), the summary (rehearsal), back home for the next."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, Select

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import ButtonsDialog
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.result import ResultScreen
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.screens.summary import SummaryScreen
from ndrc_oral.tui.widgets.memo import Memo

from .conftest import kiosk, live_session, save_result


def result_of(path: Path) -> dict[str, object]:
    events = read_transcript(path).events
    assert any(e.kind == "finished" for e in events)
    return [e.data for e in events if e.kind == "result"][-1]


async def run_all_phases(pilot: Pilot[None], clock: FakeClock) -> None:
    """Start, let each phase reach its end, end it: every phase is over."""
    await pilot.press("f2")
    clock.advance(600)
    await pilot.press("f4")  # at the planned end: ends at once, the entretien starts
    clock.advance(300)
    await pilot.press("f4")


async def test_a_mark_in_french_notation_is_saved_and_the_next_candidate_can_start(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("alt+3")  # one criterion rated S: suggestion 10 to 15
        await run_all_phases(pilot, clock)
        await pilot.press("f8")  # every phase is over: no question
        result = app.screen
        assert isinstance(result, ResultScreen)
        suggestion = str(result.query_one("#result-suggestion").render())
        assert "10 à 15" in suggestion and "indication" in suggestion
        result.query_one("#mark", Input).value = "14,5"
        result.query_one(Memo).text = "Exposé clair, réseau bien analysé."
        await save_result(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#candidate", Input).value == ""
        assert home.query_one("#commission", Input).value == "12"  # the commission stays
        assert home.query_one("#member1", Input).value == "M. Martin"
        assert home.query_one("#candidate", Input).has_focus
    assert result_of(live.path) == {
        "mark": 14.5,
        "fields": {"appreciation": "Exposé clair, réseau bien analysé."},
        "members": [
            {"name": "M. Martin", "role": "enseignant"},
            {"name": "Mme Durand", "role": "professionnel"},
        ],
    }


async def test_finishing_early_asks_then_records_an_outcome(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        clock.advance(30)
        await pilot.press("f8")
        assert isinstance(app.screen, ButtonsDialog)
        await pilot.press("left", "enter")  # "no" has the focus: move to "yes"
        result = app.screen
        assert isinstance(result, ResultScreen)
        assert live.session.state.finished  # the phases stopped when the commission said so
        await pilot.click("#outcome-nv")
        assert result.query_one("#outcome-nv", RadioButton).value
        assert result.query_one("#mark", Input).disabled
        await pilot.press("f2")  # NV goes with the notification's reason
        assert app.screen is result
        assert "motif de NV" in str(result.query_one("#result-error").render())
        result.query_one("#nv-reason", Select).value = "hors-delai"
        await save_result(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert result_of(live.path)["outcome"] == "nv"
    assert result_of(live.path)["nv_reason"] == "hors-delai"
    assert "mark" not in result_of(live.path)


async def test_a_bad_mark_is_refused_on_the_spot(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await run_all_phases(pilot, clock)
        await pilot.press("f8")
        result = app.screen
        assert isinstance(result, ResultScreen)
        for bad in ("21", "14,3", "quatorze", ""):
            result.query_one("#mark", Input).value = bad
            await pilot.press("f2")
            assert app.screen is result
            assert "Note invalide" in str(result.query_one("#result-error").render())
        await pilot.press("escape")  # not finished yet: back to the timer
        assert isinstance(app.screen, RunScreen)
    assert not any(e.kind == "result" for e in read_transcript(live.path).events)


async def test_a_rehearsal_ends_on_a_summary_without_a_mark(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live: LiveSession = live_session(catalog, store, clock, rehearsal=True, commission="")
    app: KioskApp = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        run = app.screen
        assert isinstance(run, RunScreen)
        assert str(run.query_one("#run-top").render()).startswith("RÉPÉTITION")
        await run_all_phases(pilot, clock)
        await pilot.press("f8")
        summary = app.screen
        assert isinstance(summary, SummaryScreen)
        assert not summary.query("#mark")
        await pilot.press("enter")
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#mode-rehearsal", RadioButton).value  # still rehearsing
    events = read_transcript(live.path).events
    assert events[0].data["mode"] == "rehearsal"
    assert events[-1].kind == "finished"
    assert not any(e.kind == "result" for e in events)
