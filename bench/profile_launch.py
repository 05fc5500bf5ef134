"""Where a launch to the first screen goes: ``-X importtime`` and cProfile up to the first screen.

    .venv/bin/python bench/profile_launch.py home|run [--runs N] [--importtime] [--cprofile] [--phases]

The kiosk wants a terminal, so each launch runs in a detached tmux pane
(100x30) of a private server, as ``bench_compare.py --table --parts launch``
does. Inside the pane this script starts the kiosk (``ndrc_oral.cli.main``)
itself, with two changes that exist only here, never in the product:

* ``sys.stderr`` (where Textual draws) is the pane's ``/dev/tty``; the file
  descriptor 2 goes to a file, so ``-X importtime`` lands there;
* the stream Textual draws with watches what it writes: once the first
  screen's text has been written (``Oraux du BTS NDRC`` for home, ``Grille``
  for run), the time is noted, the profiler (if any) is stopped and dumped,
  and the process ends.

It prints, as medians over the launches: the time from the tmux command to
the wrapper's start (tmux, the interpreter), to ``main()``, to the first
screen; with ``--importtime``, the slowest imports of the last launch; with
``--cprofile``, where its profile was dumped (``python -m pstats``); with
``--phases``, when each step of ``PHASES`` (catalog, settings, app, CSS
parse and apply, layout, render) first began and its total, and the cyclic
collector's collections. ``--phases`` imports those modules before
``main()``, so its imports are not a real launch's (``--importtime`` is).
"""

from __future__ import annotations

import argparse
import functools
import gc
import importlib
import io
import json
import os
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = ROOT / ".venv" / "bin" / "python"
TMUX = ["tmux", "-L", f"ndrc-profile-launch-{os.getpid()}"]
NEEDLE = {"home": "Oraux du BTS NDRC", "run": "Grille"}
_ESCAPE = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[@-_][0-?]*")

# --- inside the pane ----------------------------------------------------------------------


class _Watched(io.TextIOWrapper):
    """The terminal Textual draws on; the first write that completes the needle ends the run."""

    seen = ""
    needle = ""
    on_found: object = None

    def write(self, s: str) -> int:
        n = super().write(s)
        if self.needle and self.on_found is not None:
            _Watched.seen = (self.seen + _ESCAPE.sub("", s))[-4000:]
            if self.needle in self.seen:
                super().flush()
                found, self.on_found = self.on_found, None
                found()  # type: ignore[operator]
        return n


# What ``--phases`` times: each call's wall time summed (outermost calls only), and when
# it first began. Imported before the kiosk runs, so the import order differs a little
# from a real launch (the imports' own cost is ``--importtime``'s to say).
PHASES = [
    ("ndrc_oral.commands.kiosk", "load_catalog"),
    ("ndrc_oral.commands.kiosk", "load_settings"),
    ("ndrc_oral.commands.kiosk", "check_data_dir"),
    ("ndrc_oral.commands.kiosk", "Store"),
    ("ndrc_oral.commands.kiosk", "kiosk_settings"),
    ("ndrc_oral.commands.kiosk", "Outputs"),
    ("ndrc_oral.commands.kiosk", "check_requests"),
    ("ndrc_oral.commands.kiosk", "place_requests"),
    ("ndrc_oral.commands.kiosk", "create_sessions"),
    ("ndrc_oral.commands.kiosk", "Outputs.app"),
    ("textual.app", "App.run"),
    ("textual.app", "App._process_messages"),
    ("textual.css.stylesheet", "Stylesheet.parse"),
    ("textual.css.stylesheet", "Stylesheet.apply"),
    ("textual.css.stylesheet", "Stylesheet.update_nodes"),
    ("textual.widget", "Widget._compose"),
    ("textual.screen", "Screen._refresh_layout"),
    ("textual._compositor", "Compositor.render_update"),
    ("textual.app", "App._display"),
]


def _timed(f: Callable[..., object], entry: list[float]) -> Callable[..., object]:
    depth = [0]

    @functools.wraps(f)
    def wrapper(*a: object, **k: object) -> object:
        if depth[0]:
            return f(*a, **k)
        depth[0] += 1
        start = time.time()
        entry[0] = entry[0] or start
        try:
            return f(*a, **k)
        finally:
            depth[0] -= 1
            entry[1] += time.time() - start
            entry[2] += 1

    return wrapper


def _time_phases(totals: dict[str, list[float]]) -> None:
    for module_name, qualname in PHASES:
        owner: object = importlib.import_module(module_name)
        *path, name = qualname.split(".")
        for part in path:
            owner = getattr(owner, part)
        original = getattr(owner, name)
        entry = totals.setdefault(qualname, [0.0, 0.0, 0.0])  # first start, total, calls
        if isinstance(original, type):  # a class: its construction
            original.__init__ = _timed(original.__init__, entry)  # type: ignore[misc]
        else:
            setattr(owner, name, _timed(original, entry))


def inner(out: Path, which: str, cprofile: bool, argv: list[str], phases: bool = False) -> None:
    marks: dict[str, object] = {"wrapper": time.time()}
    totals: dict[str, list[float]] = {}
    gc_entry = totals.setdefault("gc collections", [0.0, 0.0, 0.0])
    gc_started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.time()
            gc_entry[0] = gc_entry[0] or gc_started[0]
        else:
            gc_entry[1] += time.time() - gc_started[0]
            gc_entry[2] += 1

    gc.callbacks.append(on_gc)
    if phases:
        _time_phases(totals)
        marks["phases_ready"] = time.time()
    tty = os.open("/dev/tty", os.O_RDWR)
    stream = _Watched(io.FileIO(tty, "w", closefd=False), encoding="utf-8", line_buffering=False)
    stream.needle = NEEDLE[which]
    sys.stderr = sys.__stderr__ = stream
    profiler = None
    if cprofile:
        import cProfile

        profiler = cProfile.Profile()

    def stop(*_: object) -> None:
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(out.with_suffix(".prof")))
        marks["phases"] = totals
        out.write_text(json.dumps(marks))
        os._exit(0)

    def found() -> None:
        marks["first_screen"] = time.time()
        # The profiler runs in the main thread: stopped there (the writer is a thread of
        # Textual's); a signal to the process could wake the writer, not the sleeping main one.
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGUSR1)

    signal.signal(signal.SIGUSR1, stop)
    stream.on_found = found
    sys.argv = ["ndrc-oral", *argv]
    from ndrc_oral.cli import main

    marks["main"] = time.time()
    if profiler is not None:
        profiler.enable()
    main(argv)
    stop()


# --- outside ------------------------------------------------------------------------------


def _tmux(*args: str) -> str:
    return subprocess.run([*TMUX, *args], capture_output=True, text=True, check=False).stdout


def launch(
    which: str, data: Path, importtime: bool, cprofile: bool, phases: bool, n: int
) -> dict[str, object]:
    out = data / f"marks-{which}-{n}.json"
    argv = ["--data-dir", str(data / which)]
    if which == "run":
        argv = ["run", "e5-pratique", "--candidate", "Banc d'essai", *argv, "--cms", "WordPress"]
    cmd = [str(PY), *(["-X", "importtime"] if importtime else [])]
    cmd += [str(Path(__file__).resolve()), "--inner", str(out), which]
    cmd += ["--cprofile"] * cprofile + ["--phases"] * phases + ["--argv", json.dumps(argv)]
    errors = out.with_suffix(".importtime")
    line = " ".join(shlex.quote(a) for a in cmd) + f" 2>{shlex.quote(str(errors))}"
    start = time.time()
    _tmux("new-session", "-d", "-s", "p", "-x", "100", "-y", "30", line)
    try:
        while not out.exists() and time.time() - start < 30:
            time.sleep(0.005)
        time.sleep(0.05)
    finally:
        _tmux("kill-session", "-t", "p")
    marks = json.loads(out.read_text())
    result: dict[str, object] = {k: (v - start) * 1000 for k, v in marks.items() if k != "phases"}
    result["phases"] = {
        k: ((first - start) * 1000, total * 1000, calls)
        for k, (first, total, calls) in marks["phases"].items()
    }
    return result


def _importtime(path: Path, top: int) -> None:
    rows = []
    for raw in path.read_text().splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", raw)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    roots = [r for r in rows if r[1] == 0]
    total = sum(r[0] for r in roots)
    print(f"  imports (top level, cumulative): {total / 1000:.0f} ms")
    for cum, _, name in sorted(roots, reverse=True)[:top]:
        print(f"    {cum / 1000:7.1f} ms  {name}")
    print("  heaviest modules at any depth (cumulative):")
    for cum, depth, name in sorted(rows, reverse=True)[: top * 2]:
        print(f"    {cum / 1000:7.1f} ms  {'  ' * depth}{name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=sorted(NEEDLE))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--importtime", action="store_true")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--phases", action="store_true", help="time the steps of PHASES")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--inner", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--argv", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner is not None:
        inner(args.inner, args.which, args.cprofile, json.loads(args.argv), args.phases)
        return
    data = Path(tempfile.mkdtemp(prefix="ndrc-profile-launch-"))
    subprocess.run([*TMUX, "new-session", "-d", "-s", "keep", "sleep 3600"], check=False)
    try:
        results = [
            launch(args.which, data, args.importtime, args.cprofile, args.phases, n)
            for n in range(args.runs)
        ]
    finally:
        _tmux("kill-server")
    for key in ("wrapper", "phases_ready", "main", "first_screen"):
        values = [float(r[key]) for r in results if key in r]  # type: ignore[arg-type]
        if not values:
            continue
        print(
            f"{key:>13}: median {statistics.median(values):6.0f} ms "
            f"(range {min(values):.0f}-{max(values):.0f}) after the tmux command"
        )
    if args.phases:
        print("  phases: first start / total ms (calls), medians, from the tmux command")
        for _, key in [*PHASES, ("", "gc collections")]:
            rows = [r["phases"][key] for r in results]  # type: ignore[index]
            first = statistics.median(r[0] for r in rows)
            total = statistics.median(r[1] for r in rows)
            calls = statistics.median(r[2] for r in rows)
            if calls:
                print(f"    {key:>32}: {first:6.0f} / {total:6.1f} ms ({calls:.0f})")
    last = data / f"marks-{args.which}-{args.runs - 1}"
    if args.importtime:
        _importtime(last.with_suffix(".importtime"), args.top)
    if args.cprofile:
        print(f"  profile: {last.with_suffix('.prof')} (python -m pstats)")


if __name__ == "__main__":
    main()
