"""Time from launch to the first screen of the kiosk, as a person sees it (in tmux).

Starts ``ndrc-oral`` (home screen) and ``ndrc-oral run e6-ccf-a ...`` (run
screen) in a detached tmux pane of 100x30, polls the pane every 5 ms, and
stops the clock when the screen's own text appears. Prints the median and
the range of N runs of each. Needs tmux; a fresh temporary data directory is
used and removed.

    .venv/bin/python bench/bench_kiosk_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = ROOT / ".venv" / "bin" / "ndrc-oral"
TMUX = ["tmux", "-L", "ndrc-kiosk-bench"]
"""A tmux server of our own: nobody else's sessions are touched."""


def first_screen(session: str, command: str, marker: str, timeout: float = 10.0) -> float:
    """Seconds from launching ``command`` in tmux until ``marker`` shows in the pane."""
    start = time.perf_counter()
    subprocess.run(
        [*TMUX, "new-session", "-d", "-s", session, "-x", "100", "-y", "30", command],
        check=True,
    )
    try:
        while time.perf_counter() - start < timeout:
            screen = subprocess.run(
                [*TMUX, "capture-pane", "-p", "-t", session],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if marker in screen:
                return time.perf_counter() - start
            time.sleep(0.005)
        raise SystemExit(f"no first screen after {timeout} s: {command}")
    finally:
        subprocess.run([*TMUX, "kill-session", "-t", session], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed", file=sys.stderr)
        return 1
    data = Path(tempfile.mkdtemp(prefix="ndrc-kiosk-bench-"))
    cases = {
        "ndrc-oral (home screen)": (f"{EXE} --data-dir {data}", "Oraux du BTS NDRC"),
        "ndrc-oral run e6-ccf-a (run screen)": (
            f"{EXE} run e6-ccf-a --candidate Bench --data-dir {data}",
            "Rigueur dans le suivi",
        ),
    }
    # A session that outlives the runs keeps the server up between them.
    subprocess.run([*TMUX, "new-session", "-d", "-s", "keep", "sleep 3600"], check=True)
    try:
        for name, (command, marker) in cases.items():
            times = [first_screen(f"ndrc-bench-{i}", command, marker) for i in range(args.runs)]
            print(
                f"{name}: median {statistics.median(times) * 1000:.0f} ms, "
                f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
                f"({args.runs} runs)"
            )
    finally:
        subprocess.run([*TMUX, "kill-server"], check=False)
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
