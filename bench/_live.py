"""Two live rows of ``bench_compare.py --table``: launch to first screen, delay and jitter under load.

``launch_times``
    Each program is started in a detached pane (100x30) of a private tmux
    server, whose screen is polled every 5 ms; the clock stops when the
    program's first screen is there (the kiosk's own text; for termdown, its
    first digits). The programs take turns, ``runs`` times each.

``delay_and_jitter``
    The kiosk (E5, phase started with F2) and ``termdown 40m`` in ptys of our
    own at the same time, while ``load`` busy loops spin. Each chunk they
    write is timestamped on arrival and fed to a terminal emulator.
    *Delay* (the kiosk only: termdown keeps no record of when it started):
    from each true second boundary (the phase's recorded start + k s) to the
    first chunk showing the new total ``Total mm:ss``.
    *Jitter* (both): how far the interval between two successive updates of
    the screen is from 1 s, ``|interval - 1 s|``. An update is the first chunk
    that changes the screen more than 0.3 s after the previous update began
    (a program may draw one update in several writes: termdown clears, then
    draws).
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pyte
from _kiosk_measure import (
    EXE,
    F2,
    PtyProgram,
    busy_cores,
    kiosk_env,
    kiosk_run,
    percentile,
    wall_to_monotonic,
)

# One server per run: two engineers benching at once must not kill each other's panes.
TMUX = ["tmux", "-L", f"ndrc-launch-bench-{os.getpid()}"]
UPDATE_GAP_S = 0.3
_TOTAL = re.compile(r"Total (\d\d):(\d\d)")


def _tmux(*args: str) -> str:
    return subprocess.run([*TMUX, *args], capture_output=True, text=True, check=False).stdout


def _first_screen(command: list[str], ready: Callable[[str], bool], timeout: float = 20.0) -> float:
    start = time.perf_counter()
    line = " ".join(shlex.quote(a) for a in command)
    _tmux("new-session", "-d", "-s", "launch", "-x", "100", "-y", "30", line)
    try:
        while time.perf_counter() - start < timeout:
            if ready(_tmux("capture-pane", "-p", "-t", "launch")):
                return time.perf_counter() - start
            time.sleep(0.005)
        raise SystemExit(f"no first screen after {timeout:g} s: {line}")
    finally:
        _tmux("kill-session", "-t", "launch")


def launch_times(termdown: Path | None, runs: int) -> dict[str, list[float]]:
    """Seconds to the first screen, per program, ``runs`` times each, taking turns."""
    data = Path(tempfile.mkdtemp(prefix="ndrc-launch-bench-"))
    cases: dict[str, tuple[list[str], Callable[[str], bool]]] = {
        "home": ([str(EXE), "--data-dir", str(data)], lambda s: "Oraux du BTS NDRC" in s),
        "run": (
            [*kiosk_run("e5-pratique", data / "run", "--cms", "WordPress")],
            lambda s: "F2" in s and "Grille" in s,
        ),
    }
    if termdown is not None:
        cases["termdown"] = ([str(termdown), "40m"], lambda s: any(c.isalnum() for c in s))
    times: dict[str, list[float]] = {name: [] for name in cases}
    _tmux("kill-server")
    # A session that outlives the runs keeps the server (and its start-up) out of the figures.
    subprocess.run([*TMUX, "new-session", "-d", "-s", "keep", "sleep 3600"], env=kiosk_env())
    try:
        for _ in range(runs):
            for name, (argv, ready) in cases.items():
                times[name].append(_first_screen(argv, ready))
    finally:
        _tmux("kill-server")
    return times


def _phase_start(data: Path) -> float:
    """The kiosk's recorded phase start, on this process's monotonic clock."""
    from ndrc_oral.transcript.reader import read_transcript

    [path] = data.glob("*.toml")
    started = next(e for e in read_transcript(path).events if e.kind == "phase_started")
    return datetime.fromisoformat(started.at).timestamp() - wall_to_monotonic()


def _update(changes: list[float], t: float) -> None:
    """Count ``t`` as a new update unless it belongs to the one begun just before."""
    if not changes or t - changes[-1] > UPDATE_GAP_S:
        changes.append(t)


def _jitter(changes: list[float]) -> list[float]:
    return [abs(b - a - 1.0) for a, b in itertools.pairwise(changes)]


def delay_and_jitter(termdown: Path | None, seconds: float, load: int) -> dict[str, list[float]]:
    """``delay`` (kiosk), ``jitter kiosk``, ``jitter termdown``: seconds, one per boundary."""
    data = Path(tempfile.mkdtemp(prefix="ndrc-delay-bench-"))
    shown: dict[int, float] = {}
    kiosk_changes: list[float] = []
    termdown_changes: list[float] = []
    last: dict[str, str] = {}

    def on_kiosk(t: float, screen: pyte.Screen) -> None:
        match = _TOTAL.search("\n".join(screen.display))
        if match is None:
            return
        k = int(match.group(1)) * 60 + int(match.group(2))
        if k not in shown:
            shown[k] = t
            _update(kiosk_changes, t)

    def on_termdown(t: float, screen: pyte.Screen) -> None:
        text = "\n".join(screen.display)
        if text.strip() and text != last.get("termdown"):
            last["termdown"] = text
            _update(termdown_changes, t)

    kiosk = PtyProgram(
        kiosk_run("e5-pratique", data, "--cms", "WordPress"),
        env=kiosk_env(),
        emulate=True,
        on_output=on_kiosk,
    )
    other = (
        PtyProgram([str(termdown), "40m"], env=kiosk_env(), emulate=True, on_output=on_termdown)
        if termdown is not None
        else None
    )
    try:
        if not kiosk.wait_for(lambda s: "Grille" in "\n".join(s.display), 30):
            raise SystemExit("the kiosk never showed its first screen")
        time.sleep(0.3)
        kiosk.send(F2)
        if not kiosk.wait_for(lambda s: bool(shown), 30):
            raise SystemExit("the kiosk's phase never started")
        with busy_cores(load):
            time.sleep(2.0)  # the load settles; what came before is not measured
            shown.clear()
            kiosk_changes.clear()
            termdown_changes.clear()
            time.sleep(seconds)
    finally:
        kiosk.stop()
        if other is not None:
            other.stop()
    start = _phase_start(data)
    delays = [t - (start + k) for k, t in shown.items()]
    return {
        "delay": delays,
        "jitter kiosk": _jitter(kiosk_changes),
        "jitter termdown": _jitter(termdown_changes),
    }


def p99_ms(values: list[float]) -> float:
    return percentile(values, 99) * 1000 if values else float("nan")
