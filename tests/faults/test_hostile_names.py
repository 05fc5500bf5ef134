"""Candidate names that try to escape: paths, control characters, escape sequences, markup, emoji.

Entered in the home screen (pasted, as a terminal delivers them) and given to
``ndrc-oral run --candidate``, each name must be:

* stored safely: read back from the transcript exactly as entered; the file
  is named after the session id, never after the name (no ``/``, no ``..``);
* shown safely: nothing the screen paints (run screen, result form, home
  screen's list of interrupted sessions, review list and detail) holds a
  control character, so no escape sequence reaches the terminal; markup
  such as ``[red]`` is shown as typed, never interpreted; the same for what
  ``ndrc-oral logs list|show|verify`` print;
* refused with one clear message when longer than the 200 characters a name
  may have (10,000 here), with nothing created.

A last check runs the real program in tmux and reads the raw bytes it sent to
the terminal.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sessions import who
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Select
from tui.conftest import kiosk

from ndrc_oral.cli import main
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, read_transcript
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import ButtonsDialog, ConfirmDialog
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.result import ResultScreen
from ndrc_oral.tui.screens.run import RunScreen

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What may never reach the terminal from a name (tab and newline aside)."""
SESSION_FILE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}(-\d+)?\.toml$")

NAMES = {
    "path": "../../etc/passwd",
    "slashes": "Zoé/..\\Ŋguyen/.",
    "dots": "..",
    "controls": "Zoé\x00\x07\x08 \x7f fin",
    "ansi": "\x1b[2J\x1b[31mRouge\x1b[0m \x1b]0;pwned\x07 \x1b]2;titre\x1b\\ Lovelace",
    "c1": "Ada \x9b31m \x9d0;x\x9c C1",
    "markup": "[red]Rouge[/red] [b]gras[/b] [@click=app.quit]clic[/]",
    "long": "N" * 10_000,
    "emoji": "Zoë 👩🏽‍🎓 漢字 \u202egauche\u202c Ŋ",
}
SHORT = {k: v for k, v in NAMES.items() if len(v) <= 200}


def painted(app: App[Any]) -> str:
    """Every character the current screen sends to the terminal (its rendered lines)."""
    update = app.screen._compositor.render_update(full=True)
    strips = getattr(update, "strips", [])
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_safe(app: App[Any], where: str) -> str:
    text = painted(app)
    found = CONTROL.search(text)
    assert found is None, (where, repr(text[max(0, found.start() - 20) : found.end() + 20]))
    return text


async def enter_name(pilot: Pilot[None], home: HomeScreen, name: str) -> str:
    """Paste ``name`` into the candidate field (a terminal pastes one line); what it holds."""
    home.query_one("#exam", Select).value = "e6-ccf-a"
    field = home.query_one("#candidate", Input)
    field.value = ""
    field.focus()
    field.post_message(events.Paste(name))
    await pilot.pause()
    return field.value


async def test_names_typed_in_the_home_screen_are_stored_and_shown_safely(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    stored: dict[str, str] = {}
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        for key, name in NAMES.items():
            home = app.screen
            assert isinstance(home, HomeScreen)
            entered = await enter_name(pilot, home, name)
            assert entered == name
            await pilot.press("f2")
            if key == "long":
                assert app.screen is home
                errors = str(home.query_one("#home-errors").render())
                assert "200" in errors and errors.count("\n") == 0
                assert_safe(app, "home")
                continue
            run = app.screen
            assert isinstance(run, RunScreen), key
            stored[run.desk.session_id] = entered
            text = assert_safe(app, f"run {key}")
            if key == "markup":
                assert "[red]Rouge[/red]" in text  # shown as typed
            if key not in ("ansi", "markup"):
                # Left unfinished (the kiosk's own "session over, next candidate"):
                # the home screen lists it as interrupted, below.
                app.session_done(run.desk)
                await pilot.pause()
                continue
            await pilot.press("f8")
            assert isinstance(app.screen, ButtonsDialog)
            await pilot.press("left", "enter")
            assert isinstance(app.screen, ResultScreen)
            assert_safe(app, f"result {key}")
            await pilot.press("1", "2", "f2")
            assert isinstance(app.screen, ConfirmDialog)  # saving asks first
            assert_safe(app, f"saving {key}")
            await pilot.click("#yes")
            assert isinstance(app.screen, HomeScreen), key

    files = sorted(p.name for p in store.root.glob("*.toml"))
    assert len(files) == len(SHORT) and all(SESSION_FILE.match(f) for f in files), files
    for session_id, name in stored.items():
        transcript = read_transcript(store.path_for(session_id))
        assert transcript.integrity is Integrity.INTACT
        assert transcript.events[0].data["candidate"]["name"] == name

    again = kiosk(catalog, store, clock)
    async with again.run_test(size=(120, 40)) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        listed = assert_safe(again, "home, interrupted sessions")
        assert "Zoë" in listed and "../../etc/passwd" in listed
        await pilot.press("f5")
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert "[red]Rouge[/red]" in assert_safe(again, "review list")
        await pilot.press("enter")
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert_safe(again, "review detail")


@pytest.fixture
def headless_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """``KioskApp.run`` headless: the screen painted once the session is open, then quit."""
    screens: list[str] = []

    def run(self: KioskApp, **_: Any) -> None:
        async def look(pilot: Pilot[None]) -> None:
            await pilot.pause()
            screens.append(painted(self))
            self.exit()

        App.run(self, headless=True, size=(120, 40), auto_pilot=look)

    monkeypatch.setattr(KioskApp, "run", run)
    monkeypatch.setattr("ndrc_oral.commands.kiosk.need_terminal", lambda: None)  # captured
    return screens


@pytest.mark.parametrize("key", [k for k in NAMES if k != "controls"])
def test_names_given_to_run_candidate(
    key: str,
    tmp_path: Path,
    headless_run: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = NAMES[key]  # (an argument cannot hold a NUL: no "controls" here)
    data = tmp_path / "data"
    code = main(["run", "e6-ccf-a", "--candidate", name, "--data-dir", str(data)])
    err = capsys.readouterr().err
    if key == "long":
        assert code == 1 and err.count("\n") == 1 and "200" in err
        assert not list(data.glob("*.toml"))
        return
    assert code == 0, err
    (screen,) = headless_run
    assert not CONTROL.search(screen), repr(screen)
    (path,) = data.glob("*.toml")
    assert SESSION_FILE.match(path.name)
    assert read_transcript(path).events[0].data["candidate"]["name"] == name


def test_what_logs_prints_about_these_names_cannot_drive_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ndrc_oral.exams.loader import load_catalog
    from ndrc_oral.transcript.recorder import new_session

    store = Store(tmp_path / "data")
    exam = load_catalog().get("e6-ccf-a")
    ids = {}
    for key, name in SHORT.items():
        live = new_session(store, exam, FakeClock(), who(name, number=name[:20]))
        live.session.start()
        live.session.note(f"note de {name}")
        live.close()
        ids[key] = live.session_id
    root = ["--data-dir", str(store.root)]
    outputs = []
    assert main(["logs", "list", *root]) == 0
    outputs.append(capsys.readouterr().out)
    for session_id in ids.values():
        assert main(["logs", "show", session_id, *root]) == 0
        outputs.append(capsys.readouterr().out)
        assert main(["logs", "verify", session_id, *root]) == 0
        outputs.append(capsys.readouterr().out)
    for out in outputs:
        found = CONTROL.search(out)
        assert found is None, repr(out[max(0, found.start() - 30) : found.end() + 30])
    assert main(["logs", "list", "--json", *root]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(row["candidate_name"] for row in listed) == sorted(SHORT.values())


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_the_real_program_sends_none_of_the_names_escapes_to_the_terminal(tmp_path: Path) -> None:
    name = "Zoé \x1b]2;pwned\x1b\\ \x1b[31mrouge\x1b[0m \x9b32m [b]gras[/b]"
    # The interpreter running the tests has the package: no guess at where a venv lies.
    exe = f"{shlex.quote(sys.executable)} -m ndrc_oral"
    script = tmp_path / "run.sh"
    script.write_text(
        f"exec {exe} run e6-ccf-a --data-dir {shlex.quote(str(tmp_path / 'data'))} "
        f"--candidate {shlex.quote(name)}\n"
    )
    raw = tmp_path / "terminal.raw"
    tmux = ["tmux", "-L", f"ndrc-faults-{time.monotonic_ns()}"]
    subprocess.run([*tmux, "new-session", "-d", "-s", "t", "-x", "120", "-y", "40"], check=True)
    try:
        subprocess.run([*tmux, "pipe-pane", "-o", "-t", "t", f"cat > {raw}"], check=True)
        subprocess.run([*tmux, "send-keys", "-t", "t", f"sh {script}", "Enter"], check=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True
            ).stdout
            if "gras" in screen and "Exposé" in screen:
                break
            time.sleep(0.1)
        title = subprocess.run(
            [*tmux, "display-message", "-p", "-t", "t", "#{pane_title}"],
            capture_output=True,
            text=True,
        ).stdout
        subprocess.run([*tmux, "send-keys", "-t", "t", "C-q"], check=True)
        time.sleep(0.3)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
    assert "[b]gras[/b]" in screen  # shown as typed
    assert "pwned" not in title  # the OSC never reached the terminal
    sent = raw.read_bytes()
    assert b"Zo\xc3\xa9" in sent
    for escape in (b"\x1b]2;pwned", b"\x1b[31mrouge", "\x9b32m".encode()):
        assert escape not in sent
