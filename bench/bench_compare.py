"""The kiosk in a live phase, side by side with termdown and countdown-cli counting down.

All the programs run at the same time, each alone in a terminal of the same
size (100x30): a detached pane of a private tmux server (``--terminal
tmux``, the default, as a person's terminal would), or a pseudo-terminal this
script owns and drains (``--terminal pty``, which also counts the bytes each
program writes). The programs:

* ``ndrc-oral run e5-pratique``, phase started (F2): the commission's screen;
* the same, on the candidate's view (F6: a clock drawn as large as the screen);
* ``ndrc-oral display`` following the first kiosk (the candidate's own screen,
  in a terminal of its own: the clock as large as the screen too);
* ``termdown 40m`` (termdown 2.0, the figure of issue 3's target);
* ``countdown 40m`` (countdown-cli).

termdown and countdown-cli are installed from PyPI into a virtual
environment of their own (``--tools-venv``, made on first use), never into the
project's. A tool that cannot be installed or does not start is reported as
such in the table.

After ``--settle`` seconds (start-up is not measured), each program's CPU
time is read from ``/proc/<pid>/stat`` (utime + stime, plus cutime + cstime,
for the process and all its descendants) at the start and the end of a
window of ``--seconds`` (default 30); CPU % is that difference over the
window's length, in % of one core. Peak memory is ``VmHWM`` from
``/proc/<pid>/status`` (summed over the descendants), read at the end.
``--rounds`` repeats the window on the same running programs and prints the
range.

    .venv/bin/python bench/bench_compare.py [--seconds 30] [--rounds 1] [--terminal tmux|pty]
    .venv/bin/python bench/bench_compare.py --seconds 5 --settle 2    # a quick run
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kiosk_measure import (
    EXE,
    F2,
    F6,
    PtyProgram,
    TmuxProgram,
    kiosk_env,
    kiosk_run,
    read_bigclock,
    read_timer,
)
from _proc import cpu_seconds, peak_rss_kib

TOOLS = {"termdown": "termdown", "countdown-cli": "countdown"}
"""PyPI package -> the command it installs."""


Running = PtyProgram | TmuxProgram


@dataclass
class Contender:
    """One program of the comparison."""

    name: str
    argv: list[str]
    keys: list[tuple[bytes, str]] = field(default_factory=list)
    """Keys to press once it shows its first screen: (xterm bytes, tmux name)."""
    ready: Callable[[list[str]], bool] = lambda lines: any(line.strip() for line in lines)
    counting: Callable[[list[str]], bool] | None = None
    problem: str = ""
    """Why it could not be measured ('' when it was)."""
    program: Running | None = None
    cpu: list[float] = field(default_factory=list)
    """CPU % of one core, per window."""
    bytes_per_s: list[float] = field(default_factory=list)
    rss_kib: int = 0


def tools_venv(path: Path) -> dict[str, str]:
    """Install what is missing of termdown and countdown-cli in ``path``; the problems, by package."""
    problems: dict[str, str] = {}
    python = path / "bin" / "python"
    if not python.exists():
        made = subprocess.run(
            [sys.executable, "-m", "venv", str(path)], capture_output=True, text=True
        )
        if made.returncode:
            return dict.fromkeys(TOOLS, f"no virtual environment: {made.stderr.strip()[-200:]}")
    for package, command in TOOLS.items():
        if (path / "bin" / command).exists():
            continue
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", package], capture_output=True, text=True
        )
        if done.returncode or not (path / "bin" / command).exists():
            lines = [x for x in done.stderr.splitlines() if "ERROR" in x] or ["not installed"]
            problems[package] = f"pip install {package}: {lines[-1].strip()[:200]}"
    return problems


def version(venv: Path, package: str) -> str:
    out = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            f"import importlib.metadata as m; print(m.version({package!r}))",
        ],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or "?"


def kiosk_counting(lines: Sequence[str]) -> bool:
    text = read_timer(lines)
    return text is not None and text != "40:00"


def candidate_view(lines: Sequence[str]) -> bool:
    """The candidate's view is up: the clock in blocks, no grid."""
    return any("█" in line for line in lines) and not any("Grille" in line for line in lines)


def contenders(data: Path, venv: Path, problems: dict[str, str]) -> list[Contender]:
    kiosk = [
        Contender(
            "ndrc-oral, live phase (commission's screen)",
            kiosk_run("e5-pratique", data / "a", "--cms", "WordPress"),
            keys=[(F2, "F2")],
            ready=lambda lines: read_timer(lines) == "40:00",
            counting=kiosk_counting,
        ),
        Contender(
            "ndrc-oral, live phase (candidate's view, F6)",
            kiosk_run("e5-pratique", data / "b", "--cms", "WordPress"),
            keys=[(F2, "F2"), (F6, "F6")],
            ready=lambda lines: read_timer(lines) == "40:00",
            counting=candidate_view,
        ),
        Contender(
            "ndrc-oral display (the candidate's screen, following the first kiosk)",
            [str(EXE), "display", "--data-dir", str(data / "a")],
            ready=lambda lines: read_bigclock(lines) is not None,
            counting=lambda lines: read_bigclock(lines) not in (None, "40:00"),
        ),
    ]
    tools = []
    for package, command in TOOLS.items():
        label = f"{package} {version(venv, package)}" if package not in problems else package
        tools.append(
            Contender(
                f"{label}: {command} 40m",
                [str(venv / "bin" / command), "40m"],
                problem=problems.get(package, ""),
            )
        )
    return kiosk + tools


def start(c: Contender, terminal: str, cols: int, rows: int, index: int) -> None:
    if c.problem:
        return
    if terminal == "tmux":
        tmux = TmuxProgram(f"cmp{index}", c.argv, cols, rows)
        c.program = tmux
    else:
        pty = PtyProgram(c.argv, cols, rows, env=kiosk_env(), emulate=True)
        c.program = pty


def lines_of(program: Running) -> list[str]:
    if isinstance(program, TmuxProgram):
        return program.text().splitlines()
    assert isinstance(program, PtyProgram)
    return program.text().splitlines()


def wait_ready(c: Contender, timeout: float = 30.0) -> None:
    """Wait for the first screen, press the keys, check it counts."""
    if c.program is None:
        return
    deadline = time.monotonic() + timeout
    while not c.ready(lines_of(c.program)):
        if time.monotonic() > deadline:
            c.problem = (
                "no first screen after 30 s: "
                + " / ".join(x.strip() for x in lines_of(c.program) if x.strip())[:200]
            )
            return
        time.sleep(0.1)
    for raw, name in c.keys:
        time.sleep(0.3)
        if isinstance(c.program, TmuxProgram):
            c.program.send_key(name)
        else:
            assert isinstance(c.program, PtyProgram)
            c.program.send(raw)


def output_bytes(program: Running) -> int:
    if isinstance(program, PtyProgram):
        with program.lock:
            return sum(ch.size for ch in program.chunks)
    return 0


def measure(items: list[Contender], seconds: float) -> None:
    """One window: CPU time of every program at its start and its end."""
    live = [c for c in items if c.program is not None and not c.problem]
    before: dict[int, tuple[float, int]] = {}
    for c in live:
        assert c.program is not None
        before[id(c)] = (cpu_seconds(c.program.pid), output_bytes(c.program))
    t0 = time.monotonic()
    time.sleep(seconds)
    t1 = time.monotonic()
    for c in live:
        assert c.program is not None
        cpu0, out0 = before[id(c)]
        c.cpu.append((cpu_seconds(c.program.pid) - cpu0) / (t1 - t0) * 100)
        c.bytes_per_s.append((output_bytes(c.program) - out0) / (t1 - t0))
        c.rss_kib = max(c.rss_kib, peak_rss_kib(c.program.pid))


def span(values: Sequence[float], fmt: str) -> str:
    if not values:
        return "—"
    low, high = min(values), max(values)
    return format(low, fmt) if f"{low:{fmt}}" == f"{high:{fmt}}" else f"{low:{fmt}}–{high:{fmt}}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of a window")
    parser.add_argument("--rounds", type=int, default=1, help="windows, one after the other")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--terminal", choices=("tmux", "pty"), default="tmux")
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument(
        "--tools-venv", type=Path, default=Path(tempfile.gettempdir()) / "ndrc-bench-tools"
    )
    args = parser.parse_args()
    if args.terminal == "tmux" and shutil.which("tmux") is None:
        print("tmux is needed (or --terminal pty)", file=sys.stderr)
        return 1
    problems = tools_venv(args.tools_venv)
    data = Path(tempfile.mkdtemp(prefix="ndrc-bench-compare-"))
    items = contenders(data, args.tools_venv, problems)
    try:
        for i, c in enumerate(items):
            start(c, args.terminal, args.cols, args.rows, i)
        for c in items:
            wait_ready(c)
        time.sleep(max(0.0, args.settle - 1.2))
        shown = {id(c): lines_of(c.program) for c in items if c.program is not None}
        time.sleep(1.2)
        for c in items:
            if c.program is None or c.problem:
                continue
            lines = lines_of(c.program)
            if lines == shown[id(c)] or (c.counting is not None and not c.counting(lines)):
                c.problem = "not counting down after the settle time"
            if isinstance(c.program, PtyProgram) and c.program.proc.poll() is not None:
                c.problem = f"exited with status {c.program.proc.returncode}"
        for _ in range(args.rounds):
            measure(items, args.seconds)
    finally:
        for c in items:
            if c.program is not None:
                c.program.stop()
        if args.terminal == "tmux":
            TmuxProgram.kill_server()
        shutil.rmtree(data, ignore_errors=True)
    report(items, args)
    return 0


def report(items: list[Contender], args: argparse.Namespace) -> None:
    where = (
        f"tmux panes of {args.cols}x{args.rows}"
        if args.terminal == "tmux"
        else f"ptys of {args.cols}x{args.rows}"
    )
    print(
        f"Side by side, at the same time, in {where}: {args.rounds} window(s) of {args.seconds:g} s "
        f"after {args.settle:g} s"
    )
    header = ["program", "CPU % of one core", "peak RSS (MiB)"]
    if args.terminal == "pty":
        header.append("output (bytes/s)")
    rows = [header]
    for c in items:
        if c.problem:
            rows.append(
                [c.name, f"not measured: {c.problem}", ""]
                + ([""] if args.terminal == "pty" else [])
            )
            continue
        row = [c.name, span(c.cpu, ".2f"), f"{c.rss_kib / 1024:.1f}"]
        if args.terminal == "pty":
            row.append(span(c.bytes_per_s, ".0f"))
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for n, r in enumerate(rows):
        print("  " + " | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))
        if n == 0:
            print("  " + "-+-".join("-" * w for w in widths))


if __name__ == "__main__":
    raise SystemExit(main())
