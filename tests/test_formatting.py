"""One rounding rule for every time on screen and in every export (``ndrc_oral.formatting``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from test_logs_support import shipped

from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Store, load_session, new_session
from ndrc_oral.transcript.export_csv import results_table
from ndrc_oral.transcript.export_md import session_markdown
from ndrc_oral.transcript.report import build_report, tr
from ndrc_oral.transcript.summary import summarize_loaded
from ndrc_oral.tui.screens.session_detail import notes_in_order
from ndrc_oral.tui.widgets.notes import note_head


def _note_at(store: Store, offset_s: float) -> Path:
    """A session of e6-ccf-a with one note ``offset_s`` into the exposé: its path."""
    exam = shipped("e6-ccf-a")
    clock = FakeClock(wall=datetime(2026, 6, 2, 8, 0, 0).astimezone())
    live = new_session(store, exam, clock, candidate="Ada", number="1", fsync=False)
    live.session.start()
    clock.advance(offset_s)
    live.session.note("reformule bien la question")
    live.close()
    return live.path


def test_a_note_reads_the_same_live_in_review_and_in_exports(store: Store) -> None:
    path = _note_at(store, 10.6)
    loaded = load_session(path)
    (note,) = loaded.state.notes
    live = note_head(note, loaded.exam)
    review = notes_in_order(build_report(loaded)).plain
    markdown = session_markdown(loaded, "fr")
    assert "+00:10" in live  # the kiosk: 10.6 s is in the 10th second
    assert "+00:10" in review and "+00:11" not in review
    assert "+00:10" in markdown and "+00:11" not in markdown


def test_the_csv_counts_whole_seconds_like_the_screens(store: Store) -> None:
    path = _note_at(store, 10.6)
    loaded = load_session(path)
    header, row = results_table([(summarize_loaded(loaded), loaded)], "fr")
    assert row[header.index(tr("fr", "logs.csv.time_used_s"))] == "10"  # not 11
