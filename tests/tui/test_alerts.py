"""The run screen's alerts: the chime on time from the alarm's thread, once; the flash; the bell;
the settings that switch each off; the candidate's display told of each alert.

Time is the FakeClock's. The alarm's thread is not started here: a test plays
its part by calling ``alarm.run_due`` from another thread at the moment due,
as the thread would, and then lets the screen's (late) repaint come.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot

from ndrc_oral.alerts.sound import SoundPlayer
from ndrc_oral.display.channel import Channel
from ndrc_oral.display.publisher import Publisher
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.settings import Alerts, Settings
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.recorder import LiveSession, resume_session
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import live_session


class Player:
    """A sound player that writes down each call (a script, run as the real one would be)."""

    def __init__(self, tmp_path: Path) -> None:
        self.log = tmp_path / "played"
        script = tmp_path / "player"
        script.write_text(f'#!/bin/sh\necho "$@" >> {self.log}\n', encoding="utf-8")
        script.chmod(0o755)
        self.sound = SoundPlayer([str(script)])

    def calls(self) -> int:
        self.sound.wait()
        return len(self.log.read_text().splitlines()) if self.log.exists() else 0


def app_for(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    live: LiveSession,
    tmp_path: Path,
    *,
    sound: SoundPlayer | None,
    alerts: dict[str, bool] | None = None,
) -> KioskApp:
    return KioskApp(
        catalog=catalog,
        store=store,
        clock=clock,
        session=live,
        cursor_blink=False,
        settings=Settings(alerts=Alerts(**(alerts or {}))),
        display=Publisher(Channel(tmp_path / "display"), clock),
        sound=sound,
    )


async def started(app: KioskApp, pilot: Pilot[None]) -> RunScreen:
    """The run screen, its phase started (F2)."""
    screen = app.screen
    assert isinstance(screen, RunScreen)
    await pilot.press("f2")
    return screen


async def crossed(screen: RunScreen, pilot: Pilot[None], clock: FakeClock, seconds: float) -> None:
    """Time passes and the screen repaints (late or not)."""
    clock.advance(seconds)
    screen.refresh_clock()
    await pilot.pause()


async def test_the_alarm_plays_at_the_threshold_and_the_late_repaint_not_again(
    catalog: Catalog, store: Store, clock: FakeClock, tmp_path: Path, bells: list[float]
) -> None:
    player = Player(tmp_path)
    live = live_session(catalog, store, clock)  # exposé 10:00, warnings at 2:00 and 0:30
    app = app_for(catalog, store, clock, live, tmp_path, sound=player.sound)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        assert app.alarm.due_in() == pytest.approx(480, abs=0.01)
        clock.advance(479.99)
        assert await asyncio.to_thread(app.alarm.run_due) == 0
        clock.advance(0.01)  # 2:00 left; the screen has not repainted yet
        assert await asyncio.to_thread(app.alarm.run_due) == 1  # as the thread does
        await pilot.pause()
        assert player.calls() == 1 and len(bells) == 1
        record = app.candidate_display.latest()
        assert record is not None and record.cue == 1
        screen.refresh_clock()  # the repaint comes, late: it finds the threshold crossed
        await pilot.pause()
        assert player.calls() == 1 and len(bells) == 1
        assert screen.query_one(TimerPanel).tone == "warn1"


async def test_a_threshold_no_alarm_played_is_played_by_the_repaint_once(
    catalog: Catalog, store: Store, clock: FakeClock, tmp_path: Path, bells: list[float]
) -> None:
    player = Player(tmp_path)
    live = live_session(catalog, store, clock)
    app = app_for(catalog, store, clock, live, tmp_path, sound=player.sound)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        clock.advance(485)
        screen.refresh_clock()
        screen.refresh_clock()
        await pilot.pause()
        assert player.calls() == 1 and len(bells) == 1
        assert await asyncio.to_thread(app.alarm.run_due) == 0  # already played


async def test_the_timer_flashes_for_a_moment(
    catalog: Catalog, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    live = live_session(catalog, store, clock)
    app = app_for(catalog, store, clock, live, tmp_path, sound=None)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        await crossed(screen, pilot, clock, 480)
        panel = screen.query_one(TimerPanel)
        assert panel.has_class("-flash")
        screen.alerting.flash(False)  # what the timer does FLASH_S later
        assert not panel.has_class("-flash")
        await pilot.press("f6")  # the candidate's view flashes with it
        assert screen.privacy is not None
        await crossed(screen, pilot, clock, 90)  # 0:30
        assert screen.privacy.query_one("#privacy").has_class("-flash")


@pytest.mark.parametrize(
    ("alerts", "have_player", "chimes", "rings", "flashes"),
    [
        ({}, True, 1, 1, True),
        ({"sound": False}, True, 0, 1, True),
        ({"bell": False}, True, 1, 0, True),
        ({"bell": False}, False, 0, 1, True),  # no player: the bell stands in
        ({"flash": False, "bell": False, "sound": False}, True, 0, 0, False),
    ],
)
async def test_each_alert_can_be_switched_off(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    tmp_path: Path,
    bells: list[float],
    alerts: dict[str, bool],
    have_player: bool,
    chimes: int,
    rings: int,
    flashes: bool,
) -> None:
    player = Player(tmp_path)
    live = live_session(catalog, store, clock)
    sound = player.sound if have_player else SoundPlayer(None)
    app = app_for(catalog, store, clock, live, tmp_path, sound=sound, alerts=alerts)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        await crossed(screen, pilot, clock, 480)
        assert (player.calls(), len(bells)) == (chimes, rings)
        assert screen.query_one(TimerPanel).has_class("-flash") is flashes
        record = app.candidate_display.latest()
        assert record is not None and record.cue == 1  # the candidate's display always hears


async def test_no_player_is_said_once(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    said: list[str] = []
    monkeypatch.setattr(KioskApp, "notify", lambda self, message, **kw: said.append(message))
    live = live_session(catalog, store, clock)
    app = app_for(catalog, store, clock, live, tmp_path, sound=SoundPlayer(None))
    async with app.run_test(size=(100, 30)) as pilot:
        assert len(said) == 1 and "pw-play" in said[0]  # as the run screen opens
        app.say_no_sound_once()  # the next candidate's run screen
        await pilot.pause()
    assert len(said) == 1


async def test_after_a_restart_the_thresholds_passed_do_not_play_again(
    catalog: Catalog, store: Store, clock: FakeClock, tmp_path: Path, bells: list[float]
) -> None:
    player = Player(tmp_path)
    live = live_session(catalog, store, clock)
    app = app_for(catalog, store, clock, live, tmp_path, sound=player.sound)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await started(app, pilot)
        await crossed(screen, pilot, clock, 480)
        assert player.calls() == 1
    live.close()  # the kiosk stopped; later it is started again and the session resumed
    clock.advance(30)
    again = resume_session(store, live.session_id, clock)
    app = app_for(catalog, store, clock, again, tmp_path, sound=player.sound)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f3")  # resume the phase the restart paused
        await crossed(screen, pilot, clock, 5)
        assert player.calls() == 1 and len(bells) == 1  # 2:00 was played, before the stop
        await crossed(screen, pilot, clock, 85)  # 0:30: a new threshold
        assert player.calls() == 2
    again.close()
