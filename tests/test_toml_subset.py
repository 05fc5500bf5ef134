"""The fast reader of the TOML we write gives ``tomllib``'s result on every text, or its error."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_logs_support import Plan, drive

from ndrc_oral.transcript import Store, codec, read_transcript, toml_subset

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "tests" / "fixtures").rglob("*.toml"))
DEFINITIONS = sorted((ROOT / "config").rglob("*.toml"))


def _tomllib(text: str) -> dict[str, Any] | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None


def _same_as_tomllib(text: str) -> dict[str, Any] | None:
    """``loads(text)``, checked against tomllib: the same document, or the same refusal."""
    expected = _tomllib(text)
    if expected is None:
        with pytest.raises(tomllib.TOMLDecodeError):
            toml_subset.loads(text)
        return None
    got = toml_subset.loads(text)
    assert _shape(got) == _shape(expected)
    return got


def _shape(value: Any) -> Any:
    """The value with its types spelled out (``==`` takes 1 == 1.0 == True, and nan != nan)."""
    if isinstance(value, dict):
        return [(k, _shape(v)) for k, v in value.items()]  # in order, as tomllib gives it
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return (type(value).__name__, repr(value))


@pytest.mark.parametrize("path", FIXTURES + DEFINITIONS, ids=lambda p: p.name)
def test_every_fixture_and_definition_reads_as_tomllib_reads_it(path: Path) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    _same_as_tomllib(text)  # the whole file
    _, chunks = codec.split(text)
    for chunk in chunks:
        _same_as_tomllib(chunk.text)  # each event, as the reader parses it


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_the_events_we_write_take_the_fast_path(path: Path) -> None:
    # The point of the subset: every whole event of a transcript is in it (a torn
    # last one is not TOML at all, and goes to tomllib, which says why). A sealed
    # event is parsed as the reader parses it: without its seal line.
    _, chunks = codec.split(path.read_text(encoding="utf-8"))
    bodies = [codec._cut_seal(c.text)[0] if codec.SEAL in c.text else c.text for c in chunks]
    whole = [b for b in bodies if _tomllib(b) is not None]
    assert whole
    assert all(toml_subset.fast(b) is not None for b in whole)


def test_a_session_driven_now_reads_fast_and_the_same(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the reader hands the parser (format 2: each event without its seal).
    given: list[str] = []

    class Spy:
        @staticmethod
        def loads(text: str) -> dict[str, Any]:
            given.append(text)
            return toml_subset.loads(text)

    live = drive(store, Plan(notes=(('tab\there, « quotes » "and" \\ back', None),)))
    monkeypatch.setattr(codec, "toml_subset", Spy)
    transcript = read_transcript(live.path)
    assert transcript.integrity == "intact" and len(given) == len(transcript.events)
    for text in given:
        assert toml_subset.fast(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        "a = 1\na = 2\n",  # a key twice
        "[t]\nx = 1\n[t]\ny = 2\n",  # a table twice
        "a = 1\n[a]\n",  # a value then a table of that name
        "a = [1]\n[[a]]\n",  # a static array extended by a header
        "a = { x = 1 }\n[a]\n",  # an inline table extended
        "a = { x = 1 }\n[a.b]\n",
        "[[a]]\nx = 1\n[a]\n",  # an array of tables declared as a table
        "[a.b]\nx = 1\n[a]\ny = 2\n",  # an implicit table declared later: valid
        "[a.b]\nx = 1\n[a]\nb = 2\n",  # ... but not given a value of a sub-table's name
        "[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n[a.b.c]\n",  # the last element takes the header
        "# a comment\na = 1\n",
        "a = 1 # trailing comment\n",
        "a = 1\r\nb = 2\r\n",
        "a = 'literal'\n",
        'a = """multi\nline"""\n',
        "a = 1979-05-27\n",
        "a = +1\n",
        "a = 1_000\n",
        "a = 0x1f\n",
        "a = 012\n",
        "a = 1.\n",
        "a = .5\n",
        "a = 1e05\n",
        "a = -0\n",
        "a = -0.0\n",
        "a = inf\n",
        "a = nan\n",
        "a = 99999999999999999999999999\n",
        'a = "\\ud83d"\n',  # a surrogate: not a scalar value
        'a = "\\U0001F600"\n',
        'a = "\\U00110000"\n',
        'a = "\\/"\n',
        'a = "\\e"\n',
        'a = "\\u00e9 \\t \\" \\\\ \\b \\f \\r \\n"\n',
        'a = "raw\ttab"\n',
        'a = "raw\x01control"\n',
        'a = "raw\x7fdel"\n',
        '"quoted key" = 1\n',
        '"" = 1\n',
        "a.b = 1\n",
        "a  = 1\n",
        " a = 1\n",
        "a = 1 \n",
        "a =1\n",
        "[ a ]\n",
        '["a b"]\nx = 1\n',
        "a = [\n    1,\n    2,\n]\n",
        "a = [1, 2,]\n",
        "a = [1 2]\n",
        "a = [\n    [\n        1,\n    ],\n    [],\n]\n",
        "a = { x = 1, y = { z = [1, 2] } }\n",
        "a = { x = 1, }\n",
        "a = { x = 1, x = 2 }\n",
        "a = {}\n",
        "a = {x = 1}\n",
        "a = { x = 1\n}\n",
        "a = [ # comment\n 1 ]\n",
        "a = true\nb = false\nc = truex\n",
        "a = 1\nb",
        "[a]",
        "[[a]]\n[[a]]",
        "a = [",
        "",
        "\n\n",
    ],
)
def test_every_corner_reads_as_tomllib_reads_it(text: str) -> None:
    _same_as_tomllib(text)


_KEYS = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=8)
_SCALARS = (
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.booleans()
)


def _values(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=4)


_DOCUMENTS = st.dictionaries(_KEYS, st.recursive(_SCALARS, _values, max_leaves=25), max_size=6)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENTS)
def test_what_tomli_w_writes_reads_as_tomllib_reads_it(doc: dict[str, Any]) -> None:
    text = tomli_w.dumps(doc)
    assert _same_as_tomllib(text) == doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENTS, st.data())
def test_an_edited_text_reads_as_tomllib_reads_it_or_fails_as_it_fails(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    text = tomli_w.dumps({"event": [{"seq": 1, "data": doc}]})
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 3))
    insert = data.draw(
        st.sampled_from(["", "\n", " ", "[", "]", '"', "=", "#", ",", "a", "\\", "1"])
    )
    _same_as_tomllib(text[:at] + insert + text[at + cut :])


def test_a_long_table_is_parsed_once_and_each_read_gets_its_own_copy() -> None:
    big = {"rows": [{"id": f"row-{i}", "label": {"fr": "é" * 40}} for i in range(60)]}
    text = tomli_w.dumps({"event": [{"seq": 0, "data": {"def": big, "who": {"name": "Zoé"}}}]})
    assert len(text) > toml_subset.MEMO_FROM
    for _ in range(4):  # read, read again (then kept), then copied from the memo
        got = toml_subset.loads(text)
        assert got == tomllib.loads(text)
        got["event"][0]["data"]["def"]["rows"].clear()  # a reader that changes what it got
    assert any(path == "event.data.def" for path, _ in toml_subset._memo)


def test_a_header_after_a_long_table_that_reaches_into_it_reads_as_tomllib_reads_it() -> None:
    big = tomli_w.dumps({"a": {"big": {"rows": [{"x": "y" * 50} for _ in range(60)]}}})
    for tail in (
        "[b]\nz = 1\n[a.big.more]\nw = 2\n",
        "[a.big]\nw = 2\n",
        "[[a.big.rows]]\nx = 1\n",
    ):
        for _ in range(3):  # the third time from the memo
            _same_as_tomllib(big + "\n" + tail)
    assert any(path == "a.big" for path, _ in toml_subset._memo)
