"""One second of a live phase, thread by thread: CPU and wake-ups (issue 15, the floor of a second).

The kiosk (E5 pratique, one candidate, phase started with F2; ``--f6``: the
candidate's view shown) in a pty of 100x30 of our own. After ``--settle``
seconds, each of its threads' ``/proc/PID/task/TID/schedstat`` is read at the
start and the end of a ``--seconds`` window: the time it ran (ns, kernel time
included, exact rather than the 10 ms ticks of ``stat``) and how many times it
was scheduled in (a wake-up each, or a GIL hand-over). Printed per second:
µs of CPU, runs, µs per run, and the total in % of one core (the figure
``bench_compare.py --table --parts live`` measures with ticks, over the
process tree).

    .venv/bin/python bench/bench_floor.py [--seconds 30] [--f6]

The threads are the event loop (the process's own id), Textual's input
thread and its writer thread, and the alarm (``ndrc-alarm``); Python does not
name them for the kernel, so they are told apart by what they do: the input
thread ran 10 times a second before issue 15's own driver, the writer runs
once per frame written, the alarm at an alert.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from _kiosk_measure import F2, F6, PtyProgram, kiosk_env, kiosk_run


def _schedstat(pid: int) -> dict[int, tuple[int, int]]:
    """Thread id -> (ns on a CPU, times scheduled in), for every thread of ``pid``."""
    found: dict[int, tuple[int, int]] = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            ran, _, runs = Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()
        except (OSError, ValueError):
            continue  # a thread that ended meanwhile
        found[int(tid)] = (int(ran), int(runs))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument("--f6", action="store_true", help="the candidate's view (F6)")
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="ndrc-floor-bench-"))
    kiosk = PtyProgram(
        kiosk_run("e5-pratique", data, "--cms", "WordPress"), env=kiosk_env(), emulate=True
    )
    try:
        if not kiosk.wait_for(lambda s: "Grille" in "\n".join(s.display), 30):
            raise SystemExit("the kiosk never showed its first screen")
        kiosk.send(F2)
        if args.f6:
            time.sleep(1.0)
            kiosk.send(F6)
        time.sleep(args.settle)
        before, start = _schedstat(kiosk.pid), time.monotonic()
        time.sleep(args.seconds)
        after, span = _schedstat(kiosk.pid), time.monotonic() - start
    finally:
        kiosk.stop()
    one, five, _ = os.getloadavg()
    print(
        f"{'thread':>12} {'µs/s':>8} {'runs/s':>7} {'µs/run':>7}   (load {one:.2f}, 5 min {five:.2f})"
    )
    total = 0
    for tid, (ran, runs) in sorted(after.items()):
        ran0, runs0 = before.get(tid, (0, 0))
        total += ran - ran0
        name = "event loop" if tid == kiosk.pid else str(tid)
        per_run = (ran - ran0) / max(1, runs - runs0) / 1000
        print(
            f"{name:>12} {(ran - ran0) / span / 1000:8.0f} {(runs - runs0) / span:7.1f} {per_run:7.1f}"
        )
    print(f"{'total':>12} {total / span / 1000:8.0f}   = {total / span / 1e7:.3f} % of a core")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
