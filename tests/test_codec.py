"""The transcript format, one event at a time: what ``encode`` writes, how a file is cut
into events, and the exact reason ``decode`` gives for each way an event can be wrong.

``verify`` prints these reasons: an examiner reads "a comment was added" or "t must
be a decimal number", not "damaged". The body of an event is checked the same way
in both formats; the tests of it run on format 1 (the exact text files of ndrc-oral
0.1 hold), those of the seal on format 2, and those of what both share on both.
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


@pytest.mark.parametrize("fmt", [1, 2])
def test_encode_writes_one_table_after_a_newline(fmt: int) -> None:
    payload, digest = codec.encode(NOTE, "9f2c", fmt)
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


@pytest.mark.parametrize("fmt", [1, 2])
def test_encode_drops_nones_and_writes_time_as_a_decimal(fmt: int) -> None:
    event = Event(0, "created", 0, AT, {"a": None, "b": [1, None, {"c": None, "d": 2}], "e": 1})
    payload, digest = codec.encode(event, codec.GENESIS, fmt)
    [table] = tomllib.loads(payload.decode("utf-8"))["event"]
    assert table["data"] == {"b": [1, {"d": 2}], "e": 1}
    assert type(table["t"]) is float
    decoded = codec.decode(codec.split(payload.decode("utf-8"))[1][0], fmt)
    assert decoded.error is None and decoded.hash == digest


@pytest.mark.parametrize("fmt", [1, 2])
def test_a_newline_in_a_text_never_starts_a_line(fmt: int) -> None:
    event = Event(1, "note", 1.0, AT, {"text": "ligne 1\n[[event]]\n# sealed pas un scellé"})
    payload, _ = codec.encode(event, "x", fmt)
    _, chunks = codec.split(payload.decode("utf-8"))
    assert len(chunks) == 1
    assert codec.decode(chunks[0], fmt).event == event


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


def whole(event: Event = NOTE, prev: str = "p", fmt: int = 1) -> str:
    return codec.encode(event, prev, fmt)[0].decode("utf-8").removeprefix("\n")


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


# --- format 2: the seal ---------------------------------------------------------------------

SEALED = whole(fmt=2)
DIGEST = codec.event_hash(NOTE, "p")


def test_format_2_ends_each_event_with_its_seal() -> None:
    assert whole(fmt=1) + f"# sealed {DIGEST}\n" == SEALED
    assert tomllib.loads(SEALED) == tomllib.loads(whole(fmt=1))  # a comment: still the same TOML
    decoded = codec.decode(chunk_of(SEALED + "\n"), 2)  # the blank line before the next event
    assert (decoded.event, decoded.hash, decoded.error, decoded.sealed) == (
        NOTE,
        DIGEST,
        None,
        True,
    )
    assert decoded.rest == "\n"


@pytest.mark.parametrize(
    "cut",
    [
        SEALED[: SEALED.index("# sealed")],  # everything but the seal
        SEALED[: SEALED.index("# sealed") + 1],
        SEALED[: SEALED.index("# sealed") + 9],  # "# sealed "
        SEALED[:-2],  # the seal without its last digit
        SEALED[:40],
    ],
)
def test_an_event_without_its_whole_seal_lacks_its_end(cut: str) -> None:
    decoded = codec.decode(chunk_of(cut), 2)
    assert (decoded.event, decoded.sealed, decoded.error) == (None, False, t("codec.unsealed"))


def test_a_seal_without_its_final_newline_is_whole() -> None:
    decoded = codec.decode(chunk_of(SEALED.removesuffix("\n")), 2)
    assert (decoded.event, decoded.sealed, decoded.error) == (NOTE, True, None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (SEALED.replace("Bonne", "Mauvaise"), t("codec.hash_mismatch")),
        (SEALED.replace(f"# sealed {DIGEST}", f"# sealed {'0' * 64}"), t("codec.seal_mismatch")),
        (SEALED.replace(f'hash = "{DIGEST}"', f'hash = "{"0" * 64}"'), t("codec.hash_mismatch")),
        (SEALED.replace("# sealed", "# scellé"), t("codec.comment")),
        (SEALED.replace("# sealed", "# corrigé\n# sealed"), t("codec.comment")),
        (SEALED + "# corrigé\n", t("codec.comment")),
        (SEALED + "\nseq = 4\n", t("codec.after_seal")),
        (SEALED + SEALED, t("codec.comment")),  # the second one's seal
        (SEALED + "\n[[evenement", t("codec.after_seal")),
        (SEALED + "[[eve", t("codec.after_seal")),  # the next event starts with a newline
    ],
)
def test_a_sealed_event_that_disagrees_is_an_edit(text: str, error: str) -> None:
    decoded = codec.decode(chunk_of(text), 2)
    assert decoded.sealed and decoded.error == error


@pytest.mark.parametrize("rest", ["", "\n", "\n\n", "\n[", "\n[[eve", "\n[[event]"])
def test_after_a_seal_only_the_start_of_the_next_event(rest: str) -> None:
    decoded = codec.decode(chunk_of(SEALED + rest), 2)
    assert (decoded.event, decoded.error, decoded.rest) == (NOTE, None, rest)


# --- the canonical form behind the hash, pinned ----------------------------------------------


def test_the_hash_of_an_event_is_what_it_always_was() -> None:
    # Computed once (ndrc-oral 0.1, commit 9974592) and written here: a change of
    # the canonical form (the `prev` key, the separators, `ensure_ascii`, the key
    # order) would make every earlier transcript read as damaged.
    note = Event(3, "note", 84.211, AT, {"text": "Zoé « réseau » 🎓", "phase": "expose"})
    assert codec.event_hash(note, "p") == (
        "64e80dcf18cd6bcdcb3321566d0153e009f0f772933c7ea0a1273e6dc7a8f8b1"
    )
    assert codec.event_hash(note, codec.GENESIS) == (
        "f6c847add3dc19f0edd8b544fd8149e11119c865bed5ab3bd72f5e96f595a35d"
    )


def test_the_fingerprint_is_the_hash_s_first_16_digits_in_fours() -> None:
    digest = "0123456789abcdef" + "f" * 48
    assert codec.fingerprint(digest) == "0123-4567-89AB-CDEF"
    for typed in ("0123-4567-89AB-CDEF", "0123 4567 89ab cdef", "0123456789ABCDEF"):
        assert codec.fingerprint_digits(typed) == "0123456789abcdef"
    for wrong in ("0123-4567-89AB", "0123-4567-89AB-CDEF-0", "0123-4567-89AB-CDEG", ""):
        assert codec.fingerprint_digits(wrong) is None
