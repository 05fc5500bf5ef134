"""Generated bad exam definitions through ``ndrc-oral check-config``: one clear message each.

``tests/test_exams_fuzz.py`` proves the loader (350 examples); this file goes
through the command a centre runs, on broken copies of the six shipped
definitions (see ``bad_definitions.py``): 200 examples here, 1,000 with
``pytest -m slow``, and the real executable once on a batch of files.

What a user must get for a bad file: exit 1, nothing on stdout, and on stderr
one message that starts with ``ndrc-oral : erreur :`` and the file's path
(further lines, indented, add the other problems of the same file); never a
traceback. A change may leave a file valid (a label replaced by another
text): then ``OK`` and exit 0.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ndrc_oral.cli import main

from .bad_definitions import broken_definition

Capture = pytest.CaptureFixture[str]
PREFIX = "ndrc-oral : erreur : "
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
MAX_LINES = 10
"""The loader names at most 8 problems of a file, then says how many more."""


def check_one(path: Path, code: int, out: str, err: str) -> bool:
    """Assert the output is one clear message (or OK); True when the file was bad."""
    assert "Traceback" not in out and "Traceback" not in err
    if code == 0:
        assert err == "" and out.count("\n") == 1 and str(path) in out and "OK" in out
        return False
    assert code == 1 and out == "", (code, out)
    lines = err.rstrip("\n").split("\n")
    assert lines[0].startswith(PREFIX) and str(path) in lines[0], err
    assert all(line.startswith("  ") for line in lines[1:]), err
    assert len(lines) <= MAX_LINES, err
    # Clear also means printable: nothing in a file can drive the terminal.
    assert not CONTROL.search(err.replace("\n", "")), repr(err)
    return True


FUZZ = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def _check(tmp_path: Path, capsys: Capture, raw: bytes, bad: list[int]) -> None:
    path = tmp_path / "centre.toml"
    path.write_bytes(raw)
    code = main(["check-config", str(path)])
    out, err = capsys.readouterr()
    bad.append(check_one(path, code, out, err))


def test_200_bad_definitions_each_get_one_clear_message(tmp_path: Path, capsys: Capture) -> None:
    bad: list[int] = []

    @settings(FUZZ, max_examples=200)
    @given(raw=broken_definition())
    def fuzz(raw: bytes) -> None:
        _check(tmp_path, capsys, raw, bad)

    fuzz()
    assert sum(bad) >= 150  # most of them are bad, not just relabelled


@pytest.mark.slow
def test_1000_bad_definitions_each_get_one_clear_message(tmp_path: Path, capsys: Capture) -> None:
    bad: list[int] = []

    @settings(FUZZ, max_examples=1000)
    @given(raw=broken_definition())
    def fuzz(raw: bytes) -> None:
        _check(tmp_path, capsys, raw, bad)

    fuzz()
    with capsys.disabled():
        print(f"\n{len(bad)} generated definitions: {sum(bad)} bad, each one clear message")
    assert len(bad) == 1000 and sum(bad) >= 750


def test_the_real_command_on_a_batch_of_bad_files(tmp_path: Path) -> None:
    files: list[Path] = []

    @settings(FUZZ, max_examples=1)
    @given(batch=st.lists(broken_definition(), min_size=40, max_size=40))
    def write(batch: list[bytes]) -> None:
        for i, raw in enumerate(batch):
            path = tmp_path / f"def-{i:02d}.toml"
            path.write_bytes(raw)
            files.append(path)

    write()
    done = subprocess.run(
        [sys.executable, "-m", "ndrc_oral", "check-config", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr
    messages = [block for block in done.stderr.split(PREFIX) if block]
    oks = done.stdout.splitlines()
    # Every file is answered once: OK on stdout, or one message on stderr.
    assert len(messages) + len(oks) == len(files)
    for path in files:
        named = [m for m in messages if m.startswith(f"{path} ")]
        assert len(named) + sum(1 for line in oks if f"{path} " in line) == 1, path
    assert done.returncode == (1 if messages else 0)
