"""The commission's day, in a real terminal (tmux), through a crash: the real program end to end.

The E4 ponctuel definition is copied into a temporary ``--config-dir`` with
a preparation of 12 s (16 s with a tiers-temps) and orals of 10 min (ended
early, with their questions): nothing waits 40 minutes. The test plays the
commission on the sample roster (``examples/liste-convocations.csv``):
a bad roster refused, the sample imported from the home screen, one
candidate signed in, one absent, a fiche-sujet to candidate 1, the next
fiche when candidate 1's preparation ends, candidate 1 called in, started,
a note saved; then ``kill -9`` while one is examined and one prepares.
Started again, the day comes back from F3: both candidates on the run
screen with the times they had, the note there; a second kiosk opening the
day is told who holds it and opens nothing. Both orals are then finished
with a mark; the transcripts verify, hold the note, the preparations and
the recovery; the sign-in sheet is exported and read back.

Nothing waits a fixed delay: each step polls the screen (``Pane.wait_for``);
the kill waits for the process to be gone. Real time passes (the
preparations' ends are real ends), so the margins are wide.
"""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from ndrc_oral.exams.loader import shipped_config_dir

from .test_two_kiosks import gone
from .tmux import STEP_S, Pane, ndrc, needs_tmux

pytestmark = needs_tmux

SAMPLE = Path(__file__).parents[2] / "examples" / "liste-convocations.csv"
PREPARATION_S = 30
"""Long enough for a loaded machine to call candidate 1 in and save a note while
candidate 2 (tiers-temps: 16 s) still prepares."""
ORAL_S = 600


def short_e4(config: Path) -> None:
    """The shipped E4 ponctuel with short durations, under its own id (the roster's)."""
    text = (shipped_config_dir() / "e4-ponctuel-2025.toml").read_text(encoding="utf-8")
    text = text.replace("total_cap_s = 2400", f"total_cap_s = {3 * ORAL_S}")
    text = re.sub(r"duration_s = 2400\b", f"duration_s = {PREPARATION_S}", text)
    text = re.sub(r"warnings_s = \[600, 300, 60\]", "warnings_s = [5]", text)
    text = re.sub(r"duration_s = (600|900)\b", f"duration_s = {ORAL_S}", text)
    assert text.count(f"duration_s = {ORAL_S}") == 3
    (config / "e4-ponctuel-2025.toml").write_text(text, encoding="utf-8")


@pytest.fixture
def panes() -> Iterator[tuple[Pane, Pane, Pane]]:
    name = f"ndrc-day-{os.getpid()}"
    trio = Pane(name, "kiosque"), Pane(name, "relance"), Pane(name, "second")
    yield trio
    trio[0].kill()  # one server for all three


def seat_left(screen: str, name: str) -> int:
    """The seconds left that the run screen's list of seats shows for ``name``."""
    for line in screen.splitlines():
        found = re.search(rf"{name}.*?(\d\d):(\d\d) (en cours|en pause)", line)
        if found:
            return int(found[1]) * 60 + int(found[2])
    raise AssertionError(f"no seat of {name}; screen:\n{screen}")


def toasts(screen: str) -> str:
    """The notifications' words in one line (what stands right of their left bar)."""
    return " ".join(
        " ".join(line.rsplit("▌", 1)[1] for line in screen.splitlines() if "▌" in line).split()
    )


def end_phase_early(pane: Pane, *, last: bool) -> None:
    """F4 before the phase's planned end: the kiosk asks first (Escape would keep it)."""
    pane.keys("F4")
    # The next phase's question has the same words: wait for this one to close.
    if last:
        pane.wait_for("maintenant ?")
        pane.keys("Left", "Enter")  # from "Annuler", where the focus waits, to "Terminer"
        pane.wait_gone("maintenant ?")
    else:
        pane.wait_for("Reporter ce temps")  # the time left, carried or not: it ends
        pane.keys("Enter")  # the focus waits on "Ne pas reporter"
        pane.wait_gone("Reporter ce temps")


def finish_oral(pane: Pane, name: str, mark: str) -> None:
    for last in (False, False, True):
        end_phase_early(pane, last=last)
    pane.wait_for("Toutes les phases sont passées")
    pane.keys("F8")
    pane.wait_for("Note / 20")
    pane.type(mark)
    pane.keys("F2")
    pane.wait_for(f"Enregistrer le résultat de {name}")
    pane.keys("Left", "Enter")
    pane.wait_for("Journée de la commission")


def test_a_day_in_tmux_through_a_kill_then_the_sign_in_sheet(
    panes: tuple[Pane, Pane, Pane], tmp_path: Path
) -> None:
    kiosk, again, second = panes
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    short_e4(config)
    bad = tmp_path / "mauvaise.csv"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace("08:40", "25:40"), "utf-8")
    player = tmp_path / "player"
    player.write_text("#!/bin/sh\n")  # silent: no "no sound player" notice over the screen
    player.chmod(0o755)

    def command() -> str:
        line = [sys.executable, "-m", "ndrc_oral", "--config-dir", str(config)]
        line += ["--data-dir", str(data), "--lang", "fr"]
        # `exec`: the pane's process is the kiosk itself (the one killed).
        # COLUMNS/LINES (pytest's own) would win over the pane's size in the kiosk.
        env = f"NDRC_ORAL_SOUND_PLAYER={shlex.quote(str(player))}"
        return f"unset COLUMNS LINES; exec env {env} {shlex.join(line)}"

    kiosk.start(command(), 100, 30)
    kiosk.outlive_kiosk()
    kiosk.wait_for("Oraux du BTS NDRC")
    kiosk.keys("F3")  # no day yet: the roster's file is asked for
    kiosk.wait_for("liste")
    kiosk.type(str(bad))
    kiosk.keys("Enter")
    # Said under the field (one line, wrapped in the dialog), which keeps the path.
    screen = kiosk.wait_for("heure illisible")
    inside = [line.split("█")[1] for line in screen.splitlines() if line.count("█") >= 2]
    refusal = " ".join(" ".join(inside).split())
    assert "mauvaise.csv, ligne 3, colonne « Heure de convocation »" in refusal, refusal
    assert "; rien n'est importé" in refusal, refusal
    assert not list(data.glob("day-*.toml"))
    kiosk.keys("C-u")  # the path typed, cleared
    kiosk.type(str(SAMPLE))
    kiosk.wait_for(SAMPLE.name)  # in the field (its end, if the path is longer than it)
    kiosk.keys("Enter")
    kiosk.wait_for("4 convoqués")

    kiosk.keys("e")  # DUPONT signs in
    kiosk.wait_for("émargé")
    kiosk.keys("Down", "Down", "Down", "a")  # NGUYEN is absent
    kiosk.wait_for("absent")
    kiosk.keys("Up", "Up", "Up", "F2")  # a mistake: DUPONT has no fiche-sujet yet
    kiosk.wait_for("remettez d'abord")
    kiosk.keys("f")
    kiosk.wait_for("Fiche-sujet remise à DUPONT Marie")
    kiosk.keys("Escape")  # changed their mind: nothing handed over
    kiosk.wait_for("émargé")
    kiosk.keys("f")
    kiosk.wait_for("Fiche-sujet remise à DUPONT Marie")
    kiosk.type("7")
    kiosk.keys("Enter")
    kiosk.wait_for("En préparation : DUPONT Marie")
    kiosk.wait_for("Préparation terminée : DUPONT Marie", timeout=PREPARATION_S + STEP_S)
    kiosk.keys("Down", "f")
    kiosk.wait_for("Fiche-sujet remise à MARTIN Éloïse")
    kiosk.type("12")
    kiosk.keys("Enter")
    kiosk.wait_for("En préparation : MARTIN Éloïse")
    kiosk.keys("F2")  # a mistake: MARTIN is still preparing
    kiosk.wait_for("encore en préparation")
    kiosk.keys("Up", "F2")
    kiosk.wait_for("ÉPREUVE · [1/2] DUPONT Marie")
    kiosk.keys("F2")  # the oral's first phase waits for its key
    kiosk.wait_for("En cours")
    kiosk.type("accroche claire")
    kiosk.keys("Enter")
    kiosk.wait_for("✓ note : enregistré")

    before = kiosk.capture()
    at_capture = time.monotonic()
    oral_left, prep_left = seat_left(before, "DUPONT"), seat_left(before, "MARTIN")
    assert prep_left > 0, f"MARTIN's preparation ended before the kill:\n{before}"
    holder = kiosk.pid()
    os.kill(holder, signal.SIGKILL)
    slack = time.monotonic() - at_capture + 2  # the times may move on until the kill
    deadline = time.monotonic() + STEP_S
    while not gone(holder):
        assert time.monotonic() < deadline, "the killed kiosk never ended"
        time.sleep(0.02)

    again.start(command(), 100, 30)
    again.wait_for("Oraux du BTS NDRC")
    again.keys("F3")
    again.wait_for("ÉPREUVE · [1/2] DUPONT Marie")
    again.wait_for("Journée reprise")
    screen = again.wait_for("en pause")
    # Both with the times they had (the time the kiosk was down counts for neither).
    assert oral_left - slack <= seat_left(screen, "DUPONT") <= oral_left
    assert prep_left - slack <= seat_left(screen, "MARTIN") <= prep_left
    assert "accroche claire" in screen  # saved before the kill: still there

    second.start(command(), 100, 30)  # another kiosk on the same day
    second.wait_for("Oraux du BTS NDRC")
    second.keys("F3")
    refusal = toasts(second.wait_for("ouvert ici"))
    assert f"sur la machine {socket.gethostname()} (processus {again.pid()})" in refusal
    [day_file] = data.glob("day-*.toml")
    day_id = day_file.stem.removeprefix("day-")
    assert f"La journée {day_id} est déjà ouverte" in refusal
    assert "Journée de la commission" not in second.capture()  # nothing opened there
    second.keys("C-q")

    again.keys("F3")  # DUPONT goes on
    again.keys("C-n")
    again.wait_for("ÉPREUVE · [2/2] MARTIN Éloïse")
    again.keys("F3")  # and MARTIN's preparation
    again.keys("C-n")
    again.wait_for("ÉPREUVE · [1/2] DUPONT Marie")
    finish_oral(again, "DUPONT Marie", "14")
    again.wait_for("14 / 20")
    again.wait_for("préparé, attend", timeout=PREPARATION_S * 2 + STEP_S)
    again.keys("F2")  # the next candidate (the cursor is on them), from the day's screen
    again.wait_for("ÉPREUVE · MARTIN Éloïse")
    again.keys("F2")
    again.wait_for("En cours")
    finish_oral(again, "MARTIN Éloïse", "15")
    again.wait_for("15 / 20")
    again.keys("C-q")

    sessions = sorted(p for p in data.glob("*.toml") if p != day_file)
    reports = {}
    for path in sessions:
        verify = ndrc("logs", "verify", str(path), "--data-dir", str(data))
        assert verify.returncode == 0, verify.stdout + verify.stderr
        export = ndrc("logs", "export", path.stem, "--format", "json", "--data-dir", str(data))
        assert export.returncode == 0, export.stderr
        report = json.loads(export.stdout)
        reports[report["candidate"]["name"]] = report
    assert sorted(reports) == ["DUPONT Marie", "MARTIN Éloïse"]
    dupont, martin = reports["DUPONT Marie"], reports["MARTIN Éloïse"]
    assert [n["text"] for n in dupont["notes"]] == ["accroche claire"]
    assert dupont["result"]["mark"] == 14 and martin["result"]["mark"] == 15
    for report, planned in ((dupont, PREPARATION_S), (martin, PREPARATION_S * 4 / 3)):
        preparation = report["phases"][0]
        assert preparation["state"] == "done" and not preparation["early"]
        assert preparation["elapsed_s"] == pytest.approx(planned, abs=0.01)
        assert report["phases"][1]["waited_after_preparation_s"] >= 0
    assert dupont["incidents"] and martin["incidents"]  # each recovered after the kill

    sheet = tmp_path / "emargement.pdf"
    args = ("day", "export", day_id, "--format", "pdf-emargement", "-o", str(sheet))
    export = ndrc(*args, "--data-dir", str(data), "--lang", "fr")
    assert export.returncode == 0, export.stdout + export.stderr
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(sheet.read_bytes())).pages)
    places = [text.find(name) for name in ("DUPONT", "MARTIN", "PETIT", "NGUYEN")]
    assert -1 not in places and places == sorted(places), text
