"""The run screen's keys: pause, early end and carry-over, extension, notes, ratings, privacy."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.tui.dialogs import CarryDialog, ExtendDialog, ReasonDialog
from ndrc_oral.tui.screens.privacy import PrivacyScreen
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.bigclock import BigClock
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NoteEntry, NoteInput, NotesLog
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import kiosk, live_session


async def write(pilot: Pilot[None], text: str) -> None:
    """Put text in the focused field (typing each key costs a repaint; keys are tested apart)."""
    focused = pilot.app.focused
    assert isinstance(focused, Input)
    focused.value = text
    focused.cursor_position = len(text)
    await pilot.pause()


def events_of(path: object, kind: str) -> list[dict[str, object]]:
    from pathlib import Path

    assert isinstance(path, Path)
    return [e.data for e in read_transcript(path).events if e.kind == kind]


async def test_pause_asks_the_reason_and_stops_the_clock(
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
        assert isinstance(app.screen, ReasonDialog)
        await write(pilot, "Alarme incendie")
        await pilot.press("enter")
        assert live.session.status is Status.PAUSED
        clock.advance(120)
        screen.refresh_clock()
        panel = screen.query_one(TimerPanel)
        assert (panel.text, panel.tone) == ("09:00", "paused")
        status = str(screen.query_one("#timer-status").render())
        assert "Alarme incendie" in status and "02:00" in status

        await pilot.press("f3")  # resume: no question
        assert live.session.status is Status.RUNNING
        clock.advance(10)
        screen.refresh_clock()
        assert panel.text == "08:50"
    # The pause at the key press, its reason once typed.
    assert events_of(live.path, "paused") == [{"reason": ""}]
    assert events_of(live.path, "pause_reason") == [
        {"phase": "expose", "start_s": 60.0, "reason": "Alarme incendie"}
    ]
    assert len(events_of(live.path, "resumed")) == 1


async def test_an_empty_pause_reason_is_refused_and_escape_leaves_it_for_later(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2", "f3", "backspace", "enter")
        assert isinstance(app.screen, ReasonDialog)  # still asking
        assert "motif" in str(app.screen.query_one("#dialog-error").render())
        await pilot.press("escape")
        assert isinstance(app.screen, RunScreen)
        assert live.session.status is Status.PAUSED  # the pause began at the key press
        assert "motif : à donner (^r)" in str(app.screen.query_one("#timer-status").render())
    assert events_of(live.path, "pause_reason") == []


async def test_early_end_carries_the_time_left_over(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)  # the exposé carries over by definition
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(480)
        await pilot.press("f4")
        assert isinstance(app.screen, CarryDialog)
        assert app.screen.focused is not None and app.screen.focused.id == "carry"
        await pilot.press("enter")
        assert live.session.current_phase_id() == "entretien"  # starts by itself
        assert screen.query_one(TimerPanel).text == "07:00"  # 5 min + the 2 min carried
        rows = screen.query_one(PhaseList).rows
        assert "fin anticipée" in rows[0].details and "02:00" in rows[0].details
        assert "+02:00 reporté" in rows[1].details
    ended = events_of(live.path, "phase_ended")
    assert ended == [{"phase": "expose", "early": True, "carried_s": 120.0}]


async def test_early_end_without_carry_over(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(480)
        await pilot.press("f4", "right", "enter")  # "ne pas reporter"
        assert screen.query_one(TimerPanel).text == "05:00"
    assert "carried_s" not in events_of(live.path, "phase_ended")[0]


async def test_extension_with_minutes_and_reason(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2", "f5")
        assert isinstance(app.screen, ExtendDialog)
        await write(pilot, "1,5")
        await pilot.press("enter")  # no reason yet: refused, the focus goes to the reason
        assert isinstance(app.screen, ExtendDialog)
        await write(pilot, "Coupure")
        await pilot.press("enter")
        assert isinstance(app.screen, RunScreen)
        assert screen.query_one(TimerPanel).text == "11:30"
        assert "+01:30 prolongation" in screen.query_one(PhaseList).rows[0].details
    assert events_of(live.path, "extended") == [
        {"phase": "expose", "seconds": 90.0, "reason": "Coupure"}
    ]


async def test_notes_and_ratings_are_saved_stamped_and_shown(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        grid = screen.query_one(GridList)
        note = screen.query_one(NoteInput)
        assert note.has_focus and grid.criterion == "suivi-referencement"
        await pilot.press("f2")
        clock.advance(65)
        await pilot.press(*"Bonne", "space")  # typed key by key
        await write(pilot, "Bonne accroche")
        await pilot.press("enter")
        assert note.value == ""
        entries = list(screen.query(NoteEntry))
        assert len(entries) == 1
        head = str(entries[0].query_one(".note-head").render())
        assert "08:01:05" in head and "+01:05" in head and "Exposé" in head
        assert "enregistré" in str(screen.query_one("#run-saved").render())

        await pilot.press("alt+3")  # rate from the note input: S
        assert live.session.state.ratings == {"suivi-referencement": "S"}
        await pilot.press("down")  # the next criterion, still typing in the note input
        assert note.has_focus and grid.criterion == "techniques-implantation"
        await write(pilot, "Merchandising soigné")
        await pilot.press("enter")

        await pilot.press("f7")  # a general note
        assert screen.general_note
        await write(pilot, "Tenue correcte")
        await pilot.press("enter", "f7")
        assert not screen.general_note

        await pilot.press("tab")  # the grid: one digit rates, 0 clears
        assert grid.has_focus
        await pilot.press("4")
        assert live.session.state.ratings["techniques-implantation"] == "TS"
        await pilot.press("up", "0")
        assert "suivi-referencement" not in live.session.state.ratings
        await pilot.press("x")  # a letter on the grid starts a note
        assert note.has_focus and note.value == "x"
        assert screen.query_one(NotesLog).count == 3

    notes = events_of(live.path, "note")
    assert notes[0] == {
        "text": "Bonne accroche",
        "phase": "expose",
        "offset_s": 65.0,
        "criterion": "suivi-referencement",
    }
    assert notes[1]["criterion"] == "techniques-implantation"
    assert "criterion" not in notes[2]
    rated = [(r["criterion"], r["level"]) for r in events_of(live.path, "rated")]
    assert rated == [
        ("suivi-referencement", "S"),
        ("techniques-implantation", "TS"),
        ("suivi-referencement", ""),
    ]


async def test_the_candidate_view_shows_the_timer_and_nothing_else(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        await write(pilot, "Secret")
        await pilot.press("enter", "alt+4", "f6")
        privacy = app.screen
        assert isinstance(privacy, PrivacyScreen)
        for widget in (GridList, NotesLog, NoteInput, PhaseList):
            assert not privacy.query(widget), widget
        text = " ".join(str(w.render()) for w in privacy.query("Static"))
        assert "Secret" not in text and "TS" not in text
        assert "Exposé du candidat" in text
        clock.advance(100)
        screen.refresh_clock()  # the run screen keeps the candidate's timer going
        assert privacy.query_one(BigClock).value == "08:20"
        await pilot.press("f6")
        assert app.screen is screen
