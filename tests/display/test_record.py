"""The display's record: timing only, by construction; what a display paints from it, at any moment."""

from __future__ import annotations

import dataclasses

import pytest
from sessions import who

from ndrc_oral.display.record import (
    FIELDS,
    FLASH_S,
    LOST_AFTER_S,
    DisplayRecord,
    face,
    next_change_in,
    parse_record,
    record_of,
)
from ndrc_oral.exam_room.view import candidate_view
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session


def session(catalog: Catalog, clock: FakeClock) -> Session:
    exam = catalog.get("e6-ccf-a")  # exposé 600 s, warnings at 120 and 30
    return Session.create(
        exam, clock, lambda e: None, session_id="s1", identity=who("Ada Lovelace")
    )


def test_the_record_has_timing_fields_only() -> None:
    # A new field here is a decision: it must be timing, never who or what was said.
    assert FIELDS == (
        "session",
        "status",
        "phase",
        "speaker",
        "remaining_s",
        "mono",
        "warnings_s",
        "beat",
        "cue",
        "cue_mono",
        "format",
    )
    types = {f.name: str(f.type) for f in dataclasses.fields(DisplayRecord)}
    assert all("Identity" not in t and "Note" not in t and "dict" not in t for t in types.values())


def test_a_record_of_a_session_with_notes_and_ratings_holds_none_of_them(
    catalog: Catalog, clock: FakeClock
) -> None:
    s = session(catalog, clock)
    s.start()
    s.note("Confidentiel : hésitant sur les chiffres", criterion="suivi-referencement")
    s.rate("suivi-referencement", "TS")
    s.pause("Malaise de Ada Lovelace")
    record = record_of("s1", s.snapshot(), s.exam, clock.monotonic())
    text = record.to_json()
    for secret in ("Ada", "Lovelace", "Confidentiel", "suivi-referencement", "TS", "Malaise"):
        assert secret not in text
    assert parse_record(text) == record


def test_it_counts_down_by_itself_and_agrees_with_the_kiosk(
    catalog: Catalog, clock: FakeClock
) -> None:
    s = session(catalog, clock)
    s.start()
    clock.advance(0.4)
    record = record_of("s1", s.snapshot(), s.exam, clock.monotonic())
    steps = int(LOST_AFTER_S / 0.25)  # every quarter second until the link counts as lost
    assert steps >= 4
    for step in range(1, steps + 1):
        clock.advance(0.25)  # the kiosk writes nothing more: the display reads its own clock
        shown = face(record, clock.monotonic())
        kiosk = candidate_view(s.snapshot(), s.exam)
        assert not shown.lost, step
        assert (shown.text, shown.tone) == (kiosk.timer.text, kiosk.timer.tone), step
    clock.advance(0.25)  # past it: the display says so, its time stopped where it was
    assert face(record, clock.monotonic()).lost


def test_the_tone_and_marker_change_at_each_threshold_without_a_new_record(
    catalog: Catalog, clock: FakeClock
) -> None:
    s = session(catalog, clock)
    s.start()
    clock.advance(479.5)  # 120.5 s left
    record = record_of("s1", s.snapshot(), s.exam, clock.monotonic())
    assert face(record, clock.monotonic()).tone == "normal"
    shown = face(record, clock.monotonic() + 0.6)
    assert (shown.text, shown.tone, shown.marker) == ("02:00", "warn1", "⚠ moins de 2 min")
    assert next_change_in(record, clock.monotonic()) == pytest.approx(0.5)


def test_overtime_paused_and_no_phase(catalog: Catalog, clock: FakeClock) -> None:
    s = session(catalog, clock)
    s.start()
    clock.advance(605.2)
    record = record_of("s1", s.snapshot(), s.exam, clock.monotonic())
    shown = face(record, clock.monotonic())
    assert (shown.text, shown.tone, shown.marker) == ("+00:05", "over", "⚠ temps dépassé")
    s.pause("x")
    record = record_of("s1", s.snapshot(), s.exam, clock.monotonic())
    later = face(record, clock.monotonic() + 1.5)
    assert (later.text, later.tone, later.marker) == ("+00:05", "paused", "⏸ en pause")
    s.resume()
    s.end_phase()
    s.finish()
    record = record_of("s1", s.snapshot(), s.exam, clock.monotonic())
    assert (face(record, clock.monotonic()).text, record.remaining_s) == ("00:00", None)


def test_lost_after_the_beat_stops_and_the_time_stops_there(
    catalog: Catalog, clock: FakeClock
) -> None:
    s = session(catalog, clock)
    s.start()
    record = record_of("s1", s.snapshot(), s.exam, clock.monotonic())
    assert not face(record, record.mono + LOST_AFTER_S).lost
    gone = face(record, record.mono + LOST_AFTER_S + 0.01)
    later = face(record, record.mono + 60)
    assert gone.lost and gone.text == later.text == "09:58"  # a stopped kiosk counts nothing
    assert LOST_AFTER_S + 0.5 < 3  # read at least every half second: said within 3 s


def test_a_cue_flashes_for_flash_s(catalog: Catalog, clock: FakeClock) -> None:
    s = session(catalog, clock)
    s.start()
    now = clock.monotonic()
    record = record_of("s1", s.snapshot(), s.exam, now, cue=1, cue_mono=now)
    assert FLASH_S >= 1
    assert face(record, now + FLASH_S - 0.01).flash and not face(record, now + FLASH_S).flash


@pytest.mark.parametrize(
    "text",
    ["", "{", "[]", '{"format": "other"}', '{"format": "ndrc-oral/display/1"}'],
)
def test_what_is_not_a_record_is_none(text: str) -> None:
    assert parse_record(text) is None


def test_a_record_with_an_extra_field_is_refused(catalog: Catalog, clock: FakeClock) -> None:
    s = session(catalog, clock)
    record = record_of("s1", s.snapshot(), s.exam, clock.monotonic())
    tampered = record.to_json()[:-1] + ',"candidate":"Ada"}'
    assert parse_record(tampered) is None
