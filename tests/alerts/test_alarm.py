"""The alarm: each alert at its moment, once, from its own thread; a new schedule voids the old."""

from __future__ import annotations

import threading

from ndrc_oral.alerts.alarm import Alarm, Scheduled
from ndrc_oral.session.clock import FakeClock, SystemClock


def test_an_alert_plays_at_its_moment_and_once(fake_clock: FakeClock) -> None:
    alarm, played = Alarm(fake_clock), []
    at = fake_clock.monotonic() + 10
    alarm.arm([Scheduled("w1", at, lambda: played.append("w1"))])
    assert alarm.due_in() == 10
    fake_clock.advance(9.99)
    assert alarm.run_due() == 0 and played == []
    fake_clock.advance(0.01)
    assert alarm.run_due() == 1 and played == ["w1"]
    # The next reading finds it crossed, and the screen schedules it again: nothing more.
    assert not alarm.fire("w1", lambda: played.append("again"))
    alarm.arm([Scheduled("w1", at, lambda: played.append("again"))])
    assert alarm.run_due() == 0 and alarm.due_in() is None and played == ["w1"]


def test_a_new_schedule_voids_the_old_one(fake_clock: FakeClock) -> None:
    alarm, played = Alarm(fake_clock), []
    now = fake_clock.monotonic()
    alarm.arm([Scheduled("w1", now + 5, lambda: played.append("w1"))])
    alarm.arm([])  # a pause: nothing is due any more
    fake_clock.advance(6)
    assert alarm.run_due() == 0 and played == []


def test_the_same_schedule_armed_again_leaves_the_thread_asleep(fake_clock: FakeClock) -> None:
    """The screen arms the alarm at every reading: the same moments are not news."""
    alarm, played = Alarm(fake_clock), []
    at = fake_clock.monotonic() + 10
    assert alarm.arm([Scheduled("w1", at, lambda: played.append("w1"))])
    fake_clock.advance(1)
    assert not alarm.arm([Scheduled("w1", at + 0.001, lambda: played.append("w1"))])
    assert alarm.due_in() == 9
    assert alarm.arm([Scheduled("w1", at + 5, lambda: played.append("w1"))])  # a pause
    assert alarm.due_in() == 14
    assert alarm.arm([])
    fake_clock.advance(20)
    assert alarm.run_due() == 0 and played == []


def test_an_alert_found_crossed_first_is_played_then(fake_clock: FakeClock) -> None:
    alarm, played = Alarm(fake_clock), []
    assert alarm.fire("end", lambda: played.append("end"))
    assert alarm.played("end") and played == ["end"]


def test_the_thread_plays_without_anyone_reading_the_screen() -> None:
    clock = SystemClock()
    alarm = Alarm(clock)
    rung = threading.Event()
    alarm.start()
    try:
        alarm.arm([Scheduled("w", clock.monotonic() + 0.05, rung.set)])
        assert rung.wait(timeout=30)  # no repaint, no event loop: the thread did it
    finally:
        alarm.stop()


def test_a_failing_action_does_not_silence_the_next() -> None:
    clock = SystemClock()
    alarm = Alarm(clock)
    rung = threading.Event()

    def broken() -> None:
        raise RuntimeError("player gone")

    alarm.start()
    try:
        now = clock.monotonic()
        alarm.arm([Scheduled("a", now, broken), Scheduled("b", now + 0.02, rung.set)])
        assert rung.wait(timeout=30)
    finally:
        alarm.stop()
