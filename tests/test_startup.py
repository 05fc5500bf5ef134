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
from pathlib import Path

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


FIRST_SCREEN = """
import json, sys
from textual.app import App
from ndrc_oral.commands import kiosk
from ndrc_oral.tui.app import KioskApp

def run(self, **_):
    def shown():
        print(json.dumps(sorted(sys.modules)))
        self.exit()

    self.call_after_refresh(shown)  # once the first screen is drawn
    return App.run(self, headless=True)

kiosk.need_terminal = lambda: None  # headless: no terminal to draw on
KioskApp.run = run
from ndrc_oral.cli import main
sys.exit(main(sys.argv[1:]))
"""

NEVER_FIRST = (
    "fpdf",  # the PDF exports
    "openpyxl",  # the XLSX ones
    "http.server",  # the web page, when asked for
    "ndrc_oral.display.web",
    "ndrc_oral.transcript.export_pdf",
    "ndrc_oral.transcript.export_xlsx",
    "ndrc_oral.tui.screens.review",
    "ndrc_oral.tui.screens.review_exports",
    "ndrc_oral.tui.screens.session_detail",
    "ndrc_oral.tui.commands",  # the palette (Ctrl+K)
    "ndrc_oral.tui.dialogs.export_dir",
    "textual.widgets._text_area",  # TextArea, for an appreciation
    "textual._tree_sitter",
    "wave",  # the chime is made once, at install
)


def _first_screen(tmp_path: Path, *argv: str) -> set[str]:
    """The modules loaded once the kiosk's first screen is drawn (headless, a fresh interpreter)."""
    env = {**os.environ, "NDRC_ORAL_SETTINGS": str(tmp_path / "no-settings.toml")}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, *argv, "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_home_screen_loads_nothing_it_does_not_show(tmp_path: Path) -> None:
    loaded = _first_screen(tmp_path)
    assert "ndrc_oral.tui.screens.home" in loaded  # the probe saw the real first screen
    unwanted = sorted(loaded & {*NEVER_FIRST, "ndrc_oral.tui.screens.run"})
    assert unwanted == [], f"the home screen loads {unwanted}"


def test_the_run_screen_loads_nothing_it_does_not_show(tmp_path: Path) -> None:
    loaded = _first_screen(
        tmp_path, "run", "e5-pratique", "--candidate", "Zoé", "--cms", "WordPress"
    )
    assert "ndrc_oral.tui.screens.run.screen" in loaded
    unwanted = sorted(loaded & {*NEVER_FIRST, "ndrc_oral.tui.screens.home"})
    assert unwanted == [], f"`ndrc-oral run` loads {unwanted}"
