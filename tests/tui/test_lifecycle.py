"""Starting from home, quitting and resuming, a window too small, a disk that fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.events import Event
from ndrc_oral.session.identity import Member, Role
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.transcript.writer import SaveError
from ndrc_oral.tui.dialogs import ConfirmDialog, RedirectDialog
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.screens.too_small import TooSmallScreen
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NoteInput, NotesLog
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import kiosk, live_session, save_result


async def test_home_checks_the_form_then_starts_the_session(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.query_one("#exam", Select).value = "e5-pratique"
        await pilot.pause()
        assert home.query_one("#cms-row").display  # E5: the subject's CMS is asked
        await pilot.press("f2")  # no candidate, no CMS
        errors = str(home.query_one("#home-errors").render())
        assert "nom du candidat" in errors and "CMS" in errors
        assert app.screen is home and not list(store.root.glob("*.toml"))

        home.query_one("#candidate", Input).value = "Grace Hopper"
        home.query_one("#cms", Select).value = "PrestaShop"
        home.query_one("#extra", Select).value = "1/3"
        await pilot.pause()
        assert home.query_one("#extra-reason", Input).value  # a reason is proposed
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen)
        assert run.query_one(TimerPanel).text == "53:20"  # 40 min + 1/3
    created = read_transcript(next(store.root.glob("*.toml"))).events[0].data
    assert created["candidate"]["name"] == "Grace Hopper"
    assert (created["cms"], created["extra_time"]) == ("PrestaShop", "1/3")


async def test_the_home_form_records_the_members_roles_and_keeps_them_in_their_fields(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.query_one("#exam", Select).value = "e6-ponctuel-2025"
        home.query_one("#candidate", Input).value = "Grace Hopper"
        home.query_one("#member2", Input).value = "Mme Durand"  # the professional only
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen)
        assert run.desk.identity.members == (Member("Mme Durand", Role.PROFESSIONNEL),)
        app.session_done(run.desk)
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        # The next candidate's form: the professional in the professional's field.
        assert home.query_one("#member1", Input).value == ""
        assert home.query_one("#member2", Input).value == "Mme Durand"
    created = read_transcript(next(store.root.glob("*.toml"))).events[0].data
    assert created["members"] == [{"name": "Mme Durand", "role": "professionnel"}]


async def test_quit_keeps_the_session_and_resume_restores_its_time(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(100)
        screen.refresh_clock()  # the heartbeat notes that the session lived until t=100
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmDialog)  # a live exam: asks first
        await pilot.press("left", "enter")
    assert not read_transcript(live.path).finished

    clock.advance(300)  # the kiosk is down for five minutes
    again = kiosk(catalog, store, clock)
    async with again.run_test(size=(100, 30)) as pilot:
        home = again.screen
        assert isinstance(home, HomeScreen)
        await again.workers.wait_for_complete()
        await pilot.pause()
        listing = home.query_one("#interrupted", OptionList)
        assert listing.option_count == 1
        await pilot.press("f4", "enter")  # to the list, resume the highlighted session
        run = again.screen
        assert isinstance(run, RunScreen)
        assert run.desk.status is Status.PAUSED  # waits for the commission
        assert run.query_one(TimerPanel).text == "08:20"  # 10:00 - 1:40, downtime not counted
        await pilot.press("f3")
        clock.advance(20)
        run.refresh_clock()
        assert run.query_one(TimerPanel).text == "08:00"
    recovered = [e for e in read_transcript(live.path).events if e.kind == "recovered"]
    assert len(recovered) == 1
    assert recovered[0].data["downtime_s"] == pytest.approx(300, abs=1)


async def test_a_small_window_shows_a_message_and_the_timer_keeps_going(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        await pilot.resize_terminal(79, 24)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "Agrandissez" in str(app.screen.query_one("#too-small").render())
        clock.advance(90)
        screen.refresh_clock()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one(TimerPanel).text == "08:30"
        assert live.session.status is Status.RUNNING


async def test_a_failed_save_keeps_the_note_and_offers_another_directory(
    catalog: Catalog, store: Store, clock: FakeClock, tmp_path: Path, bells: list[float]
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    writer_append = live.writer.append

    def disk_full(event: Event) -> None:
        raise SaveError(f"could not save to {live.path}: the disk is full")

    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        live.session.set_sink(disk_full)
        note = screen.query_one(NoteInput)
        note.value = "Très bonne reformulation"
        await pilot.press("enter")
        assert note.value == "Très bonne reformulation"  # nothing typed is lost
        banner = screen.query_one(SaveBanner)
        assert banner.shown and "disk is full" in str(banner.render())
        assert "NON ENREGISTRÉ" in str(screen.query_one("#run-saved").render())
        assert screen.query_one(NotesLog).count == 0
        await pilot.press("alt+3")  # a rating fails the same way: the grid does not show it
        assert live.session.state.ratings == {}
        assert "·" in str(screen.query_one(GridList).get_option_at_index(1).prompt)
        assert len(bells) >= 2

        rescue = tmp_path / "secours"
        await pilot.press("f9")
        dialog = app.screen
        assert isinstance(dialog, RedirectDialog)
        dialog.query_one("#directory", Input).value = str(rescue)
        await pilot.press("enter")
        assert app.screen is screen and not banner.shown
        note.focus()
        await pilot.press("enter")  # the same note, saved this time
        assert note.value == "" and screen.query_one(NotesLog).count == 1
    assert writer_append is not live.writer.append
    moved = read_transcript(rescue / live.path.name)
    assert [e.kind for e in moved.events][-1] == "note"
    assert moved.events[-1].data["text"] == "Très bonne reformulation"


async def test_a_crash_on_the_result_form_leaves_the_result_to_enter_on_resume(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    from ndrc_oral.transcript.recorder import load_session
    from ndrc_oral.tui.screens.result import ResultScreen

    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        clock.advance(60)
        await pilot.press("f8", "left", "enter")  # finish early: phases remain, confirmed
        assert isinstance(app.screen, ResultScreen)
        # The kiosk dies here: the timing is finished, the result never saved.
    live.writer.close()  # what the system does to a dead process's files (and its lock)
    assert read_transcript(live.path).finished

    again = kiosk(catalog, store, clock)
    async with again.run_test(size=(100, 30)) as pilot:
        home = again.screen
        assert isinstance(home, HomeScreen)
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert home.query_one("#interrupted", OptionList).option_count == 1
        await pilot.press("f4", "enter")
        await pilot.pause()
        result = again.screen
        assert isinstance(result, ResultScreen)  # straight to what is missing
        result.query_one("#mark", Input).value = "12"
        await save_result(pilot)
        await pilot.pause()
    state = load_session(live.path).state
    assert state.result is not None and state.result["mark"] == 12.0
