"""The data directory: session ids, file names, listing, finding a session, heartbeats.

``ndrc-oral logs show|verify|export TARGET`` and the resume take a path, a
session id or a unique prefix of one: which is which decides the file a user
gets, and a wrong guess shows another candidate's session.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from datetime import datetime
from pathlib import Path

import pytest

from ndrc_oral.i18n import t
from ndrc_oral.transcript.cache import database_path
from ndrc_oral.transcript.directory import SUFFIX, Store, new_session_id
from ndrc_oral.transcript.reader import TranscriptError
from ndrc_oral.transcript.writer import SaveError

WALL = datetime(2026, 6, 2, 8, 0, 5).astimezone()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files(root: Path, *names: str) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = [root / name for name in names]
    for path in paths:
        path.write_text("")
    return paths


def error_of(call: object, *args: str) -> str:
    assert callable(call)
    with pytest.raises(TranscriptError) as caught:
        call(*args)
    return str(caught.value)


def test_a_session_id_is_the_time_and_a_random_suffix() -> None:
    ids = {new_session_id(WALL) for _ in range(20)}
    assert len(ids) == 20  # the suffix tells apart sessions of the same second
    for session_id in ids:
        assert re.fullmatch(r"20260602-080005-[0-9a-f]{6}", session_id)


def test_path_for_takes_ids_only(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.path_for("20260602-080005-abcdef") == tmp_path / "20260602-080005-abcdef.toml"
    for bad in ("", "../etc/passwd", "a/b", ".hidden", ".."):
        assert error_of(store.path_for, bad) == t("store.not_id", id=bad)


def test_ensure_makes_a_private_directory(tmp_path: Path) -> None:
    root = tmp_path / "a" / "b"
    Store(root).ensure()
    assert root.is_dir() and mode(root) == 0o700
    assert mode(root.parent) == 0o700  # every directory made, not only the last
    assert not Store(root).readable_by_others
    Store(root).ensure()
    assert mode(root) == 0o700
    # Issue 13: an existing directory keeps its mode (the program was pointed at it);
    # the caller warns instead.
    root.chmod(0o750)
    Store(root).ensure()
    assert mode(root) == 0o750
    assert Store(root).readable_by_others
    root.chmod(0o1777)
    Store(root).ensure()
    assert mode(root) == 0o1777


def test_ensure_says_why_it_cannot(tmp_path: Path) -> None:
    root = tmp_path / "taken"
    root.write_text("a file where the directory should be")
    with pytest.raises(SaveError) as caught:
        Store(root).ensure()
    assert caught.value.errno == errno.EEXIST
    assert str(caught.value) == t("store.data_dir", path=root, why=os.strerror(errno.EEXIST))


def test_paths_lists_transcripts_only_oldest_first(tmp_path: Path) -> None:
    b, a = files(tmp_path, "20260602-090000-bbbbbb.toml", "20260602-080000-aaaaaa.toml")
    files(tmp_path, ".20260602-100000-cccccc.toml.new", ".hidden.toml", "notes.txt")
    (tmp_path / "folder.toml").mkdir()
    store = Store(tmp_path)
    store.heartbeat("20260602-080000-aaaaaa", 1.0, WALL)
    assert store.paths() == [a, b]
    assert Store(tmp_path / "missing").paths() == []
    not_a_dir = tmp_path / "notes.txt"
    assert error_of(Store(not_a_dir).paths) == t(
        "store.read_dir", path=not_a_dir, why=os.strerror(errno.ENOTDIR)
    )


@pytest.fixture
def sessions(tmp_path: Path) -> Store:
    files(
        tmp_path / "data",
        "20260602-080000-aaaaaa.toml",
        "20260602-080000-aaaaaa-2.toml",  # same second, same suffix: the counter
        "20260603-140000-bbbbbb.toml",
    )
    return Store(tmp_path / "data")


def test_resolve_an_id_exactly_before_any_prefix(sessions: Store) -> None:
    root = sessions.root
    assert sessions.resolve("20260602-080000-aaaaaa") == root / "20260602-080000-aaaaaa.toml"
    assert sessions.resolve("20260602-080000-aaaaaa-2") == root / "20260602-080000-aaaaaa-2.toml"


def test_resolve_a_unique_prefix(sessions: Store) -> None:
    assert sessions.resolve("20260603") == sessions.root / "20260603-140000-bbbbbb.toml"
    assert sessions.resolve("20260602-080000-aaaaaa-") == (
        sessions.root / "20260602-080000-aaaaaa-2.toml"
    )


def test_an_ambiguous_prefix_names_the_sessions(sessions: Store) -> None:
    assert error_of(sessions.resolve, "20260602") == t(
        "store.ambiguous",
        id="20260602",
        count=2,
        ids="20260602-080000-aaaaaa-2, 20260602-080000-aaaaaa",  # in file-name order
    )


def test_an_ambiguous_prefix_names_five_sessions_at_most(tmp_path: Path) -> None:
    names = [f"20260602-08000{i}-aaaaaa" for i in range(7)]
    files(tmp_path, *(f"{n}{SUFFIX}" for n in names))
    store = Store(tmp_path)
    assert error_of(store.resolve, "2026") == t(
        "store.ambiguous", id="2026", count=7, ids=", ".join(names[:5]) + " ..."
    )
    (tmp_path / f"{names[6]}{SUFFIX}").unlink()
    assert error_of(store.resolve, "2026") == t(
        "store.ambiguous", id="2026", count=6, ids=", ".join(names[:5]) + " ..."
    )
    (tmp_path / f"{names[5]}{SUFFIX}").unlink()
    assert error_of(store.resolve, "2026") == t(
        "store.ambiguous", id="2026", count=5, ids=", ".join(names[:5])
    )


def test_no_such_session(sessions: Store) -> None:
    assert error_of(sessions.resolve, "2025") == t(
        "store.no_session", id="2025", path=sessions.root
    )


def test_resolve_a_path_given_as_such(
    sessions: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = files(tmp_path / "usb", "copie.toml", "sans-suffixe")
    assert sessions.resolve(str(elsewhere[0])) == elsewhere[0]
    assert sessions.resolve(str(elsewhere[1])) == elsewhere[1]  # a separator: a path
    monkeypatch.chdir(tmp_path / "usb")
    assert sessions.resolve("copie.toml") == Path("copie.toml")  # the suffix: a path
    for missing in ("absent.toml", str(tmp_path / "usb" / "absent")):
        assert error_of(sessions.resolve, missing) == t("store.no_file", path=missing)


def test_an_id_is_never_taken_for_a_file_of_the_current_directory(
    sessions: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    files(here, "20260603-140000-bbbbbb", "20260603")
    monkeypatch.chdir(here)
    assert sessions.resolve("20260603-140000-bbbbbb") == (
        sessions.root / "20260603-140000-bbbbbb.toml"
    )
    assert sessions.resolve("20260603") == sessions.root / "20260603-140000-bbbbbb.toml"


def test_heartbeats(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    store.ensure()
    store.heartbeat("s1", 12.3456, WALL)
    assert store.last_seen("s1") == (12.3456, WALL)
    assert list((tmp_path / "data").iterdir()) == []  # never in the data directory
    assert database_path(store.root).exists()
    store.heartbeat("s1", 20.0, WALL)  # replaced
    assert store.last_seen("s1") == (20.0, WALL)
    assert store.last_seen("s2") is None
    store.forget_heartbeat("s1")
    assert store.last_seen("s1") is None
    store.forget_heartbeat("s1")  # already gone: nothing to do


def test_a_heartbeat_an_older_version_left_in_the_data_directory_is_read(tmp_path: Path) -> None:
    # Versions before 0.2 wrote DATA_DIR/.live/<id>: a session they left interrupted
    # still resumes with its heartbeat; nothing is written there any more.
    store = Store(tmp_path / "data")
    beat = tmp_path / "data" / ".live" / "s1"
    beat.parent.mkdir(parents=True)
    beat.write_text(f"12.346 {WALL.isoformat()}\n")
    assert store.last_seen("s1") == (12.346, WALL)
    store.heartbeat("s1", 30.0, WALL)
    assert store.last_seen("s1") == (30.0, WALL)  # the new one first
    assert beat.read_text() == f"12.346 {WALL.isoformat()}\n"  # untouched
    store.forget_heartbeat("s1")
    assert beat.exists()
    assert store.last_seen("s1") == (12.346, WALL)
    beat.write_text("garbage\n")
    assert store.last_seen("s1") is None


def test_a_heartbeat_without_a_usable_cache_is_lost_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("NDRC_ORAL_CACHE_DIR", str(blocker))
    store = Store(tmp_path / "data")
    store.heartbeat("s1", 1.0, WALL)  # best effort: no error
    assert store.last_seen("s1") is None


def test_an_id_too_long_for_the_system_is_one_error(sessions: Store) -> None:
    target = "x" * 300
    with pytest.raises(TranscriptError) as caught:
        sessions.resolve(target)
    assert str(caught.value) == t("store.unreadable", path=target, why=t("store.os.name_too_long"))
