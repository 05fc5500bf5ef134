"""The writer where a failure meets it: what the user is told, where the next event goes,
and that a long day of sessions leaks no file descriptor; and its promises, each
pinned by a test that fails when the code stops keeping it (issue 13):

* every ``fsync`` is seen before the ``append`` it backs returns (the file's
  before its rename, the directory's after), also by default and for F9;
* one writer per transcript: the lock is taken before the first byte, held
  until ``close``, released by the system when the process dies; a refused
  writer is told who holds the file;
* the writer cuts no byte it did not write itself (its size bookkeeping),
  never replaces another session's file, and makes its file 0600.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ndrc_oral.errors import describe_os_error
from ndrc_oral.i18n import t
from ndrc_oral.session import Event
from ndrc_oral.transcript import holder
from ndrc_oral.transcript.reader import Integrity, Transcript, read_transcript
from ndrc_oral.transcript.writer import SaveError, TranscriptBusy, TranscriptWriter

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


# --- every fsync before the acknowledgement it backs ----------------------------------------


class Calls:
    """The system calls of interest, in order, with a name for each descriptor."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.log: list[tuple[str, str]] = []
        self.names: dict[int, str] = {}
        real_open, real_close = os.open, os.close

        def open_(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
            fd = real_open(path, flags, mode, **kw)
            self.names[fd] = Path(path).name
            self.log.append(("open", Path(path).name))
            return fd

        def close(fd: int) -> None:
            self.names.pop(fd, None)
            real_close(fd)

        monkeypatch.setattr(os, "open", open_)
        monkeypatch.setattr(os, "close", close)
        for module, name in ((os, "write"), (os, "fsync"), (os, "ftruncate"), (fcntl, "flock")):
            monkeypatch.setattr(module, name, self._on_fd(name, getattr(module, name)))
        monkeypatch.setattr(os, "rename", self._on_paths(os.rename))

    def _on_fd(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(fd: int, *args: Any) -> Any:
            self.log.append((name, self.names.get(fd, "?")))
            return real(fd, *args)

        return call

    def _on_paths(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(src: Any, dst: Any) -> Any:
            self.log.append(("rename", f"{Path(src).name}>{Path(dst).name}"))
            return real(src, dst)

        return call

    def mark(self, what: str) -> None:
        self.log.append(("ack", what))

    def take(self, name: str | None = None) -> list[tuple[str, str]]:
        """The calls so far (those on file ``name`` only, with the marks), then none."""
        log, self.log = self.log, []
        return [c for c in log if name is None or c[1] == name or c[0] == "ack"]


def test_every_fsync_comes_before_the_append_it_backs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = Calls(monkeypatch)
    directory = tmp_path.name
    writer = TranscriptWriter(tmp_path / "s.toml")  # the default: fsync
    first, second = events(2)
    writer.append(first)
    calls.mark("first")
    writer.append(second)
    calls.mark("second")
    writer.close()
    log = calls.take()
    hidden = ".s.toml.new"
    creation = [c for c in log if c[0] != "open" or c[1] in (hidden, directory)]
    ack = creation.index(("ack", "first"))
    assert creation[: ack + 1] == [
        ("open", hidden),
        ("flock", hidden),  # the lock before the first byte
        ("ftruncate", hidden),
        ("write", hidden),
        ("fsync", hidden),  # the data before the name
        ("rename", f"{hidden}>s.toml"),
        ("open", directory),
        ("fsync", directory),  # the name before the acknowledgement
        ("ack", "first"),
    ]
    after = log[log.index(("ack", "first")) + 1 :]
    assert after == [("write", hidden), ("fsync", hidden), ("ack", "second")]  # same fd


def test_without_fsync_only_the_directory_is_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `fsync=False` (tests, benchmarks, rehearsals of the harness) skips the data's.
    calls = Calls(monkeypatch)
    writer = TranscriptWriter(tmp_path / "s.toml", fsync=False)
    for event in events(2):
        writer.append(event)
    writer.close()
    assert [c for c in calls.take() if c[0] == "fsync"] == [("fsync", tmp_path.name)]


def test_the_f9_copy_is_fsynced_event_by_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_exam: Any
) -> None:
    from sessions import who

    from ndrc_oral.session import FakeClock
    from ndrc_oral.transcript import Store, new_session

    live = new_session(Store(tmp_path / "data"), demo_exam, FakeClock(), who("Ada"), fsync=False)
    live.session.start()
    live.session.note("avant la panne")
    calls = Calls(monkeypatch)
    copy = live.redirect(tmp_path / "secours")
    calls.mark("moved")
    live.session.note("après")
    calls.mark("note")
    live.close()
    log = calls.take()
    moved = log.index(("ack", "moved"))
    synced = [c for c in log[:moved] if c == ("fsync", f".{copy.name}.new")]
    assert len(synced) == len(live.session.events) - 1  # every event of the copy, at once
    assert log[moved + 1 :] == [
        ("write", f".{copy.name}.new"),
        ("fsync", f".{copy.name}.new"),
        ("ack", "note"),
    ]


# --- one writer per transcript ------------------------------------------------------------


def made(tmp_path: Path, count: int = 2) -> TranscriptWriter:
    writer = TranscriptWriter(tmp_path / "20260602-080000-abcdef.toml", fsync=False)
    for event in events(count):
        writer.append(event)
    return writer


def test_a_second_writer_is_refused_and_told_who_holds_the_file(tmp_path: Path) -> None:
    first = made(tmp_path)
    before = first.path.read_bytes()
    with pytest.raises(TranscriptBusy) as caught:
        TranscriptWriter.take(first.path, fsync=False)
    who = caught.value.holder
    assert who is not None
    assert (who.host, who.pid) == (socket.gethostname(), os.getpid())
    assert str(caught.value) == holder.describe(first.path, who)
    assert f"processus {os.getpid()}" in str(caught.value) and socket.gethostname() in str(
        caught.value
    )
    assert first.path.read_bytes() == before  # nothing written, nothing cut
    first.append(events(3)[2])  # the holder goes on
    first.close()
    second = TranscriptWriter.take(first.path, fsync=False)  # released: free to take
    second.close()


def test_a_refusal_without_the_holder_s_note_says_so(tmp_path: Path) -> None:
    first = made(tmp_path)
    holder.note_file(first.path).unlink()
    with pytest.raises(TranscriptBusy) as caught:
        TranscriptWriter.take(first.path, fsync=False)
    assert caught.value.holder is None
    assert str(caught.value) == t("store.busy_unknown", id=first.path.stem)
    first.close()


def test_the_holder_s_note_is_private_and_goes_with_the_writer(tmp_path: Path) -> None:
    writer = made(tmp_path)
    note = holder.note_file(writer.path)
    assert json.loads(note.read_text())["path"] == os.path.abspath(writer.path)
    assert stat.S_IMODE(note.stat().st_mode) == 0o600
    assert stat.S_IMODE(note.parent.stat().st_mode) == 0o700
    assert "holders" in str(note) and tmp_path not in note.parents  # never by the transcripts
    writer.close()
    assert not note.exists()


def test_a_writer_that_lost_its_file_is_refused_it_back_while_another_holds_it(
    tmp_path: Path,
) -> None:
    # After a failure the writer lets go of its file; it takes it again at the next
    # event, but not from another writer that took it meanwhile.
    writer = made(tmp_path)
    writer.close()
    other = TranscriptWriter.take(writer.path, fsync=False)
    with pytest.raises(TranscriptBusy):
        writer.append(events(3)[2])
    other.close()
    writer.append(events(3)[2])
    writer.close()
    assert read_transcript(writer.path).events == events(3)


HOLD = """
import sys, time
from pathlib import Path
from ndrc_oral.transcript.writer import TranscriptWriter
writer = TranscriptWriter.take(Path(sys.argv[1]), fsync=False)
print("held", flush=True)
time.sleep(600)
"""


def test_the_lock_dies_with_its_process(tmp_path: Path) -> None:
    first = made(tmp_path)
    first.close()
    path = first.path
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "held\n"  # waits for the child, however slow
        with pytest.raises(TranscriptBusy) as caught:
            TranscriptWriter.take(path, fsync=False)
        assert caught.value.holder is not None and caught.value.holder.pid == child.pid
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    writer = TranscriptWriter.take(path, fsync=False)  # the system released it
    writer.close()


# --- no byte cut that this writer did not write ------------------------------------------


def test_bytes_another_program_added_are_neither_cut_nor_followed(tmp_path: Path) -> None:
    # Another program (an older kiosk without the lock, an editor) appended to the
    # file: the writer neither cuts those bytes nor chains its event after them.
    writer = made(tmp_path)
    saved = writer.path.stat().st_size
    with writer.path.open("ab") as f:
        f.write(b"\n# quelqu'un d'autre\n")
    changed = writer.path.read_bytes()
    with pytest.raises(SaveError) as caught:
        writer.append(events(3)[2])
    assert str(caught.value) == t(
        "store.changed_outside", path=writer.path, size=saved, now=len(changed)
    )
    assert writer.path.read_bytes() == changed
    writer.close()


def test_a_file_cut_by_another_program_is_not_written_after(tmp_path: Path) -> None:
    writer = made(tmp_path, 3)
    data = writer.path.read_bytes()
    os.truncate(writer.path, len(data) - 10)
    with pytest.raises(SaveError, match="modifié par un autre programme"):
        writer.append(events(4)[3])
    assert writer.path.read_bytes() == data[:-10]
    writer.close()


def half_written_and_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next write stops half way (the disk filled up), and the half cannot be cut then."""
    real_write = os.write

    def half(fd: int, data: bytes) -> int:
        return real_write(fd, bytes(data)[: len(data) // 2])

    def no_cut(fd: int, length: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "write", half)
    monkeypatch.setattr(os, "ftruncate", no_cut)


def test_only_its_own_unfinished_event_is_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = made(tmp_path)
    saved = writer.path.read_bytes()
    half_written_and_not_cut(monkeypatch)
    with pytest.raises(SaveError):
        writer.append(events(3)[2])  # half of it stays: it could not be cut then
    monkeypatch.undo()
    torn = writer.path.read_bytes()
    assert torn.startswith(saved) and len(torn) > len(saved)
    writer.append(events(3)[2])  # its own half event is cut first
    assert read_transcript(writer.path).events == events(3)
    assert read_transcript(writer.path).integrity is Integrity.INTACT
    writer.close()


def test_an_unfinished_event_followed_by_another_program_s_bytes_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = made(tmp_path)
    half_written_and_not_cut(monkeypatch)
    with pytest.raises(SaveError):
        writer.append(events(3)[2])
    monkeypatch.undo()
    with writer.path.open("ab") as f:
        f.write(b"pas de moi")
    changed = writer.path.read_bytes()
    with pytest.raises(SaveError, match="modifié par un autre programme"):
        writer.append(events(3)[2])
    assert writer.path.read_bytes() == changed
    writer.close()


def torn_file(tmp_path: Path) -> tuple[Path, Transcript]:
    """A file of three events whose last one a crash cut in the middle, and its reading."""
    first = made(tmp_path, 3)
    first.close()
    first.path.write_bytes(first.path.read_bytes()[:-25])
    return first.path, read_transcript(first.path)


def test_a_resumed_writer_cuts_the_torn_tail_it_read(tmp_path: Path) -> None:
    path, torn = torn_file(tmp_path)
    assert torn.integrity is Integrity.TORN_TAIL
    writer = TranscriptWriter.take(path, fsync=False)
    writer.go_on_after(torn.last_hash, torn.valid_bytes, torn.format)
    assert path.stat().st_size == torn.valid_bytes
    writer.append(events(3)[2])
    again = read_transcript(path)
    assert (again.integrity, again.events) == (Integrity.INTACT, events(3))
    writer.close()


def test_a_leftover_copy_of_a_killed_creation_is_made_private_and_replaced(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.toml"
    leftover = tmp_path / ".s.toml.new"
    leftover.write_bytes(b"# a creation killed half way\n" * 50)
    leftover.chmod(0o644)
    writer = TranscriptWriter(path, fsync=False)
    writer.append(events(1)[0])
    writer.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_transcript(path).events == events(1)
    assert not leftover.exists()


# --- taking an existing file ---------------------------------------------------------------


def test_a_taken_file_is_fsynced_by_default_and_noted_as_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = made(tmp_path)
    first.close()
    transcript = read_transcript(first.path)
    calls = Calls(monkeypatch)
    writer = TranscriptWriter.take(first.path)  # the default: fsync
    who = holder.read(first.path)
    assert who is not None and who.pid == os.getpid()
    writer.go_on_after(transcript.last_hash, transcript.valid_bytes, transcript.format)
    calls.mark("ready")
    writer.append(events(3)[2])
    calls.mark("saved")
    writer.close()
    name = first.path.name
    log = calls.take(name)
    # An intact file is not cut: nothing is written before the first new event.
    assert log == [
        ("open", name),
        ("flock", name),
        ("ack", "ready"),
        ("write", name),
        ("fsync", name),
        ("ack", "saved"),
    ]


def test_a_torn_tail_is_cut_and_synced_before_anything_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, torn = torn_file(tmp_path)
    calls = Calls(monkeypatch)
    writer = TranscriptWriter.take(path)
    writer.go_on_after(torn.last_hash, torn.valid_bytes, torn.format)
    calls.mark("cut")
    writer.close()
    name = path.name
    log = calls.take(name)
    assert log == [
        ("open", name),
        ("flock", name),
        ("ftruncate", name),
        ("fsync", name),
        ("ack", "cut"),
    ]


def test_a_torn_tail_that_cannot_be_cut_stops_the_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, torn = torn_file(tmp_path)
    data = path.read_bytes()

    def no_cut(fd: int, length: int) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(os, "ftruncate", no_cut)
    writer = TranscriptWriter.take(path, fsync=False)
    with pytest.raises(SaveError) as caught:
        writer.go_on_after(torn.last_hash, torn.valid_bytes, torn.format)
    assert str(caught.value) == t("store.cannot_repair", path=path, why=t("store.os.readonly"))
    assert path.read_bytes() == data
    writer.close()


def test_a_format_1_file_goes_on_without_seals(tmp_path: Path) -> None:
    old = TranscriptWriter(tmp_path / "ancien.toml", fsync=False)
    old.format = 1  # as ndrc-oral 0.1 wrote them
    for event in events(2):
        old.append(event)
    old.close()
    transcript = read_transcript(old.path)
    writer = TranscriptWriter.take(old.path, fsync=False)
    writer.go_on_after(transcript.last_hash, transcript.valid_bytes, transcript.format)
    writer.append(events(3)[2])
    writer.close()
    again = read_transcript(old.path)
    assert (again.format, again.integrity, again.events) == (1, Integrity.INTACT, events(3))
    assert "# sealed" not in old.path.read_text()


def test_going_on_needs_a_file_taken_first(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"^the writer holds no file: take\(\) it first$"):
        TranscriptWriter(tmp_path / "s.toml").go_on_after("", 0, 2)


def test_bytes_added_before_a_taken_writer_s_first_event_are_left_alone(tmp_path: Path) -> None:
    first = made(tmp_path)
    first.close()
    transcript = read_transcript(first.path)
    writer = TranscriptWriter.take(first.path, fsync=False)
    writer.go_on_after(transcript.last_hash, transcript.valid_bytes, transcript.format)
    with first.path.open("ab") as f:  # a program that takes no lock
        f.write(b"\n[[event]]\n")
    changed = first.path.read_bytes()
    with pytest.raises(SaveError, match="modifié par un autre programme"):
        writer.append(events(3)[2])
    assert first.path.read_bytes() == changed
    writer.close()


def test_a_refused_writer_keeps_no_descriptor(tmp_path: Path) -> None:
    first = made(tmp_path)
    before = open_descriptors()
    for _ in range(5):
        with pytest.raises(TranscriptBusy):
            TranscriptWriter.take(first.path, fsync=False)
    assert open_descriptors() == before
    first.close()


def test_a_creation_under_way_elsewhere_is_left_to_finish(tmp_path: Path) -> None:
    # Another process is making this very file (it holds its hidden copy's lock):
    # this writer neither writes into that copy nor removes it.
    path = tmp_path / "s.toml"
    hidden = tmp_path / ".s.toml.new"
    hidden.write_bytes(b"# l'autre est en train de l'ecrire\n")
    other = os.open(hidden, os.O_RDONLY)
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        before = open_descriptors()
        with pytest.raises(SaveError):
            TranscriptWriter(path, fsync=False).append(events(1)[0])
        assert open_descriptors() == before
        assert hidden.read_bytes() == b"# l'autre est en train de l'ecrire\n"
        assert not path.exists()
    finally:
        os.close(other)


@pytest.mark.parametrize("code", [errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL])
def test_where_the_system_keeps_no_locks_the_writer_works_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    def no_locks(fd: int, operation: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    writer = made(tmp_path, 3)
    writer.close()
    assert read_transcript(writer.path).events == events(3)
    TranscriptWriter.take(writer.path, fsync=False).close()


def test_a_lock_that_fails_otherwise_is_a_save_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = made(tmp_path)
    first.close()

    def broken(fd: int, operation: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(fcntl, "flock", broken)
    before = open_descriptors()
    with pytest.raises(SaveError) as caught:
        TranscriptWriter.take(first.path, fsync=False)
    assert str(caught.value) == t("store.save_failed", path=first.path, why="Input/output error")
    assert open_descriptors() == before


def test_once_its_own_half_event_is_cut_look_alike_bytes_are_not_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The writer forgets the event it failed to write once it has cut it: bytes
    # another program adds later are not cut, even when they begin the same way.
    writer = made(tmp_path)
    half_written_and_not_cut(monkeypatch)
    with pytest.raises(SaveError):
        writer.append(events(3)[2])
    monkeypatch.undo()
    writer.append(events(3)[2])  # cut, then saved
    with writer.path.open("ab") as f:
        f.write(b"\n[[event]]\n")  # what every event begins with
    changed = writer.path.read_bytes()
    with pytest.raises(SaveError, match="modifié par un autre programme"):
        writer.append(events(4)[3])
    assert writer.path.read_bytes() == changed
    writer.close()
