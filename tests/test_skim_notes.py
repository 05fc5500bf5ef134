"""The review's unchecked read of the notes gives what the checked read gives.

While a big session is checked, the review shows its first notes read without
the check (``skim.Skim``): a note the writer made is read by one regular
expression, anything else is decoded as the reader decodes it. On an intact
file, the unchecked read must give exactly the checked read's events, so that
what the commission reads before the check is what it reads after.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import SessionIdentity
from ndrc_oral.transcript import codec
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, read_transcript
from ndrc_oral.transcript.recorder import new_session
from ndrc_oral.transcript.skim import Skim, checked_session

FIXTURES = Path(__file__).parent / "fixtures" / "transcripts"
INTACT = [
    p for p in sorted(FIXTURES.glob("*/*.toml")) if read_transcript(p).integrity == Integrity.INTACT
]


@pytest.mark.parametrize("path", INTACT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_an_intact_file_read_unchecked_gives_the_checked_events(path: Path) -> None:
    skim = Skim.read(path)
    assert skim is not None
    unchecked = skim.preview(all_notes=True)
    checked = checked_session(path)
    assert unchecked is not None
    assert unchecked.events == checked.events
    assert unchecked.state.notes == checked.state.notes
    assert skim.notes == sum(e.kind == "note" for e in checked.events)


def test_there_are_fixtures_with_notes_of_both_formats() -> None:
    # Made by earlier versions: format 1 (v1, v2) and sealed, format 2 (v3-sealed).
    with_notes = {
        read_transcript(p).format for p in INTACT if (Skim.read(p) or pytest.fail()).notes
    }
    assert with_notes == {1, 2}


def written(store: Store, catalog: Catalog, texts: list[str]) -> Path:
    clock = FakeClock()
    live = new_session(
        store, catalog.get("e4-ponctuel"), clock, SessionIdentity("Ada"), fsync=False
    )
    live.session.start()
    for text in texts:
        clock.advance(1.5)
        live.session.note(text, criterion=None)
    live.close()
    [path] = store.root.glob("*.toml")
    return path


def test_notes_of_any_text_read_unchecked_as_checked(store: Store, catalog: Catalog) -> None:
    # Quotes, backslashes, control characters, tabs, lines, accents and emoji: what
    # tomli_w escapes, and a note's text the fast reading must give back as tomllib does.
    texts = [
        '« prix » "cité"',
        "a\\b",
        "deux\nlignes",
        "tab\there",
        "bell\x07",
        "😀 été",
        "\\u00e9 pas un échappement",
    ]
    path = written(store, catalog, texts)
    skim = Skim.read(path)
    assert skim is not None and skim.notes == len(texts)
    unchecked = skim.preview(all_notes=True)
    assert unchecked is not None
    assert [n.text for n in unchecked.state.notes] == texts
    assert unchecked.events == checked_session(path).events


def test_the_first_notes_with_every_other_event(store: Store, catalog: Catalog) -> None:
    path = written(store, catalog, [f"note {n}" for n in range(10)])
    skim = Skim.read(path)
    assert skim is not None
    first = skim.preview(first_notes=3)
    full = checked_session(path)
    assert first is not None
    assert [n.text for n in first.state.notes] == ["note 0", "note 1", "note 2"]
    # Every other event is the whole file's: the phases as the check will show them.
    assert [e for e in first.events if e.kind != "note"] == [
        e for e in full.events if e.kind != "note"
    ]
    assert first.state.phases == full.state.phases


def test_a_note_written_otherwise_is_decoded_as_the_reader_decodes_it(
    store: Store, catalog: Catalog
) -> None:
    # The same note with its data's keys in another order: still TOML the reader reads
    # (its hash is of the values, not of the text), not the layout the fast reading knows.
    path = written(store, catalog, ["première", "seconde"])
    data = path.read_bytes()
    moved = data.replace(b'text = "seconde"\nphase = ', b"phase = ", 1).replace(
        b"offset_s = 3.0\n", b'offset_s = 3.0\ntext = "seconde"\n', 1
    )
    assert moved != data and len(moved) == len(data)
    path.write_bytes(moved)
    assert read_transcript(path).integrity == Integrity.INTACT
    skim = Skim.read(path)
    assert skim is not None
    unchecked = skim.preview(all_notes=True)
    assert unchecked is not None
    assert [n.text for n in unchecked.state.notes] == ["première", "seconde"]
    assert unchecked.events == checked_session(path).events


def test_the_notes_the_writer_made_are_not_decoded_one_by_one(
    store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What makes 20,000 notes show in some 200 ms rather than a second: the decoder
    # (parse, hash) is asked for the other events only, whatever the notes' texts.
    path = written(store, catalog, ['« prix » "cité"', "a\\b", "deux\nlignes", "😀"] * 5)
    real = codec.decode
    calls: list[int] = []

    def counted(chunk: codec.Chunk, format: int = 1) -> codec.Decoded:
        calls.append(chunk.offset)
        return real(chunk, format)

    monkeypatch.setattr(codec, "decode", counted)
    (Skim.read(path) or pytest.fail()).preview()
    without_notes = len(calls)
    calls.clear()
    unchecked = (Skim.read(path) or pytest.fail()).preview(all_notes=True)
    assert unchecked is not None and len(unchecked.state.notes) == 20
    assert len(calls) == without_notes


def test_a_note_the_writer_could_not_have_made_goes_to_the_decoder(
    store: Store, catalog: Catalog
) -> None:
    # Its seal not its own hash, or its seq written 03: the decoder refuses each, so
    # nothing is shown before the check (which says the file is damaged).
    path = written(store, catalog, ["première", "seconde", "troisième"])
    data = path.read_bytes()
    transcript = read_transcript(path)
    second = [i for i, e in enumerate(transcript.events) if e.kind == "note"][1]
    digest = transcript.hashes[second]
    other = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    seq = transcript.events[second].seq
    for edited in (
        data.replace(f"# sealed {digest}".encode(), f"# sealed {other}".encode()),
        data.replace(f"seq = {seq}\n".encode(), f"seq = 0{seq}\n".encode()),
    ):
        assert edited != data
        path.write_bytes(edited)
        assert read_transcript(path).integrity != Integrity.INTACT
        skim = Skim.read(path)
        assert skim is not None
        assert skim.preview() is not None  # the other events are as they were
        assert skim.preview(all_notes=True) is None
