"""The data directory fails under the running kiosk: full, read-only, gone.

In each case, mid-session: the banner says so at once (and the bell rings),
the timer keeps running, the note typed stays in its field, a rating is not
shown as given, and F9 moves the session to another directory, after which
the note is saved there, the new file holds every earlier event and
``ndrc-oral logs verify`` passes on it.

The errors are injected at ``os.open``/``os.write`` (as a full or read-only
disk returns them), or real: a directory removed, and as root a small tmpfs
filled up or pulled out (``umount -l``).
"""

from __future__ import annotations

import errno
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui.conftest import kiosk, live_session

from ndrc_oral.cli import main
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.events import Event
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, read_transcript
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import RedirectDialog
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NoteInput, NotesLog
from ndrc_oral.tui.widgets.timer import TimerPanel

from .disk import FailingDirectory, can_mount, tmpfs

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd")

NOTE = "Très bonne reformulation de l'objection « prix »"


def timer(screen: RunScreen) -> str:
    return screen.query_one(TimerPanel).text


def banner(screen: RunScreen) -> str:
    shown = screen.query_one(SaveBanner)
    return str(shown.render()) if shown.shown else ""


async def fail_then_move(
    app: KioskApp,
    pilot: Pilot[None],
    live: LiveSession,
    clock: FakeClock,
    rescue: Path,
    break_disk: Callable[[], None],
    says: str,
    bells: list[float],
    text: str = NOTE,
    *,
    small_writes_fit: bool = False,
) -> list[Event]:
    """Run a phase, break the disk, check what the examiner sees, move; the events saved before."""
    screen = app.screen
    assert isinstance(screen, RunScreen)
    await pilot.press("f2")
    clock.advance(60)
    await pilot.press("alt+3")  # one rating saved before the failure
    note = screen.query_one(NoteInput)
    note.value = "avant la panne"
    await pilot.press("enter")
    saved_before = list(live.session.events)
    assert [e.kind for e in saved_before][-2:] == ["rated", "note"]

    break_disk()
    rung = len(bells)
    note.value = text
    await pilot.press("enter")
    # At once: the banner with the reason, the bell, the note kept in its field.
    assert says in banner(screen)
    assert len(bells) == rung + 1
    assert note.value == text
    assert "NON ENREGISTRÉ" in str(screen.query_one("#run-saved").render())
    assert screen.query_one(NotesLog).count == 1
    if not small_writes_fit:
        # (On a real full disk a rating may still fit in the last block of the file.)
        await pilot.press("down", "alt+4")  # a rating fails too: the grid does not show it
        grid = screen.query_one(GridList)
        assert grid.criterion not in live.session.state.ratings
        assert "TS" not in str(grid.get_option_at_index(grid.highlighted or 0).prompt)
    saved_before = list(live.session.events)
    # The timer keeps running on the clock, through repaints and failed saves.
    for minute in range(1, 4):
        clock.advance(60)
        screen.refresh_clock()
        assert timer(screen) == f"{9 - minute:02d}:00"
    assert live.session.status is Status.RUNNING
    assert live.session.events == saved_before

    await pilot.press("f9")
    dialog = app.screen
    assert isinstance(dialog, RedirectDialog)
    dialog.query_one("#directory", Input).value = str(rescue)
    await pilot.press("enter")
    assert app.screen is screen and not banner(screen)
    note.focus()
    await pilot.press("enter")  # the same note, kept all along, saved this time
    assert note.value == "" and screen.query_one(NotesLog).count == 2
    clock.advance(30)
    screen.refresh_clock()
    assert timer(screen) == "05:30"
    return saved_before


def check_moved(
    live: LiveSession, rescue: Path, saved_before: list[Event], text: str = NOTE
) -> None:
    moved = rescue / live.path.name
    assert live.path == moved
    transcript = read_transcript(moved)
    assert transcript.integrity is Integrity.INTACT
    assert transcript.events[: len(saved_before)] == saved_before
    assert transcript.events[len(saved_before)].data["text"] == text
    assert transcript.events == live.session.events
    assert main(["logs", "verify", str(moved)]) == 0


@pytest.mark.parametrize(
    ("code", "says"),
    [(errno.ENOSPC, "le disque est plein"), (errno.EROFS, "lecture seule")],
    ids=["full", "read-only"],
)
async def test_an_injected_disk_failure_mid_session(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    tmp_path: Path,
    bells: list[float],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    says: str,
) -> None:
    live = live_session(catalog, store, clock)
    disk = FailingDirectory(monkeypatch, store.root, code)
    app = kiosk(catalog, store, clock, live)
    rescue = tmp_path / "secours"
    async with app.run_test(size=(100, 30)) as pilot:
        before = await fail_then_move(app, pilot, live, clock, rescue, disk.fail, says, bells)
        assert disk.refused >= 2
        assert app.store.root == rescue  # the next candidate's session goes there too
    check_moved(live, rescue, before)
    # The failing disk kept the events saved before, whole.
    old = read_transcript(store.path_for(live.session_id))
    assert (old.integrity, old.events) == (Integrity.INTACT, before)
    assert "intact" in capsys.readouterr().out


async def test_the_data_directory_vanishes_mid_session(
    catalog: Catalog, store: Store, clock: FakeClock, tmp_path: Path, bells: list[float]
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    rescue = tmp_path / "secours"

    def pull_out() -> None:
        shutil.rmtree(store.root)

    async with app.run_test(size=(100, 30)) as pilot:
        before = await fail_then_move(app, pilot, live, clock, rescue, pull_out, "a disparu", bells)
    check_moved(live, rescue, before)


async def test_an_automatic_end_on_a_full_disk_is_saved_at_its_time_after_the_move(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    tmp_path: Path,
    bells: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # E4: the 40-minute preparation ends by itself; the disk fills up just before.
    live = live_session(catalog, store, clock, exam="e4-ponctuel")
    disk = FailingDirectory(monkeypatch, store.root, errno.ENOSPC)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        started = live.session.events[-1].t
        clock.advance(2390)
        screen.refresh_clock()
        disk.fail()
        clock.advance(20)  # the planned end passes while nothing can be saved
        screen.refresh_clock()
        assert "le disque est plein" in banner(screen)
        assert len(bells) >= 1
        assert timer(screen) == "+00:10"  # the overrun is shown, the clock does not stop
        rung = len(bells)
        for _ in range(3):  # each repaint retries: one banner, one bell
            clock.advance(1)
            screen.refresh_clock()
        assert len(bells) == rung and timer(screen) == "+00:13"

        await pilot.press("f9")
        assert isinstance(app.screen, RedirectDialog)
        app.screen.query_one("#directory", Input).value = str(tmp_path / "secours")
        await pilot.press("enter")
        screen.refresh_clock()
        assert live.session.status is Status.BETWEEN
    ended = [e for e in read_transcript(live.path).events if e.kind == "phase_ended"]
    assert len(ended) == 1 and ended[0].data["auto"] is True
    assert ended[0].t == pytest.approx(started + 2400, abs=0.001)  # at the planned end


async def test_f4_past_an_automatic_end_on_a_failing_disk_shows_the_banner_not_a_traceback(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    bells: list[float],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # E4: the preparation ends by itself. Its end passes while the disk is full,
    # and the examiner presses F4 to end it: the automatic end cannot be saved.
    live = live_session(catalog, store, clock, exam="e4-ponctuel")
    disk = FailingDirectory(monkeypatch, store.root, errno.ENOSPC)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        note = screen.query_one(NoteInput)
        note.value = "tapé pendant la panne"
        disk.fail()
        clock.advance(2410)  # ten seconds past the planned end of the preparation
        await pilot.press("f4")
        assert app.is_running and app.screen is screen  # no traceback, the kiosk is there
        assert "le disque est plein" in banner(screen)
        assert len(bells) >= 1
        assert note.value == "tapé pendant la panne"  # what was typed stays
        assert live.session.status is Status.RUNNING  # nothing saved, nothing shown as saved
        assert timer(screen) == "+00:10"
        disk.heal()
        await pilot.press("f4")  # the disk is back: the automatic end is saved at its time
        assert not banner(screen)
        assert live.session.status is Status.BETWEEN
    ended = [e for e in read_transcript(live.path).events if e.kind == "phase_ended"]
    assert len(ended) == 1 and ended[0].data["auto"] is True


# --- real filesystems (root only) -------------------------------------------------------------

needs_mount = pytest.mark.skipif(not can_mount(), reason="needs root to mount a tmpfs")


@needs_mount
async def test_a_real_disk_fills_up_mid_session(
    catalog: Catalog, clock: FakeClock, tmp_path: Path, bells: list[float]
) -> None:
    with tmpfs(tmp_path / "key", size="512k") as fs:
        store = Store(fs.path / "data")
        live = live_session(catalog, store, clock)
        app = kiosk(catalog, store, clock, live)

        # A long note: a short one may still fit in the last block of the file.
        text = NOTE * 100
        rescue = tmp_path / "secours"
        async with app.run_test(size=(100, 30)) as pilot:
            before = await fail_then_move(
                app,
                pilot,
                live,
                clock,
                rescue,
                fs.fill,
                "plein",
                bells,
                text,
                small_writes_fit=True,
            )
        check_moved(live, rescue, before, text)
        old = read_transcript(store.path_for(live.session_id))
        assert (old.integrity, old.events) == (Integrity.INTACT, before)


@needs_mount
async def test_a_real_usb_key_is_pulled_out_mid_session(
    catalog: Catalog, clock: FakeClock, tmp_path: Path, bells: list[float]
) -> None:
    with tmpfs(tmp_path / "key") as fs:
        store = Store(fs.path / "data")
        live = live_session(catalog, store, clock)
        app = kiosk(catalog, store, clock, live)
        async with app.run_test(size=(100, 30)) as pilot:
            before = await fail_then_move(
                app, pilot, live, clock, tmp_path / "secours", fs.pull_out, "a disparu", bells
            )
        check_moved(live, tmp_path / "secours", before)
