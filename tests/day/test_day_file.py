"""A day's file as issue 13 holds a transcript: one kiosk at a time, sealed events, format 1 read."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.day import Convocation, DayKind
from ndrc_oral.transcript import codec
from ndrc_oral.transcript.day_log import DAY_HEADER, DAY_HEADER_V1, new_day, open_day, read_day
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, read_transcript
from ndrc_oral.transcript.writer import TranscriptBusy

ROW = Convocation(2, "0421", "DUPRÉ", "Théo", "e4-ponctuel", date(2026, 6, 2), time(8, 0))


def test_a_second_kiosk_cannot_open_a_day_another_holds(tmp_path: Path, clock: FakeClock) -> None:
    store = Store(tmp_path)
    first = new_day(store, clock, "liste.csv", [ROW], fsync=False)
    with pytest.raises(TranscriptBusy) as refused:
        open_day(store, None, clock, fsync=False)
    # Named as a day, by the id the commission sees (day list), not as a session.
    assert str(refused.value).startswith(
        f"La journée {first.day_id} est déjà ouverte sur la machine"
    )
    first.record(DayKind.SIGNED_IN, {"slot": 1})  # the holder goes on
    first.close()
    again = open_day(store, None, clock, fsync=False)  # released: now it opens
    assert [e.kind for e in again.events] == [DayKind.OPENED, DayKind.SIGNED_IN]
    again.close()


def test_a_new_day_is_sealed_and_an_edited_event_is_damage_not_a_tear(
    tmp_path: Path, clock: FakeClock
) -> None:
    log = new_day(Store(tmp_path), clock, "liste.csv", [ROW], fsync=False)
    log.record(DayKind.SIGNED_IN, {"slot": 1})
    log.close()
    text = log.path.read_text()
    assert text.startswith(DAY_HEADER) and text.count(codec.SEAL) == 2
    log.path.write_text(text.replace("slot = 1", "slot = 2"))
    found = read_transcript(log.path, headers={1: DAY_HEADER_V1, 2: DAY_HEADER}, first="day_opened")
    assert found.integrity is Integrity.DAMAGED


def test_a_day_of_format_1_reads_and_goes_on_unsealed(tmp_path: Path) -> None:
    clock = FakeClock()
    store = Store(tmp_path)
    log = new_day(store, clock, "liste.csv", [ROW], fsync=False)
    log.close()
    # The same day as the writer before seals made it: format 1's header, no seal lines.
    events = read_day(log.path).transcript.events
    old = DAY_HEADER_V1.encode()
    prev = codec.GENESIS
    for event in events:
        payload, prev = codec.encode(event, prev, 1)
        old += payload
    log.path.write_bytes(old)
    assert read_day(log.path).transcript.format == 1
    again = open_day(store, None, clock, fsync=False)
    again.record(DayKind.SIGNED_IN, {"slot": 1})
    again.close()
    text = log.path.read_text()
    assert codec.SEAL not in text
    day = read_day(log.path)
    assert day.transcript.integrity is Integrity.INTACT and len(day.transcript.events) == 2
