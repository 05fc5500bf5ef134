"""The candidate's display: its lag behind the kiosk, in a terminal and in a browser, and its CPU
beside termdown's, all in the same run.

One real kiosk (``ndrc-oral run``, one phase of ``--minutes`` + 1 min with a
warning every minute, ``--web 127.0.0.1:PORT``), in a pty; beside it, at the
same time:

* ``ndrc-oral display`` in a pty of 80x24, read through a terminal emulator
  (``pyte``): at each change of its big clock, the moment the bytes arrived;
* the web page in headless Chromium (Debian's), real time: a MutationObserver
  notes each change of the shown time (``Date``: the wall clock, turned into
  the monotonic one with one offset read at the start);
* ``termdown 40m`` in a pty (termdown 2.0, from PyPI, in ``--tools-venv``).

**Lag**: the kiosk's record (in the cache directory) says the time left at a
``CLOCK_MONOTONIC`` reading, so each second's true boundary is known; the lag
of a shown value is the moment it reached the terminal (or the page's DOM)
minus that boundary. Both displays count by themselves between records, so
this is their own clock's accuracy plus their repaint, not the file's latency.
**Cue**: the sound player is a script that writes the time it was started;
its delay after each warning threshold (the alarm's thread, Popen, the shell).
**Lost**: at the end the kiosk gets SIGKILL; the time until each display says
"connexion perdue". **CPU**: utime + stime of each process tree over the run
after ``--settle`` s, % of one core. The load average is printed with them.

    .venv/bin/python bench/bench_display.py [--minutes 10] [--settle 5]
    .venv/bin/python bench/bench_display.py --minutes 1     # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _kiosk_measure import (
    EXE,
    F2,
    PtyProgram,
    kiosk_env,
    percentile,
    read_bigclock,
    timer_seconds,
    wall_to_monotonic,
)
from _proc import cpu_seconds
from bench_compare import tools_venv, version

from ndrc_oral.display.channel import Channel, channel_dir

try:
    from cdp import Browser, chromium
except ImportError:  # websocket-client: pip install -e '.[bench]'
    Browser, chromium = None, lambda: None  # type: ignore[assignment,misc]

OBSERVER = """
window.ndrcChanges = [];
new MutationObserver(() => {
  const text = document.getElementById('time').textContent, changes = window.ndrcChanges;
  if (changes.length && changes[changes.length - 1][1] === text) return;  // the same, repainted
  changes.push([performance.timeOrigin + performance.now(), text]);
}).observe(document.getElementById('time'), {childList: true, characterData: true, subtree: true});
"""


def exam(minutes: int) -> str:
    duration = (minutes + 1) * 60
    warnings = ", ".join(str(60 * m) for m in range(minutes, 0, -1))
    return (
        'id = "banc-ecran"\nepreuve = "E6"\ntitle = { fr = "Banc de l\'écran candidat" }\n'
        'grid = "bloc3"\n\n[[phases]]\nid = "expose"\nlabel = { fr = "Exposé" }\n'
        f"duration_s = {duration}\nwarnings_s = [{warnings}]\n"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Changes:
    """Each new value a display shows, and when (monotonic)."""

    def __init__(self) -> None:
        self.values: list[tuple[float, str]] = []
        self.lost_at: float | None = None
        self._last: str | None = None
        self.lock = threading.Lock()

    def terminal(self, t: float, screen: object) -> None:
        lines = screen.display  # type: ignore[attr-defined]
        value = read_bigclock(lines)
        if value is not None and value != self._last:
            self._last = value
            self.values.append((t, value))
        if self.lost_at is None and any("connexion perdue" in line for line in lines):
            self.lost_at = t


def lags(
    values: list[tuple[float, str]], mono: float, remaining: float, since: float
) -> list[float]:
    """Each shown value's delay after the true boundary where it begins (ms)."""
    out = []
    for t, text in values:
        if t < since:
            continue
        k = timer_seconds(text)
        if k <= 0:
            continue
        boundary = mono + remaining - k  # the time left reaches k: k is shown from then
        out.append((t - boundary) * 1000)
    return out


def figures(name: str, samples: list[float]) -> str:
    if not samples:
        return f"  {name}: no samples"
    return (
        f"  {name}: n={len(samples)}  p50 {percentile(samples, 50):.1f} ms  "
        f"p99 {percentile(samples, 99):.1f} ms  max {max(samples):.1f} ms  "
        f"min {min(samples):.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--settle", type=float, default=5.0)
    parser.add_argument(
        "--tools-venv", type=Path, default=Path(tempfile.gettempdir()) / "ndrc-bench-tools"
    )
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    problems = tools_venv(args.tools_venv)
    work = Path(tempfile.mkdtemp(prefix="ndrc-bench-display-"))
    config, data, cache = work / "config", work / "data", work / "cache"
    config.mkdir()
    (config / "banc.toml").write_text(exam(args.minutes), encoding="utf-8")
    played = work / "played"
    player = work / "player"
    player.write_text(f"#!/bin/sh\ndate +%s.%N >> {played}\n", encoding="utf-8")
    player.chmod(0o755)
    env = kiosk_env()
    env.update(
        NDRC_ORAL_CACHE_DIR=str(cache),
        NDRC_ORAL_SETTINGS=str(work / "settings.toml"),
        NDRC_ORAL_SOUND_PLAYER=str(player),
    )
    port = free_port()
    offset = wall_to_monotonic()
    load_before = os.getloadavg()
    common = ["--config-dir", str(config), "--data-dir", str(data)]
    kiosk = PtyProgram(
        [
            str(EXE),
            "run",
            "banc-ecran",
            "--candidate",
            "Banc",
            *common,
            "--web",
            f"127.0.0.1:{port}",
        ],
        env=env,
    )
    terminal = Changes()
    display = PtyProgram(
        [str(EXE), "display", *common],
        cols=80,
        rows=24,
        env=env,
        emulate=True,
        on_output=terminal.terminal,
    )
    termdown = None
    if "termdown" not in problems:
        termdown = PtyProgram([str(args.tools_venv / "bin" / "termdown"), "40m"], env=env)
    browser = None
    channel = Channel(channel_dir(data, cache))
    try:
        deadline = time.monotonic() + 30
        while not channel.records() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        kiosk.send(F2)
        deadline = time.monotonic() + 30
        record = None
        while time.monotonic() < deadline:
            found = channel.records()
            if found and found[0].status == "running":
                record = found[0]
                break
            time.sleep(0.05)
        if record is None or record.remaining_s is None:
            print("the kiosk did not start its phase", file=sys.stderr)
            return 1
        if not args.no_browser and Browser is not None and chromium() is not None:
            browser = Browser(work / "profile")
            browser.page("Page.enable")
            browser.page("Page.navigate", url=f"http://127.0.0.1:{port}/")
            browser.wait_event("Page.loadEventFired")
            browser.evaluate(OBSERVER)
        start_cpu_at = time.monotonic() + args.settle
        time.sleep(args.settle)
        procs = {"display": display, "kiosk": kiosk}
        if termdown is not None:
            procs["termdown"] = termdown
        cpu0 = {name: cpu_seconds(p.pid) for name, p in procs.items()}
        if browser is not None:
            cpu0["chromium"] = cpu_seconds(browser.process.pid)
        t0 = time.monotonic()
        end = record.mono + args.minutes * 60 + 1
        while time.monotonic() < end:
            time.sleep(min(5.0, max(0.0, end - time.monotonic())))
        t1 = time.monotonic()
        cpu = {
            name: (cpu_seconds(p.pid) - cpu0[name]) / (t1 - t0) * 100 for name, p in procs.items()
        }
        if browser is not None:
            cpu["chromium"] = (
                (cpu_seconds(browser.process.pid) - cpu0["chromium"]) / (t1 - t0) * 100
            )
        load_after = os.getloadavg()
        # The kiosk stops: how soon each display says so.
        os.killpg(kiosk.proc.pid, signal.SIGKILL)
        killed = time.monotonic()
        page_lost = None
        deadline = killed + 10
        while time.monotonic() < deadline and (terminal.lost_at is None or page_lost is None):
            if browser is not None and page_lost is None:
                status = browser.evaluate("document.getElementById('status').textContent")
                if "connexion perdue" in str(status):
                    page_lost = time.monotonic()
            time.sleep(0.02)
        page_values: list[tuple[float, str]] = []
        if browser is not None:
            raw = browser.evaluate("JSON.stringify(window.ndrcChanges)")
            page_values = [(w / 1000 - offset, text) for w, text in json.loads(raw)]
        try:
            starts = [float(x) - offset for x in played.read_text().split()]
        except OSError:
            starts = []
    finally:
        if browser is not None:
            browser.close()
        for p in (display, termdown, kiosk):
            if p is not None:
                p.stop()
        shutil.rmtree(work, ignore_errors=True)

    since = start_cpu_at
    term = lags(terminal.values, record.mono, record.remaining_s, since)
    page = lags(page_values, record.mono, record.remaining_s, since)
    print(f"ndrc-oral display, {args.minutes} min of a running phase (same run, same machine)")
    print(f"  load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
    print("Lag of each shown second behind the kiosk's true boundary:")
    print(figures("terminal (ndrc-oral display, pty 80x24, pyte)", term))
    print(figures("browser (headless Chromium, MutationObserver)", page))
    thresholds = [record.mono + record.remaining_s - 60 * m for m in range(args.minutes, 0, -1)]
    cue = [
        (min((s for s in starts if s >= th - 0.5), default=float("nan")) - th) * 1000
        for th in thresholds
    ]
    print(
        figures(
            "chime started after its threshold (player's own clock)", [c for c in cue if c == c]
        )
    )
    print(f"  chimes played: {len(starts)} for {len(thresholds)} thresholds")
    lost_t = None if terminal.lost_at is None else terminal.lost_at - killed
    lost_p = None if page_lost is None else page_lost - killed
    print(
        f"After SIGKILL of the kiosk, 'connexion perdue' shown after: terminal "
        f"{lost_t if lost_t is None else f'{lost_t:.2f} s'}, page {lost_p if lost_p is None else f'{lost_p:.2f} s'}"
    )
    print("CPU over the run, % of one core:")
    for name, value in cpu.items():
        label = (
            f"termdown {version(args.tools_venv, 'termdown')} (termdown 40m)"
            if name == "termdown"
            else name
        )
        print(f"  {label}: {value:.2f} %")
    if termdown is None:
        print(f"  termdown: not measured: {problems.get('termdown')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
