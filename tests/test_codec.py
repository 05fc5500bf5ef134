"""The transcript format, one event at a time: what ``encode`` writes, how a file is cut
into events, and the exact reason ``decode`` gives for each way an event can be wrong.

``verify`` prints these reasons: an examiner reads "a comment was added" or "t must
be a decimal number", not "damaged".
"""

from __future__ import annotations

import tomllib

import pytest

from ndrc_oral.i18n import t
from ndrc_oral.session import Event
from ndrc_oral.transcript import codec

AT = "2026-06-02T08:01:24.211+02:00"
NOTE = Event(3, "note", 84.211, AT, {"text": "Bonne reformulation", "phase": "expose"})


def chunk_of(text: str, line: int = 7) -> codec.Chunk:
    return codec.Chunk(line, 100, text)


def test_encode_writes_one_table_after_a_newline() -> None:
    payload, digest = codec.encode(NOTE, "9f2c")
    text = payload.decode("utf-8")
    assert text.startswith(f"\n{codec.MARKER}\nseq = 3\n")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert tomllib.loads(text) == {
        "event": [
            {
                "seq": 3,
                "type": "note",
                "t": 84.211,
                "at": AT,
                "prev": "9f2c",
                "hash": digest,
                "data": {"text": "Bonne reformulation", "phase": "expose"},
            }
        ]
    }
    assert digest == codec.event_hash(NOTE, "9f2c")
    assert digest != codec.event_hash(NOTE, "9f2d")  # chained: the previous hash counts


def test_encode_drops_nones_and_writes_time_as_a_decimal() -> None:
    event = Event(0, "created", 0, AT, {"a": None, "b": [1, None, {"c": None, "d": 2}], "e": 1})
    payload, digest = codec.encode(event, codec.GENESIS)
    [table] = tomllib.loads(payload.decode("utf-8"))["event"]
    assert table["data"] == {"b": [1, {"d": 2}], "e": 1}
    assert type(table["t"]) is float
    decoded = codec.decode(codec.split(payload.decode("utf-8"))[1][0])
    assert decoded.error is None and decoded.hash == digest


def test_a_newline_in_a_text_never_starts_a_line() -> None:
    event = Event(1, "note", 1.0, AT, {"text": "ligne 1\n[[event]]\n# pas un commentaire"})
    payload, _ = codec.encode(event, "x")
    _, chunks = codec.split(payload.decode("utf-8"))
    assert len(chunks) == 1
    assert codec.decode(chunks[0]).event == event


def test_split_cuts_at_marker_lines_with_their_line_and_offset() -> None:
    text = "# en-tête\n\n[[event]]\nseq = 0\n\n[[event]]\r\nseq = 1\n[[event]] \n[[event]]X\n"
    preamble, chunks = codec.split(text)
    assert preamble == "# en-tête\n\n"
    assert [(c.line, c.offset) for c in chunks] == [(3, 11), (6, 30)]
    assert [c.text for c in chunks] == [
        "[[event]]\nseq = 0\n\n",
        "[[event]]\r\nseq = 1\n[[event]] \n[[event]]X\n",  # with more on the line: no marker
    ]
    assert codec.split("# rien\n") == ("# rien\n", [])
    assert codec.split("") == ("", [])


def whole(event: Event = NOTE, prev: str = "p") -> str:
    return codec.encode(event, prev)[0].decode("utf-8").removeprefix("\n")


def test_decode_a_whole_event() -> None:
    decoded = codec.decode(chunk_of(whole()))
    assert (decoded.line, decoded.event, decoded.prev, decoded.error) == (7, NOTE, "p", None)
    assert decoded.hash == codec.event_hash(NOTE, "p")


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("# ajouté\n" + whole(), t("codec.comment")),
        (whole() + "# ajouté\n", t("codec.comment")),
        (whole().replace('type = "note"', 'type = "note"\n#'), t("codec.comment")),
        ("[[event]]\nseq = 1\nseq = 2\n", None),  # not TOML: the parser's words follow
        ("event = 1\n", t("codec.not_one_table")),
        (whole() + whole(), t("codec.not_one_table")),
        ("[event]\nseq = 1\n", t("codec.not_one_table")),
        ("[[event]]\nseq = 3\nhash = 'h'\n", t("codec.no_hash")),
        ("[[event]]\nprev = 'p'\n", t("codec.no_hash")),
        ("[[event]]\nprev = 1\nhash = 'h'\n", t("codec.no_hash")),
        ("[[event]]\nprev = 'p'\nhash = 2\n", t("codec.no_hash")),
    ],
)
def test_decode_says_why_a_chunk_is_no_event(text: str, error: str | None) -> None:
    decoded = codec.decode(chunk_of(text))
    assert decoded.event is None and decoded.line == 7
    if error is None:
        assert decoded.error is not None
        assert decoded.error.startswith(t("codec.not_toml", detail="")[:-1])
    else:
        assert decoded.error == error


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("seq = 3", "seq = 3\nextra = 1", t("codec.fields", missing="-", extra="extra")),
        (
            'at = "' + AT + '"\n',
            "",
            t("codec.fields", missing="at", extra="-"),
        ),
        ("seq = 3", 'seq = "3"', t("codec.seq_t")),
        ("seq = 3", "seq = 3.0", t("codec.seq_t")),
        ("seq = 3", "seq = true", t("codec.seq_t")),
        ("t = 84.211", "t = 84", t("codec.seq_t")),
        ('type = "note"', "type = 1", t("codec.type_at")),
        ('at = "' + AT + '"', "at = 2026-06-02T08:01:24", t("codec.type_at")),
    ],
)
def test_decode_refuses_every_form_encode_never_writes(old: str, new: str, error: str) -> None:
    text = whole()
    assert old in text
    decoded = codec.decode(chunk_of(text.replace(old, new, 1)))
    assert (decoded.event, decoded.error) == (None, error)
    assert (decoded.prev, decoded.hash) == ("p", codec.event_hash(NOTE, "p"))


def test_decode_refuses_data_that_is_no_table() -> None:
    text = whole().split("\n[event.data]")[0] + "\ndata = 1\n"
    decoded = codec.decode(chunk_of(text))
    assert (decoded.event, decoded.error) == (None, t("codec.data"))


def test_decode_several_missing_and_extra_fields_in_order() -> None:
    text = whole().replace("seq = 3\n", "zz = 1\naa = 2\n").replace('type = "note"\n', "")
    decoded = codec.decode(chunk_of(text))
    assert decoded.error == t("codec.fields", missing="seq, type", extra="aa, zz")


def test_decode_an_edited_value_keeps_the_event_and_names_the_hash() -> None:
    decoded = codec.decode(chunk_of(whole().replace("Bonne", "Mauvaise")))
    assert decoded.error == t("codec.hash_mismatch")
    assert decoded.event is not None and decoded.event.data["text"] == "Mauvaise reformulation"
    assert decoded.prev == "p"
