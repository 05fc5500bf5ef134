"""Figures of the review screens in the real app (headless pilot). Prints; not a test.

    .venv/bin/python bench/bench_review_tui.py [--sessions 10000] [--keep DIR] [--notes 2000]

Builds (or reuses, with ``--keep``) a data directory of engine-made sessions
(``new_session`` on a fake clock, ``fsync=False`` to build fast), then runs
``KioskApp(review=True)`` as ``ndrc-oral review`` does, in a headless
terminal of 120x40, and measures:

* the time until the list of every session is on screen, cold (no
  the cache database: every transcript is read) and warm (the index is fresh);
* each keystroke of a text filter: from the key press to the table repainted
  (``pilot.press`` returns once the app is idle again), and the share of it
  spent in filtering (``ReviewScreen.apply_filters``);
* a change of sort column (F3);
* opening a session of ``--notes`` notes: from Enter to its timeline on screen;
  then from the Notes tab key, pressed as soon as the timeline shows, to notes on
  screen; from Enter to the end of the check; from then to every note laid out.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ndrc_oral.exams.loader import load_catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import Mode, SessionIdentity
from ndrc_oral.transcript import Store, new_session
from ndrc_oral.transcript.cache import SessionCache

NAMES = ["Zoé Lefèvre", "Théo Dupré", "Inès Martin", "Maël Çelik", "Léa Bœuf", "Noé Durand"]


def build_range(root: str, start: int, stop: int) -> int:
    """Sessions ``start`` to ``stop``: varied exams, days, modes, timings, a few notes."""
    catalog = list(load_catalog().values())
    for i in range(start, stop):
        rng = random.Random(i)
        exam = catalog[i % len(catalog)]
        wall = datetime(2026, 1, 5, 8, 0).astimezone() + timedelta(days=i % 150, minutes=i % 600)
        clock = FakeClock(wall=wall)
        # A CCF exam's session is one of its situations: the first one, opening an épreuve.
        situation = exam.situations[0].id if exam.ccf else None
        live = new_session(
            Store(Path(root)),
            exam,
            clock,
            SessionIdentity(
                candidate=f"{rng.choice(NAMES)} {i}",
                number=f"{i:05d}",
                commission=str(1 + i % 40),
                mode=Mode.REHEARSAL if i % 5 == 0 else Mode.LIVE,
                situation=situation,
                epreuve_id=f"EP{i:05d}" if situation else None,
            ),
            fsync=False,
        )
        s = live.session
        for phase in exam.run(situation).phases:
            if s.status.value in ("ready", "between"):
                s.start()
            clock.advance(phase.duration_s * rng.uniform(0.7, 1.15))
            s.note("Reformulation efficace", criterion=rng.choice(exam.criterion_ids()))
            s.tick()
            if s.status.value in ("running", "paused"):
                s.end_phase(carry_over=False)
        if situation:  # the first situation of two: done, its mark comes with the second
            s.set_result(situation_done=True)
        else:
            s.set_result(mark=rng.randint(0, 40) / 2)
        s.finish()
        live.close()
    return stop - start


def build(root: Path, count: int) -> None:
    jobs = os.cpu_count() or 1
    step = max(1, count // (jobs * 8))
    ranges = [(i, min(count, i + step)) for i in range(0, count, step)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(build_range, [str(root)] * len(ranges), *zip(*ranges, strict=True)))


def build_big(root: Path, notes: int) -> str:
    """One E4 session of ``notes`` notes; its candidate's name, to find it in the list."""
    exam = load_catalog().get("e4-ponctuel")
    clock = FakeClock(wall=datetime(2027, 1, 4, 8, 0).astimezone())
    name = "Bianca Castafiore"
    live = new_session(Store(root), exam, clock, SessionIdentity(name), fsync=False)
    s = live.session
    s.start()
    per_phase = notes // (len(exam.phases) - 1) + 1
    for n in range(notes):
        clock.advance(1.1)
        s.tick()
        if s.status.value in ("ready", "between"):
            s.start()
        s.note(f"Observation {n} : reformulation « prix » efficace", criterion=None)
        if (n + 1) % per_phase == 0 and s.status.value == "running":
            s.end_phase(carry_over=False)
    s.set_result(mark=14)
    s.finish()
    live.close()
    return name


async def until(pilot: Any, done: Callable[[], bool], limit_s: float = 600) -> float:
    """Seconds until ``done()`` holds, polling the app."""
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > limit_s:
            raise TimeoutError
        await pilot.pause(0.01)
    return time.perf_counter() - start


def _listed(app: Any) -> bool:
    from ndrc_oral.tui.screens.review import ReviewScreen
    from ndrc_oral.tui.widgets.session_table import SessionTable

    screen = app.screen
    return isinstance(screen, ReviewScreen) and bool(screen.query_one(SessionTable).rows)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


async def measure(root: Path, big: str) -> None:
    from ndrc_oral.tui.app import KioskApp
    from ndrc_oral.tui.screens.review import ReviewScreen
    from ndrc_oral.tui.widgets.session_table import SessionTable

    catalog = load_catalog()
    for label in ("cold (no index: every file read)", "warm (index fresh)"):
        if label.startswith("cold"):
            SessionCache(root).delete()
        else:
            time.sleep(2.1)  # past the index's "too recent to trust" window
        app = KioskApp(catalog=catalog, store=Store(root), clock=FakeClock(), review=True)
        start = time.perf_counter()
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, functools.partial(_listed, app))
            elapsed = time.perf_counter() - start
            count = len(app.screen.query_one(SessionTable).rows)
            print(f"  list on screen, {label:34} {elapsed:7.2f} s   ({count} sessions)")
            await app.workers.wait_for_complete()
    # The keystrokes, the sort and the opening, in one warm app.
    app = KioskApp(catalog=catalog, store=Store(root), clock=FakeClock(), review=True)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded)
        await app.workers.wait_for_complete()
        screen: Any = app.screen
        table = screen.query_one(SessionTable)
        filtering: list[float] = []
        real = screen.apply_filters

        def timed_apply() -> None:
            t0 = time.perf_counter()
            real()
            filtering.append(time.perf_counter() - t0)

        screen.apply_filters = timed_apply
        await pilot.press("f2")
        presses: list[float] = []
        for key in [*"zoe lef", *["backspace"] * 7, *"martin"]:
            t0 = time.perf_counter()
            await pilot.press(key)
            presses.append(time.perf_counter() - t0)
        print(
            f"  keystroke of the text filter, key to repaint: median {ms(statistics.median(presses))}"
            f"   max {ms(max(presses))}   ({len(presses)} keys)"
        )
        print(
            f"    of which filtering {len(screen.all)} summaries + handing them to the table:"
            f" median {ms(statistics.median(filtering))}   max {ms(max(filtering))}"
        )
        print(f"    rows listed after the last key: {len(table.rows)}")
        idle: list[float] = []
        for _ in range(10):  # a key that moves the text cursor only: the pilot's own cost
            t0 = time.perf_counter()
            await pilot.press("left")
            idle.append(time.perf_counter() - t0)
        print(
            f"    baseline, a key that filters nothing (←):   median {ms(statistics.median(idle))}"
        )
        screen.query_one("#review-text").value = ""
        await pilot.pause()
        t0 = time.perf_counter()
        await pilot.press("f3")
        print(f"  sort by another column (F3), all sessions:    {ms(time.perf_counter() - t0)}")
        shown, at_once, checked, every, count = await open_session(app, pilot, big)
        print(
            f"  open a session of {count} notes: timeline on screen {ms(shown)}, its Notes tab"
            f" at once {ms(at_once)}; checked {ms(checked)}, then every note {ms(every)}"
        )


async def open_session(app: Any, pilot: Any, big: str) -> tuple[float, float, float, float, int]:
    """Find ``big`` with the text filter, open it: seconds from Enter to its timeline; from
    the Notes tab key, pressed as soon as the timeline shows, to notes on screen; from Enter
    to the end of its check (the banner's verdict); from that verdict to every note laid
    out on the Notes pane. The last and the notes' count."""
    from ndrc_oral.tui.screens.session_detail import SessionDetailScreen
    from ndrc_oral.tui.widgets.session_table import SessionTable
    from ndrc_oral.tui.widgets.text_lines import TextLines

    screen: Any = app.screen
    table = screen.query_one(SessionTable)
    screen.query_one("#review-text").value = big
    await pilot.pause()
    table.focus()
    await pilot.pause()
    # Enter, without ``pilot.press``: it returns only once the app is idle,
    # i.e. after the notes are wrapped in the background too.
    t0 = time.perf_counter()
    table.action_open()
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, SessionDetailScreen)
            and (app.screen.previewed or app.screen.report is not None)
        ),
    )
    # One repaint: the timeline is on screen (checked or not yet). ``pause(0)``, not
    # ``pause()``: that one waits for the process to be idle, i.e. for the check's thread.
    await pilot.pause(0)
    shown = time.perf_counter() - t0
    detail: Any = app.screen
    t1 = time.perf_counter()
    detail.action_tab("notes")
    notes = detail.query_one("#detail-notes", TextLines)
    # Notes on screen: a note's stamp and text under the count (checked or not yet).
    await until(pilot, lambda: notes.ready and len(notes.lines) > 3)
    await pilot.pause(0)
    at_once = time.perf_counter() - t1
    await until(pilot, lambda: detail.report is not None)
    checked = time.perf_counter() - t0
    t2 = time.perf_counter()
    count = len(detail.report.notes)
    # Every note: a stamp, its text and a blank line each, under the count and a blank.
    await until(pilot, lambda: notes.ready and len(notes.lines) >= 3 * count + 2)
    await pilot.pause(0)
    every = time.perf_counter() - t2
    return shown, at_once, checked, every, count


async def open_only(root: Path, big: str) -> None:
    """``--open-only``: the opening alone, in a fresh interpreter; one JSON line."""
    from ndrc_oral.tui.app import KioskApp
    from ndrc_oral.tui.screens.review import ReviewScreen

    app = KioskApp(catalog=load_catalog(), store=Store(root), clock=FakeClock(), review=True)
    app.animation_level = "none"
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded)
        await app.workers.wait_for_complete()
        shown, at_once, checked, every, count = await open_session(app, pilot, big)
    figures = {"timeline": shown, "notes": at_once, "checked": checked, "every": every}
    print(json.dumps({**figures, "count": count}))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--open-only":
        asyncio.run(open_only(Path(sys.argv[2]), sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=2_000)
    parser.add_argument("--keep", type=Path, default=None, help="build into (or reuse) this dir")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="ndrc-bench-tui-")) / "data"
    root.mkdir(parents=True, exist_ok=True)
    existing = len(list(root.glob("*.toml")))
    print(f"data directory: {root}  ({os.cpu_count()} CPU)")
    if existing < args.sessions:
        t0 = time.perf_counter()
        build(root, args.sessions - existing)
        print(f"  built {args.sessions - existing} sessions in {time.perf_counter() - t0:.1f} s")
    big = "Bianca Castafiore"
    if not any(root.glob("20270104-*.toml")):
        big = build_big(root, args.notes)
    print(f"  {len(list(root.glob('*.toml')))} sessions\n")
    asyncio.run(measure(root, big))


if __name__ == "__main__":
    main()
