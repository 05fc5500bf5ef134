"""kill -9 at random moments loses nothing the program said was saved.

A child process appends events through ``new_session`` / ``resume_session``
(real fsync) and reports each event's number right after the operation
returns: that is the moment the kiosk would show "saved". The parent kills it
with SIGKILL after a random delay, forty times over the same session, and
checks the transcript after each kill.

The child is a fork of the test process rather than a fresh interpreter: the
import of the program (pydantic...) costs about 0.25 s, forty times over.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sessions import who

from ndrc_oral.exams.models import Exam
from ndrc_oral.session import SessionError, SystemClock
from ndrc_oral.transcript import (
    Integrity,
    LiveSession,
    Store,
    new_session,
    read_transcript,
    resume_session,
)

KILLS = 40

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


def _operate(live: LiveSession, rng: random.Random, report: int) -> None:
    """Drive the session for ever, reporting the last saved seq after each operation."""
    s = live.session
    operations: list[Callable[[], object]] = [
        lambda: s.note(f"note {rng.random()} é 🎓", criterion=rng.choice(["c1", "c2", None])),
        lambda: s.rate(rng.choice(["c1", "c2", "c3"]), rng.choice(["TI", "I", "S", "TS", None])),
        lambda: s.start(),
        lambda: s.pause("incident"),
        lambda: s.resume(),
        lambda: s.end_phase(rng.choice([True, False, None])),
        lambda: s.extend(rng.randint(1, 60), "raison"),
        lambda: s.set_result(mark=rng.randint(0, 40) / 2),
    ]
    while True:
        # A refused operation may still have saved what time alone caused
        # first (a phase past its automatic end, once the session's time has
        # run past it on a slow machine): that is reported too.
        with contextlib.suppress(SessionError):
            rng.choice(operations)()
        os.write(report, f"{s.events[-1].seq}\n".encode())
        live.heartbeat()


def _child(root: Path, exam: Exam, session_id: str | None, report: int, seed: int) -> None:
    try:
        store = Store(root)
        if session_id is None:
            live = new_session(store, exam, SystemClock(), who("Ada Lovelace"))
            os.write(report, f"id {live.session_id}\n".encode())
        else:
            live = resume_session(store, session_id, SystemClock())
        os.write(report, f"{live.session.events[-1].seq}\n".encode())
        _operate(live, random.Random(seed), report)
    except BaseException as exc:
        os.write(report, f"error {exc!r}\n".encode())
    finally:
        os._exit(0)


def _run_and_kill(root: Path, exam: Exam, session_id: str | None, rng: random.Random) -> list[str]:
    """Start a child, kill it at a random moment; the lines it reported."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_end)
        _child(root, exam, session_id, write_end, rng.randrange(2**32))
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reports:
        text = b""
        if session_id is None or rng.random() < 0.5:
            text = reports.readline()  # ready: the kill falls among the operations...
        # ...or else anywhere, even during the resume itself.
        time.sleep(rng.uniform(0.0, 0.04))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        text += reports.read()
    return text.decode().splitlines()


def test_kill_9_at_random_moments_loses_nothing_reported(tmp_path: Path, demo_exam: Exam) -> None:
    rng = random.Random(1402)
    root = tmp_path / "data"
    session_id: str | None = None
    reported_max = -1
    outcomes: dict[Integrity, int] = {}
    for kill in range(KILLS):
        lines = _run_and_kill(root, demo_exam, session_id, rng)
        assert not [line for line in lines if line.startswith("error")], lines
        if session_id is None:
            ids = [line.split()[1] for line in lines if line.startswith("id ")]
            session_id = ids[0] if ids else next(root.glob("*.toml")).stem
        seqs = [int(line) for line in lines if line.isdigit()]
        assert seqs == sorted(seqs)
        reported_max = max([reported_max, *seqs])

        transcript = read_transcript(root / f"{session_id}.toml")
        outcomes[transcript.integrity] = outcomes.get(transcript.integrity, 0) + 1
        assert transcript.integrity in (Integrity.INTACT, Integrity.TORN_TAIL), (
            kill,
            transcript.problems,
        )
        # Everything reported saved is there; at most the operation in flight
        # (two events for an end of phase) was saved without being reported.
        assert len(transcript.events) - 1 >= reported_max, kill
        assert len(transcript.events) - 1 - reported_max <= 2, kill
        assert [e.seq for e in transcript.events] == list(range(len(transcript.events)))

    assert session_id is not None and reported_max > KILLS  # the children did work
    final = resume_session(Store(root), session_id, SystemClock())
    final.session.note("après la dernière reprise")
    final.close()
    transcript = read_transcript(final.path)
    assert transcript.integrity is Integrity.INTACT
    assert transcript.events == final.session.events
    recoveries = [e for e in transcript.events if e.kind == "recovered"]
    assert len(recoveries) >= KILLS // 2
    assert all(e.data["downtime_s"] >= 0 for e in recoveries)
