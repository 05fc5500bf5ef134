"""Hundreds of damaged transcripts through the commands people run: verify, show, list.

``tests/test_transcript_damage.py`` proves the reader; this file proves what a
user sees. Each case is a real session's file truncated, bit-flipped, or
edited as people edit files by hand (a value changed, a line removed or added,
an event removed, copied or moved, a comment, Windows line endings, a BOM,
trailing spaces, accents decomposed by a Mac editor, the file re-formatted by
a TOML tool). Then:

* ``ndrc-oral logs verify`` exits 1 and names the first bad event, for every
  case except the one its documentation names: a file cut exactly between two
  events is a shorter intact log, which ``verify`` passes with the remark that
  the session is not finished;
* ``ndrc-oral logs show`` prints what could be trusted (every note of the
  intact part) under a warning, or one line and exit 1 when nothing can be;
* ``ndrc-oral logs list`` and the review listing (``index.list_sessions``) list
  every file, flagged, with what its intact part says; no traceback anywhere.
"""

from __future__ import annotations

import copy
import json
import random
import re
import time
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import tomli_w
from conftest import DEMO_EXAM
from sessions import who

from ndrc_oral.cli import main
from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.events import Event, Kind
from ndrc_oral.transcript import index
from ndrc_oral.transcript.codec import HEADER
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, Transcript, read_transcript
from ndrc_oral.transcript.recorder import new_session

Capture = pytest.CaptureFixture[str]

NOTES = [f"remarque numéro {i} très claire 🎓" for i in range(6)]


@dataclass(frozen=True)
class Original:
    data: bytes
    events: list[Event]
    ends: list[int]
    """Byte offset of the end of each event."""

    @property
    def header(self) -> int:
        return len(HEADER.encode())

    def boundaries(self) -> set[int]:
        """Cuts that leave whole events only: at an event's end, give or take its newline."""
        return {end + d for end in self.ends for d in (-1, 0, 1)}

    def payloads(self) -> list[bytes]:
        starts = [self.header, *self.ends[:-1]]
        return [self.data[s:e] for s, e in zip(starts, self.ends, strict=True)]


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Original:
    exam = Exam.model_validate(copy.deepcopy(DEMO_EXAM))
    clock = FakeClock()
    store = Store(tmp_path_factory.mktemp("original"))
    live = new_session(store, exam, clock, who("Zoé Ŋguyen", number="0421"), fsync=False)
    s = live.session
    s.start()
    clock.advance(61)  # the preparation ends by itself; the exposé waits for its start
    s.start()
    for i, text in enumerate(NOTES):
        clock.advance(7.5)
        s.note(text, criterion="c1" if i % 2 else None)
        s.rate(["c1", "c2", "c3"][i % 3], ["TI", "I", "S", "TS"][i % 4])
        if i == 2:
            s.pause("bruit dans le couloir")
            clock.advance(30)
            s.resume()
    s.end_phase(carry_over=True)
    s.set_result(mark=14.5, appreciation="Exposé clair")
    s.finish()
    live.close()
    data = live.path.read_bytes()
    # The offset where each event ends, found from the markers (the writer
    # starts each event with a newline and the marker line).
    marks = [m.start() for m in re.finditer(rb"\n\[\[event\]\]\n", data)]
    ends = [*marks[1:], len(data)]
    return Original(data, list(s.events), ends)


def cases(original: Original, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """(kind, bytes) of each damaged file."""
    data = original.data
    text = data.decode()
    for _ in range(60):
        cut = rng.randrange(len(data))
        yield "cut", data[:cut]
    for end in original.ends[:-1]:
        yield "cut", data[:end]  # exactly between two events
    for _ in range(80):
        offset = rng.randrange(len(data))
        flipped = bytearray(data)
        flipped[offset] ^= 1 << rng.randrange(8)
        yield "bit flip", bytes(flipped)
    lines = text.split("\n")
    scalar = re.compile(r'^[a-z_]+ = ("[^"]*"|-?[0-9.]+|true|false)$')
    values = [i for i, line in enumerate(lines) if scalar.match(line)]
    for _ in range(40):
        i = rng.choice(values)
        key, _, value = lines[i].partition(" = ")
        edited = list(lines)
        new = {"true": "false", "false": "true"}.get(value) or (
            value[:-1] + 'é"' if value.startswith('"') else str(float(value) + 1)
        )
        edited[i] = f"{key} = {new}"
        yield "value edited", "\n".join(edited).encode()
    for _ in range(25):
        i = rng.randrange(4, len(lines) - 1)
        yield "line removed", "\n".join(lines[:i] + lines[i + 1 :]).encode()
    for _ in range(25):
        i = rng.randrange(4, len(lines))
        line = rng.choice(["", "  ", "# vu par M. Martin", 'commentaire = "corrigé"', "[[event]]"])
        yield "line added", "\n".join([*lines[:i], line, *lines[i:]]).encode()
    payloads = original.payloads()
    head = data[: original.header]
    for i in range(1, len(payloads) - 1):
        yield "event removed", head + b"".join(payloads[:i] + payloads[i + 1 :])
        yield "event copied", head + b"".join([*payloads[: i + 1], payloads[i], *payloads[i + 1 :]])
        moved = list(payloads)
        moved[i], moved[i + 1] = moved[i + 1], moved[i]
        yield "events swapped", head + b"".join(moved)
    yield "windows line endings", text.replace("\n", "\r\n").encode()
    yield "byte order mark", b"\xef\xbb\xbf" + data
    yield "trailing spaces", "\n".join(line + " " for line in lines).encode()
    yield "tabs", text.replace("\n", "\n\t").encode()
    yield "accents decomposed", unicodedata.normalize("NFD", text).encode()
    yield "re-formatted by a TOML tool", tomli_w.dumps(tomllib.loads(text)).encode()


@dataclass
class Tally:
    cases: int = 0
    caught: int = 0
    boundary: int = 0
    """Cuts exactly between two events: a shorter intact log, as documented."""
    layout: int = 0
    """Edits of the layout only: every event still holds exactly what was written."""
    layout_passed: int = 0
    verify_s: float = 0.0
    show_s: float = 0.0


def recorded(raw: bytes) -> object:
    """What a file records, as any TOML reader sees it (``None`` if it is not TOML)."""
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None


def run(capsys: Capture, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def test_every_damaged_transcript_is_caught_and_its_intact_part_shown(
    tmp_path: Path, original: Original, capsys: Capture
) -> None:
    rng = random.Random(20260602)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    tally = Tally()
    read: dict[str, Transcript] = {}
    by_kind: dict[str, int] = {}
    for n, (kind, raw) in enumerate(cases(original, rng)):
        if raw == original.data:
            continue  # a flip back and forth, an edit to the same value
        path = data_dir / f"20260602-0800{n:02d}-case{n:03d}.toml"
        path.write_bytes(raw)
        tally.cases += 1
        by_kind[kind] = by_kind.get(kind, 0) + 1
        transcript = read[str(path)] = read_transcript(path)
        trusted = transcript.events
        assert trusted == original.events[: len(trusted)], (kind, n)

        start = time.perf_counter()
        code, out, err = run(capsys, "logs", "verify", str(path))
        tally.verify_s += time.perf_counter() - start
        if kind == "cut" and len(raw) in original.boundaries():
            # Cut exactly between two events: nothing in the file says more was written.
            assert code == 0 and "intact" in out, (n, out)
            assert ("pas terminée" in out) == (len(trusted) < len(original.events)), (n, out)
            tally.boundary += 1
        elif recorded(raw) == recorded(original.data):
            # Only the layout changed (a blank line, spaces, line endings): every
            # value of every event is as written, and verify may say so.
            assert code in (0, 1), (kind, n, out)
            tally.layout += 1
            tally.layout_passed += code == 0
        else:
            assert code == 1, (kind, n, out)
            assert "ENDOMMAGÉ" in out or "TRONQUÉE" in out, (kind, n, out)
            assert f"l'événement {transcript.first_bad_seq} " in out, (kind, n, out)
            tally.caught += 1

        start = time.perf_counter()
        code, out, err = run(capsys, "logs", "show", str(path))
        tally.show_s += time.perf_counter() - start
        if trusted and trusted[0].kind == Kind.CREATED:
            assert code == 0, (kind, n, err)
            notes = [e.data["text"] for e in trusted if e.kind == Kind.NOTE]
            assert all(note in out for note in notes), (kind, n)
            if transcript.integrity is not Integrity.INTACT:
                assert out.index("⚠") < out.index("Zoé Ŋguyen"), (kind, n)  # warning first
        else:
            assert code == 1 and err.count("\n") == 1, (kind, n, err)

    # The review's listing and `logs list` take every file, flagged, with its intact part.
    start = time.perf_counter()
    listing = index.list_sessions(data_dir, use_cache=False).sessions
    list_s = time.perf_counter() - start
    assert len(listing) == tally.cases
    for summary in listing:
        transcript = read[summary.path]
        trusted = transcript.events
        if trusted and trusted[0].kind == Kind.CREATED:
            assert summary.integrity == str(transcript.integrity)
            assert summary.candidate_name == "Zoé Ŋguyen"
            assert summary.notes == sum(1 for e in trusted if e.kind == Kind.NOTE)
        else:
            assert summary.damaged and summary.problem
    code, out, _ = run(capsys, "logs", "list", "--data-dir", str(data_dir))
    assert code == 0 and f"{tally.cases} session(s)." in out
    damaged = sum(1 for s in listing if s.damaged)
    assert f"{damaged} endommagée(s)" in out
    code, out, _ = run(capsys, "logs", "list", "--json", "--data-dir", str(data_dir))
    assert code == 0 and len(json.loads(out)) == tally.cases

    assert tally.cases >= 300
    assert tally.caught == tally.cases - tally.boundary - tally.layout
    assert set(by_kind) >= {"cut", "bit flip", "value edited", "event removed", "tabs"}
    with capsys.disabled():
        print(
            f"\n{tally.cases} damaged transcripts: verify caught all {tally.caught} that change "
            f"what is recorded, except {tally.boundary} cuts exactly between two events "
            f"(documented); {tally.layout} layout-only edits ({tally.layout_passed} passed); "
            f"verify {tally.verify_s / tally.cases * 1000:.1f} ms, "
            f"show {tally.show_s / tally.cases * 1000:.1f} ms per file; "
            f"list_sessions of all {list_s * 1000:.0f} ms"
        )
