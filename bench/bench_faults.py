"""Fault figures of the real kiosk: SIGKILL at random moments, then resume.

Runs the harness of ``tests/faults/kiosk_kill.py`` (the normal test suite runs
it with 5 kills, ``pytest -m slow`` with 50): generations of the real
``KioskApp``, each driven key by key through Textual's test driver on a real
data directory with fsync, killed with SIGKILL at a random moment, then
resumed from the home screen. Prints what was checked and what it cost.

    .venv/bin/python bench/bench_faults.py [--kills 50] [--seed 50] [--max-delay 1.5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=50)
    parser.add_argument(
        "--max-delay",
        type=float,
        default=1.5,
        help="longest life of a child after its session opens",
    )
    args = parser.parse_args()

    import textual._wait as wait

    # The test driver tells "idle" in 5 ms slices instead of 20 (as tests/tui does).
    wait.SLEEP_GRANULARITY = 0.005  # type: ignore[attr-defined]
    wait.SLEEP_IDLE = 0.005 / 20  # type: ignore[attr-defined]

    from faults.kiosk_kill import run_kills

    from ndrc_oral.exams.loader import load_catalog
    from ndrc_oral.i18n import set_language

    set_language("fr")
    with tempfile.TemporaryDirectory(prefix="ndrc-faults-") as tmp:
        figures = run_kills(
            Path(tmp) / "data", load_catalog(), args.kills, args.seed, args.max_delay
        )
    print("\n".join(figures.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
