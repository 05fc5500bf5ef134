"""SIGKILL the running kiosk at random moments: nothing shown saved is lost, time resumes right.

See ``kiosk_kill.py`` for how: real ``KioskApp`` children driven key by key,
real transcripts with fsync, a kill at a random moment, a resume from the home
screen after each one. Five kills here; fifty with ``pytest -m slow``
(``bench/bench_faults.py`` prints the figures of a run).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from ndrc_oral.exams.loader import Catalog

from .kiosk_kill import SAVED_BEFORE_KILL, run_kills

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform != "linux", reason="needs fork and SIGKILL"
)


def test_five_kills_of_the_kiosk_lose_nothing_shown_saved(tmp_path: Path, catalog: Catalog) -> None:
    figures = run_kills(tmp_path / "data", catalog, kills=5, seed=5, max_delay=0.8)
    print("\n".join(figures.lines()))
    assert figures.kills == 5
    # The children did work before the kills: seed 5 makes four of the five kills late
    # ones, each after at least SAVED_BEFORE_KILL items shown saved, however slow the machine.
    assert figures.kills - figures.early_kills >= 4
    assert sum(figures.by_kind.values()) >= 4 * SAVED_BEFORE_KILL == 8
    assert figures.resumes >= 3


@pytest.mark.slow
def test_fifty_kills_of_the_kiosk_lose_nothing_shown_saved(
    tmp_path: Path, catalog: Catalog
) -> None:
    figures = run_kills(tmp_path / "data", catalog, kills=50, seed=50, max_delay=1.5)
    print("\n".join(figures.lines()))
    assert figures.kills == 50
    assert figures.resumes_checked >= 25
    assert figures.by_kind.get("note", 0) >= 25 and figures.by_kind.get("rated", 0) >= 25
