"""An interrupted session's time used is its time at the last heartbeat (issue 10).

A kiosk killed 47 s into a phase has written the phase's start and, every
second, a heartbeat; ``logs list``, ``logs show``, the JSON and the review all
say 00:47, not the 00:00 of the last event.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from sessions import who

from ndrc_oral.cli import main
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Store, new_session
from ndrc_oral.transcript.cache import database_path
from ndrc_oral.transcript.index import list_sessions
from ndrc_oral.transcript.recorder import load_session
from ndrc_oral.transcript.report import build_report
from ndrc_oral.transcript.summary import summarize


def _killed_after(store: Store, exam: Exam, clock: FakeClock, seconds: float) -> Path:
    """A session whose exposé ran ``seconds`` with a heartbeat each second, then a kill."""
    live = new_session(store, exam, clock, who("Ada Lovelace"))
    live.session.start()
    for _ in range(int(seconds)):
        clock.advance(1)
        live.heartbeat()
    live.writer.close()  # no close(), no finish: the process died
    return live.path


def test_the_summary_and_the_report_count_to_the_heartbeat(
    store: Store, catalog: Catalog, fake_clock: FakeClock
) -> None:
    path = _killed_after(store, catalog.get("e6-ccf-a"), fake_clock, 47)
    assert summarize(path).time_used_s == 47
    report = build_report(load_session(path))
    assert report.time_used_s == 47
    assert [p.elapsed_s for p in report.phases] == [47, 0]


def test_logs_list_and_show_say_47_seconds(
    store: Store, catalog: Catalog, fake_clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _killed_after(store, catalog.get("e6-ccf-a"), fake_clock, 47)
    assert main(["logs", "list", "--data-dir", str(store.root)]) == 0
    assert "00:47" in capsys.readouterr().out
    assert main(["logs", "list", "--json", "--data-dir", str(store.root)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["time_used_s"] == 47
    assert main(["logs", "show", str(path)]) == 0
    assert "**00:47**" in capsys.readouterr().out


def test_the_listing_cache_follows_a_later_heartbeat(
    store: Store, catalog: Catalog, fake_clock: FakeClock
) -> None:
    path = _killed_after(store, catalog.get("e6-ccf-a"), fake_clock, 5)
    # The file and its heartbeats a minute old: the listing caches the summary.
    old = time.time_ns() - 60_000_000_000
    os.utime(path, ns=(old, old))
    with sqlite3.connect(database_path(store.root)) as db:
        db.execute("UPDATE heartbeats SET at_ns = ?", (old,))
    assert list_sessions(store.root).sessions[0].time_used_s == 5
    assert list_sessions(store.root).reread == 0
    # The file is unchanged, its heartbeat moved on (an older listing, the kiosk still up).
    store.heartbeat(path.stem, 30, fake_clock.wall())
    listing = list_sessions(store.root)
    assert listing.reread == 1
    assert listing.sessions[0].time_used_s == 30


def test_a_finished_session_ignores_a_stale_heartbeat(
    store: Store, catalog: Catalog, fake_clock: FakeClock
) -> None:
    live = new_session(store, catalog.get("e6-ccf-a"), fake_clock, who("Ada Lovelace"))
    live.session.start()
    fake_clock.advance(10)
    live.session.finish()
    live.writer.close()
    store.heartbeat(live.session_id, 500.0, fake_clock.wall())  # left by a crash, say
    assert summarize(live.path).time_used_s == 10
