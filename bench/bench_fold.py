"""Time to fold a 10,000-event session, and to read its transcript and fold it.

    .venv/bin/python bench/bench_fold.py [--events 10000] [--runs 20]

Target: fold <= 50 ms (best of N). The read figure (parse and check every
event's TOML and hash, then fold) has no target; it is what a resume or
``logs show`` of such a session costs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import best_of, ms, session_of

from ndrc_oral.session import fold
from ndrc_oral.transcript import TranscriptWriter, read_transcript

TARGET_FOLD_S = 0.050


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    session, _ = session_of(args.events)
    events, exam = session.events, session.exam
    kinds: dict[str, int] = {}
    for e in events:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    print(
        f"session: {len(events)} events ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})"
    )

    assert fold(exam, events) == session.state
    folded = best_of(args.runs, lambda: fold(exam, events))
    verdict = "ok" if folded <= TARGET_FOLD_S else "MISSED"
    print(f"fold:                 {ms(folded)} best of {args.runs}  (target <= 50 ms: {verdict})")
    now = session.now()
    snap = best_of(args.runs, lambda: fold(exam, events).snapshot(now))
    print(f"fold + snapshot:      {ms(snap)} best of {args.runs}")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        writer = TranscriptWriter(path, fsync=False)
        for e in events:
            writer.append(e)
        writer.close()
        size = path.stat().st_size
        read = best_of(max(3, args.runs // 4), lambda: fold(exam, read_transcript(path).events))
        print(
            f"read_transcript+fold: {ms(read)} best of {max(3, args.runs // 4)}  ({size / 1e6:.1f} MB file)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
