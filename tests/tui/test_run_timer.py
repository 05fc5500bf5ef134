"""The run screen's timer: start, thresholds (colour + bell), overtime, repaint policy."""

from __future__ import annotations

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import kiosk, live_session


def timer(screen: RunScreen) -> TimerPanel:
    return screen.query_one(TimerPanel)


def status_line(screen: RunScreen) -> str:
    return str(screen.query_one("#timer-status").render())


async def test_start_runs_the_first_phase_and_saves_it(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert timer(screen).text == "10:00"
        assert "F2" in status_line(screen)
        assert live.session.status is Status.READY

        await pilot.press("f2")
        assert live.session.status is Status.RUNNING
        assert timer(screen).tone == "normal"
        clock.advance(1.5)
        screen.refresh_clock()
        assert timer(screen).text == "09:59"  # 598.5 s left: the second under way is shown
        clock.advance(60)
        screen.refresh_clock()
        assert timer(screen).text == "08:59"
    kinds = [e.kind for e in read_transcript(live.path).events]
    assert kinds[:2] == ["created", "phase_started"]


async def test_each_threshold_changes_the_colour_and_rings_once(
    catalog: Catalog, store: Store, clock: FakeClock, bells: list[float]
) -> None:
    live = live_session(catalog, store, clock)  # exposé: 10 min, warnings at 2 min and 30 s
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(479)  # 2:01 left
        screen.refresh_clock()
        assert (timer(screen).text, timer(screen).tone, len(bells)) == ("02:01", "normal", 0)

        clock.advance(1)  # 2:00 left: first threshold
        screen.refresh_clock()
        assert timer(screen).has_class("-warn1")
        assert (timer(screen).text, len(bells)) == ("02:00", 1)
        screen.refresh_clock()  # a repaint without time passing rings nothing
        assert len(bells) == 1

        clock.advance(90)  # 30 s left: second threshold
        screen.refresh_clock()
        assert timer(screen).has_class("-warn2") and not timer(screen).has_class("-warn1")
        assert (timer(screen).text, len(bells)) == ("00:30", 2)

        clock.advance(30)  # the planned end
        screen.refresh_clock()
        assert timer(screen).has_class("-over")
        assert len(bells) == 3

        clock.advance(65)  # overtime counts up, in red, without ringing again
        screen.refresh_clock()
        assert (timer(screen).text, timer(screen).tone, len(bells)) == ("+01:05", "over", 3)
        phases = screen.query_one(PhaseList)
        assert phases.rows[0].overtime == "+01:05"
        assert phases.total == "Total 11:05 / 15:00"


async def test_an_automatic_end_rings_and_waits_for_the_next_start(
    catalog: Catalog, store: Store, clock: FakeClock, bells: list[float]
) -> None:
    live = live_session(catalog, store, clock, "e4-ponctuel")  # preparation ends by itself
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(2400)
        screen.refresh_clock()
        assert live.session.status is Status.BETWEEN  # phase 1 waits for the commission
        assert len(bells) == 1
        assert timer(screen).text == "10:00"
        # The next phase is named on the timer's phase line, the status says which key.
        assert "Phase 1" in str(screen.query_one("#timer-phase").render())
        assert "F2 pour commencer" in status_line(screen)
    ended = [e for e in read_transcript(live.path).events if e.kind == "phase_ended"]
    assert ended[0].data["auto"] is True and ended[0].t == 2400


async def test_the_screen_sleeps_until_the_shown_second_changes(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert screen._timer is None  # ready: nothing moves, nothing is scheduled
        await pilot.press("f2")
        clock.advance(0.25)
        screen.refresh_clock()
        assert screen._timer is not None
        assert 0.74 < screen._timer._interval < 0.8  # the next whole second, not a 0.1 s poll
        panel = timer(screen)
        shown = panel.text
        assert panel.show(*_same(screen)) is False  # same values: nothing is repainted
        assert panel.text == shown


def _same(screen: RunScreen) -> tuple[object, str, str, str]:
    from ndrc_oral.exam_room.view import phase_label, speaker_text, status_text, timer_view

    snap = screen.desk.snapshot()
    return (
        timer_view(snap),
        phase_label(screen.run, snap.phase_index),
        speaker_text(screen.run, snap.phase_index),
        status_text(snap, screen.run, screen.painter.keys()),
    )


async def test_extra_time_lengthens_the_phases(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(
        catalog, store, clock, extra_time="1/3", extra_time_reason="tiers-temps (PAP)"
    )
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        assert timer(screen).text == "13:20"  # 10 min + 1/3
        assert "tiers-temps" in str(screen.query_one("#run-top").render())
        await pilot.press("f2")
        clock.advance(800)
        screen.refresh_clock()
        assert timer(screen).text == "+00:00"
        await pilot.press("f4")  # at the planned end: no question
        assert timer(screen).text == "06:40"  # 5 min + 1/3
