"""SIGKILL while sessions are being created: no file is ever left without its session.

A transcript file holding only its header (or nothing) is what a kill between
the file's creation and its first event used to leave; every listing then
showed a damaged session that never existed.

The child creates sessions in a loop (real fsync) and tells the parent, through
a pipe, when it starts and finishes each one: the parent kills it on that
signal, never after a guessed delay, so a loaded machine changes nothing.

* Stepped kills: the child stops just before its k-th system call inside a
  creation and says so; the parent kills it there. Every gap between two calls
  of a creation gets its kill.
* Free kills: the child runs on; once it has finished one session and begun
  the next, the parent kills it at a random moment of that creation.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sessions import who

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import SystemClock
from ndrc_oral.transcript import Integrity, Store, new_session, read_transcript
from ndrc_oral.transcript.index import list_sessions

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform != "linux", reason="needs fork and SIGKILL"
)

BEGIN, DONE, STOPPED = b"b", b"d", b"s"
"""What the child writes to the pipe: a creation begins, one is done, it stopped at its step."""
CALLS = ("open", "fchmod", "write", "fsync", "rename", "close", "unlink", "mkdir", "stat")
"""The ``os`` functions a creation goes through: the child counts its steps in them."""
PATIENCE_S = 60.0
"""How long the parent waits for the child's next word (only a broken child takes it)."""


def _stop_at(step: int, out: int, write: Callable[[int, bytes], int]) -> None:
    """Make the child stop before its ``step``-th call of ``CALLS`` (counted from now)."""
    count = 0

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            count += 1
            if count == step:
                write(out, STOPPED)
                _wait_for_the_kill()
            return original(*args, **kwargs)

        return counted

    for name in CALLS:
        setattr(os, name, wrap(getattr(os, name)))


def _wait_for_the_kill() -> NoReturn:  # pragma: no cover - the child
    while True:
        signal.pause()


def _child(root: Path, exam: Exam, out: int, step: int | None) -> NoReturn:  # pragma: no cover
    write = os.write  # taken before any wrapping: the reports are not steps
    try:
        store = Store(root)
        # A first whole session, so that every round leaves one.
        write(out, BEGIN)
        new_session(store, exam, SystemClock(), who("Ada")).close()
        write(out, DONE)
        if step is not None:
            # One more creation, stopped at its step (or whole, a step past its end).
            _stop_at(step, out, write)
            write(out, BEGIN)
            new_session(store, exam, SystemClock(), who("Ada")).close()
            write(out, DONE)
            _wait_for_the_kill()
        while True:
            write(out, BEGIN)
            new_session(store, exam, SystemClock(), who("Ada")).close()
            write(out, DONE)
    finally:
        os._exit(0)


def _read_until(fd: int, wanted: Callable[[bytes], bool]) -> bytes:
    """What the child said until ``wanted`` holds of it."""
    said = b""
    deadline = time.monotonic() + PATIENCE_S
    while not wanted(said):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, f"the child said nothing more after {said!r}"
        chunk = os.read(fd, 64)
        assert chunk, f"the child ended after {said!r}"
        said += chunk
    return said


def _round(root: Path, exam: Exam, step: int | None, rng: random.Random) -> bytes:
    """Fork a creating child, kill it on its signal, return all it said."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        _child(root, exam, write_end, step)
    os.close(write_end)
    try:
        if step is None:
            # One session done and the next begun: it is creating now.
            said = _read_until(read_end, lambda s: DONE + BEGIN in s)
            time.sleep(rng.uniform(0.0, 0.01))
        else:
            # Stopped at its step, or (a step past the end) through its creation.
            said = _read_until(read_end, lambda s: STOPPED in s or s.count(DONE) >= 2)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        return said + _rest(read_end)
    finally:
        os.close(read_end)


def _rest(fd: int) -> bytes:
    said = b""
    while chunk := os.read(fd, 64):
        said += chunk
    return said


def test_a_kill_during_creation_leaves_no_sessionless_file(
    tmp_path: Path, catalog: Catalog
) -> None:
    exam = catalog.get("e6-ccf-a")
    root = tmp_path / "data"
    rng = random.Random(11)
    stopped_at: list[int] = []
    rounds = 0
    for step in range(1, 40):
        said = _round(root, exam, step, rng)
        rounds += 1
        if STOPPED not in said:
            break  # past the last call of a creation: every gap had its kill
        stopped_at.append(step)
    for _ in range(8):
        _round(root, exam, None, rng)
        rounds += 1
    # A creation takes several calls (hidden file, write, fsync, rename, the
    # directory's fsync): a kill was made before each of them.
    assert len(stopped_at) >= 6, stopped_at
    files = list(root.glob("*.toml"))
    assert len(files) >= rounds
    for path in files:
        transcript = read_transcript(path)
        assert transcript.integrity is Integrity.INTACT, transcript.problems
        assert transcript.created is not None
    listing = list_sessions(root).sessions
    assert len(listing) == len(files)
    assert not any(s.damaged for s in listing)
