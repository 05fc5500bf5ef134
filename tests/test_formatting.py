"""One rounding rule for every time on screen and in every export (``ndrc_oral.formatting``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sessions import who
from test_logs_support import shipped

from ndrc_oral import formatting
from ndrc_oral.i18n import tr
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Store, load_session, new_session
from ndrc_oral.transcript.export_csv import results_table
from ndrc_oral.transcript.export_md import session_markdown
from ndrc_oral.transcript.report import build_report
from ndrc_oral.transcript.summary import summarize_loaded
from ndrc_oral.tui.screens.session_detail import notes_in_order
from ndrc_oral.tui.widgets.notes import note_head


def _note_at(store: Store, offset_s: float) -> Path:
    """A session of e6-ccf-a with one note ``offset_s`` into the exposé: its path."""
    exam = shipped("e6-ccf-a")
    clock = FakeClock(wall=datetime(2026, 6, 2, 8, 0, 0).astimezone())
    live = new_session(store, exam, clock, who("Ada", number="1"), fsync=False)
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
    review = "\n".join(text for text, _ in notes_in_order(build_report(loaded)))
    markdown = session_markdown(loaded, "fr")
    assert "+00:10" in live  # the kiosk: 10.6 s is in the 10th second
    assert "+00:10" in review and "+00:11" not in review
    assert "+00:10" in markdown and "+00:11" not in markdown


def test_the_csv_counts_whole_seconds_like_the_screens(store: Store) -> None:
    path = _note_at(store, 10.6)
    loaded = load_session(path)
    header, row = results_table([summarize_loaded(loaded)], "fr")
    assert row[header.index(tr("fr", "logs.csv.time_used_s"))] == "10"  # not 11


def test_measured_spans_are_floored_and_time_left_is_rounded_up() -> None:
    assert formatting.elapsed(10.6) == "00:10"
    assert formatting.offset(10.6) == "+00:10"
    assert formatting.left(599.4) == "10:00"  # the first second of a 10-minute countdown
    assert formatting.left(0.4) == "00:01"  # its last second
    assert formatting.countdown(0.4) == "00:01"
    assert formatting.countdown(0.0) == "+00:00"  # the planned end
    assert formatting.countdown(-65.9) == "+01:05"
    assert formatting.elapsed(599.9999999) == "09:59"  # float noise moves nothing...
    assert formatting.elapsed(599.99999999999) == "10:00"  # ...but 600 is 600
    assert formatting.elapsed(3725.2) == "1:02:05"


def test_an_overtime_shows_from_one_whole_second() -> None:
    assert formatting.overtime(0.9) == "" and not formatting.shows_overtime(0.9)
    assert formatting.overtime(1.0) == "+00:01" and formatting.shows_overtime(1.0)
    assert formatting.overtime(65.7) == "+01:05"


def test_lengths_in_words() -> None:
    assert formatting.minutes_words(600, "fr") == "10 min"
    assert formatting.minutes_words(450, "fr") == "7 min 30 s"
    assert formatting.minutes_words(3900, "en") == "1 h 05"


def test_wall_times_and_dates_from_event_labels() -> None:
    at = "2026-06-02T08:05:12.345+02:00"
    assert formatting.clock_time(at) == "08:05:12"
    assert formatting.day_and_time(at) == "2026-06-02 08:05"
    assert formatting.day_month_time(at) == "02/06 08:05"
    assert formatting.date(at, "fr") == "02/06/2026"
    assert formatting.date(at, "en") == "2026-06-02"
    assert formatting.clock_time("not a time") == "not a time"  # shown as found
    assert formatting.day_and_time("") == ""


def test_marks_in_each_language() -> None:
    assert formatting.mark(14.5, "fr") == "14,5"
    assert formatting.mark(14.5, "en") == "14.5"
    assert formatting.mark(14.0, "fr") == "14"
    assert formatting.mark_out_of(14.5, "fr") == "14,5 / 20"
