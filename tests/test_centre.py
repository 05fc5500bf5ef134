"""What a data directory carried by Syncthing needs: transcripts only, leftovers ignored,
the machine of each session recorded (issue 14)."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sessions import who

from ndrc_oral.cli import main
from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.settings import load_settings
from ndrc_oral.transcript import Store, new_session
from ndrc_oral.transcript.cache import SessionCache, database_path
from ndrc_oral.transcript.index import list_sessions
from ndrc_oral.transcript.summary import summarize

V1 = Path(__file__).parent / "fixtures" / "transcripts" / "v1"
Capture = pytest.CaptureFixture[str]


def finished(store: Store, exam: Exam, name: str = "Ada") -> Path:
    live = new_session(store, exam, FakeClock(), who(name, commission="12"))
    live.session.finish()
    live.close()
    return live.path


def test_syncthing_conflict_copies_and_temporaries_are_never_sessions(
    store: Store, demo_exam: Exam, capsys: Capture
) -> None:
    path = finished(store, demo_exam)
    conflict = path.with_name(f"{path.stem}.sync-conflict-20270602-101010-ABCDEFG.toml")
    conflict.write_bytes(path.read_bytes())
    temporaries = [
        store.root / f".syncthing.{path.name}.tmp",
        store.root / f"~syncthing~{path.name}.tmp",
    ]
    for tmp in temporaries:
        tmp.write_bytes(b"half")
    listing = list_sessions(store.root)
    assert [s.path for s in listing.sessions] == [str(path)]
    assert set(listing.ignored) == {conflict.name, *(t.name for t in temporaries)}
    assert store.paths() == [path]
    assert store.resolve(path.stem[:15]) == path  # a prefix is not made ambiguous by the copy
    assert main(["logs", "list", "--data-dir", str(store.root)]) == 0
    out, err = capsys.readouterr()
    assert "1 session(s)." in out and conflict.name not in out
    assert err.count("ignoré(s)") == 1 and conflict.name in err and "Syncthing" in err


def test_the_data_directory_holds_transcripts_only(store: Store, demo_exam: Exam) -> None:
    live = new_session(store, demo_exam, FakeClock(), who("Ada"))
    live.session.start()
    live.heartbeat()
    list_sessions(store.root)
    assert store.last_seen(live.session_id) is not None
    assert [p.name for p in store.root.iterdir()] == [live.path.name]
    live.close()


def test_deleting_the_cache_loses_no_session_and_no_heartbeat_is_needed(
    store: Store, demo_exam: Exam
) -> None:
    paths = [finished(store, demo_exam, n) for n in ("Ada", "Bob")]
    before = list_sessions(store.root).sessions
    cache = database_path(store.root)
    for part in cache.parent.glob(cache.name + "*"):
        part.unlink()
    assert list_sessions(store.root).sessions == before
    assert {s.path for s in before} == {str(p) for p in paths}


def test_several_writers_update_the_cache_at_once(store: Store, demo_exam: Exam) -> None:
    # Kiosks and a review on one machine: WAL and a busy timeout, no "database is locked".
    for i in range(6):
        finished(store, demo_exam, f"Candidat {i}")
    cache = SessionCache(store.root)
    errors: list[BaseException] = []

    def beat(n: int) -> None:
        try:
            for k in range(30):
                cache.beat(f"s{n}", float(k), "2027-06-02T08:00:00+02:00")
            list_sessions(store.root, use_cache=True)
        except BaseException as exc:  # pragma: no cover - what the test looks for
            errors.append(exc)

    threads = [threading.Thread(target=beat, args=(n,)) for n in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert [cache.last_beat(f"s{n}") for n in range(4)] == [(29.0, "2027-06-02T08:00:00+02:00")] * 4
    with sqlite3.connect(cache.path) as db:
        assert db.execute("SELECT count(*) FROM summaries").fetchone() == (6,)


def test_a_stale_creation_copy_is_removed_at_start_a_live_or_fresh_one_stays(
    store: Store,
) -> None:
    store.ensure()
    stale = store.root / ".20270602-080000-aaaaaa.toml.new"
    fresh = store.root / ".20270602-080000-bbbbbb.toml.new"
    held = store.root / ".20270602-080000-cccccc.toml.new"
    for p in (stale, fresh, held):
        p.write_bytes(b"# ndrc-oral transcript")
    old = time.time() - 120
    os.utime(stale, (old, old))
    os.utime(held, (old, old))
    fd = os.open(held, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a creation under way holds it
        assert store.remove_stale_creations() == [stale]
    finally:
        os.close(fd)
    assert not stale.exists() and fresh.exists() and held.exists()


def test_the_kiosk_removes_stale_creation_copies_when_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ndrc_oral.commands import kiosk

    root = tmp_path / "data"
    root.mkdir(mode=0o700)
    stale = root / ".20270602-080000-aaaaaa.toml.new"
    stale.write_bytes(b"x")
    os.utime(stale, (time.time() - 120,) * 2)
    args = type("Args", (), {"config_dir": None, "data_dir": str(root)})()
    kiosk._context(args)  # type: ignore[arg-type]
    assert not stale.exists()


def test_the_machine_is_recorded_and_listed(
    tmp_path: Path, demo_exam: Exam, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    settings = tmp_path / "settings.toml"
    monkeypatch.setenv("NDRC_ORAL_SETTINGS", str(settings))
    assert load_settings().machine_name() == socket.gethostname()  # the default
    settings.write_text('machine = "salle-12"\n', encoding="utf-8")
    assert load_settings().machine_name() == "salle-12"
    store = Store(tmp_path / "data", machine=load_settings().machine_name())
    path = finished(store, demo_exam)
    assert 'machine = "salle-12"' in path.read_text(encoding="utf-8")
    assert summarize(path).machine == "salle-12"
    old = store.root / "20260602-080000-v1v1v1.toml"
    old.write_bytes((V1 / "e6-ccf-a-mark.toml").read_bytes())
    assert summarize(old).machine == ""  # made before it was recorded: unknown
    assert main(["logs", "list", "--data-dir", str(store.root)]) == 0
    out = capsys.readouterr().out
    assert "POSTE" in out and "salle-12" in out and " ? " in out
    assert main(["logs", "show", "--data-dir", str(store.root), path.stem]) == 0
    assert "salle-12" in capsys.readouterr().out


def test_a_machine_that_is_not_a_text_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ndrc_oral.errors import NdrcError

    settings = tmp_path / "settings.toml"
    settings.write_text("machine = 12\n", encoding="utf-8")
    monkeypatch.setenv("NDRC_ORAL_SETTINGS", str(settings))
    with pytest.raises(NdrcError, match="machine"):
        load_settings()


def test_a_cache_made_by_another_version_is_made_again_not_trusted(
    store: Store, demo_exam: Exam
) -> None:
    # Version 4 changed what a summary's times mean (the oral's only): a version-3 cache
    # still holding the old figures must not be listed. Its rows are dropped and read again.
    path = finished(store, demo_exam)
    hour_ago = time.time() - 3600
    os.utime(path, (hour_ago, hour_ago))  # old enough for its cached row to be trusted
    [right] = list_sessions(store.root).sessions
    db = sqlite3.connect(database_path(store.root))
    stale = right.to_dict() | {"time_used_s": right.time_used_s + 2400.0}
    with db:
        db.execute("UPDATE summaries SET data = ?", (json.dumps(stale),))
        db.execute("PRAGMA user_version = 3")
    db.close()
    [listed] = list_sessions(store.root).sessions
    assert listed.time_used_s == right.time_used_s == summarize(path).time_used_s


def test_an_upgrade_from_before_the_cache_removes_its_old_index(
    tmp_path: Path, capsys: Capture
) -> None:
    # The data directory as 8fe3706 left it: its listing's summaries (names, marks) in
    # .index.json, which a sync carried to every machine; heartbeats in .live/ (still read).
    from ndrc_oral.commands import kiosk

    root = tmp_path / "data"
    shutil.copytree(Path(__file__).parent / "fixtures" / "datadirs" / "8fe3706", root)
    sessions = sorted(p.name for p in root.glob("*.toml"))
    assert (root / ".index.json").is_file()
    args = type("Args", (), {"config_dir": None, "data_dir": str(root)})()
    kiosk._context(args)  # type: ignore[arg-type]
    assert sorted(p.name for p in root.iterdir()) == [".live", *sessions]
    assert main(["logs", "list", "--data-dir", str(root)]) == 0
    listed = capsys.readouterr().out
    assert "Zoé Œuvre" in listed and "Bob Martin" in listed and "interrompue" in listed
    for name in sessions:
        assert main(["logs", "verify", "--data-dir", str(root), name.removesuffix(".toml")]) == 0


def test_only_an_index_that_version_wrote_is_removed(store: Store) -> None:
    store.ensure()
    mine = store.root / ".index.json"
    mine.write_text('{"mine": true}')  # someone else's file of that name: it stays
    assert not store.remove_old_index() and mine.exists()
    mine.write_text('{"format":"ndrc-oral session index 5","entries":{}}')
    assert store.remove_old_index() and not mine.exists()


def test_a_screen_command_reads_the_settings_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ndrc_oral.commands import kiosk, options
    from ndrc_oral.session.clock import SystemClock

    reads: list[int] = []
    real = options.load_settings
    monkeypatch.setattr(options, "load_settings", lambda: reads.append(1) or real())
    root = tmp_path / "data"
    root.mkdir(mode=0o700)
    args = type("Args", (), {"config_dir": None, "data_dir": str(root), "web": None})()
    context = kiosk._context(args)  # type: ignore[arg-type]
    kiosk.Outputs(args, context.store, SystemClock(), context.settings)  # type: ignore[arg-type]
    assert reads == [1]  # twice before: the machine's name, then the screen's settings
