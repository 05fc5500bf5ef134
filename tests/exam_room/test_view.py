"""What the screens show, computed without an app: times, marks, suggestions, the next repaint."""

from __future__ import annotations

import pytest
from sessions import who

from ndrc_oral.exam_room.view import (
    candidate_view,
    hms,
    next_change_in,
    parse_mark,
    parse_minutes,
    timer_view,
)
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session
from ndrc_oral.session.suggestion import suggest_mark


def session(catalog: Catalog, clock: FakeClock) -> Session:
    return Session.create(
        catalog.get("e6-ccf-a"), clock, lambda e: None, session_id="s", identity=who("Ada")
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00"),
        (59, "00:59"),
        (600, "10:00"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (4000, "1:06:40"),
    ],
)
def test_times_read_mm_ss_and_h_mm_ss_above_an_hour(seconds: int, text: str) -> None:
    assert hms(seconds) == text


def test_the_countdown_shows_the_second_under_way_then_overtime(
    catalog: Catalog, clock: FakeClock
) -> None:
    s = session(catalog, clock)
    s.start()
    clock.advance(0.001)
    assert timer_view(s.snapshot()).text == "10:00"
    clock.advance(599.0)
    assert timer_view(s.snapshot()).text == "00:01"
    clock.advance(0.999)
    view = timer_view(s.snapshot())
    assert (view.text, view.tone) == ("+00:00", "over")
    clock.advance(61)
    assert timer_view(s.snapshot()).text == "+01:01"


def test_the_next_repaint_is_due_at_the_next_shown_second(
    catalog: Catalog, clock: FakeClock
) -> None:
    s = session(catalog, clock)
    assert next_change_in(s.snapshot()) is None  # ready: nothing moves
    s.start()
    clock.advance(0.3)
    assert next_change_in(s.snapshot()) == pytest.approx(0.7)
    s.pause("incident")
    assert next_change_in(s.snapshot()) is None


def test_the_candidate_view_holds_timing_only(catalog: Catalog, clock: FakeClock) -> None:
    s = session(catalog, clock)
    s.start()
    s.note("Confidentiel", criterion="suivi-referencement")
    s.rate("suivi-referencement", "TS")
    view = candidate_view(s.snapshot(), s.run)
    assert set(vars(type(view))["__slots__"]) == {"timer", "phase", "speaker", "status", "marker"}
    assert "Confidentiel" not in repr(view) and "TS" not in repr(view)


@pytest.mark.parametrize(
    ("text", "mark"),
    [("14,5", 14.5), ("14.5", 14.5), (" 14 ", 14.0), ("0", 0.0), ("20", 20.0), ("12,5/20", 12.5)],
)
def test_marks_in_either_notation(text: str, mark: float) -> None:
    assert parse_mark(text) == mark


@pytest.mark.parametrize("text", ["", "20,5", "-1", "14,3", "abc", "nan", "inf"])
def test_impossible_marks_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="Note invalide"):
        parse_mark(text)


def test_the_suggestion_averages_the_bands_of_the_rated_criteria() -> None:
    levels = ["TI", "I", "S", "TS"]
    criteria = ["a", "b", "c", "d"]
    assert suggest_mark({}, levels, criteria) is None
    only_s = suggest_mark({"a": "S"}, levels, criteria)
    assert only_s is not None and (only_s.low, only_s.high, only_s.rated) == (10, 15, 1)
    mixed = suggest_mark({"a": "TI", "b": "TS", "c": "S"}, levels, criteria)
    assert mixed is not None and (mixed.low, mixed.high, mixed.rated, mixed.total) == (
        8.5,
        13.5,
        3,
        4,
    )


@pytest.mark.parametrize(("text", "seconds"), [("2", 120), ("1,5", 90), ("1:30", 90), ("0.5", 30)])
def test_extensions_in_minutes(text: str, seconds: float) -> None:
    assert parse_minutes(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-2", "deux", "300"])
def test_bad_extensions_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_minutes(text)


def test_the_candidates_clock_grows_with_the_screen() -> None:
    from ndrc_oral.tui.widgets.bigclock import bitmap, scale_for

    assert len(bitmap("10:00")) == 5
    assert scale_for("10:00", 76, 18) == 2  # 80x24: ten rows of blocks
    assert scale_for("10:00", 116, 34) == 3  # 120x40
    assert scale_for("+1:05:00", 20, 4) == 1  # never smaller than one cell per pixel
