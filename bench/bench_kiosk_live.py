"""The kiosk during a live phase, in a real terminal: CPU over 30 s, and the display delay.

``cpu`` (tmux)
    ``ndrc-oral run`` on a 40-minute phase, started with F2, in a detached
    pane (100x30) of a private tmux server, next to ``termdown 40m`` in another
    pane of the same size, both at once. After ``--settle`` seconds, the CPU
    time of each (``/proc/<pid>/stat``: utime + stime of the process and its
    descendants) is read at the start and the end of a ``--seconds`` window
    (default 30): CPU % is that difference over the window, in % of one core.
    termdown (2.0, from PyPI) is installed in a virtual environment of its
    own (``--tools-venv``, made on first use), never in the project's.

``delay`` (a pseudo-terminal of our own)
    The same kiosk, in a pty (100x30) this script opens and drains. A reader
    timestamps each chunk the program writes the moment it arrives
    (``time.monotonic``). The true second boundaries come from the transcript:
    the phase started at ``phase_started.at`` (wall clock, to the
    millisecond), turned into this process's monotonic clock (the offset
    between the two clocks is sampled around the run: ±0.5 ms); boundary k is
    that start + k s, when the shown elapsed time becomes k and the countdown
    one second less. A boundary is *shown* when the first chunk arrives whose
    text (escape sequences removed, joined with the previous chunk so a value
    cut between two reads is still found) holds ``Total mm:ss`` with the new
    elapsed value: the phase list's total, painted in the same frame as the
    big digits (one ``refresh_clock``, one frame). The delay is arrival minus
    boundary: the kiosk's wake-up, its repaint and Textual's output, as the
    terminal receives it (what the terminal then takes to draw is not the
    program's). Prints p50/p99/max over ``--seconds`` boundaries, and any
    boundary never shown.

    .venv/bin/python bench/bench_kiosk_live.py [cpu|delay|both] [--seconds 30]
    .venv/bin/python bench/bench_kiosk_live.py cpu --candidates 3   # E5: three timers
    .venv/bin/python bench/bench_kiosk_live.py both --size 200x60   # the largest digits

With ``--candidates 3`` (cpu only) the kiosk holds three candidates started
0.37 s apart, all running: the strip of timers then changes three times a
second.

The time to the first screen is ``bench/bench_kiosk_startup.py``.
"""

from __future__ import annotations

import argparse
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from _proc import cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
EXE = ROOT / ".venv" / "bin" / "ndrc-oral"
TMUX = ["tmux", "-L", f"ndrc-kiosk-live-{os.getpid()}"]
"""A tmux server of our own: nobody else's sessions are touched."""
F2 = b"\x1bOQ"
COLS, ROWS = 100, 30
"""The terminal's size (``--size`` changes it: the big digits grow with the window)."""

EXAM = """\
id = "bench-live"
epreuve = "E6"
title = { fr = "Banc d'essai" }
grid = "bloc3"
max_candidates = 3

[[phases]]
id = "phase"
label = { fr = "Phase de 40 minutes" }
duration_s = 2400
warnings_s = [120, 30]
"""

_ANSI = re.compile(
    rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])"
)
_TOTAL = re.compile(rb"Total (\d\d):(\d\d)")


def kiosk_argv(config: Path, data: Path, candidates: int = 1) -> list[str]:
    names = [arg for i in range(candidates) for arg in ("--candidate", f"Candidat {i + 1}")]
    return [
        str(EXE),
        *("run", "bench-live", *names, "--lang", "fr"),
        *("--config-dir", str(config), "--data-dir", str(data)),
    ]


def clean_env() -> dict[str, str]:
    """The kiosk reads its size from the terminal, not from inherited COLUMNS/LINES."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    env["NDRC_ORAL_LANG"] = "fr"
    return env


def tmux(*args: str) -> str:
    return subprocess.run(
        [*TMUX, *args], capture_output=True, text=True, check=True, env=clean_env()
    ).stdout


def wait_screen(target: str, text: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in tmux("capture-pane", "-p", "-t", target):
        if time.monotonic() > deadline:
            raise SystemExit(f"{text!r} never showed in {target}")
        time.sleep(0.02)


def termdown(tools: Path) -> Path | None:
    """termdown 2.0 in its own venv (installed on first use); None if it cannot be had."""
    exe = tools / "bin" / "termdown"
    if not exe.exists():
        print(f"installing termdown into {tools} ...", file=sys.stderr)
        made = subprocess.run([sys.executable, "-m", "venv", str(tools)], check=False)
        pip = [str(tools / "bin" / "pip"), "install", "-q", "termdown==2.0.0"]
        if made.returncode or subprocess.run(pip, check=False).returncode:
            return None
    return exe


def measure_cpu(
    seconds: float, settle: float, tools: Path, config: Path, data: Path, candidates: int
) -> None:
    label = "ndrc-oral (phase running)"
    if candidates > 1:
        label = f"ndrc-oral ({candidates} candidates)"
    panes = {label: " ".join(map(_quote, kiosk_argv(config, data, candidates)))}
    exe = termdown(tools)
    if exe is not None:
        panes["termdown 40m"] = f"{_quote(str(exe))} 40m"
    tmux("new-session", "-d", "-s", "keep", "sleep 3600")  # keeps the server up
    try:
        pids: dict[str, int] = {}
        for i, (name, command) in enumerate(panes.items()):
            target = f"p{i}"
            tmux("new-session", "-d", "-s", target, "-x", str(COLS), "-y", str(ROWS), command)
            pids[name] = int(tmux("display", "-p", "-t", target, "#{pane_pid}").strip())
        wait_screen("p0", "Prêt · F2")
        for i in range(candidates):  # each started 0.37 s after the previous one
            if i:
                tmux("send-keys", "-t", "p0", "C-n")
                time.sleep(0.37)
            tmux("send-keys", "-t", "p0", "F2")
            wait_screen("p0", "En cours")
        time.sleep(settle)
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        start = time.monotonic()
        time.sleep(seconds)
        window = time.monotonic() - start
        after = {name: cpu_seconds(pid) for name, pid in pids.items()}
        print(f"CPU over {window:.1f} s, in % of one core (tmux {COLS}x{ROWS}):")
        for name in pids:
            used = after[name] - before[name]
            print(f"  {name:28s} {100 * used / window:5.2f} %  ({used * 1000:.0f} ms)")
        if exe is None:
            print("  termdown: could not be installed (no network?)")
    finally:
        subprocess.run([*TMUX, "kill-server"], check=False, capture_output=True)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


# --- display delay ------------------------------------------------------------------------------


def measure_delay(seconds: int, config: Path, data: Path) -> None:
    import fcntl
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    proc = subprocess.Popen(
        kiosk_argv(config, data),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=clean_env(),
        start_new_session=True,
    )
    os.close(slave)
    chunks: list[tuple[float, bytes]] = []

    def drain(until: float, stop: bytes | None = None) -> bool:
        seen = b""
        while time.monotonic() < until:
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data_in = os.read(master, 65536)
            except OSError:
                return False
            now = time.monotonic()
            chunks.append((now, data_in))
            if stop is not None:
                seen = (seen + _ANSI.sub(b"", data_in))[-4096:]
                if stop in seen:
                    return True
        return False

    try:
        if not drain(time.monotonic() + 15, "Prêt · F2".encode()):
            raise SystemExit("the kiosk never showed its first screen")
        time.sleep(0.3)
        os.write(master, F2)
        started = time.monotonic()
        drain(started + seconds + 1.5)
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.close(master)

    start = phase_start_monotonic(data)
    delays: list[float] = []
    missed: list[int] = []
    previous = b""
    shown: dict[int, float] = {}
    for arrival, raw in chunks:
        text = _ANSI.sub(b"", raw)
        for match in _TOTAL.finditer(previous[-32:] + text):
            k = int(match.group(1)) * 60 + int(match.group(2))
            shown.setdefault(k, arrival)
        previous = text
    for k in range(1, seconds + 1):
        if k in shown:
            delays.append(shown[k] - (start + k))
        else:
            missed.append(k)
    if not delays:
        raise SystemExit("no boundary was seen on screen")
    ordered = sorted(delays)
    p50 = ordered[len(ordered) // 2]
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(f"display delay after each true second boundary ({len(delays)} boundaries, pty):")
    print(
        f"  p50 {p50 * 1000:.1f} ms · p99 {p99 * 1000:.1f} ms · max {ordered[-1] * 1000:.1f} ms "
        f"· min {ordered[0] * 1000:.1f} ms"
    )
    if missed:
        print(f"  never shown: {missed}")
    # What the terminal is sent once the phase runs (the first second, its first paint, aside).
    sent = sum(len(raw) for at, raw in chunks if started + 1 <= at < started + 1 + seconds)
    print(f"  bytes sent to the terminal: {sent / seconds:.0f} per second")


def phase_start_monotonic(data: Path) -> float:
    """When the phase started, on this process's monotonic clock (from the transcript)."""
    sys.path.insert(0, str(ROOT))
    from ndrc_oral.transcript.reader import read_transcript

    [path] = data.glob("*.toml")
    started = next(e for e in read_transcript(path).events if e.kind == "phase_started")
    wall = datetime.fromisoformat(started.at).timestamp()
    offsets = []
    for _ in range(5):
        a = time.monotonic()
        w = time.time()
        b = time.monotonic()
        offsets.append(w - (a + b) / 2)
    return wall - sorted(offsets)[2]


# --- main -----------------------------------------------------------------------------------------


def main() -> int:
    global COLS, ROWS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["cpu", "delay", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=30, help="length of each measure")
    parser.add_argument("--settle", type=float, default=3.0, help="wait after F2 (cpu)")
    parser.add_argument(
        "--candidates",
        type=int,
        default=1,
        choices=[1, 2, 3],
        help="cpu: candidates on the screen (E5), started apart, all running",
    )
    parser.add_argument(
        "--size",
        default=f"{COLS}x{ROWS}",
        help="the terminal, COLSxROWS (200x60: the commission's digits at their largest)",
    )
    parser.add_argument(
        "--tools-venv",
        type=Path,
        default=Path(tempfile.gettempdir()) / "ndrc-bench-tools",
        help="where termdown is installed (made on first use)",
    )
    args = parser.parse_args()
    COLS, ROWS = (int(n) for n in args.size.lower().split("x"))
    if args.what in ("cpu", "both") and shutil.which("tmux") is None:
        print("tmux is needed for the CPU measure", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="ndrc-kiosk-live-"))
    try:
        config = work / "config"
        config.mkdir()
        (config / "bench-live.toml").write_text(EXAM, encoding="utf-8")
        if args.what in ("cpu", "both"):
            measure_cpu(
                args.seconds,
                args.settle,
                args.tools_venv,
                config,
                work / "cpu-data",
                args.candidates,
            )
        if args.what in ("delay", "both"):
            measure_delay(args.seconds, config, work / "delay-data")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
