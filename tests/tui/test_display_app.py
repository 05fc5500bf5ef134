"""``ndrc-oral display``: what the candidate's screen shows, and what it never can.

The kiosk and the display share one FakeClock (CLOCK_MONOTONIC is system-wide:
in the room they read the same clock). The display's file watcher is off
here (``watch=False``) unless a test is about it; a test moves the clock and
calls ``refresh_display``, as the display's own timer would.
"""

from __future__ import annotations

import html
import re
import shutil
import threading
import time
from pathlib import Path

import pytest
from sessions import who
from textual.pilot import Pilot

from ndrc_oral.display.channel import Channel
from ndrc_oral.display.follow import Watcher
from ndrc_oral.display.publisher import Publisher
from ndrc_oral.display.record import LOST_AFTER_S
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session
from ndrc_oral.settings import Alerts, Settings
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.display_app import DisplayApp
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.bigclock import BigClock

from .conftest import live_session

SIZE = (80, 24)


def shown(app: DisplayApp) -> tuple[str, str]:
    """The big clock's value and the status line."""
    screen = app.screen
    status = str(screen.query_one("#privacy-status").render())
    return screen.query_one(BigClock).value, status


def painted(app: DisplayApp) -> str:
    """Every character the display paints (its screenshot's text)."""
    svg = app.export_screenshot()
    text = " ".join(re.findall(r">([^<]*)</text>", svg))
    return html.unescape(text).replace("\xa0", " ")


async def read_again(app: DisplayApp, pilot: Pilot[None]) -> None:
    """What the display's own timer (or a notification) does: read the record, repaint."""
    app.refresh_display()
    await pilot.pause()


def demo(catalog: Catalog, clock: FakeClock, sid: str = "20260602-080000-aaaaaa") -> Session:
    exam = catalog.get("e6-ccf-a")
    return Session.create(exam, clock, lambda e: None, session_id=sid, identity=who())


async def test_no_name_criterion_rating_or_note_ever_reaches_the_display(
    catalog: Catalog, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    # The real kiosk runs a session with notes, ratings and a pause with a reason; at each
    # moment the record it published is kept, and the display paints each one.
    channel = Channel(tmp_path / "display")
    live = live_session(catalog, store, clock)  # Ada Lovelace, n° 0421, e6-ccf-a
    kiosk = KioskApp(
        catalog=catalog,
        store=store,
        clock=clock,
        session=live,
        cursor_blink=False,
        settings=Settings(alerts=Alerts(flash=False)),
        display=Publisher(channel, clock),
    )
    kept: list[Path] = []

    def keep() -> None:
        copy = tmp_path / f"moment-{len(kept)}"
        shutil.copytree(channel.directory, copy)
        kept.append(copy)

    note = "Diagnostic confus, chiffres faux"
    async with kiosk.run_test(size=(100, 30)) as pilot:
        screen = kiosk.screen
        assert isinstance(screen, RunScreen)
        keep()  # ready
        await pilot.press("f2")
        clock.advance(30)
        screen.query_one("#note-input").value = note  # type: ignore[attr-defined]
        await pilot.press("enter", "alt+4")
        screen.refresh_clock()
        keep()  # running, a note and a TS rating saved
        clock.advance(455)
        screen.refresh_clock()
        keep()  # the first warning, 1:55 left
        await pilot.press("f3")
        await pilot.pause()
        kiosk.screen.query_one("Input").value = "Malaise de Ada Lovelace"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        keep()  # paused, with a reason that names her
        await pilot.press("f3")
        clock.advance(200)
        screen.refresh_clock()
        keep()  # overtime
    state = live.session.state
    assert state.notes and state.ratings and any(p.pauses for p in state.phases)
    criterion = next(iter(state.ratings))
    exam = live.session.exam
    label = next(c.label.fr for k in exam.competences for c in k.criteria if c.id == criterion)
    secrets = ["Ada", "Lovelace", "0421", note, "Malaise", criterion, label[:30], "TS"]

    statuses = []
    for moment in kept:
        [record_file] = moment.iterdir()
        text = record_file.read_text(encoding="utf-8")
        assert not [s for s in secrets if s in text], text
        record = Channel(moment).records()[0]
        # The display reads the record at the moment it was written (its own clock).
        display = DisplayApp(Channel(moment), FakeClock(start=record.mono), watch=False)
        async with display.run_test(size=SIZE):
            everything = painted(display)
            statuses.append(shown(display))
        assert not [s for s in secrets if s in everything], everything
        assert "Exposé du candidat" in everything  # it did paint the view
    assert statuses == [
        ("10:00", "En attente"),
        ("09:30", ""),
        ("01:55", ""),
        ("01:55", "Pause"),
        ("+01:25", ""),
    ]


async def test_it_counts_by_itself_says_connexion_perdue_and_comes_back(
    catalog: Catalog, clock: FakeClock, tmp_path: Path
) -> None:
    channel = Channel(tmp_path / "display")
    publisher = Publisher(channel, clock)
    s = demo(catalog, clock)
    s.start()
    clock.advance(0.5)
    publisher.show(s.session_id, s.snapshot(), s.run)
    app = DisplayApp(channel, clock, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert shown(app) == ("10:00", "")
        clock.advance(1.0)  # no new record: the display counts by itself
        await read_again(app, pilot)
        assert shown(app)[0] == "09:59"
        assert app.screen.query_one("#privacy").has_class("-normal")
        # The kiosk stops beating (killed): within LOST_AFTER_S + a reading, it says so.
        clock.advance(LOST_AFTER_S - 1.0 + 0.01)
        await read_again(app, pilot)
        value, status = shown(app)
        assert "connexion perdue" in status and value == "09:58"  # it stops there
        clock.advance(30)
        await read_again(app, pilot)
        assert shown(app)[0] == "09:58"
        assert app.screen.query_one("#privacy").has_class("-idle")
        # The kiosk is back (restarted, the session resumed): the display follows again.
        clock.advance(20)
        publisher.show(s.session_id, s.snapshot(), s.run)
        await read_again(app, pilot)
        assert shown(app) == ("09:08", "")


async def test_it_follows_the_next_session_and_waits_between(
    catalog: Catalog, clock: FakeClock, tmp_path: Path
) -> None:
    channel = Channel(tmp_path / "display")
    publisher = Publisher(channel, clock)
    app = DisplayApp(channel, clock, watch=False)
    async with app.run_test(size=SIZE) as pilot:
        assert shown(app) == ("00:00", "En attente d'une session")
        first = demo(catalog, clock, "20260602-080000-aaaaaa")
        publisher.show(first.session_id, first.snapshot(), first.run)
        await read_again(app, pilot)
        assert app.record is not None and app.record.session == first.session_id
        publisher.close(first.session_id)  # its result is saved: the kiosk closes it
        await read_again(app, pilot)
        assert shown(app)[1] == "En attente d'une session"
        second = demo(catalog, clock, "20260602-083000-bbbbbb")
        publisher.show(second.session_id, second.snapshot(), second.run)
        await read_again(app, pilot)
        assert app.record is not None and app.record.session == second.session_id


async def test_a_session_asked_by_id_is_the_one_followed(
    catalog: Catalog, clock: FakeClock, tmp_path: Path
) -> None:
    channel = Channel(tmp_path / "display")
    publisher = Publisher(channel, clock)
    first, second = demo(catalog, clock, "20260602-08-a"), demo(catalog, clock, "20260602-09-b")
    first.start()
    for s in (first, second):
        publisher.show(s.session_id, s.snapshot(), s.run)
    app = DisplayApp(channel, clock, session_id=first.session_id, watch=False)
    async with app.run_test(size=SIZE):
        assert app.record is not None and app.record.session == first.session_id


async def test_file_notifications_repaint_without_waiting_for_the_next_second(
    catalog: Catalog, clock: FakeClock, tmp_path: Path
) -> None:
    channel = Channel(tmp_path / "display")
    publisher = Publisher(channel, clock)
    s = demo(catalog, clock)
    s.start()
    publisher.show(s.session_id, s.snapshot(), s.run)
    app = DisplayApp(channel, clock, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.watcher is not None and not app.watcher.polling
        s.pause("x")  # the clock does not move: only the file says so
        publisher.show(s.session_id, s.snapshot(), s.run)
        deadline = time.monotonic() + 20
        while shown(app)[1] != "Pause" and time.monotonic() < deadline:
            await pilot.pause(0.02)
        assert shown(app)[1] == "Pause"


def test_polling_and_the_fallback_when_notifications_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import watchfiles

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchfiles, "watch", broken)
    calls, fell_back = threading.Semaphore(0), threading.Event()
    watcher = Watcher(tmp_path / "ch", calls.release, interval=0.01, on_fallback=fell_back.set)
    watcher.start()
    try:
        assert fell_back.wait(timeout=20) and watcher.polling
        assert calls.acquire(timeout=20) and calls.acquire(timeout=20)  # it goes on polling
    finally:
        watcher.stop()


async def test_the_kiosk_says_where_its_web_page_is(
    catalog: Catalog, store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(KioskApp, "notify", lambda self, message, **kw: said.append(message))
    url = "http://0.0.0.0:8080/?k=abc"
    app = KioskApp(catalog=catalog, store=store, clock=clock, cursor_blink=False, web_url=url)
    async with app.run_test(size=(100, 30)):
        assert said == [f"Vue du candidat (page web) : {url}"]
