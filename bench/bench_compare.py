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

``--table`` prints issue 15's whole table in one run, each figure beside its
peer and the ratio: the live CPU above (ptys, ``--rounds 3`` windows of
``--seconds 60`` by default in that mode) with the bytes written; the time from
launch to the first screen (home, run, termdown; tmux, interleaved); the
display's delay after each second boundary and the jitter of its updates
beside termdown's, both in ptys while two busy loops load the cores
(``--load 2``); ``logs list`` warm on 20 sessions beside ``python -c pass``;
and the data side at two sizes so that the per-item cost shows it is linear
(``--sessions 1000,10000``: first listing in the review screen, CSV export;
``--notes 2000,20000``: opening in review, PDF fiche). See ``_scale.py``.

    .venv/bin/python bench/bench_compare.py --table              # about 10 minutes
    .venv/bin/python bench/bench_compare.py --table --quick      # small sizes, short windows
"""

from __future__ import annotations

import argparse
import compileall
import math
import os
import re
import shutil
import statistics
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
    ROOT,
    PtyProgram,
    TmuxProgram,
    kiosk_env,
    kiosk_run,
    read_bigclock,
    read_timer,
)
from _proc import cpu_seconds, peak_rss_kib

PARTS = ("live", "launch", "delay", "logs", "data")
"""The steps of ``--table``: live CPU, launch, delay and jitter, logs list, data at scale."""

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
    floor = Contender(
        "textual-floor: a bare Textual countdown (bench/textual_floor.py)",
        [sys.executable, str(ROOT / "bench" / "textual_floor.py")],
        ready=lambda lines: any(re.search(r"\b[0-4][0-9]:[0-5][0-9]\b", line) for line in lines),
    )
    return kiosk + tools + [floor]


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
    parser.add_argument("--seconds", type=float, default=None, help="length of a window")
    parser.add_argument("--rounds", type=int, default=None, help="windows, one after the other")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--terminal", choices=("tmux", "pty"), default=None)
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument(
        "--tools-venv", type=Path, default=Path(tempfile.gettempdir()) / "ndrc-bench-tools"
    )
    parser.add_argument("--table", action="store_true", help="issue 15's whole table")
    parser.add_argument("--quick", action="store_true", help="--table with small sizes")
    parser.add_argument("--load", type=int, default=2, help="busy loops for the delay row")
    parser.add_argument("--sessions", help="two sizes, for --table (1000,10000)")
    parser.add_argument("--notes", help="two sizes, for --table (2000,20000)")
    parser.add_argument("--launches", type=int, help="launches of each, for --table (5)")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"rows of --table to measure, comma-separated ({','.join(PARTS)})",
    )
    args = parser.parse_args()
    args.parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    if not args.parts <= set(PARTS):
        parser.error(f"--parts: unknown {', '.join(sorted(args.parts - set(PARTS)))}")
    sizes = ("100,1000", "200,2000", 2) if args.quick else ("1000,10000", "2000,20000", 5)
    args.sessions = args.sessions or sizes[0]
    args.notes = args.notes or sizes[1]
    args.launches = args.launches or sizes[2]
    defaults = (60.0, 3, "pty") if args.table else (30.0, 1, "tmux")
    args.seconds = (
        args.seconds if args.seconds is not None else defaults[0] / (6 if args.quick else 1)
    )
    args.rounds = args.rounds if args.rounds is not None else defaults[1]
    args.terminal = args.terminal or defaults[2]
    if shutil.which("tmux") is None and (args.terminal == "tmux" or args.table):
        print("tmux is needed (or --terminal pty)", file=sys.stderr)
        return 1
    problems = tools_venv(args.tools_venv)
    if args.table:
        return table(args, problems)
    items = live(args, problems)
    report(items, args)
    return 0


def live(args: argparse.Namespace, problems: dict[str, str]) -> list[Contender]:
    """Every contender at once, measured over ``args.rounds`` windows."""
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
    return items


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f} (5 min: {five:.2f})"


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs > 0 and math.isfinite(ours) else "—"


def _median_ms(values: Sequence[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def _marginal(what: str, one: str, series: dict[str, dict[int, float]]) -> list[list[str]]:
    """Cost per item between the two sizes: the same as at the small size when it is linear."""
    rows = []
    for label, by_size in series.items():
        if len(by_size) < 2:
            continue
        (n1, t1), (n2, t2) = sorted(by_size.items())[:2]
        rows.append(
            [
                f"{label}: cost per {one}, {n1:,} → {n2:,} {what} (marginal)",
                f"{(t2 - t1) / (n2 - n1) * 1000:.3f} ms per {one}",
                f"at {n1:,}: {t1 / n1 * 1000:.3f} ms · at {n2:,}: {t2 / n2 * 1000:.3f} ms",
                f"{t2 / t1:.1f}x the time for {n2 / n1:.0f}x the {what}",
                "linear",
            ]
        )
    return rows


def table(args: argparse.Namespace, problems: dict[str, str]) -> int:
    """Issue 15's table: every figure beside its peer, in one run, with the load at each step."""
    import _live
    import _scale

    rows: list[list[str]] = [["figure", "ndrc-oral", "peer (same run)", "ratio", "target"]]
    notes: list[str] = []
    termdown = None if "termdown" in problems else args.tools_venv / "bin" / "termdown"
    # An installed wheel is compiled (pip does it); with PYTHONDONTWRITEBYTECODE set where
    # the bench runs, an editable install would compile ~100 modules at every launch.
    compileall.compile_dir(ROOT / "ndrc_oral", quiet=1)

    if "live" in args.parts:
        print(f"[1/5] live CPU: {args.rounds} window(s) of {args.seconds:g} s, ptys ({_load()})")
        items = live(args, problems)
        commission, f6, display = items[0], items[1], items[2]
        peers = {c.name.split(":")[0].split(" ")[0]: c for c in items[3:]}
        td, cd = peers.get("termdown"), peers.get("countdown-cli")
        floor = peers.get("textual-floor")

        def cpu(c: Contender | None) -> float:
            return (
                statistics.median(c.cpu)
                if c is not None and c.cpu and not c.problem
                else float("nan")
            )

        def bps(c: Contender | None) -> float:
            if c is None or not c.bytes_per_s or c.problem:
                return float("nan")
            return statistics.median(c.bytes_per_s)

        rows.append(
            [
                "commission screen, live phase: CPU % of a core",
                f"{cpu(commission):.2f} %",
                f"termdown {cpu(td):.2f} % · countdown-cli {cpu(cd):.2f} %",
                f"{_ratio(cpu(commission), cpu(td))} termdown · {_ratio(cpu(commission), cpu(cd))} countdown-cli",
                "≤ 0.5x termdown",
            ]
        )
        rows.append(
            [
                "  the floor: a bare Textual countdown, one Static a second",
                f"{cpu(floor):.2f} %",
                f"termdown {cpu(td):.2f} %",
                _ratio(cpu(floor), cpu(td)),
                "(what 0.5x is set against)",
            ]
        )
        rows.append(
            [
                "candidate view (F6): CPU %, bytes/s to the terminal",
                f"{cpu(f6):.2f} %, {bps(f6):.0f} B/s",
                f"termdown {cpu(td):.2f} %, {bps(td):.0f} B/s",
                _ratio(cpu(f6), cpu(td)),
                "≤ 1x termdown",
            ]
        )
        rows.append(
            [
                "ndrc-oral display (second screen): CPU %, bytes/s",
                f"{cpu(display):.2f} %, {bps(display):.0f} B/s",
                f"termdown {cpu(td):.2f} %",
                _ratio(cpu(display), cpu(td)),
                "(≤ 1x termdown)",
            ]
        )
        for c in items:
            if c.problem:
                notes.append(f"{c.name}: not measured: {c.problem}")

    if "launch" in args.parts:
        print(f"[2/5] launch to first screen, {args.launches} of each, tmux ({_load()})")
        launches = _live.launch_times(termdown, args.launches)
        td_launch = _median_ms(launches.get("termdown", []))
        for name, label in (("home", "home screen"), ("run", "run screen (`ndrc-oral run`)")):
            ours = _median_ms(launches[name])
            rows.append(
                [
                    f"launch to first screen, {label}: median ms",
                    f"{ours:.0f} ms (max {max(launches[name]) * 1000:.0f})",
                    f"termdown {td_launch:.0f} ms",
                    _ratio(ours, td_launch),
                    "≤ 2x termdown",
                ]
            )

    if "delay" in args.parts:
        print(
            f"[3/5] delay and jitter for {args.seconds:g} s, {args.load} busy loop(s) ({_load()})"
        )
        with_load = _live.delay_and_jitter(termdown, args.seconds, args.load)
        load_then = _load()
        rows.append(
            [
                f"display delay after a second boundary, {args.load} busy loops: p99 ms",
                f"{_live.p99_ms(with_load['delay']):.1f} ms (p50 {_median_ms(with_load['delay']):.1f}, "
                f"{len(with_load['delay'])} boundaries)",
                "termdown keeps no start time: see the jitter",
                "",
                "p99 ≤ 30 ms",
            ]
        )
        rows.append(
            [
                f"jitter of the updates, |interval − 1 s|, same run: p99 ms ({load_then})",
                f"{_live.p99_ms(with_load['jitter kiosk']):.1f} ms",
                f"termdown {_live.p99_ms(with_load['jitter termdown']):.1f} ms",
                _ratio(
                    _live.p99_ms(with_load["jitter kiosk"]),
                    _live.p99_ms(with_load["jitter termdown"]),
                ),
                "(termdown's)",
            ]
        )

    work = _scale.workdir()
    try:
        cache = work / "cache"
        if "logs" in args.parts:
            print(f"[4/5] logs list, warm, 20 sessions ({_load()})")
            small = work / "twenty"
            _scale.build_sessions(small, 20)
            ours_s, bare_s = _scale.logs_list_vs_python(small, cache, 20)
            rows.append(
                [
                    "`logs list`, warm, 20 sessions: median ms",
                    f"{ours_s * 1000:.0f} ms",
                    f"`python -c pass` {bare_s * 1000:.0f} ms",
                    _ratio(ours_s, bare_s),
                    "≤ 4x",
                ]
            )

        if "data" in args.parts:
            print(f"[5/5] data at scale: sessions {args.sessions}, notes {args.notes} ({_load()})")
            listed: dict[int, float] = {}
            exported: dict[int, float] = {}
            for count in (int(x) for x in args.sessions.split(",")):
                root = work / f"s{count}"
                t0 = time.perf_counter()
                _scale.build_sessions(root, count)
                print(
                    f"      built {count} sessions in {time.perf_counter() - t0:.0f} s ({_load()})"
                )
                first = _scale.review_first_listing(root, cache / f"s{count}", count)
                listed[count] = first.wall
                rows.append(
                    [
                        f"first listing of {count} sessions in the review screen",
                        f"{first.wall:.1f} s, {first.cpu / first.wall:.2f} cores busy "
                        f"({first.wall / count * 1000:.2f} ms per session)",
                        "",
                        "",
                        "≤ 10 s at 10,000, every core" if count >= 10_000 else "(linear)",
                    ]
                )
                csv = _scale.csv_export(root, cache / f"s{count}", work / "out.csv")
                exported[count] = csv.wall
                rows.append(
                    [
                        f"CSV of {count} sessions (`logs export --format csv`)",
                        f"{csv.wall:.1f} s, {csv.rss_mib:.0f} MiB peak "
                        f"({csv.wall / count * 1000:.2f} ms per session)",
                        "",
                        "",
                        "≤ 5 s and 150 MiB at 10,000" if count >= 10_000 else "(linear)",
                    ]
                )
                shutil.rmtree(root, ignore_errors=True)
            rows.extend(_marginal("sessions", "session", {"listing": listed, "CSV": exported}))
            opened: dict[int, float] = {}
            printed: dict[int, float] = {}
            for count in (int(x) for x in args.notes.split(",")):
                root = work / f"n{count}"
                name, session_id = _scale.build_notes(root, count)
                got = _scale.review_open(root, cache / f"n{count}", name)
                opened[count] = got["checked"] + got["every"]
                rows.append(
                    [
                        f"open a {count}-note session in review: timeline / Notes tab at once",
                        f"{got['timeline'] * 1000:.0f} ms / {got['notes'] * 1000:.0f} ms",
                        "",
                        "",
                        "≤ 0.3 s to each",
                    ]
                )
                rows.append(
                    [
                        "  then: checked (from Enter) / every note on screen (from the verdict)",
                        f"{got['checked'] * 1000:.0f} ms / {got['every'] * 1000:.0f} ms "
                        f"({opened[count] / count * 1e6:.0f} µs per note in all)",
                        "",
                        "",
                        "(linear)",
                    ]
                )
                pdf = _scale.pdf_fiche(root, cache / f"n{count}", session_id, work / "fiche.pdf")
                printed[count] = pdf.wall
                rows.append(
                    [
                        f"PDF fiche of that {count}-note session (`logs export --format pdf-fiche`)",
                        f"{pdf.wall * 1000:.0f} ms",
                        "",
                        "",
                        "independent of the notes",
                    ]
                )
                shutil.rmtree(root, ignore_errors=True)
            rows.extend(_marginal("notes", "note", {"opening": opened, "PDF fiche": printed}))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nIssue 15's table, one run ({os.cpu_count()} CPU, now {_load()}):\n")
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        print("| " + " | ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) + " |")
        if n == 0:
            print("|-" + "-|-".join("-" * w for w in widths) + "-|")
    for line in notes:
        print(f"  note: {line}")
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
