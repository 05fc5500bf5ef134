"""The real executable as a careless or hostile user runs it (issue 13).

Each test is a failure found by running ``python -m ndrc_oral`` from outside:
a traceback, a hang, a device or a directory damaged, a verdict that
disagrees with another, an edit taken for a crash. Each asserts what the user
then reads (one line, the exit code) and that nothing on disk was harmed.
"""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import shutil
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sessions import who
from test_logs_support import Plan, drive, shipped

from ndrc_oral.session import Event, FakeClock
from ndrc_oral.transcript import LiveSession, Store, new_session, read_transcript
from ndrc_oral.transcript.codec import encode

TIMEOUT_S = 60
"""A command that has not ended by then hangs (nothing here takes a second unloaded)."""


def ndrc(*args: str, stdout: int | None = None) -> subprocess.CompletedProcess[str]:
    """The real program (the environment of the test: its own data, config and cache)."""
    return subprocess.run(
        [sys.executable, "-m", "ndrc_oral", *args],
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


def one_line_error(proc: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The one line on stderr of a command that failed with ``code``."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


# --- every error one line, nothing hangs ------------------------------------------------------


@pytest.mark.parametrize("action", [("verify",), ("show",), ("export", "--format", "json")])
def test_an_id_too_long_for_a_file_name_is_one_line(store: Store, action: tuple[str, ...]) -> None:
    drive(store)  # the data directory exists: the system then says the name is too long
    proc = ndrc("logs", action[0], "x" * 300, *action[1:])
    assert "x" * 40 in one_line_error(proc)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "command",
    [("logs", "list"), ("exams",), ("logs", "export", "ID", "--format", "md")],
)
def test_a_full_standard_output_is_one_line(store: Store, command: tuple[str, ...]) -> None:
    live = drive(store)
    args = [live.session_id if a == "ID" else a for a in command]
    with open("/dev/full", "w") as full:
        proc = ndrc(*args, stdout=full.fileno())
    assert "sortie standard" in one_line_error(proc)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_days_export_to_a_full_standard_output_is_one_line(store: Store) -> None:
    # ``day export -o -`` wrote its bytes itself: a traceback on a full disk.
    days = Path(__file__).parent / "fixtures" / "days" / "v1"
    store.ensure()
    for made in days.glob("*.toml"):
        shutil.copy(made, store.root / made.name)
    with open("/dev/full", "w") as full:
        proc = ndrc("day", "export", "--format", "csv", "-o", "-", stdout=full.fileno())
    assert "sortie standard" in one_line_error(proc)


@pytest.mark.parametrize("action", ["verify", "show", "export"])
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path, action: str) -> None:
    fifo = tmp_path / "attente.toml"
    os.mkfifo(fifo)
    extra = ("--format", "json") if action == "export" else ()
    proc = ndrc("logs", action, str(fifo), *extra)  # a hang fails on the timeout
    assert str(fifo) in one_line_error(proc)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this system")
@pytest.mark.parametrize("action", ["verify", "show", "export"])
def test_a_character_device_is_refused_not_read_forever(action: str) -> None:
    extra = ("--format", "json") if action == "export" else ()
    proc = ndrc("logs", action, "/dev/zero", *extra)
    assert "/dev/zero" in one_line_error(proc)


def read_terminal(*args: str) -> bytes:
    """What the program writes when its standard output is a terminal."""
    master, slave = pty.openpty()
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "ndrc_oral", *args],
            stdout=slave,
            stderr=subprocess.PIPE,
        )
        os.close(slave)
        slave = -1
        out = bytearray()
        while True:
            ready, _, _ = select.select([master], [], [], TIMEOUT_S)
            assert ready, "the program wrote nothing for a minute"
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the program closed the terminal
                break
            if not chunk:
                break
            out += chunk
        assert child.wait(timeout=TIMEOUT_S) == 0
        assert child.stderr is not None and child.stderr.read() == b""
        return bytes(out)
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_an_export_to_a_terminal_holds_no_control_character(store: Store, fmt: str) -> None:
    name = "Zoé \x1b]2;piégé\x07\x1b[31mRouge\x9b2J"
    live = drive(store, Plan(candidate=name, notes=[("note \x1b[2J effacée", None)]))
    args = ("logs", "export", live.session_id, "--format", fmt)
    shown = read_terminal(*args).decode("utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", shown), repr(shown)
    assert "Zoé \\u001b" in shown and "piégé" in shown  # written out, as `logs show` does
    # To a file or a pipe, the export keeps the candidate's name as recorded.
    piped = ndrc(*args)
    assert piped.returncode == 0
    assert "\x1b" in piped.stdout and "\\u001b" not in piped.stdout


def definition(exam_id: str, title: str) -> str:
    return (
        f'id = "{exam_id}"\nepreuve = "E6"\ntitle = {{ fr = "{title}" }}\ngrid = "bloc3"\n\n'
        '[[phases]]\nid = "expose"\nlabel = { fr = "Exposé" }\nduration_s = 600\n'
    )


def test_check_config_reports_two_files_with_one_id(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(definition("mon-oral", "A"), encoding="utf-8")
    (tmp_path / "b.toml").write_text(definition("mon-oral", "B"), encoding="utf-8")
    proc = ndrc("check-config", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"))
    line = one_line_error(proc)
    assert "mon-oral" in line and "a.toml" in line and "b.toml" in line
    assert proc.stdout.count(": OK") == 1  # the first one is fine on its own
    # The kiosk refuses the same pair, with the same words.
    kiosk = ndrc("exams", "--config-dir", str(tmp_path))
    assert one_line_error(kiosk) == line


def test_hidden_files_of_the_config_directory_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "oral.toml").write_text(definition("mon-oral", "Mon oral"), encoding="utf-8")
    # An editor's lock link while `oral.toml` is being edited, and a swap copy.
    os.symlink("root@poste.4242:1700000000", tmp_path / ".#oral.toml")
    (tmp_path / ".oral.toml.swp.toml").write_bytes(b"\x00\x01 pas du TOML")
    proc = ndrc("exams", "--config-dir", str(tmp_path))
    assert (proc.returncode, proc.stderr) == (0, "")
    assert "mon-oral" in proc.stdout


# --- outputs that never damage what is there ------------------------------------------------


def export_to(store: Store, target: Path) -> subprocess.CompletedProcess[str]:
    live = drive(store)
    return ndrc("logs", "export", live.session_id, "--format", "json", "-o", str(target))


def test_export_over_a_fifo_is_refused_and_the_fifo_stays(store: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    assert str(fifo) in one_line_error(export_to(store, fifo))
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_export_over_a_symlink_is_refused_and_both_stay(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "cible.json"
    target.write_text("à garder\n")
    link = tmp_path / "lien.json"
    link.symlink_to(target)
    assert str(link) in one_line_error(export_to(store, link))
    assert link.is_symlink() and target.read_text() == "à garder\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_export_over_a_device_is_refused_and_the_device_stays(store: Store, tmp_path: Path) -> None:
    device = tmp_path / "full"  # a node of /dev/full's device, made here
    os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 7))
    assert str(device) in one_line_error(export_to(store, device))
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_export_over_a_regular_file_replaces_it(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "session.json"
    target.write_text("ancien\n")
    proc = export_to(store, target)
    assert proc.returncode == 0 and "remplacé" in proc.stdout
    assert json.loads(target.read_text())["format"].startswith("ndrc-oral/session/")


def test_an_existing_data_directory_keeps_its_mode_with_one_warning(tmp_path: Path) -> None:
    shared = tmp_path / "partage"
    shared.mkdir()
    shared.chmod(0o1777)
    # The data directory is checked before the exam: the run stops at the unknown exam.
    proc = ndrc("run", "inconnue", "--candidate", "Ada", "--data-dir", str(shared))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    warnings = [line for line in proc.stderr.splitlines() if str(shared) in line]
    assert len(warnings) == 1 and "autres" in warnings[0], proc.stderr


def test_a_new_data_directory_is_made_private(tmp_path: Path) -> None:
    new = tmp_path / "neuf" / "données"
    proc = ndrc("run", "inconnue", "--candidate", "Ada", "--data-dir", str(new))
    assert proc.returncode == 1 and str(new) not in proc.stderr  # no warning
    assert stat.S_IMODE(new.stat().st_mode) == 0o700
    assert stat.S_IMODE(new.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize("option", ["--data-dir", "--config-dir"])
def test_an_empty_directory_option_is_refused(option: str) -> None:
    proc = ndrc("logs", "list", option, "")
    assert option in one_line_error(proc, code=2)


# --- one verdict, an edit told from a crash, the fingerprint --------------------------------


def test_a_file_cut_inside_its_first_event_is_damaged_everywhere(store: Store) -> None:
    live = drive(store)
    data = live.path.read_bytes()
    live.path.write_bytes(data[: data.index(b"\n[[event]]\n") + 200])
    verify = ndrc("logs", "verify", live.session_id)
    assert verify.returncode == 1 and "ENDOMMAGÉ" in verify.stdout
    assert "TRONQUÉE" not in verify.stdout
    listed = ndrc("logs", "list")
    row = next(line for line in listed.stdout.splitlines() if live.session_id in line)
    assert "ENDOMMAGÉE" in row


def marked(store: Store) -> LiveSession:
    """A session as the kiosk ends one: finished, then the mark (the last event)."""
    clock = FakeClock(wall=datetime(2026, 6, 2, 8, 0).astimezone())
    live = new_session(store, shipped("e6-ccf-a"), clock, who("Zoé"), fsync=False)
    live.session.start()
    clock.advance(600)
    live.session.finish()
    live.session.set_result(mark=13.5, appreciation="Clair")
    live.close()
    assert read_transcript(live.path).events[-1].kind == "result"
    return live


def test_an_edited_mark_is_damage_not_a_crash(store: Store) -> None:
    live = marked(store)
    text = live.path.read_text(encoding="utf-8")
    assert text.count("mark = 13.5") == 1
    live.path.write_text(text.replace("mark = 13.5", "mark = 18.5"), encoding="utf-8")
    proc = ndrc("logs", "verify", live.session_id)
    assert proc.returncode == 1
    assert "ENDOMMAGÉ" in proc.stdout and "TRONQUÉE" not in proc.stdout


FINGERPRINT = re.compile(r"\b[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}\b")


def printed_fingerprint(pdf: Path) -> tuple[str, int]:
    """The fingerprint and event count a PDF prints (on every page)."""
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages]
    found = {(m[0], int(m[1])) for p in pages for m in re.findall(r"(\S{19}) \((\d+) ", p)}
    codes = {code for code, _ in found if FINGERPRINT.fullmatch(code)}
    assert len(codes) == 1, pages
    assert all(FINGERPRINT.search(p) for p in pages)
    (code,) = codes
    return code, next(n for c, n in found if c == code)


def forge(path: Path, old: str, new: str) -> None:
    """Edit a value and recompute every hash from there: what `verify` alone cannot see."""
    transcript = read_transcript(path)
    header = path.read_text(encoding="utf-8").split("\n[[event]]")[0]
    prev, parts = "", []
    for event in transcript.events:
        data = json.loads(json.dumps(event.data, ensure_ascii=False).replace(old, new))
        payload, prev = encode(Event(event.seq, event.kind, event.t, event.at, data), prev)
        parts.append(payload)
    path.write_bytes(header.encode() + b"".join(parts))


def test_the_fingerprint_on_the_pdf_catches_a_rewrite(store: Store, tmp_path: Path) -> None:
    live = drive(store, Plan(appreciation="Clair et structuré"))
    count = len(read_transcript(live.path).events)
    codes = set()
    for fmt in ("pdf-fiche", "pdf-grille"):
        pdf = tmp_path / f"{fmt}.pdf"
        assert (
            ndrc("logs", "export", live.session_id, "--format", fmt, "-o", str(pdf)).returncode == 0
        )
        code, printed_count = printed_fingerprint(pdf)
        assert printed_count == count
        codes.add(code)
    assert len(codes) == 1
    (code,) = codes
    verify = ndrc("logs", "verify", live.session_id)
    assert verify.returncode == 0
    assert f"empreinte : {code} ({count} événements)" in verify.stdout
    same = ndrc("logs", "verify", live.session_id, "--empreinte", code)
    assert same.returncode == 0, same.stdout

    forge(live.path, "Clair et structuré", "Remarquable")
    assert ndrc("logs", "verify", live.session_id).returncode == 0  # the chain alone: intact
    changed = ndrc("logs", "verify", live.session_id, "--empreinte", code)
    assert changed.returncode == 1
    assert "modifié" in changed.stdout.lower()


def test_a_session_moved_by_f9_lists_as_moved_with_where_to(store: Store, tmp_path: Path) -> None:
    clock = FakeClock(wall=datetime(2026, 6, 2, 8, 0).astimezone())
    live = new_session(store, shipped("e6-ccf-a"), clock, who("Zoé"), fsync=False)
    live.session.start()
    copy = live.redirect(tmp_path / "secours")  # what F9 does when the disk fails
    live.close()
    listed = ndrc("logs", "list")
    row = next(line for line in listed.stdout.splitlines() if live.session_id in line)
    assert f"déplacée → {copy}" in row and "interrompue" not in row
    verify = ndrc("logs", "verify", live.session_id)
    assert str(copy) in verify.stdout
    summary = json.loads(ndrc("logs", "list", "--json").stdout)[0]
    assert (summary["moved_to"], summary["interrupted"]) == (str(copy), False)
