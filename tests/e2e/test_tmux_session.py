"""The real program, in a real terminal (tmux), through a short session; then its transcript.

A custom exam with phases of 3 s and 2 s (warnings at 1 s) is written into a
temporary ``--config-dir``. The test starts ``python -m ndrc_oral run`` in a
detached tmux pane of 100x30 on a tmux server of its own, and plays the
commission: start, type a note, rate a criterion, let the first phase end by
itself and the second run into overtime, end it, finish, enter a mark, quit.
A sound player that writes down its calls stands for the real one: each
threshold and each planned end chimes once.
Then ``logs verify`` must exit 0 and ``logs export --format json`` must hold
the note with its phase stamp, the rating, the mark and the overtime.

Real time passes here (this checks real time end to end), but nothing waits a
fixed delay: each step polls ``capture-pane`` until the text it expects shows,
with a deadline. Skipped when tmux is missing (CI installs it: ``.ci/run``).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .tmux import STEP_S, Pane, ndrc, needs_tmux

pytestmark = needs_tmux

EXAM = """\
id = "e2e-court"
epreuve = "E6"
title = { fr = "Essai de bout en bout" }
grid = "bloc3"

[[phases]]
id = "expose"
label = { fr = "Exposé éclair" }
duration_s = 3
warnings_s = [1]
auto_end = true

[[phases]]
id = "entretien"
label = { fr = "Entretien éclair" }
duration_s = 2
warnings_s = [1]
speaker = "commission"
"""


@pytest.fixture
def pane() -> Iterator[Pane]:
    terminal = Pane(f"ndrc-e2e-{os.getpid()}", "kiosk")
    yield terminal
    terminal.kill()


def test_a_short_session_in_tmux_leaves_a_whole_transcript(pane: Pane, tmp_path: Path) -> None:
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    (config / "e2e-court.toml").write_text(EXAM, encoding="utf-8")
    exit_file = tmp_path / "exit-code"
    run = [
        sys.executable,
        *("-m", "ndrc_oral", "run", "e2e-court"),
        *("--candidate", "Ada Lovelace", "--number", "0421"),
        *("--commission", "12", "--member", "M. Martin"),
        *("--config-dir", str(config), "--data-dir", str(data), "--lang", "fr"),
    ]
    # The shell line records the exit code: the program must end cleanly, not be killed.
    # COLUMNS/LINES (pytest's own) would win over the pane's size in the kiosk.
    # Written aside then renamed: the file never exists empty (the redirect
    # creates it before echo writes, and a busy machine can be read in between).
    exit_to = shlex.quote(str(exit_file))
    exit_tmp = shlex.quote(str(exit_file) + ".tmp")
    # A sound player that writes down each chime it is asked to play.
    played = tmp_path / "played"
    player = tmp_path / "player"
    player.write_text(f'#!/bin/sh\necho "$@" >> {shlex.quote(str(played))}\n')
    player.chmod(0o755)
    env = f"NDRC_ORAL_SOUND_PLAYER={shlex.quote(str(player))}"
    pane.start(
        f"unset COLUMNS LINES; {env} {shlex.join(run)}; echo $? > {exit_tmp}; mv {exit_tmp} {exit_to}"
    )
    started = time.monotonic()

    pane.wait_for("Prêt · F2")
    pane.keys("F2")
    pane.wait_for("En cours")
    pane.type("Bonne accroche")
    pane.keys("Enter")
    pane.wait_for("✓ note : enregistré")
    pane.keys("M-3")  # alt+3: S for the highlighted criterion, from the note input
    pane.wait_for(" : S : enregistré")

    pane.wait_for("▶ Entretien éclair")  # the exposé ended by itself, the entretien started
    pane.wait_for("temps dépassé")  # and runs past its planned end
    # At least a second past it: any of +00:01..+00:59 (a loaded machine may skip one).
    deadline = time.monotonic() + STEP_S
    while not re.search(r"\+00:(0[1-9]|[1-5]\d)", pane.capture()):
        assert time.monotonic() < deadline, f"no second of overtime; last screen:\n{pane.screen}"
        time.sleep(0.05)
    pane.keys("F4")  # at or past the end: ends without a question
    pane.wait_for("Toutes les phases sont passées")
    pane.keys("F8")
    pane.wait_for("Note / 20")
    pane.type("14,5")
    pane.keys("F2")
    pane.wait_for("Enregistrer le résultat de Ada Lovelace : 14,5 / 20")  # saving asks first
    pane.wait_for("« Appréciation de la commission » est vide")  # and says what lacks
    pane.keys("Left")  # from "back to the form", where the focus waits, to "save anyway"
    pane.keys("Enter")
    pane.wait_for("Oraux du BTS NDRC")  # saved: the home screen, for the next candidate
    pane.keys("C-q")
    deadline = time.monotonic() + STEP_S
    while not exit_file.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert exit_file.exists(), f"the kiosk did not quit; last screen:\n{pane.screen}"
    assert exit_file.read_text().strip() == "0"
    assert time.monotonic() - started < 300  # no hang; each step has its own deadline

    # Each threshold and each planned end chimed once: the exposé's warning and its
    # automatic end, the entretien's warning and its end (it ran past it).
    chimes = played.read_text().splitlines()
    assert len(chimes) == 4 and all(line.endswith("chime.wav") for line in chimes), chimes

    [transcript] = data.glob("*.toml")
    verify = ndrc("logs", "verify", str(transcript), "--data-dir", str(data))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    export = ndrc("logs", "export", transcript.stem, "--format", "json", "--data-dir", str(data))
    assert export.returncode == 0, export.stderr
    report = json.loads(export.stdout)

    [note] = report["notes"]
    assert note["text"] == "Bonne accroche"
    assert note["phase"] in ("expose", "entretien") and note["offset_s"] >= 0
    assert note["criterion"] == "suivi-referencement"
    assert report["ratings"] == {"suivi-referencement": "S"}
    assert report["result"]["mark"] == 14.5
    assert report["finished"] is True
    expose, entretien = report["phases"]
    assert expose["state"] == "done" and not expose["early"]
    assert expose["elapsed_s"] == pytest.approx(3, abs=0.01)  # ended by itself, on time
    assert entretien["overtime_s"] >= 1 and report["overtime_s"] >= 1
    assert report["candidate"] == {"name": "Ada Lovelace", "number": "0421"}


LONG_EXAM = """\
id = "e2e-long"
epreuve = "E6"
title = { fr = "Essai de bout en bout, une phase longue" }
grid = "bloc3"

[[phases]]
id = "expose"
label = { fr = "Exposé long" }
duration_s = 600
warnings_s = [60]
"""


def test_a_note_survives_tab_round_trips_and_dialogs_and_a_pause_starts_at_its_key(
    pane: Pane, tmp_path: Path
) -> None:
    """Issue 10 in the real program: a half-typed note is kept across Tab round trips to
    the grid and two dialogs, typed with the Ctrl twins of F2, F3 and F5; the pause is on
    disk, dated between the key press and the moment it is read, while its question is
    still open (it starts at the key, not at the answer)."""
    from datetime import datetime

    from ndrc_oral.transcript.reader import read_transcript

    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    (config / "e2e-long.toml").write_text(LONG_EXAM, encoding="utf-8")
    run = [
        sys.executable,
        *("-m", "ndrc_oral", "run", "e2e-long"),
        *("--candidate", "Ada Lovelace", "--number", "0421"),
        *("--commission", "12", "--member", "M. Martin"),
        *("--config-dir", str(config), "--data-dir", str(data), "--lang", "fr"),
    ]
    pane.start(f"unset COLUMNS LINES; NDRC_ORAL_SOUND_PLAYER=true {shlex.join(run)}", 120, 40)
    pane.wait_for("^s Démarrer")  # the footer names F2's Ctrl twin
    pane.keys("C-s")
    pane.wait_for("En cours")
    pane.type("Très")
    pane.wait_for("Très")
    pane.keys("Tab", "Tab")  # to the grid and back: nothing selected, nothing replaced
    pane.type(" bon")
    pane.wait_for("Très bon")
    pane.keys("C-l")  # F5's twin: the extension's dialog, left unanswered
    pane.wait_for("Prolonger « Exposé long »")
    pane.keys("Escape")  # alone: an Escape and the next key at once read as Alt+key
    pane.wait_gone("Prolonger « Exposé long »")
    pane.wait_for("Très bon")
    [transcript] = data.glob("*.toml")
    pressed = datetime.now().astimezone()
    pane.keys("C-p")  # F3's twin: the pause
    pane.wait_for("Motif de la pause")
    paused = [e for e in read_transcript(transcript).events if e.kind == "paused"]
    read_at = datetime.now().astimezone()
    assert len(paused) == 1, "the pause is saved before its question is answered"
    at = datetime.fromisoformat(paused[0].at)
    assert pressed <= at <= read_at, (pressed, at, read_at)
    pane.keys("Enter")  # the reason proposed
    pane.wait_gone("Motif de la pause")
    pane.wait_for("⏸")
    pane.keys("C-p")  # resumed
    pane.wait_for("En cours")
    pane.type(" début")
    pane.keys("Enter")
    pane.wait_for("✓ note : enregistré")
    events = read_transcript(transcript).events
    [note] = [e for e in events if e.kind == "note"]
    assert note.data["text"] == "Très bon début"
    kinds = [e.kind for e in events]
    assert kinds.index("paused") < kinds.index("pause_reason") < kinds.index("resumed")
    pane.keys("C-q")
    pane.wait_for("Quitter")  # a live session: asked first
