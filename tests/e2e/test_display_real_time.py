"""A real-time minute of the candidate's display, terminal and browser (``-m slow``).

Runs ``bench/bench_display.py --minutes 1``: the real kiosk, ``ndrc-oral
display`` in a pty and the web page in headless Chromium, side by side, for a
minute of wall time. What is asserted is what a person would notice, not a
number of milliseconds (a loaded machine may be slower): every second was
shown by both, the chime played once for its threshold, and both said
"connexion perdue" within 3 s of the kiosk's SIGKILL.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed"),
]


def test_a_minute_in_real_time() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_display.py"), "--minutes", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    counts = [int(n) for n in re.findall(r": n=(\d+) ", out)]
    assert len(counts) == 3 and min(counts[:2]) >= 55, out  # every second, terminal and page
    assert "chimes played: 1 for 1 thresholds" in out, out
    lost = re.search(r"terminal ([\d.]+) s, page ([\d.]+) s", out)
    assert lost is not None and max(float(x) for x in lost.groups()) <= 3.0, out
