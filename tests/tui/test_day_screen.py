"""The day's screen as a commission uses it: sign in, absent, fiche-sujet, two E4 orals in a row."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.day import SlotState
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.tui.dialogs import ReasonDialog
from ndrc_oral.tui.screens.day import DayScreen
from ndrc_oral.tui.screens.result import ResultScreen
from ndrc_oral.tui.screens.run import RunScreen
from tests.day.roster_files import e4_rows, write_csv
from tests.tui.conftest import kiosk, save_result


async def test_two_e4_candidates_in_a_row_the_next_one_preparing(
    tmp_path: Path, catalog: Catalog, store: Store, clock: FakeClock, bells: list[float]
) -> None:
    roster = write_csv(tmp_path / "liste.csv", e4_rows(4))
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.import_day(roster) is None
        await pilot.press("f3")  # from the home screen
        day = app.screen
        assert isinstance(day, DayScreen)
        room = day.room
        table = day.query_one("#day-table", DataTable)
        assert table.row_count == 4
        await pilot.press("e")  # NOM01 signs in
        assert room.state.slot(1).state is SlotState.SIGNED_IN
        await pilot.press("down", "down", "down", "a")  # NOM04 is absent
        assert room.state.slot(4).state is SlotState.ABSENT
        await pilot.press("up", "up", "up", "f")
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("7", "enter")
        assert room.state.slot(1).state is SlotState.PREPARING
        assert str(table.get_cell("1", "countdown")) == "fin 08:40"
        assert "NOM01 Prénom1 40:00" in str(day.query_one("#day-preparing").render())
        clock.advance(2400)
        day.refresh_clock()
        await pilot.pause()
        assert room.state.slot(1).state is SlotState.WAITING and bells
        await pilot.press("down", "f")
        await pilot.press("1", "2", "enter")  # NOM02 gets fiche 12 and prepares
        await pilot.press("up", "f2")  # NOM01 is called in
        run = app.screen
        assert isinstance(run, RunScreen) and len(run.seats) == 2
        assert "Suivant : NOM02 Prénom2" in str(run.query_one("#run-top").render())
        await pilot.press("f2")  # the oral's first phase
        for step in (600, 900, 900):
            clock.advance(step)
            run.refresh_clock()
            await pilot.press("f4")
        await pilot.press("f8")
        result = app.screen
        assert isinstance(result, ResultScreen)
        result.query_one("#mark", Input).value = "14"
        await save_result(pilot)
        assert app.screen is day
        assert room.state.slot(1).state is SlotState.DONE and room.state.slot(1).mark == 14.0
        assert room.state.slot(2).state is SlotState.WAITING  # its 40 minutes ended meanwhile
        await pilot.press("down", "f2")  # NOM02 is called in, alone
        run = app.screen
        assert isinstance(run, RunScreen) and len(run.seats) == 1
        await pilot.press("f2")
        clock.advance(60)
        run.refresh_clock()
    second = read_transcript(store.resolve(room.state.slot(2).session or ""))
    kinds = [(e.kind, e.data.get("phase")) for e in second.events]
    assert ("phase_ended", "preparation") in kinds and ("phase_started", "p1-ciblage") in kinds
