"""Benchmark of the read side of transcripts (issue 4's targets). Prints figures; not a test.

    .venv/bin/python bench/bench_review.py [--sessions 10000] [--jobs N] [--keep DIR]

Builds a data directory of engine-made sessions (``new_session`` with a fake
clock, ``fsync=False`` for building speed) in a temporary directory, then
measures:

* listing them cold (no the cache database) and warm (with it)  — target <= 1 s warm;
* ``logs list`` end to end in a fresh interpreter (warm);
* filtering 10,000 summaries per keystroke                   — target <= 100 ms;
* opening a session of 2,000 notes (``load_session``)         — target <= 200 ms;
* exporting its PDFs (fiche and grille)                       — target <= 1 s;
* peak memory (tracemalloc of the warm listing; the process's max RSS).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from ndrc_oral.exams.loader import load_catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import Mode, SessionIdentity, members
from ndrc_oral.transcript import Store, load_session, new_session
from ndrc_oral.transcript.cache import SessionCache
from ndrc_oral.transcript.index import (
    filter_sessions,
    list_sessions,
    make_filter,
    sort_sessions,
)
from ndrc_oral.transcript.summary import SessionSummary

T = TypeVar("T")

FIRST = ["Zoé", "Théo", "Éloïse", "Maël", "Chloé", "Noé", "Inès", "Jérôme", "Léa", "Björn"]
LAST = ["Lefèvre", "Dupré", "Œuvray", "Müller", "Çelik", "Durand", "Martin", "Bœuf", "N'Diaye"]
NOTES = [
    "Bonne accroche, l’exposé est structuré",
    "Reformulation « prix » efficace",
    "Ça manque de chiffres sur la zone de prospection",
    "Réponse hésitante à la question sur le réseau",
    "Très à l’aise face à l’objection",
]


def build_one(root: str, i: int) -> None:
    """One engine-made session, varied by ``i`` (exam, day, mode, notes, ratings, result)."""
    rng = random.Random(i)
    catalog = _catalog()
    exam = catalog[i % len(catalog)]
    wall = datetime(2026, 1, 5, 8, 0).astimezone() + timedelta(days=i % 150, minutes=i % 480)
    clock = FakeClock(wall=wall)
    live = new_session(
        Store(Path(root)),
        exam,
        clock,
        SessionIdentity(
            candidate=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            number=f"{i:05d}",
            commission=str(1 + i % 40),
            members=members("Mme Dupré", "M. François"),
            mode=Mode.REHEARSAL if i % 7 == 0 else Mode.LIVE,
        ),
        fsync=False,
    )
    s = live.session
    criteria = exam.criterion_ids()
    for phase in exam.phases:
        if s.status.value in ("ready", "between"):
            s.start()
        clock.advance(phase.duration_s * rng.uniform(0.6, 1.1))
        if rng.random() < 0.8:
            s.note(rng.choice(NOTES), criterion=rng.choice([None, *criteria]))
        s.tick()
        if s.status.value in ("running", "paused"):
            s.end_phase()
    for criterion in rng.sample(criteria, k=min(len(criteria), 6)):
        s.rate(criterion, rng.choice(exam.level_codes()))
    if i % 13 == 0:
        choice = rng.choice(["nv", "reservee", "absent"])
        if choice == "reservee":
            s.set_result(mark=rng.randint(0, 40) / 2, reserved=True)
        else:
            s.set_result(outcome=choice, nv_reason="hors-delai" if choice == "nv" else None)
    else:
        s.set_result(mark=rng.randint(0, 40) / 2, appreciation="Prestation cohérente.")
    if i % 50 != 0:  # a few stay unfinished (interrupted)
        s.finish()
    live.close()


_CATALOG: list[Exam] = []


def _catalog() -> list[Exam]:
    if not _CATALOG:
        _CATALOG.extend(load_catalog().values())
    return _CATALOG


def _build_range(root: str, start: int, stop: int) -> int:
    for i in range(start, stop):
        build_one(root, i)
    return stop - start


def build(root: Path, count: int, jobs: int) -> None:
    step = max(1, count // (jobs * 8))
    ranges = [(i, min(count, i + step)) for i in range(0, count, step)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = 0
        for n in pool.map(_build_range, [str(root)] * len(ranges), *zip(*ranges, strict=True)):
            done += n
            print(f"\r  built {done}/{count}", end="", flush=True)
    print()


def build_big(root: Path, notes: int) -> Path:
    """A single E4 session of ``notes`` notes over its phases."""
    exam = load_catalog().get("e4-ponctuel")
    clock = FakeClock(wall=datetime(2026, 6, 2, 8, 0).astimezone())
    live = new_session(Store(root), exam, clock, SessionIdentity("Zoé Lefèvre-Œuvray"), fsync=False)
    s = live.session
    s.start()
    criteria = exam.criterion_ids()
    per_phase = notes // (len(exam.phases) - 1) + 1
    written = 0
    while written < notes:
        clock.advance(1.1)
        s.tick()
        if s.status.value in ("ready", "between"):
            s.start()
        text = f"{NOTES[written % len(NOTES)]} (observation {written})"
        s.note(text, criterion=criteria[written % len(criteria)] if written % 3 else None)
        written += 1
        if written % per_phase == 0 and s.status.value == "running":
            s.end_phase()
    for c in criteria:
        s.rate(c, "S")
    s.set_result(mark=14, appreciation="Très bonne négociation.", members=["Mme Dupré"])
    s.finish()
    live.close()
    return live.path


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """The best time of ``repeat`` calls, and the last result."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--notes", type=int, default=2_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", type=Path, default=None, help="build into (or reuse) this dir")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ndrc-bench-"))
    root = args.keep or tmp / "data"
    root.mkdir(parents=True, exist_ok=True)
    try:
        existing = len(list(root.glob("*.toml")))
        print(f"data directory: {root}  ({os.cpu_count()} CPU)")
        if existing < args.sessions:
            start = time.perf_counter()
            build(root, args.sessions - existing, args.jobs)
            print(f"  building took {time.perf_counter() - start:.1f} s")
        total_bytes = sum(p.stat().st_size for p in root.glob("*.toml"))
        print(f"  {len(list(root.glob('*.toml')))} sessions, {total_bytes / 1e6:.0f} MB")
        time.sleep(2.1)  # past the index's "too recent to trust" window

        print("\nlisting (target: 10,000 in <= 1 s, warm)")
        SessionCache(root).delete()
        cold, listing = timed(lambda: list_sessions(root))
        sessions = listing.sessions
        print(
            f"  cold (no cache, every file read and checked) {cold:8.2f} s   ({len(sessions)} sessions)"
        )
        warm, again = timed(lambda: list_sessions(root), repeat=5)
        print(f"  warm (cache, nothing changed)            {ms(warm)}   reread={again.reread}")
        index_size = SessionCache(root).size()
        print(f"  cache database: {index_size / 1e6:.1f} MB")
        env = {**os.environ, "NDRC_ORAL_DATA_DIR": str(root)}
        cli_times = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "ndrc_oral", "logs", "list"],
                env=env,
                stdout=subprocess.DEVNULL,
                check=True,
            )
            cli_times.append(time.perf_counter() - start)
        print(f"  `ndrc-oral logs list` end to end (warm, best of 3) {ms(min(cli_times))}")

        print(f"\nfiltering {len(sessions)} summaries (target: <= 100 ms per keystroke)")
        word = "dupre zo"
        per_key: list[float] = []
        kept: list[SessionSummary] = []
        for n in range(1, len(word) + 1):
            typed = make_filter(text=word[:n])
            t, kept = timed(lambda: filter_sessions(sessions, typed))  # noqa: B023 (called now)
            per_key.append(t)
        print(
            f"  typing {word!r}: worst {ms(max(per_key))}, mean {ms(statistics.mean(per_key))}"
            f"   ({len(kept)} left)"
        )
        t, kept = timed(
            lambda: filter_sessions(
                sessions,
                make_filter(
                    text="dupre", exam="E6", since="2026-02-01", until="2026-04-30", mode="live"
                ),
            )
        )
        print(f"  text + exam + dates + mode:   {ms(t)}   ({len(kept)} left)")
        t, _ = timed(lambda: sort_sessions(sessions, "candidate_name"))
        print(f"  sort by candidate name:       {ms(t)}")

        print(f"\nopening a session of {args.notes} notes (target: <= 200 ms)")
        big_dir = tmp / "big"
        big = build_big(big_dir, args.notes)
        first, _ = timed(lambda: load_session(big))
        best, loaded = timed(lambda: load_session(big), repeat=5)
        print(
            f"  load_session: first {ms(first)}, best of 5 {ms(best)}   ({big.stat().st_size / 1e6:.2f} MB)"
        )

        print("\nPDF export of that session (target: <= 1 s)")
        start = time.perf_counter()
        from ndrc_oral.transcript.export_pdf import fiche_pdf, grille_pdf

        print(f"  importing fpdf2 (once per process) {ms(time.perf_counter() - start)}")
        t, pdf = timed(lambda: grille_pdf(loaded), repeat=3)
        print(f"  grille ({args.notes} notes):  {ms(t)}   ({len(pdf) / 1e3:.0f} kB)")
        t, pdf = timed(lambda: fiche_pdf(loaded), repeat=3)
        print(f"  fiche:                 {ms(t)}   ({len(pdf) / 1e3:.0f} kB)")
        from ndrc_oral.transcript.export_json import session_json
        from ndrc_oral.transcript.export_md import session_markdown

        t, _ = timed(lambda: session_json(loaded), repeat=3)
        print(f"  (json:                 {ms(t)})")
        t, _ = timed(lambda: session_markdown(loaded), repeat=3)
        print(f"  (markdown:             {ms(t)})")

        print("\nmemory")
        tracemalloc.start()
        listing = list_sessions(root)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  warm listing of {len(listing.sessions)}: peak {peak / 1e6:.0f} MB (tracemalloc)")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"  whole benchmark process: max RSS {rss / 1024:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # --keep DIR stays


if __name__ == "__main__":
    main()
