"""Generated damage: cuts at every byte, bit flips, edited values, moved events.

Whatever is done to a transcript, ``read_transcript`` raises nothing but
``TranscriptError``, returns only events of the original (a prefix of it), and
says ``intact`` only when the file is a whole log: the original, or the
original cut exactly between two events. Such a shorter log differs from the
original only by its missing ``finished`` event. Every test runs on a file of
each format: format 1 (ndrc-oral 0.1) and format 2, whose sealed events tell an
edit of the last event from a torn write.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from engine_support import TINY_EXAM
from sessions import who

from ndrc_oral.session import Event, FakeClock, Session
from ndrc_oral.transcript import Integrity, Transcript, TranscriptError, read_transcript
from ndrc_oral.transcript.codec import HEADERS, MARKER, encode
from ndrc_oral.transcript.writer import TranscriptWriter


@dataclass(frozen=True)
class Original:
    data: bytes
    events: list[Event]
    ends: list[int]
    """Byte offset of the end of each event."""
    header: int
    """Byte length of the header."""
    fmt: int
    """The file format."""

    def payload(self, i: int) -> bytes:
        start = self.ends[i - 1] if i else self.header
        return self.data[start : self.ends[i]]

    def owner(self, offset: int) -> int:
        """The event whose bytes hold ``offset`` (after the header)."""
        return next(i for i, end in enumerate(self.ends) if offset < end)


@pytest.fixture(scope="module", params=[1, 2], ids=["format-1", "format-2"])
def original(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Original:
    saved: list[Event] = []
    clock = FakeClock()
    s = Session.create(TINY_EXAM, clock, saved.append, session_id="d", identity=who("Zoé Ŋ 🎓"))
    s.start()
    clock.advance(12.5)
    s.note("élève à l'aise", criterion="x")
    s.pause("bruit")
    clock.advance(3)
    s.resume()
    s.rate("x", "S")
    clock.advance(40)
    s.end_phase(carry_over=True)
    s.set_result(mark=13.5, appreciation="Clair")
    s.finish()
    # The reader checks the format, not the exam: a short `created` keeps the
    # file small enough to cut at every byte quickly.
    created = saved[0]
    short = {k: v for k, v in created.data.items() if k != "exam_def"}
    events = [Event(0, created.kind, created.t, created.at, short), *saved[1:]]

    path = tmp_path_factory.mktemp("original") / "s.toml"
    writer = TranscriptWriter(path, fsync=False)
    writer.format = request.param
    ends: list[int] = []
    for event in events:
        writer.append(event)
        ends.append(path.stat().st_size)
    writer.close()
    fmt = request.param
    return Original(path.read_bytes(), events, ends, len(HEADERS[fmt].encode()), fmt)


def read(tmp_path: Path, raw: bytes) -> Transcript | None:
    """``read_transcript`` of ``raw``; ``None`` when it raised a ``TranscriptError``."""
    path = tmp_path / "damaged.toml"
    path.write_bytes(raw)
    try:
        transcript = read_transcript(path)
    except TranscriptError:
        return None
    return transcript


def assert_prefix(transcript: Transcript, original: Original) -> None:
    n = len(transcript.events)
    assert transcript.events == original.events[:n]


def test_the_original_is_intact(tmp_path: Path, original: Original) -> None:
    transcript = read(tmp_path, original.data)
    assert transcript is not None and transcript.integrity is Integrity.INTACT
    assert transcript.events == original.events and transcript.finished


def expected_after_cut(original: Original, k: int) -> tuple[Integrity, int]:
    """What the reader must say of the first ``k`` bytes: integrity and event count."""
    m = sum(1 for end in original.ends if end <= k)  # whole events before the cut
    start = original.ends[m - 1] if m else original.header
    rest = original.data[start:k].decode("utf-8", "ignore")
    # Nothing, or only the newline and part of the marker line of the next event.
    before_marker = k <= start or (
        rest.startswith("\n") and MARKER.startswith(rest[1:]) and rest[1:] != MARKER
    )
    if m == 0 and before_marker:
        return Integrity.DAMAGED, 0  # a header at most: no session in it
    if before_marker:
        return (Integrity.INTACT if rest in ("", "\n") else Integrity.TORN_TAIL), m
    whole = original.payload(m).decode("utf-8")
    if rest.rstrip("\n") == whole.rstrip("\n"):
        return Integrity.INTACT, m + 1  # only the final newline is missing
    if m == 0:
        # Cut inside its first event: no session in it either. (The writer makes
        # a file with its first event at once: no crash leaves this.)
        return Integrity.DAMAGED, 0
    return Integrity.TORN_TAIL, m


def test_a_cut_at_every_byte(tmp_path: Path, original: Original) -> None:
    seen: dict[tuple[Integrity, bool], int] = {}
    for k in range(len(original.data) + 1):
        transcript = read(tmp_path, original.data[:k])
        assert transcript is not None
        assert_prefix(transcript, original)
        expected = expected_after_cut(original, k)
        assert (transcript.integrity, len(transcript.events)) == expected, k
        whole = len(transcript.events) == len(original.events)
        if transcript.integrity is Integrity.INTACT:
            # A shorter intact log: told apart only by its missing `finished`.
            assert transcript.finished == whole
        seen[transcript.integrity, whole] = seen.get((transcript.integrity, whole), 0) + 1
    assert set(seen) == {
        (Integrity.DAMAGED, False),
        (Integrity.TORN_TAIL, False),
        (Integrity.INTACT, False),
        (Integrity.INTACT, True),
    }


def test_bit_flips(tmp_path: Path, original: Original) -> None:
    rng = random.Random(20260602)
    last = len(original.events) - 1
    for _ in range(600):
        offset = rng.randrange(len(original.data))
        raw = bytearray(original.data)
        raw[offset] ^= 1 << rng.randrange(8)
        transcript = read(tmp_path, bytes(raw))
        assert transcript is not None
        assert_prefix(transcript, original)
        if offset < original.header:
            assert transcript.integrity is Integrity.DAMAGED, offset
            continue
        owner = original.owner(offset)
        n = len(transcript.events)
        # The flipped event is lost; its newline may take the one before with it.
        assert owner - 1 <= n <= owner, offset
        if owner == last:
            # A flip in the last event looks like an unfinished write.
            assert transcript.integrity in (Integrity.TORN_TAIL, Integrity.DAMAGED), offset
        else:
            assert transcript.integrity is Integrity.DAMAGED, offset


VALUE_LINE = re.compile(r'^(?P<key>[a-z_]+) = (?P<value>"[^"]*"|[-0-9.]+|true|false)$', re.M)


def edits(value: str) -> list[str]:
    """Other values for a TOML value: different ones, and the same one as another type."""
    if value.startswith('"'):
        inner = value[1:-1]
        return [f'"{inner}x"', '""' if inner else '"x"', inner or "0"]
    if value in ("true", "false"):
        return ["false" if value == "true" else "true", f'"{value}"', "1"]
    if "." in value:
        return [str(float(value) + 1), value.split(".")[0], f'"{value}"']
    return [str(int(value) + 1), f"{value}.0", f'"{value}"', "true"]


def test_edited_values(tmp_path: Path, original: Original) -> None:
    text = original.data.decode("utf-8")
    last = len(original.events) - 1
    count = 0
    for match in VALUE_LINE.finditer(text):
        owner = original.owner(len(text[: match.start()].encode("utf-8")))
        for new in edits(match["value"]):
            if new == match["value"]:
                continue
            edited = text[: match.start("value")] + new + text[match.end("value") :]
            transcript = read(tmp_path, edited.encode("utf-8"))
            assert transcript is not None
            assert_prefix(transcript, original)
            assert len(transcript.events) == owner, (match[0], new)
            # Format 1 cannot tell an edit of the last event from a torn write;
            # format 2 can: the edited event still has its seal, so it is whole.
            torn = owner == last and original.fmt == 1
            expected = Integrity.TORN_TAIL if torn else Integrity.DAMAGED
            assert transcript.integrity is expected, (match[0], new)
            count += 1
    assert count > 200


def test_an_added_key_is_an_edit(tmp_path: Path, original: Original) -> None:
    text = original.data.decode("utf-8")
    edited = text.replace("\nseq = 3\n", "\nseq = 3\nextra = 1\n")
    transcript = read(tmp_path, edited.encode("utf-8"))
    assert transcript is not None
    assert (transcript.integrity, len(transcript.events)) == (Integrity.DAMAGED, 3)


def events_of(original: Original) -> list[bytes]:
    return [original.payload(i) for i in range(len(original.events))]


def join(original: Original, payloads: list[bytes]) -> bytes:
    return original.data[: original.header] + b"".join(payloads)


def test_removed_events(tmp_path: Path, original: Original) -> None:
    payloads = events_of(original)
    last = len(payloads) - 1
    for i in range(len(payloads)):
        transcript = read(tmp_path, join(original, payloads[:i] + payloads[i + 1 :]))
        assert transcript is not None
        assert_prefix(transcript, original)
        if i == last:
            # Removing the last events leaves a whole, shorter log.
            assert (transcript.integrity, transcript.finished) == (Integrity.INTACT, False)
        else:
            assert (transcript.integrity, len(transcript.events)) == (Integrity.DAMAGED, i)


def test_duplicated_events(tmp_path: Path, original: Original) -> None:
    payloads = events_of(original)
    for i in range(len(payloads)):
        copied = [*payloads[: i + 1], payloads[i], *payloads[i + 1 :]]
        transcript = read(tmp_path, join(original, copied))
        assert transcript is not None
        assert_prefix(transcript, original)
        # Even a copy of the last event is damage: it is whole, so no write was cut.
        assert (transcript.integrity, len(transcript.events)) == (Integrity.DAMAGED, i + 1)


def test_reordered_events(tmp_path: Path, original: Original) -> None:
    payloads = events_of(original)
    rng = random.Random(7)
    for i in range(len(payloads) - 1):
        swapped = list(payloads)
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        transcript = read(tmp_path, join(original, swapped))
        assert transcript is not None
        assert (transcript.integrity, transcript.events) == (
            Integrity.DAMAGED,
            original.events[:i],
        )
    for _ in range(50):
        shuffled = list(payloads)
        rng.shuffle(shuffled)
        transcript = read(tmp_path, join(original, shuffled))
        assert transcript is not None
        assert_prefix(transcript, original)
        if shuffled != payloads:
            assert transcript.integrity is Integrity.DAMAGED


def test_a_forged_event_with_a_valid_hash_breaks_the_chain(
    tmp_path: Path, original: Original
) -> None:
    # Someone rewrites a note and recomputes its hash. Without a secret key the
    # forged note itself cannot be told from a true one, but the chain breaks
    # at the next event: the transcript is reported damaged from there.
    payloads = events_of(original)
    note = original.events[2]
    assert note.kind == "note"
    forged = Event(note.seq, note.kind, note.t, note.at, {**note.data, "text": "réécrite"})
    previous_hash = re.search(rb'hash = "([0-9a-f]+)"', payloads[1])
    assert previous_hash is not None
    payloads[2], _ = encode(forged, previous_hash[1].decode(), original.fmt)
    transcript = read(tmp_path, join(original, payloads))
    assert transcript is not None
    assert (transcript.integrity, transcript.first_bad_seq) == (Integrity.DAMAGED, 3)
    assert transcript.events[:2] == original.events[:2] and len(transcript.events) == 3
    assert "chaîne" in transcript.problems[0]


def test_a_comment_added_between_events(tmp_path: Path, original: Original) -> None:
    payloads = events_of(original)
    payloads[4] = b"\n# corrig\xc3\xa9 par M. X" + payloads[4]
    transcript = read(tmp_path, join(original, payloads))
    assert transcript is not None
    assert (transcript.integrity, len(transcript.events)) == (Integrity.DAMAGED, 3)


@pytest.mark.parametrize(
    "tail",
    [b"garbage", b"\n[[event]]\n", b"\x00" * 4096, b"\xff\xfe", "\n# é".encode()],
)
def test_bytes_after_the_end(tmp_path: Path, original: Original, tail: bytes) -> None:
    transcript = read(tmp_path, original.data + tail)
    assert transcript is not None
    assert_prefix(transcript, original)
    assert transcript.integrity is not Integrity.INTACT
