"""Transcripts on disk: round trip, privacy, odd names, crash recovery, failing disks."""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sessions import who

from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import t
from ndrc_oral.session import Event, FakeClock, Kind, SessionError, Status
from ndrc_oral.transcript import (
    Integrity,
    LiveSession,
    SaveError,
    Store,
    TranscriptError,
    TranscriptWriter,
    codec,
    load_session,
    new_session,
    read_transcript,
    resume_session,
)

SESSION_FILE = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}\.toml$")


def a_full_session(live: LiveSession, clock: FakeClock) -> None:
    """Every kind of event at least once."""
    s = live.session
    s.note("Arrivé en avance")
    s.start()
    clock.advance(60)
    s.tick()
    s.extend(30, "aménagement PAP")
    s.start()
    clock.advance(100)
    s.pause()
    live.heartbeat()
    clock.advance(40)
    s.give_pause_reason("alarme incendie")
    s.resume()
    s.note("Très bonne accroche", criterion="c1")
    s.rate("c1", "TS")
    s.rate("c2", "I")
    s.rate("c2", None)
    clock.advance(100)
    s.milestone("questions")
    clock.advance(100)
    s.end_phase()
    s.set_result(
        mark=15.5, reserved=True, appreciation="Solide", members=["M. Martin", "Mme Durand"]
    )
    s.finish()
    s.settle_reservation("released")
    s.correct_result(
        "faute de frappe",
        mark=16.0,
        reserved=True,
        fields={"appreciation": "Solide"},
        members=["M. Martin", "Mme Durand"],
    )
    s.cancel("candidat convoqué à une autre épreuve")


# --- round trip -------------------------------------------------------------------


def test_round_trip(live_session: LiveSession, fake_clock: FakeClock) -> None:
    a_full_session(live_session, fake_clock)
    live_session.close()
    transcript = read_transcript(live_session.path)
    assert (transcript.integrity, transcript.problems) == (Integrity.INTACT, [])
    assert transcript.events == live_session.session.events
    assert {e.kind for e in transcript.events} == set(Kind) - {Kind.RECOVERED}
    assert transcript.finished
    loaded = load_session(live_session.path)
    assert loaded.exam == live_session.session.exam  # the definition travels in the file
    assert loaded.state == live_session.session.state
    assert loaded.state.snapshot(1e6) == live_session.session.state.snapshot(1e6)


def test_the_file_is_readable_toml(live_session: LiveSession, fake_clock: FakeClock) -> None:
    import tomllib

    a_full_session(live_session, fake_clock)
    doc = tomllib.loads(live_session.path.read_text("utf-8"))
    assert [e["type"] for e in doc["event"]] == [e.kind for e in live_session.session.events]
    assert doc["event"][0]["data"]["candidate"] == {"name": "Ada Lovelace", "number": "0421"}


# --- privacy ------------------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)  # the most permissive: modes must not come from the umask
    yield
    os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_file_0600_and_directory_0700(tmp_path: Path, demo_exam: Exam) -> None:
    store = Store(tmp_path / "deep" / "data")
    live = new_session(store, demo_exam, FakeClock(), who("Ada"))
    live.session.start()
    live.heartbeat()
    assert stat.S_IMODE(live.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700
    assert sorted(p.name for p in store.root.iterdir()) == [live.path.name]  # transcripts only


def modes(*roots: Path) -> dict[str, int]:
    """Every file and directory under ``roots`` (themselves included) -> its mode, and
    ``/`` after a directory's name."""
    found = {}
    for root in roots:
        for path in [root, *root.rglob("*")]:
            name = str(path.relative_to(root.parent)) + ("/" if path.is_dir() else "")
            found[name] = stat.S_IMODE(path.lstat().st_mode)
    return found


@pytest.mark.usefixtures("open_umask")
def test_everything_the_program_writes_is_its_owner_s(tmp_path: Path, demo_exam: Exam) -> None:
    # Issue 13: the heartbeats were 0644. Transcripts, heartbeats, the listing's
    # index, the notes of who holds a session and of where F9 moved one, the exam
    # catalog's cache: 0600, in directories made 0700.
    from ndrc_oral.exams.listing import catalog_dicts
    from ndrc_oral.paths import cache_dir
    from ndrc_oral.transcript.index import list_sessions

    store = Store(tmp_path / "data")
    live = new_session(store, demo_exam, FakeClock(), who("Ada"))
    live.session.start()
    live.heartbeat()
    list_sessions(store.root)
    catalog_dicts(None)
    other = new_session(store, demo_exam, FakeClock(), who("Bob"))
    other.close()
    held = resume_session(store, other.session_id, FakeClock())
    live.redirect(tmp_path / "secours")
    everything = modes(store.root, tmp_path / "secours", cache_dir())
    names = {Path(name).name for name in everything}
    assert {"sessions", "holders", "moved", "exams-catalog.json"} <= names
    assert any(name.endswith(".sqlite3") for name in names)  # the listing's cache
    wrong = {
        name: oct(mode)
        for name, mode in everything.items()
        if mode != (0o700 if name.endswith("/") else 0o600)
    }
    assert wrong == {}
    live.close()
    held.close()


def test_an_open_data_directory_keeps_its_mode_and_says_so(tmp_path: Path, demo_exam: Exam) -> None:
    # Issue 13: the program was pointed at it; closing it would change what others
    # may do there (a 1777 directory became 0700). It says so instead.
    root = tmp_path / "data"
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    store = Store(root)
    live = new_session(store, demo_exam, FakeClock(), who("Ada"))
    assert stat.S_IMODE(root.stat().st_mode) == 0o755
    assert stat.S_IMODE(live.path.stat().st_mode) == 0o600
    assert store.readable_by_others
    root.chmod(0o700)
    assert not store.readable_by_others


ODD_NAMES = [
    "../../etc/passwd",
    "a/b\\c",
    "..",
    "Zoé\x00\x01\x07 Nul-Bell",
    "\x1b[2J\x1b[31mRouge\x1b]0;titre\x07",
    "Line\nBreak\r\n[[event]]\nseq = 99",
    "Émilie 🎓😀 Ŋ \u202egauche",
    'O\'Brien "le" \\ back `tick` $HOME %s {x}',
    "N" * 10_000,
]


@pytest.mark.parametrize("name", ODD_NAMES, ids=range(len(ODD_NAMES)))
def test_odd_names_are_stored_intact_and_never_name_the_file(
    store: Store, demo_exam: Exam, fake_clock: FakeClock, name: str
) -> None:
    live = new_session(store, demo_exam, fake_clock, who(name, number="04/21 \x1b[0m"))
    live.session.note(name)
    live.close()
    assert [p.name for p in store.root.iterdir() if p.is_file()] == [live.path.name]
    assert SESSION_FILE.match(live.path.name)
    raw = live.path.read_bytes()
    # Control characters are escaped: `cat` on a transcript cannot drive the terminal.
    assert not re.search(rb"[\x00-\x09\x0b-\x1f\x7f]", raw)
    transcript = read_transcript(live.path)
    assert transcript.integrity is Integrity.INTACT
    created, note = transcript.events
    assert created.data["candidate"] == {"name": name, "number": "04/21 \x1b[0m"}
    assert note.data["text"] == name


# --- a crash, then resume ----------------------------------------------------------------


def tear(path: Path, event: Event, prev: str, fraction: float | None) -> None:
    """Append the first ``fraction`` of ``event``'s bytes, as a crash mid-write leaves
    (``None``: up to the middle of its first multi-byte character)."""
    payload, _ = codec.encode(event, prev)
    if fraction is None:
        cut = next(i for i, byte in enumerate(payload) if byte >= 0xC0) + 1
    else:
        cut = max(1, int(len(payload) * fraction))
    with path.open("ab") as f:
        f.write(payload[:cut])


@pytest.mark.parametrize("fraction", [0.01, 0.5, 0.99, None])
def test_a_torn_last_event_is_dropped_and_the_session_resumes(
    store: Store, demo_exam: Exam, fake_clock: FakeClock, fraction: float | None
) -> None:
    live = new_session(store, demo_exam, fake_clock, who("Ada"))
    s = live.session
    s.start()
    fake_clock.advance(60)
    s.start()  # the exposé: 600 s
    fake_clock.advance(100)
    s.note("avant la panne")
    fake_clock.advance(20)
    live.heartbeat()  # the kiosk was alive at 180 s (120 s into the exposé)
    saved = list(s.events)
    lost = Event(
        len(saved), "note", 180.0, "2026-06-02T08:03:00.000+00:00", {"text": "perdu à la panne"}
    )
    tear(live.path, lost, live.writer.last_hash, fraction)
    live.writer.close()  # the program died here; the fd goes with it

    torn = read_transcript(live.path)
    assert torn.integrity is Integrity.TORN_TAIL
    assert torn.events == saved
    assert "écarté" in torn.problems[0]

    later = FakeClock(start=50.0, wall=fake_clock.wall() + timedelta(minutes=5))
    again = resume_session(store, live.session_id[:15], later)
    recovered = again.session.events[-1]
    assert recovered.kind == Kind.RECOVERED
    assert recovered.data == {"reason": "interruption-torn-write", "downtime_s": 300.0}
    assert recovered.t == 180  # session time goes on from the heartbeat
    snap = again.session.snapshot()
    assert (snap.status, snap.phase_index, snap.remaining_s) == (Status.PAUSED, 1, 480)
    later.advance(600)  # paused until the commission resumes
    assert again.session.snapshot().remaining_s == 480
    again.session.resume()
    later.advance(30)
    assert again.session.snapshot().remaining_s == 450
    again.session.note("après la reprise")
    again.close()

    healed = read_transcript(live.path)
    assert healed.integrity is Integrity.INTACT  # the torn bytes were cut, the chain goes on
    assert healed.events == again.session.events
    assert [e.data.get("text") for e in healed.events if e.kind == "note"] == [
        "avant la panne",
        "après la reprise",
    ]
    assert load_session(live.path).state == again.session.state


def test_resume_without_heartbeat_uses_the_last_event(
    store: Store, demo_exam: Exam, fake_clock: FakeClock
) -> None:
    live = new_session(store, demo_exam, fake_clock, who("Ada"))
    live.session.start()
    fake_clock.advance(20)
    live.session.note("dernier signe de vie")
    fake_clock.advance(25)  # then the program died unnoticed
    live.close()
    later = FakeClock(start=7.0, wall=fake_clock.wall() + timedelta(seconds=60))
    again = resume_session(store, live.session_id, later)
    recovered = again.session.events[-1]
    assert (recovered.data, recovered.t) == ({"reason": "interruption", "downtime_s": 85.0}, 20)
    assert again.session.snapshot().remaining_s == 40


def test_resume_after_an_automatic_end_was_due(
    store: Store, demo_exam: Exam, fake_clock: FakeClock
) -> None:
    live = new_session(store, demo_exam, fake_clock, who("Ada"))
    live.session.start()
    fake_clock.advance(70)  # the preparation (60 s) ended while nobody repainted
    live.heartbeat()
    live.close()
    again = resume_session(store, live.session_id, FakeClock())
    kinds = [(e.kind, e.t) for e in again.session.events[-2:]]
    assert kinds == [("phase_ended", 60), ("recovered", 70)]
    assert again.session.status is Status.BETWEEN
    assert again.session.snapshot().phases[0].elapsed_s == 60


def test_a_finished_session_resumes_without_incident(
    live_session: LiveSession, fake_clock: FakeClock, store: Store
) -> None:
    a_full_session(live_session, fake_clock)
    live_session.close()
    again = resume_session(store, live_session.session_id, FakeClock())
    assert again.session.events == live_session.session.events
    assert store.last_seen(live_session.session_id) is None


def test_a_damaged_transcript_is_not_resumed(live_session: LiveSession, store: Store) -> None:
    live_session.session.note("original")
    live_session.session.note("suivante")
    live_session.close()
    path = live_session.path
    path.write_text(path.read_text("utf-8").replace('"original"', '"modifié"'), "utf-8")
    assert read_transcript(path).integrity is Integrity.DAMAGED
    with pytest.raises(TranscriptError, match="endommagé"):
        resume_session(store, live_session.session_id, FakeClock())


def test_unreadable_targets_give_a_transcript_error(store: Store, tmp_path: Path) -> None:
    store.ensure()
    (tmp_path / "empty.toml").write_bytes(b"")
    (tmp_path / "dir.toml").mkdir()
    (tmp_path / "header.toml").write_text(codec.HEADER)
    (tmp_path / "binary.toml").write_bytes(bytes(range(256)))
    for name in ("empty.toml", "header.toml", "binary.toml"):
        transcript = read_transcript(tmp_path / name)
        assert (transcript.integrity, transcript.events) == (Integrity.DAMAGED, [])
    for path in (tmp_path / "dir.toml", tmp_path / "missing.toml"):
        with pytest.raises(TranscriptError):
            read_transcript(path)
    for target in ("nope", str(tmp_path / "missing.toml"), str(tmp_path / "empty.toml")):
        with pytest.raises(TranscriptError):
            resume_session(store, target, FakeClock())


# --- the disk fails ----------------------------------------------------------------------


def started(store: Store, exam: Exam, clock: FakeClock) -> LiveSession:
    live = new_session(store, exam, clock, who("Ada"))
    live.session.start()
    clock.advance(10)
    live.session.note("avant la panne")
    return live


def assert_unchanged_and_readable(live: LiveSession, events: list[Event]) -> None:
    assert live.session.events == events
    transcript = read_transcript(live.path)
    assert (transcript.integrity, transcript.events) == (Integrity.INTACT, events)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_a_read_only_directory(tmp_path: Path, demo_exam: Exam) -> None:
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(0o500)
    try:
        with pytest.raises(SaveError, match="permission refusée"):
            new_session(Store(root), demo_exam, FakeClock(), who("Ada"))
        assert list(root.iterdir()) == []
    finally:
        root.chmod(0o700)


def fail_writes(
    monkeypatch: pytest.MonkeyPatch, writer: TranscriptWriter, code: int, *, short: bool = False
) -> None:
    """Make the writer's ``os.write`` fail with ``code`` (``short``: write half first)."""
    real = os.write

    def write(fd: int, data: bytes) -> int:
        if fd != writer._fd:
            return real(fd, data)
        if short:
            return real(fd, bytes(data)[: len(data) // 2])
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "write", write)


@pytest.mark.parametrize(
    ("code", "short", "says"),
    [
        (errno.ENOSPC, False, "le disque est plein"),
        (errno.ENOSPC, True, "le disque est plein"),  # half the event written, then no space
        (errno.EROFS, False, "lecture seule"),  # the key was remounted read-only
        (errno.EIO, False, "impossible d'enregistrer"),
    ],
)
def test_a_failing_disk_raises_save_error_and_leaves_no_half_event(
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    demo_exam: Exam,
    fake_clock: FakeClock,
    code: int,
    short: bool,
    says: str,
) -> None:
    live = started(store, demo_exam, fake_clock)
    before = list(live.session.events)
    state = live.session.state.snapshot(live.session.now())
    fail_writes(monkeypatch, live.writer, code, short=short)
    with pytest.raises(SaveError, match=says) as caught:
        live.session.note("jamais enregistrée")
    assert caught.value.errno == code
    assert live.session.state.snapshot(live.session.now()) == state
    assert_unchanged_and_readable(live, before)
    monkeypatch.undo()  # space freed: the next event goes on the chain
    live.session.note("après la panne")
    assert read_transcript(live.path).integrity is Integrity.INTACT
    assert read_transcript(live.path).events == live.session.events


def test_a_failing_fsync_is_not_saved(
    monkeypatch: pytest.MonkeyPatch, store: Store, demo_exam: Exam, fake_clock: FakeClock
) -> None:
    live = started(store, demo_exam, fake_clock)
    before = list(live.session.events)

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(SaveError):
        live.session.note("écrite mais pas synchronisée")
    assert_unchanged_and_readable(live, before)


def test_a_vanished_directory(store: Store, demo_exam: Exam, fake_clock: FakeClock) -> None:
    live = started(store, demo_exam, fake_clock)
    before = list(live.session.events)
    shutil.rmtree(store.root)  # the USB key was pulled out
    with pytest.raises(SaveError, match="a disparu"):
        live.session.note("perdue")
    assert live.session.events == before
    store.root.mkdir()  # the key is back, empty: no orphan file with only the later events
    with pytest.raises(SaveError):
        live.session.note("encore")
    assert list(store.root.iterdir()) == []
    elsewhere = live.redirect(store.root.parent / "secours")  # what the kiosk offers
    live.session.note("après le changement de disque")
    transcript = read_transcript(elsewhere)
    assert transcript.integrity is Integrity.INTACT
    assert transcript.events == [*before, live.session.events[-1]]


def test_a_half_event_left_by_a_failed_cleanup_is_cut_before_the_next(
    monkeypatch: pytest.MonkeyPatch, store: Store, demo_exam: Exam, fake_clock: FakeClock
) -> None:
    live = started(store, demo_exam, fake_clock)
    fail_writes(monkeypatch, live.writer, errno.ENOSPC, short=True)

    def ftruncate(fd: int, length: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(os, "ftruncate", ftruncate)
    with pytest.raises(SaveError):
        live.session.note("à moitié écrite")
    assert read_transcript(live.path).integrity is Integrity.TORN_TAIL
    monkeypatch.undo()
    live.session.note("suivante")
    transcript = read_transcript(live.path)
    assert (transcript.integrity, transcript.events) == (Integrity.INTACT, live.session.events)


def test_a_session_that_cannot_start_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, store: Store, demo_exam: Exam
) -> None:
    def refuse(path: object, *args: object, **kwargs: object) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(SaveError, match="lecture seule"):
        new_session(store, demo_exam, FakeClock(), who("Ada"))
    monkeypatch.undo()
    assert [p for p in store.root.iterdir() if p.is_file()] == []


def test_a_session_whose_creation_fails_leaves_no_file(
    monkeypatch: pytest.MonkeyPatch, store: Store, demo_exam: Exam
) -> None:
    real = os.write

    def write(fd: int, data: bytes) -> int:
        if b"[[event]]" in bytes(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)  # anything else goes through

    monkeypatch.setattr(os, "write", write)
    with pytest.raises(SaveError, match="plein"):
        new_session(store, demo_exam, FakeClock(), who("Ada"))
    monkeypatch.undo()
    assert list(store.root.iterdir()) == []


def test_a_refused_candidate_leaves_no_file(store: Store, demo_exam: Exam) -> None:
    with pytest.raises(SessionError):
        new_session(store, demo_exam, FakeClock(), who("   "))
    assert list(store.root.iterdir()) == []


def test_a_session_moved_by_f9_is_listed_moved_and_resumed_only_where_it_went(
    store: Store, demo_exam: Exam, fake_clock: FakeClock
) -> None:
    # Issue 13: after F9 the original stayed listed as interrupted, resumable, with
    # the id of the rescued copy: two lives of one session.
    from ndrc_oral.transcript.index import list_sessions

    live = started(store, demo_exam, fake_clock)
    rescue = store.root.parent / "secours"
    copy = live.redirect(rescue)
    live.session.note("après le déplacement")
    live.close()
    [original] = list_sessions(store.root).sessions
    assert (original.moved_to, original.interrupted) == (str(copy), False)
    with pytest.raises(TranscriptError) as caught:
        resume_session(store, live.session_id, fake_clock)
    assert str(caught.value) == t("store.moved", path=store.path_for(live.session_id), to=copy)
    [there] = list_sessions(rescue).sessions  # the copy has the same id, and is not moved
    assert (there.moved_to, there.interrupted) == ("", True)
    again = resume_session(Store(rescue), live.session_id, fake_clock)
    again.close()
