"""Where the kiosk leaves its records (the cache, never the data directory), and which one a display follows."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sessions import who

from ndrc_oral.display.channel import STALE_AFTER_S, Channel, channel_dir
from ndrc_oral.display.publisher import Publisher
from ndrc_oral.display.record import LOST_AFTER_S
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.paths import cache_dir, data_dir
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session


def session(catalog: Catalog, clock: FakeClock, sid: str) -> Session:
    exam = catalog.get("e6-ccf-a")
    return Session.create(exam, clock, lambda e: None, session_id=sid, identity=who())


def test_records_live_in_the_cache_one_directory_per_data_directory(tmp_path: Path) -> None:
    here = channel_dir(data_dir())
    assert here.is_relative_to(cache_dir()) and not here.is_relative_to(data_dir())
    assert channel_dir(tmp_path / "a") != channel_dir(tmp_path / "b")
    assert channel_dir(tmp_path / "a") == channel_dir(tmp_path / "x" / ".." / "a")


def test_a_write_is_whole_and_leaves_no_temporary_file(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    channel = Channel(tmp_path / "ch")
    publisher = Publisher(channel, clock)
    s = session(catalog, clock, "20260602-080000-aaaaaa")
    s.start()
    for _ in range(5):
        clock.advance(1)
        publisher.show(s.session_id, s.snapshot(), s.exam)
    assert sorted(p.name for p in channel.directory.iterdir()) == [f"{s.session_id}.json"]
    record = channel.read(s.session_id)
    assert record is not None and record.beat == 4 and record.mono == clock.monotonic()  # 0 first
    publisher.close(s.session_id)
    assert list(channel.directory.iterdir()) == []


def test_a_record_is_its_owner_s_whatever_the_umask(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    # Issue 13: everything the program writes is 0600, in directories it makes 0700.
    channel = Channel(tmp_path / "cache" / "ch")
    s = session(catalog, clock, "20260602-080000-aaaaaa")
    old = os.umask(0)  # the most permissive: the modes must not come from it
    try:
        Publisher(channel, clock).show(s.session_id, s.snapshot(), s.exam)
    finally:
        os.umask(old)
    assert stat.S_IMODE(channel.path_for(s.session_id).stat().st_mode) == 0o600
    assert stat.S_IMODE(channel.directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(channel.directory.parent.stat().st_mode) == 0o700


def test_the_newest_live_session_is_followed_then_the_next_one(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    channel = Channel(tmp_path / "ch")
    publisher = Publisher(channel, clock)
    older = session(catalog, clock, "20260602-080000-aaaaaa")
    publisher.show(older.session_id, older.snapshot(), older.exam)
    pick = channel.pick(None, clock.monotonic(), lost_after=LOST_AFTER_S)
    assert pick is not None and pick.session == older.session_id
    newer = session(catalog, clock, "20260602-083000-bbbbbb")
    publisher.show(newer.session_id, newer.snapshot(), newer.exam)
    pick = channel.pick(None, clock.monotonic(), lost_after=LOST_AFTER_S)
    assert pick is not None and pick.session == newer.session_id
    # Asked by id: that one, whatever else is live.
    asked = channel.pick(older.session_id, clock.monotonic(), lost_after=LOST_AFTER_S)
    assert asked is not None and asked.session == older.session_id
    # The newer one's kiosk stopped (its beat is old), the older one beats on: the live one.
    clock.advance(LOST_AFTER_S + 1)
    publisher.show(older.session_id, older.snapshot(), older.exam)
    pick = channel.pick(None, clock.monotonic(), lost_after=LOST_AFTER_S)
    assert pick is not None and pick.session == older.session_id


def test_nothing_live_the_newest_record_is_shown_lost(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    channel = Channel(tmp_path / "ch")
    assert channel.pick(None, clock.monotonic(), lost_after=LOST_AFTER_S) is None
    publisher = Publisher(channel, clock)
    s = session(catalog, clock, "20260602-080000-aaaaaa")
    publisher.show(s.session_id, s.snapshot(), s.exam)
    clock.advance(60)
    pick = channel.pick(None, clock.monotonic(), lost_after=LOST_AFTER_S)
    assert pick is not None and pick.session == s.session_id


def test_unreadable_files_are_skipped_and_old_crash_leftovers_pruned(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    channel = Channel(tmp_path / "ch")
    publisher = Publisher(channel, clock)
    s = session(catalog, clock, "20260602-080000-aaaaaa")
    publisher.show(s.session_id, s.snapshot(), s.exam)
    (channel.directory / "20990101-000000-zzzzzz.json").write_text("{half", encoding="utf-8")
    assert [r.session for r in channel.records()] == [s.session_id]
    old = channel.path_for(s.session_id)
    os.utime(old, (1, 1))
    channel.prune()
    assert not old.exists()
    assert (channel.directory / "20990101-000000-zzzzzz.json").exists()  # recent: kept
    assert STALE_AFTER_S >= 3600


def test_a_failing_cache_never_stops_the_kiosk(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    channel = Channel(blocker / "ch")  # a directory that cannot be made
    publisher = Publisher(channel, clock)
    s = session(catalog, clock, "20260602-080000-aaaaaa")
    publisher.show(s.session_id, s.snapshot(), s.exam)  # no exception
    assert publisher.latest() is not None
