"""Start-up time of ``python -m ndrc_oral exams`` against a bare ``python -c pass``.

    .venv/bin/python bench/bench_startup.py [--runs 20]

Both run in the same session, interleaved, ``--runs`` times each; the figure
is the ratio of the medians. The listing's cache lives in a temporary
directory: one untimed run fills it (its time is printed as "cold"), as the
first listing after an install or an edit does. Target: ratio <= 6.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_RATIO = 6.0


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env["NDRC_ORAL_CACHE_DIR"] = os.path.join(tmp, "cache")
        env.pop("NDRC_ORAL_CONFIG_DIR", None)
        exams = [sys.executable, "-m", "ndrc_oral", "exams"]
        bare = [sys.executable, "-c", "pass"]
        cold = timed(exams, env)
        timed(bare, env)  # warm the interpreter's own files too
        bare_times, exams_times = [], []
        for _ in range(args.runs):
            bare_times.append(timed(bare, env))
            exams_times.append(timed(exams, env))
    bare_median = statistics.median(bare_times)
    exams_median = statistics.median(exams_times)
    ratio = exams_median / bare_median
    print(f"python -c pass:             median {bare_median * 1000:.1f} ms ({args.runs} runs)")
    print(f"python -m ndrc_oral exams:  median {exams_median * 1000:.1f} ms ({args.runs} runs)")
    print(f"                            cold (cache to fill) {cold * 1000:.1f} ms")
    verdict = "ok" if ratio <= TARGET_RATIO else "MISSED"
    print(f"ratio: {ratio:.2f}x  (target <= {TARGET_RATIO:g}x: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
