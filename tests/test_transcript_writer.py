"""The writer where a failure meets it: what the user is told, where the next event goes,
and that a long day of sessions leaks no file descriptor.

(The fsync, size and mode promises are another issue's tests.)
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ndrc_oral.errors import describe_os_error
from ndrc_oral.i18n import t
from ndrc_oral.session import Event
from ndrc_oral.transcript.reader import Integrity, read_transcript
from ndrc_oral.transcript.writer import SaveError, TranscriptWriter

AT = "2026-06-02T08:00:00.000+02:00"


def events(count: int) -> list[Event]:
    created = Event(0, "created", 0.0, AT, {"id": "s", "candidate": {"name": "Ada"}})
    notes = [Event(i, "note", float(i), AT, {"text": f"note {i}"}) for i in range(1, count)]
    return [created, *notes]


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize(
    ("code", "key"),
    [
        (errno.ENOSPC, "store.os.full"),
        (errno.EROFS, "store.os.readonly"),
        (errno.EACCES, "store.os.denied"),
        (errno.EPERM, "store.os.denied"),
        (errno.ENOENT, "store.os.gone"),
    ],
)
def test_what_the_user_is_told_of_a_system_error(code: int, key: str) -> None:
    assert describe_os_error(OSError(code, os.strerror(code))) == t(key)


def test_other_system_errors_are_told_in_the_systems_words() -> None:
    assert describe_os_error(OSError(errno.EIO, "Input/output error")) == "Input/output error"
    assert describe_os_error(OSError("no errno, no strerror")) == "no errno, no strerror"


def test_a_save_error_says_where_and_why(tmp_path: Path) -> None:
    path = tmp_path / "gone" / "s.toml"  # its directory does not exist
    with pytest.raises(SaveError) as caught:
        TranscriptWriter(path, fsync=False).append(events(1)[0])
    assert str(caught.value) == t("store.save_failed", path=path, why=t("store.os.gone"))
    assert caught.value.errno == errno.ENOENT


def test_a_file_gone_before_the_writer_took_it(tmp_path: Path) -> None:
    # A resumed session's writer takes a file that exists; one gone is not made anew.
    path = tmp_path / "s.toml"
    with pytest.raises(SaveError) as caught:
        TranscriptWriter.take(path, fsync=False)
    assert str(caught.value) == t("store.save_failed", path=path, why=t("store.os.gone"))
    assert not path.exists()  # no file made of the later events alone


def test_after_a_failure_the_next_event_goes_to_the_file_now_there(tmp_path: Path) -> None:
    # The key was pulled out and put back with the file on it: the writer must
    # not keep writing into the file it had open before (gone from the disk).
    path = tmp_path / "s.toml"
    writer = TranscriptWriter(path, fsync=False)
    first, second, third = events(3)
    writer.append(first)
    writer.append(second)
    kept = path.read_bytes()
    path.unlink()
    with pytest.raises(SaveError):
        writer.append(third)
    path.write_bytes(kept)
    writer.append(third)
    writer.close()
    transcript = read_transcript(path)
    assert (transcript.integrity, transcript.events) == (Integrity.INTACT, [first, second, third])


def test_a_short_write_is_a_full_disk_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.toml"
    real = os.write

    def half(fd: int, data: bytes) -> int:
        return real(fd, bytes(data)[: len(data) // 2])

    monkeypatch.setattr(os, "write", half)
    with pytest.raises(SaveError) as caught:
        TranscriptWriter(path, fsync=False).append(events(1)[0])
    assert caught.value.errno == errno.ENOSPC
    assert str(caught.value) == t("store.save_failed", path=path, why=t("store.os.full"))
    assert list(tmp_path.iterdir()) == []


def test_a_creation_never_replaces_a_file_that_appeared_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another kiosk on a synchronised directory makes the same file while this
    # one writes its hidden copy: the other session's file stays as it was.
    path = tmp_path / "s.toml"
    real = os.write

    def write_while_another_creates(fd: int, data: bytes) -> int:
        path.write_text("l'autre session\n")
        return real(fd, data)

    monkeypatch.setattr(os, "write", write_while_another_creates)
    with pytest.raises(SaveError) as caught:
        TranscriptWriter(path, fsync=False).append(events(1)[0])
    monkeypatch.undo()
    assert caught.value.errno == errno.EEXIST
    assert path.read_text() == "l'autre session\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]  # no hidden copy left


def test_a_day_of_sessions_leaks_no_descriptor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = open_descriptors()
    for day in range(20):
        writer = TranscriptWriter(tmp_path / f"s{day}.toml")  # real fsync: the directory too
        for event in events(3):
            writer.append(event)
        writer.close()
        writer.close()  # closing twice is harmless
    assert open_descriptors() == before

    def fail(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    for day in range(5):  # creations that fail
        with pytest.raises(SaveError):
            TranscriptWriter(tmp_path / f"failed{day}.toml").append(events(1)[0])
    assert open_descriptors() == before
