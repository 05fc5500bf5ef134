"""The day's screen with 200 candidates: key to repaint, and its CPU in a live phase.

A data directory of its own gets a roster of 200 E4 ponctuel candidates
(imported as ``day import`` does) with one candidate preparing; the kiosk is
started on it in a pseudo-terminal of our own (``_kiosk_measure.PtyProgram``,
100x30), F3 opens the day's screen, F3 again resumes the preparation (a new
kiosk finds it paused, as after a crash).

``keys``: ``--keys`` presses of the down arrow, one at a time; for each, the
time from the write of the key to the first chunk of output the kiosk writes
back (the highlighted row moved): p50/p99/max.

``cpu``: the CPU time of the kiosk (``_proc.cpu_seconds``: the process and its
children) over ``--seconds``, the preparation counting down on the day's
screen; then the same over the run screen of one E4 ponctuel session started
with F2 (``ndrc-oral run``), for comparison. In % of one core.

    .venv/bin/python bench/bench_day.py [--keys 100] [--seconds 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from _kiosk_measure import EXE, F2, PtyProgram, kiosk_env, kiosk_run, percentile
from _proc import cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
F3 = b"\x1bOR"
DOWN = b"\x1b[B"
HEADER = "N° candidat;Nom;Prénom;Épreuve;Date;Heure de convocation;Commission"


def roster(path: Path, count: int) -> Path:
    rows = [HEADER]
    for i in range(count):
        day, slot = divmod(i, 12)
        minutes = 8 * 60 + 40 * slot
        rows.append(
            f"{i + 1:06d};NOM{i + 1:03d};Prénom;e4-ponctuel-2025;{day + 1:02d}/06/2026;"
            f"{minutes // 60:02d}:{minutes % 60:02d};C12"
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def prepare(data: Path, count: int) -> None:
    """The day imported, its first candidate given a fiche (preparing)."""
    from ndrc_oral.exam_room.day import open_room
    from ndrc_oral.exam_room.roster import read_roster
    from ndrc_oral.exams.loader import load_catalog
    from ndrc_oral.session.clock import SystemClock
    from ndrc_oral.transcript.directory import Store

    catalog = load_catalog()
    path = roster(data.parent / "liste.csv", count)
    room = open_room(
        Store(data), catalog, SystemClock(), path.name, read_roster(path, catalog.ids())
    )
    room.hand_over(1, "1")
    room.close()


def keys(program: PtyProgram, presses: int) -> list[float]:
    delays: list[float] = []
    for _ in range(presses):
        time.sleep(0.15)  # let the countdown's own repaints pass
        with program.lock:
            before = len(program.chunks)
        sent = time.monotonic()
        program.send(DOWN)
        deadline = sent + 2.0
        while time.monotonic() < deadline:
            with program.lock:
                fresh = [c for c in program.chunks[before:] if c.t >= sent]
            if fresh:
                delays.append(fresh[0].t - sent)
                break
            time.sleep(0.0005)
    return delays


def cpu(program: PtyProgram, seconds: float) -> float:
    start = cpu_seconds(program.pid)
    time.sleep(seconds)
    return 100.0 * (cpu_seconds(program.pid) - start) / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    env = kiosk_env()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prepare(data, args.count)
        argv = [str(EXE), "--data-dir", str(data)]
        day = PtyProgram(argv, env=env, emulate=True)
        try:
            if not day.wait_for(lambda s: "Journée" in "\n".join(s.display), 30):
                print("the home screen did not come", file=sys.stderr)
                return 1
            day.send(F3)
            if not day.wait_for(lambda s: "NOM001" in "\n".join(s.display), 30):
                print("the day's screen did not come", file=sys.stderr)
                return 1
            day.send(F3)  # the preparation goes on
            time.sleep(2.0)
            delays = keys(day, args.keys)
            time.sleep(1.0)
            day_cpu = cpu(day, args.seconds)
        finally:
            day.stop()
        run_data = Path(tmp) / "run"
        run = PtyProgram(kiosk_run("e4-ponctuel-2025", run_data), env=env, emulate=True)
        try:
            run.wait_for(lambda s: "Préparation" in "\n".join(s.display), 30)
            time.sleep(1.0)
            run.send(F2)
            time.sleep(2.0)
            run_cpu = cpu(run, args.seconds)
        finally:
            run.stop()
    load = os.getloadavg()[0]
    ms = [d * 1000 for d in delays]
    print(f"day's screen, {args.count} candidates, {len(ms)}/{args.keys} keys answered")
    if ms:
        print(
            f"  key to repaint: p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms,"
            f" max {max(ms):.1f} ms"
        )
    print(
        f"  CPU, a preparation counting down: {day_cpu:.2f} % of a core over {args.seconds:.0f} s"
    )
    print(
        f"run screen, E4 preparation running: {run_cpu:.2f} % of a core over {args.seconds:.0f} s"
    )
    print(f"  (load average at the end: {load:.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
