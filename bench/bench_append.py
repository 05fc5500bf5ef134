"""Append-to-fsync latency: how long until the screen may say "saved".

    .venv/bin/python bench/bench_append.py [--events 5000] [--dir DIR]

Each operation (a note, a rating... as a commission makes them) is timed from
the call to its return, which comes only once its event is written and
fsynced. The file lives in a temporary directory inside the data directory
(``--dir``, else ``$NDRC_ORAL_DATA_DIR``, else the user's), so the figure is
that of the disk the transcripts really go to; it is removed afterwards.
Target: p99 <= 20 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import NOTES, e4, ms, percentile

from ndrc_oral.paths import data_dir
from ndrc_oral.session import FakeClock
from ndrc_oral.session.identity import SessionIdentity
from ndrc_oral.transcript import Store, new_session

TARGET_P99_S = 0.020


def measure(root: Path, count: int, fsync: bool) -> list[float]:
    clock = FakeClock()
    live = new_session(Store(root), e4(), clock, SessionIdentity("Zoé Lefèvre"), fsync=fsync)
    s = live.session
    s.start()
    criteria = s.exam.criterion_ids()
    latencies: list[float] = []
    for i in range(count):
        clock.advance(0.5)
        start = time.perf_counter()
        if i % 3:
            s.note(NOTES[i % len(NOTES)], criterion=criteria[i % len(criteria)])
        else:
            s.rate(criteria[i % len(criteria)], "S")
        latencies.append(time.perf_counter() - start)
    live.close()
    return latencies


def report(label: str, latencies: list[float]) -> float:
    p99 = percentile(latencies, 99)
    print(
        f"{label}: p50 {ms(percentile(latencies, 50))}  p99 {ms(p99)}  "
        f"max {ms(max(latencies))}  ({len(latencies)} events)"
    )
    return p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--dir", type=Path, default=None, help="default: the data directory")
    args = parser.parse_args()

    base = data_dir(args.dir)
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bench-append-", dir=base))
    try:
        st = os.statvfs(tmp)
        print(f"directory: {tmp} (filesystem block size {st.f_bsize})")
        cpu = report("without fsync (CPU only)", measure(tmp / "nofsync", args.events // 5, False))
        p99 = report("with fsync             ", measure(tmp / "fsync", args.events, True))
        verdict = "ok" if p99 <= TARGET_P99_S else "MISSED"
        print(f"target p99 <= 20 ms: {verdict} (CPU part p99 {ms(cpu)})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
