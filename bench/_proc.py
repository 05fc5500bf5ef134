"""CPU and memory of a process tree, read from /proc (Linux). No third-party import.

Shared by the kiosk benchmarks (``bench_kiosk_live.py``, ``bench_compare.py``,
``bench_timer_accuracy.py`` through ``_kiosk_measure``).
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """``pid`` and every living process below it."""
    found = [pid]
    i = 0
    while i < len(found):
        task_dir = Path(f"/proc/{found[i]}/task")
        with suppress(OSError):
            for task in task_dir.iterdir():
                with suppress(OSError):
                    found.extend(int(x) for x in (task / "children").read_text().split())
        i += 1
    return found


def _stat_ticks(pid: int) -> int:
    """utime + stime + cutime + cstime of one process, in clock ticks (0 if it is gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    fields = text.rsplit(")", 1)[1].split()
    # After the command: state is field 3, so utime (14), stime (15), cutime (16), cstime (17).
    return sum(int(x) for x in fields[11:15])


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by ``pid`` and its descendants (reaped children included)."""
    return sum(_stat_ticks(p) for p in descendants(pid)) / CLK_TCK


def peak_rss_kib(pid: int) -> int:
    """Peak resident memory (``VmHWM``) of ``pid`` and its descendants, summed, in KiB."""
    total = 0
    for p in descendants(pid):
        with suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total
