"""The data-side rows of ``bench_compare.py --table``: costs at two sizes, to show they stay linear.

Each measure runs the real program as a user would (the installed ``ndrc-oral``
in a subprocess or in a tmux pane) on a data directory built here, and
returns plain figures; ``bench_compare.py`` prints them beside their peer.

* ``logs list``, warm, on 20 sessions, against ``python -c pass``;
* the first listing of N sessions in the review screen (tmux, cold cache),
  with the CPU the program used over that time (more than one core's worth
  means the listing ran on every core);
* the CSV export of N sessions: wall time and peak memory (``wait4``);
* opening a session of N notes in the review screen (pilot, in a fresh
  interpreter): to its timeline, then to its Notes tab;
* the PDF fiche of that session (``logs export --format pdf-fiche``).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXE = ROOT / ".venv" / "bin" / "ndrc-oral"
# One server per run: two engineers benching at once must not kill each other's panes.
TMUX = ["tmux", "-L", f"ndrc-scale-bench-{os.getpid()}"]

sys.path.insert(0, str(HERE))


def clean_env(cache: Path) -> dict[str, str]:
    """French, a cache of our own (so "cold" means cold), no user config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NDRC_ORAL_")}
    env["NDRC_ORAL_CACHE_DIR"] = str(cache)
    env["NDRC_ORAL_SETTINGS"] = str(cache / "no-settings.toml")
    env["NDRC_ORAL_LANG"] = "fr"
    env.setdefault("TERM", "xterm-256color")
    return env


@dataclass
class Run:
    """A finished child process: wall seconds, CPU seconds (its tree), peak RSS in MiB."""

    wall: float
    cpu: float
    rss_mib: float
    code: int


def run(argv: list[str], env: dict[str, str], stdout: int | None = subprocess.DEVNULL) -> Run:
    """Run ``argv`` to its end and read its resource use with ``wait4``."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv[:4])}… failed ({proc.returncode}): {err.strip()[-300:]}")
    # ru_maxrss is the largest process of the tree that was waited for, in KiB on Linux.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode)


def build_sessions(root: Path, count: int) -> None:
    """``count`` engine-made sessions (varied exams, days, modes; a few notes each)."""
    from bench_review_tui import build

    root.mkdir(parents=True, exist_ok=True)
    have = len(list(root.glob("*.toml")))
    if have < count:
        build(root, count - have)


def build_notes(root: Path, notes: int) -> tuple[str, str]:
    """A data directory holding one E4 session of ``notes`` notes: (candidate's name, id)."""
    from bench_review_tui import build_big

    root.mkdir(parents=True, exist_ok=True)
    name = build_big(root, notes)
    [path] = root.glob("*.toml")
    return name, path.stem


def logs_list_vs_python(root: Path, cache: Path, runs: int) -> tuple[float, float]:
    """Medians of ``logs list`` (warm) and ``python -c pass``, interleaved, in seconds."""
    env = clean_env(cache)
    listing = [str(EXE), "logs", "list", "--data-dir", str(root)]
    bare = [sys.executable, "-c", "pass"]
    run(listing, env)  # fill the cache: the figure is the warm one
    time.sleep(2.1)  # past the listing's "too recent to trust" window
    run(listing, env)
    ours, theirs = [], []
    for _ in range(runs):
        theirs.append(run(bare, env).wall)
        ours.append(run(listing, env).wall)
    return statistics.median(ours), statistics.median(theirs)


def _tmux(*args: str) -> str:
    return subprocess.run([*TMUX, *args], capture_output=True, text=True, check=False).stdout


def review_first_listing(root: Path, cache: Path, count: int, limit_s: float = 900) -> Run:
    """From launching ``ndrc-oral review`` (tmux, 120x40, empty cache) to its list of ``count``.

    ``cpu`` is the CPU time of the program and its children meanwhile, read
    from /proc just before the list shows (``cpu / wall`` > 1: several cores).
    """
    from _proc import cpu_seconds, peak_rss_kib

    shutil.rmtree(cache, ignore_errors=True)
    for leftover in root.glob(".index*"):
        leftover.unlink()
    env = clean_env(cache)
    command = " ".join(
        [
            *(f"{k}={shlex_quote(v)}" for k, v in env.items() if k.startswith("NDRC_ORAL_")),
            str(EXE),
            "review",
            "--data-dir",
            shlex_quote(str(root)),
        ]
    )
    marker = f"sur {count}"
    _tmux("kill-server")
    start = time.perf_counter()
    _tmux("new-session", "-d", "-s", "review", "-x", "120", "-y", "40", command)
    pid = int(_tmux("display-message", "-p", "-t", "review", "#{pane_pid}").strip() or 0)
    cpu = 0.0
    rss = 0
    try:
        while True:
            cpu = max(cpu, cpu_seconds(pid))
            rss = max(rss, peak_rss_kib(pid))
            screen = _tmux("capture-pane", "-p", "-t", "review")
            if marker in screen:
                wall = time.perf_counter() - start
                break
            if time.perf_counter() - start > limit_s:
                raise SystemExit(f"the review never listed {count} sessions: {screen[-300:]}")
            time.sleep(0.05)
    finally:
        _tmux("kill-server")
    return Run(wall, cpu, rss / 1024, 0)


def shlex_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def csv_export(root: Path, cache: Path, out: Path) -> Run:
    """``logs export --format csv`` of every session in ``root`` (cache as the listing left it)."""
    env = clean_env(cache)
    out.unlink(missing_ok=True)
    done = run(
        [str(EXE), "logs", "export", "--format", "csv", "-o", str(out), "--data-dir", str(root)],
        env,
    )
    return done


def pdf_fiche(root: Path, cache: Path, session_id: str, out: Path) -> Run:
    env = clean_env(cache)
    out.unlink(missing_ok=True)
    return run(
        [
            str(EXE),
            "logs",
            "export",
            session_id,
            "--format",
            "pdf-fiche",
            "-o",
            str(out),
            "--data-dir",
            str(root),
        ],
        env,
    )


def review_open(root: Path, cache: Path, name: str) -> dict[str, float]:
    """Seconds (pilot): ``timeline`` from Enter; ``notes`` from the Notes tab key pressed
    at the timeline to notes on screen; ``checked`` from Enter to the verdict; ``every``
    from the verdict to every note laid out."""
    env = clean_env(cache)
    out = subprocess.run(
        [sys.executable, str(HERE / "bench_review_tui.py"), "--open-only", str(root), name],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise SystemExit(f"opening the big session failed: {out.stderr.strip()[-400:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return {key: float(figures[key]) for key in ("timeline", "notes", "checked", "every")}


def self_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="ndrc-bench-scale-"))
