"""Two kiosks on one session, in two real terminals (tmux): one writer per transcript.

Kiosk A runs a session; kiosk B, started on the same data directory, finds it
among the interrupted sessions and tries to resume it. B must refuse, saying
which machine and process hold it and since when, and open nothing; A keeps
saving and the chain stays intact. Once A is killed with SIGKILL, the
operating system releases its lock and B can resume the session.

Nothing waits a fixed delay: each step polls the screen (``Pane.wait_for``);
the kill waits for the process to be gone.
"""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .tmux import STEP_S, Pane, ndrc, needs_tmux

pytestmark = needs_tmux

EXAM = """\
id = "e2e-long"
epreuve = "E6"
title = { fr = "Essai à deux kiosques" }
grid = "bloc3"

[[phases]]
id = "expose"
label = { fr = "Exposé long" }
duration_s = 3600
"""


@pytest.fixture
def panes() -> Iterator[tuple[Pane, Pane]]:
    socket_name = f"ndrc-two-{os.getpid()}"
    first, second = Pane(socket_name, "kiosque-a"), Pane(socket_name, "kiosque-b")
    yield first, second
    first.kill()  # one server for both


def command(config: Path, data: Path, *args: str) -> str:
    # `exec`: the pane's process is the kiosk itself, whose pid the refusal names.
    # COLUMNS/LINES (pytest's own) would win over the pane's size in the kiosk.
    line = [sys.executable, "-m", "ndrc_oral", *args]
    line += ["--config-dir", str(config), "--data-dir", str(data), "--lang", "fr"]
    return f"unset COLUMNS LINES; exec {shlex.join(line)}"


def gone(pid: int) -> bool:
    """Whether ``pid`` has ended (a zombie not yet reaped by tmux has ended too)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def lock_free(path: Path) -> bool:
    """Whether no process holds ``path``'s lock (taken and let go at once)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def flat(screen: str) -> str:
    """The screen's words in one line (a message wraps; the side panel's rule between)."""
    return " ".join(screen.replace("▏", " ").split())


def save_note(pane: Pane, text: str) -> None:
    pane.type(text)
    pane.keys("Enter")
    pane.wait_for(text)  # in the list of saved notes, shown only once fsynced
    pane.wait_for("✓ note : enregistré")


def test_a_second_kiosk_refuses_a_session_held_by_the_first(
    panes: tuple[Pane, Pane], tmp_path: Path
) -> None:
    first, second = panes
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    (config / "e2e-long.toml").write_text(EXAM, encoding="utf-8")

    first.start(command(config, data, "run", "e2e-long", "--candidate", "Ada Lovelace"), 110, 32)
    first.wait_for("Prêt · F2")
    first.keys("F2")
    first.wait_for("En cours")
    save_note(first, "première note de A")
    holder = first.pid()
    [transcript] = data.glob("*.toml")

    second.start(command(config, data), 110, 32)
    second.wait_for("Ada Lovelace")  # among the interrupted sessions
    second.keys("F4")
    second.keys("Enter")
    second.wait_for("déjà ouverte")
    refusal = flat(second.wait_for("rien n'est ouvert ici"))
    assert f"sur la machine {socket.gethostname()} (processus {holder}) depuis le" in refusal
    assert "ÉPREUVE ·" not in second.capture()  # nothing opened: still the home screen

    save_note(first, "deuxième note de A")  # the first kiosk goes on saving
    verify = ndrc("logs", "verify", str(transcript), "--data-dir", str(data))
    assert verify.returncode == 0, verify.stdout + verify.stderr

    os.kill(holder, signal.SIGKILL)
    deadline = time.monotonic() + STEP_S
    while not (gone(holder) and lock_free(transcript)):
        assert time.monotonic() < deadline, "the killed kiosk's lock was never released"
        time.sleep(0.02)

    second.keys("F4")
    second.keys("Enter")
    second.wait_for("ÉPREUVE · Ada Lovelace")  # the system released the lock with the process
    second.wait_for("deuxième note de A")
    second.keys("F3")  # the resumed phase waits for its key
    second.wait_for("En cours")
    save_note(second, "note de B après la reprise")
    second.keys("C-q")

    verify = ndrc("logs", "verify", str(transcript), "--data-dir", str(data))
    assert verify.returncode == 0, verify.stdout + verify.stderr
    export = ndrc("logs", "export", transcript.stem, "--format", "json", "--data-dir", str(data))
    notes = [n["text"] for n in json.loads(export.stdout)["notes"]]
    assert notes == ["première note de A", "deuxième note de A", "note de B après la reprise"]
