"""SIGKILL while sessions are being created: no file is ever left without its session.

A transcript file holding only its header (or nothing) is what a kill between
the file's creation and its first event used to leave; every listing then
showed a damaged session that never existed. The child creates sessions in a
loop (real fsync), the parent kills it at random moments.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest
from sessions import who

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import SystemClock
from ndrc_oral.transcript import Integrity, Store, new_session, read_transcript
from ndrc_oral.transcript.index import list_sessions

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform != "linux", reason="needs fork and SIGKILL"
)


def test_a_kill_during_creation_leaves_no_sessionless_file(
    tmp_path: Path, catalog: Catalog
) -> None:
    exam = catalog.get("e6-ccf-a")
    root = tmp_path / "data"
    rng = random.Random(11)
    for _ in range(12):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                store = Store(root)
                while True:
                    new_session(store, exam, SystemClock(), who("Ada")).close()
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.005, 0.08))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    files = list(root.glob("*.toml"))
    assert len(files) >= 12
    for path in files:
        transcript = read_transcript(path)
        assert transcript.integrity is Integrity.INTACT, transcript.problems
        assert transcript.created is not None
    assert not any(s.damaged for s in list_sessions(root).sessions)
