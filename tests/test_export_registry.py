"""One registry of export formats: the CLI, ``logs export`` and the review screens read it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from textual.binding import Binding

from ndrc_oral.cli import build_parser
from ndrc_oral.i18n import fr
from ndrc_oral.transcript import load_session
from ndrc_oral.transcript.exports import (
    FORMATS,
    ExportFormat,
    Scope,
    default_name,
    export_format,
    formats,
    render,
    render_many,
)
from ndrc_oral.transcript.summary import summarize_loaded
from ndrc_oral.tui.bindings import DETAIL, REVIEW, with_twin

FIXTURE = Path(__file__).parent / "fixtures" / "transcripts" / "v1" / "e6-ccf-a-mark.toml"
"""A session of version 0.1 with a mark, notes and ratings (candidate « Zoé Œuvre »)."""
MAGIC = {".pdf": b"%PDF-", ".xlsx": b"PK\x03\x04"}  # an XLSX is a zip
"""How each binary kind of file starts (a new binary format adds its own here)."""


def _export_parser() -> argparse.ArgumentParser:
    def sub(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
        (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        found: argparse.ArgumentParser = action.choices[name]
        return found

    return sub(sub(build_parser(), "logs"), "export")


def _bindings(table: list[Binding], prefix: str) -> dict[str, Binding]:
    """The bindings whose action is ``prefix('key')``, by format key."""
    out: dict[str, Binding] = {}
    for b in table:
        if b.action.startswith(prefix + "("):
            out[b.action[len(prefix) + 2 : -2]] = b
    return out


def test_the_cli_offers_every_format_and_says_what_each_is() -> None:
    (option,) = [a for a in _export_parser()._actions if "--format" in a.option_strings]
    assert list(option.choices or []) == [f.key for f in FORMATS]
    assert option.help is not None
    for f in FORMATS:
        assert f"{f.key} ({fr.STRINGS[f.label]})" in option.help


def test_the_review_screens_have_one_key_per_format_of_their_scope() -> None:
    detail = _bindings([b for b in DETAIL if isinstance(b, Binding)], "export")
    listing = _bindings([b for b in REVIEW if isinstance(b, Binding)], "export_list")
    assert sorted(detail) == sorted(f.key for f in formats(Scope.SESSION))
    assert sorted(listing) == sorted(f.key for f in formats(Scope.SESSIONS))
    for f in FORMATS:
        b = (detail if f.scope is Scope.SESSION else listing)[f.key]
        # the footer looks the description up in the current language
        assert (b.key, b.id, b.description) == (with_twin(f.review_key), f.binding_id, f.key_label)
        assert f.key_label in fr.STRINGS
    for screen in (DETAIL, REVIEW):  # a key or an id taken twice would hide a format
        keys = [b.key for b in screen if isinstance(b, Binding)]
        ids = [b.id for b in screen if isinstance(b, Binding)]
        assert len(set(keys)) == len(keys) and len(set(ids)) == len(ids)


def test_rows_are_whole() -> None:
    assert len({f.key for f in FORMATS}) == len(FORMATS)
    assert len({f.suffix for f in FORMATS}) == len(FORMATS)  # no two files with one name
    for f in FORMATS:
        assert f.label in fr.STRINGS and f.key_label in fr.STRINGS
        assert default_name("20260602-080000-abcdef", f.key) == f"20260602-080000-abcdef{f.suffix}"


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.key)
def test_each_format_renders_the_fixture_session_to_its_kind_of_file(fmt: ExportFormat) -> None:
    loaded = load_session(FIXTURE)
    if fmt.scope is Scope.SESSION:
        data = render(loaded, fmt.key, "fr")
    else:
        data = render_many([summarize_loaded(loaded)], fmt.key, "fr")
    assert data
    if fmt.binary:
        magic = next(m for end, m in MAGIC.items() if fmt.suffix.endswith(end))
        assert data.startswith(magic)
    else:
        text = data.decode("utf-8")  # text formats are UTF-8
        assert "Zoé Œuvre" in text
        if fmt.suffix.endswith(".json"):
            assert json.loads(text)["id"] == loaded.id


def test_a_format_is_used_in_its_scope_only() -> None:
    loaded = load_session(FIXTURE)
    with pytest.raises(ValueError):
        render(loaded, "csv", "fr")
    with pytest.raises(ValueError):
        render_many([summarize_loaded(loaded)], "md", "fr")
    with pytest.raises(ValueError):
        export_format("xlsx-not-yet")
