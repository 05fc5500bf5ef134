"""Start-up cost: a command imports what it uses, no more (issue 15: ``logs list`` warm).

A warm ``logs list`` reads the cached listing: it folds nothing and validates
no exam, so neither pydantic nor the engine has any business loading (they
were 60 % of its start-up). The probe runs the real command line in a fresh
interpreter and lists the modules it loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import subprocess
import sys
import time

import pytest
from test_logs_support import Plan, drive

from ndrc_oral.cli import main
from ndrc_oral.commands import kiosk
from ndrc_oral.errors import NdrcError
from ndrc_oral.transcript import Store
from ndrc_oral.tui.themed import freeze_heap

PROBE = """
import contextlib, io, sys
from ndrc_oral.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["logs", "list"])
heavy = ("pydantic", "ndrc_oral.session.engine", "ndrc_oral.exams.models", "textual", "multiprocessing")
print(code, sorted(m for m in sys.modules if m in heavy))
"""


def _backdate(store: Store) -> None:
    """Files older than the listing's "too recent to trust" window, so the cache keeps them."""
    past = time.time() - 60
    for path in store.paths():
        os.utime(path, (past, past))


def test_a_warm_listing_loads_neither_pydantic_nor_the_engine(store: Store) -> None:
    drive(store, Plan(candidate="Zoé"))
    drive(store, Plan(candidate="Marc", day=3, mode="rehearsal"))
    _backdate(store)
    assert main(["logs", "list", "--json"]) == 0  # fills the cache (in this process)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    code, _, loaded = result.stdout.strip().partition(" ")
    assert code == "0"
    assert loaded == "[]", f"a warm `logs list` loads {loaded}"


def test_the_warm_listing_still_shows_what_a_cold_one_does(store: Store) -> None:
    drive(store, Plan(candidate="Zoé"))
    _backdate(store)
    listing = [sys.executable, "-m", "ndrc_oral", "logs", "list", "--json"]
    cold = subprocess.run(listing, capture_output=True, text=True, timeout=60, check=True)
    warm = subprocess.run(listing, capture_output=True, text=True, timeout=60, check=True)
    rows = json.loads(warm.stdout)
    assert json.loads(cold.stdout) == rows
    assert [r["candidate_name"] for r in rows] == ["Zoé"]


def test_a_screen_starts_with_the_collector_off_and_every_way_out_turns_it_back_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def home(args: argparse.Namespace) -> int:
        seen.append(gc.isenabled())
        raise NdrcError("le dossier manque")

    monkeypatch.setattr(kiosk, "home", home)
    assert main([]) == 1  # the kiosk stopped before its app: one line, exit 1
    assert seen == [False]
    assert gc.isenabled()
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["exams"]) == 0  # no screen: the collector is left as it was
    assert gc.isenabled()


def test_the_frozen_heap_turns_the_collector_on() -> None:
    gc.disable()
    try:
        freeze_heap()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()
