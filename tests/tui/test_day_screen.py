"""The day's screen as a commission uses it: sign in, absent, fiche-sujet, two E4 orals in a row."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from ndrc_oral.exam_room.day import open_room
from ndrc_oral.exam_room.roster import read_roster
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.day import SlotState
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.day_log import open_day
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.transcript.writer import TranscriptBusy
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
        # Back on the day, the cursor has left the one done for who comes next: F2 calls them.
        assert table.cursor_row == 1
        await pilot.press("f2")  # NOM02 is called in, alone
        run = app.screen
        assert isinstance(run, RunScreen) and len(run.seats) == 1
        await pilot.press("f2")
        clock.advance(60)
        run.refresh_clock()
    second = read_transcript(store.resolve(room.state.slot(2).session or ""))
    kinds = [(e.kind, e.data.get("phase")) for e in second.events]
    assert ("phase_ended", "preparation") in kinds and ("phase_started", "p1-ciblage") in kinds


async def test_after_a_kill_f3_brings_back_the_one_examined_and_the_one_preparing(
    tmp_path: Path, catalog: Catalog, store: Store, clock: FakeClock, bells: list[float]
) -> None:
    # The kiosk that was killed: NOM01 examined 5 minutes in, with a note;
    # NOM02 5 minutes into their preparation.
    roster = write_csv(tmp_path / "liste.csv", e4_rows(3))
    room = open_room(store, catalog, clock, roster.name, read_roster(roster, catalog.ids()))
    room.hand_over(1, "7")
    clock.advance(2400)
    room.observe()
    clock.advance(600)  # NOM01 waits 10 minutes for the commission
    room.hand_over(2, "12")
    oral = room.call(1)
    oral.session.start()
    clock.advance(300)
    oral.session.note("bonne accroche")
    oral.heartbeat()
    room.preparing[2].heartbeat()
    # kill -9: nothing more is written; the files close with the process (their locks too).
    for held in (oral.writer, room.preparing[2].writer, room.log):
        held.close()
    clock.advance(120)  # the kiosk is down two minutes

    app = kiosk(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")  # from the home screen: the day's file, resumed
        run = app.screen
        assert isinstance(run, RunScreen) and len(run.seats) == 2
        assert isinstance(app.screen_stack[-2], DayScreen)  # Esc-able back to the day
        oral_seat, prep_seat = (seat.desk for seat in run.seats)
        assert oral_seat.identity.candidate == "NOM01 Prénom1"
        assert prep_seat.identity.candidate == "NOM02 Prénom2"
        # The times they had at the kill: the two minutes down count for neither.
        assert oral_seat.status is Status.PAUSED and prep_seat.status is Status.PAUSED
        oral_snap, prep_snap = oral_seat.snapshot(), prep_seat.snapshot()
        assert (oral_snap.phase_index, round(oral_snap.remaining_s)) == (1, 300)
        assert (prep_snap.phase_index, round(prep_snap.remaining_s)) == (0, 2100)
        top = str(run.query_one("#run-top").render())
        assert "NOM01 Prénom1" in top and "Suivant : NOM02 Prénom2" in top
        seats_text = " ".join(str(w.render()) for w in run.query_one("#run-strip").query(Static))
        assert "05:00" in seats_text and "35:00" in seats_text
        assert "bonne accroche" in _texts(run)
        # Both go on; the preparation ends by itself at its own 40:00, the oral runs.
        await pilot.press("f3", "ctrl+n", "f3", "ctrl+n")
        assert oral_seat.status is Status.RUNNING and prep_seat.status is Status.RUNNING
        clock.advance(2100)
        run.refresh_clock()
        await pilot.pause()
        assert prep_seat.snapshot().phase_index == 1 and bells
        assert round(oral_seat.snapshot().elapsed_s) == 2400
    events = read_transcript(store.resolve(room.state.slot(2).session or "")).events
    kinds = [(e.kind, e.data.get("phase")) for e in events]
    assert ("recovered", None) in kinds and ("phase_ended", "preparation") in kinds


def _texts(screen: RunScreen) -> str:
    return " ".join(str(w.render()) for w in screen.query(Static))


async def test_the_days_dialogs_say_what_is_missing_and_keep_what_was_typed(
    tmp_path: Path, catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    roster = write_csv(tmp_path / "liste.csv", e4_rows(3))
    bad = write_csv(
        tmp_path / "mauvaise.csv", [*e4_rows(1), "02149999;X;Y;e4-xx;02/06/2026;09:00;C12;;"]
    )
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")  # no day yet: the roster's file is asked for
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await pilot.press("enter")
        assert _error(dialog) == "Indiquez le chemin du fichier."  # not "a reason"
        dialog.query_one("#reason", Input).value = str(bad)
        await pilot.press("enter")
        # A bad roster: said under the field, which keeps the path to correct; nothing made.
        assert app.screen is dialog and "ligne 3, colonne « Épreuve »" in _error(dialog)
        assert dialog.query_one("#reason", Input).value == str(bad) and not store.day_paths()
        dialog.query_one("#reason", Input).value = str(roster)
        await pilot.press("enter")
        day = app.screen
        assert isinstance(day, DayScreen) and len(store.day_paths()) == 1
        room = day.room

        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await pilot.press("enter")
        assert _error(dialog) == "Indiquez le numéro de la fiche-sujet."
        assert room.state.slot(1).state is SlotState.EXPECTED  # nothing handed over
        await pilot.press("7", "enter")
        assert room.state.slot(1).state is SlotState.PREPARING

        await pilot.press("down", "a", "r")  # NOM02 absent, then given a new slot
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await pilot.press("1", "4", "h", "h", "enter")
        assert app.screen is dialog and "« 14hh »" in _error(dialog)
        await pilot.press("backspace", "3", "0", "enter")
        assert room.state.slot(2).state is SlotState.EXPECTED
        assert room.state.slot(2).convoked().strftime("%H:%M") == "14:30"

        # Another roster while NOM01 prepares: refused, the day and the preparation go on.
        await pilot.press("i")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        dialog.query_one("#reason", Input).value = str(roster)
        await pilot.press("enter")
        assert "NOM01 Prénom1 prépare ou passe encore" in _error(dialog)
        await pilot.press("escape")
        assert app.screen is day and app.day is room and len(store.day_paths()) == 1
        assert 1 in room.preparing
        with pytest.raises(TranscriptBusy):  # still held here: the day was not closed
            open_day(store, None, clock)

        clock.advance(2400)
        day.refresh_clock()
        await pilot.pause()
        line = str(day.query_one("#day-preparing", Static).render())
        assert line == "NOM01 Prénom1 : préparation terminée, attend d'être appelé(e)"


def _error(dialog: ReasonDialog) -> str:
    return str(dialog.query_one("#dialog-error", Static).render())
