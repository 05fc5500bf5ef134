"""How closely the kiosk's timer follows true time: on a simulated clock, and in real time under load.

``simulated`` (default: the full 40-minute E5 practical, ``e5-pratique``)
    The real ``KioskApp`` and its ``RunScreen`` run headless in Textual's
    pilot on a ``FakeClock``. The bench plays the operating system: each time
    the screen repaints (``refresh_clock``), it reads the delay the screen
    asked its timer for, and moves the clock by that delay plus what a busy
    machine adds: jitter of a few ms, late wake-ups (50 ms to 3 s), stalls of
    up to 30 s, wake-ups a hair before a second boundary, bursts of early
    repaints (a key pressed), pauses of the phase (F3 with a reason, F3 again,
    through the real keys and dialog), the candidate's view (F6) shown and
    hidden, and the wall clock jumping one hour forward then back. The phase
    runs to its end and five minutes of overtime.

    True remaining time is kept apart, from the steps themselves:
    ``2400 - (sum of the steps while running)``. At each repaint the bench
    reads what the big timer shows (``TimerPanel``, drawn with the kiosk's own
    ``timer_view``/``hms``), parses it back to seconds, and compares:

    * the shown value against ``ceil(true remaining)`` (counting down the
      timer shows the second under way: 40:00 at the start, 00:01 in the last
      second; past the end ``+mm:ss`` counts whole seconds of overtime);
    * shown minus true remaining: must stay within [0, 1) s (the largest
      error is under one displayed second);
    * the engine's own remaining time (``Snapshot.remaining_s``) against the
      true one: the drift, which must not grow with time. The engine reads
      session time to the millisecond, as it records events, so each reading
      and each start, pause or resume may be off by 0.5 ms; near a second
      boundary the shown second may then change that much early or late. The
      shown value is also compared with the remaining time computed (by the
      bench) from the instants as the log records them and the time read to
      the ms: it must match at every repaint;
    * seconds never shown although every wake-up came before the next
      boundary (a timer that skips a second).

``real`` (default 10 minutes; ``--quick`` for 1)
    The real program (``ndrc-oral run e5-pratique``) in a pseudo-terminal of
    our own (100x30), with every core loaded by a busy loop for the whole run
    (``--load``, default: one per core; killed afterwards). A reader thread
    timestamps each chunk of output the moment it arrives (``time.monotonic``)
    and feeds it to a terminal emulator (``pyte``); when the big timer on that
    screen shows a new value ``v``, the delay is ``arrival - (start + 2400 -
    v)``, where ``start`` is the phase's start as the transcript records it
    (``phase_started.at``, wall clock to the millisecond, turned into the
    monotonic clock: ±0.5 ms). The reader runs at normal priority like the
    hogs, so its own wake-up is counted in the delay: the figures are an
    upper bound of the kiosk's. Prints p50/p99/max of the delay, the largest
    error of the shown value (in displayed seconds), seconds never shown, and
    the drift (slope of the delay over the run).

    .venv/bin/python bench/bench_timer_accuracy.py simulated [--seed 1] [--quick]
    .venv/bin/python bench/bench_timer_accuracy.py real [--minutes 10 | --quick] [--load 2]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ndrc_oral.session.events import Event

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kiosk_measure import (
    F2,
    PtyProgram,
    busy_cores,
    kiosk_env,
    kiosk_run,
    percentile,
    read_timer,
    timer_seconds,
    wall_to_monotonic,
)

EXAM = "e5-pratique"
PLANNED_S = 2400.0


# --- simulated --------------------------------------------------------------------------------


@dataclass
class SimFigures:
    repaints: int = 0
    max_error: float = 0.0
    """Largest |shown - true remaining|, seconds."""
    min_gap: float = math.inf
    max_gap: float = -math.inf
    """shown - true remaining: ideally within [0, 1)."""
    wrong_second: int = 0
    """Repaints whose shown value is not ceil(true remaining) (or the overtime's floor)."""
    near_boundary: int = 0
    """Of those, the ones within 2 ms of a second boundary (times are read to the ms)."""
    wrong_recorded: int = 0
    """Repaints whose shown value is not ceil(remaining) computed from the instants as
    recorded and the time read to the ms, as the engine does: isolates the display
    from that rounding."""
    max_drift: float = 0.0
    end_drift: float = 0.0
    skipped_on_time: int = 0
    """Seconds never shown although the wake-up came before the next boundary."""
    skipped_late: int = 0
    late_wakeups: int = 0
    privacy_checked: int = 0
    privacy_wrong: int = 0
    wall_jumps: int = 0
    pauses: int = 0
    events: list[str] = field(default_factory=list)


def expected_text_seconds(true_remaining: float) -> int:
    """What a correct timer shows, as signed seconds (``timer_seconds`` of its text)."""
    if true_remaining > 0:
        return math.ceil(true_remaining - 1e-9)
    return -math.floor(-true_remaining + 1e-9)


async def simulate(seed: int, overtime_s: float, quick: bool) -> SimFigures:
    from ndrc_oral.exam_room.requests import SessionRequest, create_session
    from ndrc_oral.exam_room.view import timer_view
    from ndrc_oral.exams.loader import load_catalog
    from ndrc_oral.i18n import set_language
    from ndrc_oral.session.clock import FakeClock
    from ndrc_oral.session.identity import SessionIdentity
    from ndrc_oral.session.state import Status
    from ndrc_oral.transcript.directory import Store
    from ndrc_oral.tui.app import KioskApp
    from ndrc_oral.tui.screens.privacy import PrivacyScreen
    from ndrc_oral.tui.screens.run import RunScreen
    from ndrc_oral.tui.widgets.bigclock import BigClock
    from ndrc_oral.tui.widgets.timer import TimerPanel

    set_language("fr")
    rng = random.Random(seed)
    data = Path(tempfile.mkdtemp(prefix="ndrc-bench-acc-"))
    figures = SimFigures()
    try:
        catalog = load_catalog()
        # An irregular origin: event times are not whole milliseconds of the clock.
        clock = FakeClock(start=1000.0 + rng.random())
        store = Store(data)
        request = SessionRequest(EXAM, SessionIdentity("Banc d'essai", cms="WordPress"))
        base = clock.monotonic()  # session time 0: the FakeClock stands still meanwhile
        live = create_session(store, catalog.get(EXAM), clock, request)
        app = KioskApp(catalog=catalog, store=store, clock=clock, session=live, cursor_blink=False)
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, RunScreen)
            clock.advance(rng.uniform(0.5, 5.0))  # the commission settles, then presses F2
            await pilot.press("f2")
            running = 0.0  # true time the phase has run: the bench's own account
            paused = False
            last_shown: int | None = None
            pause_plan = sorted(rng.uniform(60, 2300) for _ in range(2 if quick else 4))
            privacy_plan = sorted(rng.uniform(60, 2300) for _ in range(2 if quick else 3))
            jumps = [rng.uniform(300, 1200), rng.uniform(1300, 2200)]
            end_at = PLANNED_S + overtime_s
            while running < end_at:
                # What the screen asked for: its next repaint, as the timer would fire it.
                asked = screen._timer._interval if screen._timer is not None else 1.0
                roll = rng.random()
                if roll < 0.55:
                    step = asked + rng.uniform(0.0, 0.015)  # on time, with scheduling jitter
                elif roll < 0.70:
                    step = asked + rng.uniform(0.05, 1.0)  # late
                    figures.late_wakeups += 1
                elif roll < 0.74:
                    step = asked + rng.uniform(1.0, 3.0)  # very late: a second or two lost
                    figures.late_wakeups += 1
                elif roll < 0.75:
                    step = asked + rng.uniform(5.0, 30.0)  # the machine stalled
                    figures.late_wakeups += 1
                elif roll < 0.85:
                    step = rng.uniform(0.0, asked)  # an early repaint (a key, a resize)
                elif roll < 0.95:
                    step = max(0.0, asked - 0.005 - rng.uniform(0.0, 0.002))  # just before
                else:
                    step = rng.uniform(0.0, 0.003)  # a burst of repaints
                on_time = step <= asked + 0.02
                clock.advance(step)
                if not paused:
                    running += step
                if jumps and running >= jumps[0]:
                    jump = 3600.0 if len(jumps) == 2 else -3600.0
                    clock.jump_wall(jump)
                    figures.wall_jumps += 1
                    figures.events.append(f"wall clock {jump:+.0f} s at {running:.1f} s")
                    jumps.pop(0)
                screen.refresh_clock()
                figures.repaints += 1
                if pause_plan and running >= pause_plan[0] and not paused:
                    if isinstance(app.screen, PrivacyScreen):
                        await pilot.press("f6")  # back to the commission's screen first
                    await pilot.press("f3")  # pause: the reason dialog, its default reason
                    await pilot.press("enter")
                    if live.session.status is not Status.PAUSED:
                        raise SystemExit("F3 + Enter did not pause the phase")
                    paused = True
                    figures.pauses += 1
                    length = rng.uniform(5, 240)
                    figures.events.append(f"pause {length:.1f} s at {running:.1f} s")
                    clock.advance(length / 2)
                    screen.refresh_clock()
                    if rng.random() < 0.5:
                        clock.jump_wall(rng.choice([-3600.0, 3600.0]))  # during the pause too
                        figures.wall_jumps += 1
                    clock.advance(length / 2)
                    await pilot.press("f3")  # resume
                    if live.session.snapshot().status is not Status.RUNNING:
                        raise SystemExit("F3 did not resume the phase")
                    paused = False
                    pause_plan.pop(0)
                    screen.refresh_clock()
                if privacy_plan and running >= privacy_plan[0] and screen.privacy is None:
                    await pilot.press("f6")  # the candidate looks: only the timer is shown
                    privacy_plan.pop(0)
                # Under the candidate's view the commission's panel is covered and not
                # painted: what the room sees then is the big clock.
                covered = isinstance(app.screen, PrivacyScreen)
                shown_text = (
                    app.screen.query_one(BigClock).value
                    if covered
                    else screen.query_one(TimerPanel).text
                )
                shown_panel = timer_seconds(shown_text)
                true_remaining = PLANNED_S - running
                check(figures, shown_panel, true_remaining)
                # The engine reads session time to the millisecond, as it records events.
                now_ms = round(clock.monotonic() - base, 3)
                recorded = recorded_remaining(live.session.events, now_ms)
                if shown_panel != expected_text_seconds(recorded):
                    figures.wrong_recorded += 1
                snap = screen.seat.snap
                assert snap is not None
                drift = snap.remaining_s - true_remaining
                figures.max_drift = max(figures.max_drift, abs(drift))
                figures.end_drift = drift
                if covered:  # the candidate's clock against the commission's, same reading
                    figures.privacy_checked += 1
                    if shown_panel != timer_seconds(timer_view(snap).text):
                        figures.privacy_wrong += 1
                    if rng.random() < 0.02:
                        await pilot.press("f6")  # back to the commission's screen
                if last_shown is not None and shown_panel < last_shown - 1 and not paused:
                    if on_time:
                        figures.skipped_on_time += last_shown - 1 - shown_panel
                    else:
                        figures.skipped_late += last_shown - 1 - shown_panel
                last_shown = shown_panel
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return figures


def recorded_remaining(events: Sequence[Event], now_t: float) -> float:
    """2400 s minus the time run, from the start, pause and resume times the log records."""
    run = 0.0
    since: float | None = None
    for e in events:
        if e.kind in ("phase_started", "resumed"):
            since = e.t
        elif e.kind == "paused" and since is not None:
            run += e.t - since
            since = None
    if since is not None:
        run += now_t - since
    return PLANNED_S - run


def check(figures: SimFigures, shown: int, true_remaining: float) -> None:
    gap = shown - true_remaining
    figures.min_gap = min(figures.min_gap, gap)
    figures.max_gap = max(figures.max_gap, gap)
    figures.max_error = max(figures.max_error, abs(gap))
    if shown != expected_text_seconds(true_remaining):
        figures.wrong_second += 1
        if abs(true_remaining - round(true_remaining)) < 0.002:
            figures.near_boundary += 1


def run_simulated(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    overtime = 60.0 if args.quick else 300.0
    figures = asyncio.run(simulate(args.seed, overtime, args.quick))
    took = time.perf_counter() - started
    print(f"Timer accuracy, simulated: {EXAM}, 40:00 + {overtime / 60:.0f} min of overtime")
    print(f"  seed {args.seed}; {figures.repaints} repaints in {took:.1f} s of bench time")
    print(
        f"  {figures.late_wakeups} late wake-ups, {figures.pauses} pauses, "
        f"{figures.wall_jumps} wall-clock jumps of 1 h, candidate's view checked "
        f"{figures.privacy_checked} times"
    )
    for line in figures.events:
        print(f"    {line}")
    print(
        f"  largest error |shown - true remaining|: {figures.max_error:.4f} s "
        f"(shown - true within [{figures.min_gap:.4f}, {figures.max_gap:.4f}] s; ideal [0, 1))"
    )
    print(
        f"  repaints showing another second than ceil(true remaining): {figures.wrong_second} "
        f"({figures.near_boundary} of them within 2 ms of a boundary); with the times read "
        f"to the ms, as the engine reads and records them: {figures.wrong_recorded}"
    )
    print(
        f"  drift of the engine's remaining time: max {figures.max_drift * 1000:.3f} ms, "
        f"at the end {figures.end_drift * 1000:.3f} ms"
    )
    print(
        f"  seconds never shown: {figures.skipped_on_time} with on-time wake-ups, "
        f"{figures.skipped_late} after late wake-ups (the screen shows the right second "
        "when it wakes)"
    )
    print(f"  candidate's view different from the commission's timer: {figures.privacy_wrong}")
    return 0


# --- real time ------------------------------------------------------------------------------


@dataclass
class Change:
    t: float
    shown: int


def phase_start_monotonic(data: Path) -> float:
    """When the phase started, on this machine's monotonic clock (from the transcript)."""
    from ndrc_oral.transcript.reader import read_transcript

    files = [p for p in data.glob("*.toml")]
    if len(files) != 1:
        raise SystemExit(f"expected one transcript in {data}, found {len(files)}")
    events = read_transcript(files[0]).events
    started = next(e for e in events if e.kind == "phase_started")
    # ``at`` is cut to the millisecond: the true instant lies within the next ms.
    wall = datetime.fromisoformat(started.at).timestamp() + 0.0005
    return wall - wall_to_monotonic()


def run_real(args: argparse.Namespace) -> int:
    minutes = 1.0 if args.quick else args.minutes
    load = args.load if args.load is not None else (os.cpu_count() or 1)
    data = Path(tempfile.mkdtemp(prefix="ndrc-bench-real-"))
    changes: list[Change] = []

    def seen(t: float, screen: object) -> None:
        text = read_timer(screen.display)  # type: ignore[attr-defined]
        if text is None:
            return
        value = timer_seconds(text)
        if not changes or changes[-1].shown != value:
            changes.append(Change(t, value))

    offset_before = wall_to_monotonic()
    program: PtyProgram | None = None
    try:
        with busy_cores(load):
            program = PtyProgram(
                kiosk_run(EXAM, data, "--cms", "WordPress"),
                cols=100,
                rows=30,
                env=kiosk_env(),
                emulate=True,
                on_output=seen,
            )
            if not program.wait_for(lambda s: read_timer(s.display) == "40:00", 30):
                print(program.text(), file=sys.stderr)
                raise SystemExit("the run screen did not show 40:00")
            time.sleep(0.5)
            program.send(F2)
            if not program.wait_for(lambda s: read_timer(s.display) == "39:59", 5):
                raise SystemExit("the timer did not start")
            time.sleep(minutes * 60)
            program.stop()
    finally:
        if program is not None:
            program.stop()
    offset_after = wall_to_monotonic()
    try:
        start = phase_start_monotonic(data)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    report_real(changes, start, minutes, load, offset_after - offset_before)
    return 0


def report_real(
    changes: list[Change], start: float, minutes: float, load: int, wall_step: float
) -> None:
    counting = [c for c in changes if c.shown < PLANNED_S]  # 40:00 is shown before the start
    delays: list[float] = []
    wrong = 0
    skipped = 0
    for prev, change in zip([None, *counting], counting, strict=False):
        boundary = start + PLANNED_S - change.shown
        delays.append(change.t - boundary)
        expected = expected_text_seconds(PLANNED_S - (change.t - start))
        wrong = max(wrong, abs(change.shown - expected))
        if prev is not None and prev.shown - change.shown != 1:
            skipped += prev.shown - change.shown - 1
    ms = [d * 1000 for d in delays]
    n = len(ms)
    print(f"Timer accuracy, real time: {EXAM} in a 100x30 pty, {minutes:g} min, {load} busy loops")
    print(f"  {n} second boundaries seen; seconds never shown: {skipped}")
    if not n:
        return
    print(
        f"  display delay after each boundary: p50 {percentile(ms, 50):.1f} ms, "
        f"p99 {percentile(ms, 99):.1f} ms, max {max(ms):.1f} ms, min {min(ms):.1f} ms"
    )
    worst = sorted(zip(ms, counting, strict=True), key=lambda x: -x[0])[:3]
    print("  slowest: " + ", ".join(f"{d:.1f} ms at {hms_text(c.shown)}" for d, c in worst))
    print(
        f"  largest error of the shown value: {wrong} displayed second(s); "
        f"the display lags true time by at most {max(ms):.1f} ms"
    )
    minute = max(1, min(60, n // 2))
    first, last = statistics.mean(ms[:minute]), statistics.mean(ms[-minute:])
    slope = statistics.linear_regression(range(n), ms).slope * 60 if n > 2 else 0.0
    print(
        f"  drift: mean delay {first:.1f} ms over the first {minute} s, {last:.1f} ms over "
        f"the last {minute} s; slope {slope:+.3f} ms per minute"
    )
    print(f"  wall clock against monotonic moved by {wall_step * 1000:+.2f} ms during the run")


def hms_text(seconds: int) -> str:
    """``39:59`` for 2399 (the timer's own wording, as the kiosk formats it)."""
    from ndrc_oral.formatting import hms

    return hms(seconds) if seconds >= 0 else "+" + hms(-seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode")
    sim = sub.add_parser("simulated", help="40 minutes on a FakeClock, in Textual's pilot")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--quick", action="store_true", help="fewer pauses, 1 min of overtime")
    real = sub.add_parser("real", help="the real program in a pty, every core loaded")
    real.add_argument("--minutes", type=float, default=10.0)
    real.add_argument("--quick", action="store_true", help="1 minute")
    real.add_argument("--load", type=int, default=None, help="busy loops (default: one per core)")
    args = parser.parse_args()
    if args.mode == "real":
        return run_real(args)
    if args.mode is None:
        args.seed, args.quick = 1, False
    return run_simulated(args)


if __name__ == "__main__":
    raise SystemExit(main())
