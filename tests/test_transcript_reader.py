"""The reader's diagnosis, not only its verdict: which event is bad, on which line, and why.

``verify`` and the review screen print these problems; an examiner opening the
file goes to the line named. Each test damages one thing in a small real
transcript and expects the exact problem, event number and line (counted here
from the file's text, independently of the reader).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from engine_support import TINY_EXAM, create_session

from ndrc_oral.i18n import t
from ndrc_oral.session import Event, FakeClock
from ndrc_oral.transcript import codec, reader
from ndrc_oral.transcript.reader import (
    Integrity,
    Transcript,
    TranscriptError,
    check_text,
    read_bytes,
    read_transcript,
)
from ndrc_oral.transcript.writer import TranscriptWriter


@dataclass(frozen=True)
class Written:
    path: Path
    events: list[Event]
    hashes: list[str]
    text: str
    fmt: int
    """The file format it was written in: every test runs on both."""

    @property
    def header(self) -> str:
        return codec.HEADERS[self.fmt]

    def encode(self, event: Event, prev: str) -> tuple[bytes, str]:
        return codec.encode(event, prev, self.fmt)

    def marker_line(self, seq: int, text: str | None = None) -> int:
        """The 1-based line of event ``seq``'s ``[[event]]`` in ``text`` (the file's own)."""
        lines = (self.text if text is None else text).split("\n")
        return [i + 1 for i, line in enumerate(lines) if line == codec.MARKER][seq]

    def end_of(self, seq: int) -> int:
        """Byte length of the file up to the end of event ``seq``: where the next
        event's ``[[event]]`` line begins (its newline before stays with ``seq``)."""
        return len(self.text[: self._ends()[seq]].encode("utf-8"))

    def _ends(self) -> list[int]:
        """Character offset of the end of each event (the next one's newline, or the end)."""
        starts, at = [], 0
        while (at := self.text.find(f"\n{codec.MARKER}\n", at)) >= 0:
            starts.append(at)
            at += 1
        return [*(start + 1 for start in starts[1:]), len(self.text)]


@pytest.fixture(params=[1, 2], ids=["format-1", "format-2"])
def written(tmp_path: Path, request: pytest.FixtureRequest) -> Written:
    """Six events: created, phase started, a note with accents, a pause, a resume, a rating."""
    clock = FakeClock()
    session, saved = create_session(TINY_EXAM, clock, candidate="Zoé Ŋ")
    session.start()
    clock.advance(12.5)
    session.note("élève à l'aise 🎓", criterion="x")
    session.pause("bruit")
    clock.advance(3)
    session.resume()
    session.rate("x", "S")
    path = tmp_path / "s.toml"
    writer = TranscriptWriter(path, fsync=False)
    writer.format = request.param  # a new file of format 1, as ndrc-oral 0.1 made them
    hashes = []
    for event in saved:
        writer.append(event)
        hashes.append(writer.last_hash)
    writer.close()
    return Written(path, saved, hashes, path.read_text(), request.param)


def reread(written: Written, text: str) -> Transcript:
    written.path.write_text(text)
    return read_transcript(written.path)


def test_an_intact_file_has_no_problem(written: Written) -> None:
    transcript = read_transcript(written.path)
    assert transcript.integrity is Integrity.INTACT
    assert (transcript.problems, transcript.first_bad_seq) == ([], None)
    assert transcript.events == written.events
    assert transcript.last_hash == written.hashes[-1]
    assert transcript.valid_bytes == len(written.text.encode("utf-8"))
    assert transcript.created == written.events[0] and not transcript.finished


def test_an_edited_value_names_its_event_and_line(written: Written) -> None:
    text = written.text.replace("élève à l'aise", "élève mal à l'aise")
    transcript = reread(written, text)
    assert transcript.integrity is Integrity.DAMAGED
    assert transcript.first_bad_seq == 2
    assert transcript.problems == [
        t("store.altered", seq=2, line=written.marker_line(2), error=t("codec.hash_mismatch"))
    ]
    assert transcript.events == written.events[:2]
    assert transcript.last_hash == written.hashes[1]
    assert transcript.valid_bytes == written.end_of(1)


def test_a_removed_event_breaks_the_chain_at_the_next(written: Written) -> None:
    ends = written._ends()
    text = written.text[: ends[2]] + written.text[ends[3] :]  # event 3 (the pause) gone
    transcript = reread(written, text)
    assert transcript.first_bad_seq == 3
    assert transcript.problems == [
        t("store.altered", seq=3, line=written.marker_line(3, text), error=t("store.chain_broken"))
    ]
    assert transcript.events == written.events[:3]


def test_a_forged_number_is_named(written: Written) -> None:
    # A well-formed event that follows the chain but carries the wrong number.
    last = written.events[-1]
    forged = Event(9, last.kind, last.t + 1, last.at, last.data)
    payload, _ = written.encode(forged, written.hashes[-1])
    text = written.text + payload.decode("utf-8")
    transcript = reread(written, text)
    assert transcript.integrity is Integrity.DAMAGED  # whole but out of place: not a crash
    assert transcript.first_bad_seq == 6
    assert transcript.problems == [
        t(
            "store.altered",
            seq=6,
            line=written.marker_line(6, text),
            error=t("store.bad_number", found=9, expected=6),
        )
    ]


def test_a_torn_last_event_is_dropped_with_its_line(written: Written) -> None:
    ends = written._ends()
    text = written.text[: ends[5] - 12]
    transcript = reread(written, text)
    assert transcript.integrity is Integrity.TORN_TAIL
    assert transcript.first_bad_seq == 5
    [problem] = transcript.problems
    chunk = codec.split(text)[1][5]
    error = codec.decode(chunk, written.fmt).error
    assert error is not None
    assert problem == t("store.torn", seq=5, line=written.marker_line(5, text), error=error)
    assert chunk.line == written.marker_line(5, text)
    assert transcript.events == written.events[:5]
    assert transcript.last_hash == written.hashes[4]
    assert transcript.valid_bytes == written.end_of(4)


def test_a_cut_in_the_next_marker_keeps_the_whole_event_before(written: Written) -> None:
    text = written.text + "\n[[eve"
    transcript = reread(written, text)
    assert transcript.integrity is Integrity.TORN_TAIL
    assert transcript.first_bad_seq == 6
    assert transcript.problems == [t("store.torn_line", seq=5)]
    assert transcript.events == written.events
    # Format 1 keeps the whole lines ("\n"), format 2 stops at the seal.
    newline = 1 if written.fmt == 1 else 0
    assert transcript.valid_bytes == len(written.text.encode("utf-8")) + newline


def test_a_character_cut_in_two_at_the_end_is_a_torn_write(written: Written) -> None:
    data = written.text.encode("utf-8")
    cut = data.rindex("🎓".encode()) + 2  # inside the emoji of the note, event 2
    assert written.end_of(1) < cut < written.end_of(2)
    written.path.write_bytes(data[:cut])
    transcript = read_transcript(written.path)
    assert transcript.integrity is Integrity.TORN_TAIL
    assert transcript.first_bad_seq == 2
    assert transcript.events == written.events[:2]


def test_a_bad_byte_after_the_events_is_damage(written: Written) -> None:
    data = written.text.encode("utf-8")
    written.path.write_bytes(data + b"\n\xff\n")
    transcript = read_transcript(written.path)
    assert transcript.integrity is Integrity.DAMAGED
    assert transcript.first_bad_seq == 6
    assert transcript.problems == [
        t("store.after_event", seq=5, problem=t("store.not_utf8", pos=len(data) + 1))
    ]
    assert transcript.events == written.events


def test_a_bad_byte_inside_an_event_is_damage_there(written: Written) -> None:
    data = written.text.encode("utf-8")
    at = data.index(b"bruit")  # inside event 3
    written.path.write_bytes(data[:at] + b"\xff" + data[at + 1 :])
    transcript = read_transcript(written.path)
    assert transcript.integrity is Integrity.DAMAGED
    assert transcript.first_bad_seq == 3
    assert transcript.problems[0].startswith(
        t("store.altered", seq=3, line=written.marker_line(3), error="")
    )
    assert transcript.events == written.events[:3]


def test_an_altered_header(written: Written) -> None:
    transcript = reread(written, written.text.replace("append-only", "editable", 1))
    assert transcript.integrity is Integrity.DAMAGED
    assert (transcript.first_bad_seq, transcript.problems) == (0, [t("store.header_altered")])
    assert transcript.events == written.events  # the events themselves are whole


def test_a_header_cut_short_is_no_transcript(written: Written) -> None:
    transcript = reread(written, written.header[:40])
    assert transcript.integrity is Integrity.DAMAGED
    assert (transcript.first_bad_seq, transcript.problems) == (0, [t("store.no_event")])
    transcript = reread(written, written.header + "\n[[ev")
    assert (transcript.integrity, transcript.problems) == (
        Integrity.DAMAGED,
        [t("store.no_event")],
    )


def test_a_file_that_does_not_begin_with_a_creation(written: Written) -> None:
    note = written.events[2]
    payload, _ = written.encode(Event(0, note.kind, note.t, note.at, note.data), codec.GENESIS)
    transcript = reread(written, written.header + payload.decode("utf-8"))
    assert transcript.integrity is Integrity.DAMAGED
    assert (transcript.first_bad_seq, transcript.problems) == (0, [t("store.not_created")])
    assert transcript.created is None


def test_check_text_reads_the_same_as_the_file(written: Written) -> None:
    assert check_text(written.path, written.text) == read_transcript(written.path)
    damaged = check_text(written.path, written.text, tail_problem="coupé")
    assert damaged.integrity is Integrity.DAMAGED
    assert damaged.problems == [t("store.after_event", seq=5, problem="coupé")]


def test_what_cannot_be_read_at_all(
    written: Written, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert str(_error(tmp_path)) == t("store.is_dir", path=tmp_path)
    missing = tmp_path / "absent.toml"
    assert str(_error(missing)) == t("store.no_file", path=missing)
    size = written.path.stat().st_size
    monkeypatch.setattr(reader, "MAX_TRANSCRIPT_BYTES", size)
    assert read_bytes(written.path) == written.text.encode("utf-8")  # at the limit: read
    monkeypatch.setattr(reader, "MAX_TRANSCRIPT_BYTES", size - 1)
    assert str(_error(written.path)) == t("store.too_large", path=written.path, size=size)
    monkeypatch.undo()

    real_open = os.open

    def denied(path: str | Path, flags: int, mode: int = 0o777) -> int:
        if Path(path) == written.path:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", denied)
    assert str(_error(written.path)) == t(
        "store.unreadable", path=written.path, why=t("store.os.denied")
    )


def _error(path: Path) -> TranscriptError:
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path)
    return caught.value


def test_the_words_for_integrity() -> None:
    # ``logs list --json``, the JSON export and the index write these words.
    assert [str(i) for i in Integrity] == ["intact", "torn-tail", "damaged"]


def test_a_file_over_64_mib_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as f:
        f.truncate(64 * 1024 * 1024 + 1)  # sparse: nothing written, nothing to read
    assert str(_error(huge)) == t("store.too_large", path=huge, size=64 * 1024 * 1024 + 1)


def test_a_bad_last_byte_is_damage_not_a_cut(written: Written) -> None:
    data = written.text.encode("utf-8")
    written.path.write_bytes(data + b"\xff")  # a byte no UTF-8 text ends with: not a cut
    transcript = read_transcript(written.path)
    assert transcript.integrity is Integrity.DAMAGED
    assert transcript.problems == [
        t("store.after_event", seq=5, problem=t("store.not_utf8", pos=len(data)))
    ]


def test_an_edited_number_is_an_edit(written: Written) -> None:
    text = written.text.replace("\nseq = 4\n", "\nseq = 5\n", 1)
    transcript = reread(written, text)
    assert transcript.first_bad_seq == 4
    assert transcript.problems == [
        t("store.altered", seq=4, line=written.marker_line(4), error=t("codec.hash_mismatch"))
    ]


def test_a_missing_creation_is_named_before_the_rest(written: Written) -> None:
    # The first thing to say of a file that begins with a note: it is no session.
    note = written.events[2]
    first, prev = written.encode(Event(0, note.kind, note.t, note.at, note.data), codec.GENESIS)
    second, _ = written.encode(Event(1, note.kind, note.t, note.at, note.data), prev)
    edited = second.decode("utf-8").replace("élève", "candidat")  # and the second was edited
    text = written.header + first.decode("utf-8") + edited
    transcript = reread(written, text)
    assert transcript.first_bad_seq == 0  # the first bad one: event 0 is no creation
    # The last event edited: format 1 cannot tell it from a torn write (README:
    # what a reader cannot see); format 2's seal says it is whole, so an edit.
    key = "store.torn" if written.fmt == 1 else "store.altered"
    line = written.marker_line(1, text)
    assert transcript.problems == [
        t("store.not_created"),
        t(key, seq=1, line=line, error=t("codec.hash_mismatch")),
    ]


def test_a_cut_inside_the_first_event_holds_no_session(written: Written) -> None:
    # Issue 13: `verify` called it "torn, resumable", `list` "damaged". One verdict:
    # the writer makes a file with its first event at once, so no crash leaves this.
    text = written.text[: written.text.index("\n[[event]]\n") + 60]
    transcript = reread(written, text)
    [chunk] = codec.split(text)[1]
    error = codec.decode(chunk, written.fmt).error
    assert error is not None
    assert (transcript.integrity, transcript.first_bad_seq, transcript.events) == (
        Integrity.DAMAGED,
        0,
        [],
    )
    assert transcript.problems == [t("store.first_cut", line=written.marker_line(0), error=error)]


def test_the_fingerprint_and_the_event_it_names(written: Written) -> None:
    transcript = read_transcript(written.path)
    assert transcript.hashes == written.hashes
    assert transcript.fingerprint == codec.fingerprint(written.hashes[-1])
    for seq, digest in enumerate(written.hashes):
        assert transcript.event_with_fingerprint(digest[:16]) == seq
    assert transcript.event_with_fingerprint("0" * 16) is None
    empty = reread(written, written.header)
    assert (empty.fingerprint, empty.hashes) == ("", [])


def test_only_a_regular_file_is_read(tmp_path: Path) -> None:
    fifo = tmp_path / "tube.toml"
    os.mkfifo(fifo)  # opened without waiting for a writer, then refused unread
    assert str(_error(fifo)) == t("store.not_regular", path=fifo)


def test_a_read_that_fails_is_said_and_leaves_no_descriptor(
    written: Written, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fd: int, size: int) -> bytes:
        raise OSError(errno.EIO, "Input/output error")

    before = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, "read", broken)
    error = _error(written.path)
    monkeypatch.undo()
    assert str(error) == t("store.unreadable", path=written.path, why="Input/output error")
    assert len(os.listdir("/proc/self/fd")) == before


def test_a_header_edited_beyond_recognition_still_reads_its_sealed_events(
    written: Written,
) -> None:
    transcript = reread(written, written.text.replace("# ndrc-oral", "# autre chose", 1))
    assert transcript.integrity is Integrity.DAMAGED
    assert transcript.problems == [t("store.header_altered")]
    assert (transcript.format, transcript.events) == (written.fmt, written.events)
