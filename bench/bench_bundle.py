"""A centre's gathering at scale: 10,000 sessions bundled, then imported into an empty data dir.

Builds ``--count`` engine-made sessions (the tests' ``rooms.make_room``: the
shipped exams that stand alone, varied times, rated rows, every kind of
result, rehearsals; one room per process), then times, each in a fresh
process so that its peak memory (``ru_maxrss``) is its own:

* ``ndrc-oral logs bundle -o FILE`` (every file read once, hashed, zipped);
* ``ndrc-oral logs import FILE`` into an empty data directory (every chain
  checked, the manifest compared, each file made as the writer makes one);
* the same import again (everything already there: 0 added).

    .venv/bin/python bench/bench_bundle.py [--count 10000] [--dir /tmp/ndrc-bundle]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from rooms import make_room


def build(root: Path, count: int, jobs: int) -> None:
    """``count`` sessions in ``root``, made by ``jobs`` processes (one room each)."""
    from concurrent.futures import ProcessPoolExecutor

    share = [count // jobs + (1 if r < count % jobs else 0) for r in range(jobs)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        done = pool.map(make_room, [root] * jobs, range(1, jobs + 1), share)
        print(f"  {sum(len(ids) for ids in done)} made")


MEASURE = """
import resource, sys, time
from ndrc_oral.cli import main
start = time.perf_counter()
code = main(sys.argv[1:])
took = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"@@ {code} {took:.3f} {peak}", file=sys.stderr)
"""


def measured(env: dict[str, str], *args: str) -> tuple[int, float, int, str]:
    """Exit code, seconds inside ``main``, peak RSS (KiB), the last line printed."""
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    line = next(x for x in proc.stderr.splitlines() if x.startswith("@@ "))
    _, code, took, peak = line.split()
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    return int(code), float(took), int(peak), last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ndrc-bundle"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    base: Path = args.dir
    shutil.rmtree(base, ignore_errors=True)
    rooms, centre = base / "room", base / "centre"
    env = {**os.environ, "NDRC_ORAL_CACHE_DIR": str(base / "cache")}
    os.environ.update(env)  # the builders' holder notes go there too
    rooms.mkdir(parents=True)
    print(f"building {args.count} sessions in {rooms} ...")
    start = time.perf_counter()
    build(rooms, args.count, args.jobs)
    size = sum(p.stat().st_size for p in rooms.glob("*.toml"))
    print(f"  built in {time.perf_counter() - start:.1f} s, {size / 1e6:.1f} MB of transcripts")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    target = base / "salle.zip"
    code, took, peak, last = measured(
        env, "logs", "bundle", "--data-dir", str(rooms), "-o", str(target)
    )
    print(
        f"bundle: {took:.2f} s, peak {peak / 1024:.0f} MB, {target.stat().st_size / 1e6:.1f} MB zip (exit {code}: {last})"
    )
    code, took, peak, last = measured(env, "logs", "import", "--data-dir", str(centre), str(target))
    print(
        f"import into an empty data dir: {took:.2f} s, peak {peak / 1024:.0f} MB (exit {code}: {last})"
    )
    code, took, peak, last = measured(env, "logs", "import", "--data-dir", str(centre), str(target))
    print(f"the same import again: {took:.2f} s, peak {peak / 1024:.0f} MB (exit {code}: {last})")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"(this script's own peak: {own / 1024:.0f} MB; load average now: {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
