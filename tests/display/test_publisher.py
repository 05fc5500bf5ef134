"""The kiosk's side: a record at every change and at least every second while a session is open."""

from __future__ import annotations

import threading
from pathlib import Path

from sessions import who

from ndrc_oral.display.channel import Channel
from ndrc_oral.display.publisher import BEAT_S, Publisher
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session


def setup(tmp_path: Path, catalog: Catalog, clock: FakeClock) -> tuple[Session, Publisher, Channel]:
    exam = catalog.get("e6-ccf-a")
    s = Session.create(exam, clock, lambda e: None, session_id="s1", identity=who())
    channel = Channel(tmp_path / "ch")
    return s, Publisher(channel, clock), channel


def beat_of(channel: Channel) -> int:
    record = channel.read("s1")
    assert record is not None
    return record.beat


def test_a_change_is_written_at_once_the_same_face_once_a_second(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    s, publisher, channel = setup(tmp_path, catalog, clock)
    s.start()
    publisher.show("s1", s.snapshot(), s.exam)
    clock.advance(0.3)
    publisher.show("s1", s.snapshot(), s.exam)  # counting as foreseen: nothing new to say
    assert beat_of(channel) == 0
    s.pause("x")
    publisher.show("s1", s.snapshot(), s.exam)  # a change: written now
    record = channel.read("s1")
    assert record is not None and record.status == "paused" and record.beat == 1
    clock.advance(BEAT_S)
    publisher.show("s1", s.snapshot(), s.exam)
    assert beat_of(channel) == 2


def test_the_beat_goes_on_between_phases(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    s, publisher, channel = setup(tmp_path, catalog, clock)
    publisher.show("s1", s.snapshot(), s.exam)  # ready: nothing moves, the screen sleeps
    for k in range(1, 4):
        clock.advance(BEAT_S)
        publisher.beat()  # the app's once-a-second call
        record = channel.read("s1")
        assert record is not None and record.beat == k and record.mono == clock.monotonic()
    publisher.beat()  # no time passed: no write
    assert beat_of(channel) == 3


def test_a_cue_is_counted_and_stamped(tmp_path: Path, catalog: Catalog, clock: FakeClock) -> None:
    s, publisher, channel = setup(tmp_path, catalog, clock)
    s.start()
    publisher.show("s1", s.snapshot(), s.exam)
    clock.advance(480)
    publisher.cue("s1")
    record = channel.read("s1")
    assert record is not None and (record.cue, record.cue_mono) == (1, clock.monotonic())
    assert record.remaining_s is not None and abs(record.remaining_s - 120) < 0.01
    publisher.show("s1", s.snapshot(), s.exam)  # the next reading keeps the cue
    assert (publisher.latest() or record).cue == 1


def test_readers_in_other_threads_wait_for_a_write(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    s, publisher, _ = setup(tmp_path, catalog, clock)
    version = publisher.version
    seen: list[int] = []
    reader = threading.Thread(target=lambda: seen.append(publisher.wait(version, timeout=30)))
    reader.start()
    reader.join(timeout=0.2)
    assert reader.is_alive()  # nothing written yet: it waits (or has not even begun)
    publisher.show("s1", s.snapshot(), s.exam)
    reader.join(timeout=30)
    assert seen and seen[0] != version
    assert publisher.wait(publisher.version, timeout=0.01) == publisher.version  # no write: timeout
