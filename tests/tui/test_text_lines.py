"""The notes pane counts each line's rows as Rich wraps it, without wrapping most of them.

``TextLines`` lays out a session's notes by counting how many rows each line
takes at the pane's width, then wraps with Rich only the lines on screen. A
count that differs from Rich's wrap would show a line twice or cut one when
scrolling, so the fast count is held to Rich's own on every kind of text.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from ndrc_oral.tui.widgets.text_lines import wrapped_rows

# Letters, spaces of two kinds, French punctuation, a dash Rich measures character by
# character, a wide ideogram, an emoji, a combining accent, a zero-width joiner, a tab.
ALPHABET = "abcdeé  «»’–·.漢😀\u0301\u200d\t"


def rich_rows(text: str, width: int) -> int:
    console = Console(width=width, file=io.StringIO())
    return len(Text(text).wrap(console, width))


@settings(max_examples=3000, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=300), width=st.integers(1, 130))
def test_the_count_is_richs_wrap_on_any_text(text: str, width: int) -> None:
    console = Console(width=width, file=io.StringIO())
    assert wrapped_rows(text, width, console) == rich_rows(text, width)


@settings(max_examples=1000, deadline=None)
@given(
    words=st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=40), max_size=30),
    spaces=st.lists(st.sampled_from([" ", "  ", "   ", "\u00a0"]), max_size=30),
    width=st.integers(1, 60),
)
def test_words_longer_than_a_row_fold_as_rich_folds_them(
    words: list[str], spaces: list[str], width: int
) -> None:
    text = "".join(w + (spaces[i] if i < len(spaces) else " ") for i, w in enumerate(words))
    console = Console(width=width, file=io.StringIO())
    assert wrapped_rows(text, width, console) == rich_rows(text, width)


def test_a_notes_head_line_is_counted_without_laying_it_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The head of a note in a long phase's name (105 cells, one-cell characters but
    # the dash): 8,000 such lines took 0.7 s with Rich's wrap at a width of 100.
    head = (
        "11:40:04 · Phase 3 – exploitation et mutualisation de l'information : "
        "présentation +00:01 · note générale"
    )
    console = Console(width=100, file=io.StringIO())
    expected = [rich_rows(head.replace("04", f"{n:02d}"), 100) for n in range(60)]
    assert set(expected) == {2}
    wide = "漢字" * 60  # two cells a character: Rich measures and wraps it
    wide_rows = rich_rows(wide, 100)
    wraps: list[str] = []
    real = Text.wrap

    def counted(self: Text, *args: Any, **kwargs: Any) -> Any:
        wraps.append(self.plain)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Text, "wrap", counted)
    counted_rows = [wrapped_rows(head.replace("04", f"{n:02d}"), 100, console) for n in range(60)]
    assert counted_rows == expected
    assert wraps == []  # counted, not laid out
    assert wrapped_rows(wide, 100, console) == wide_rows and wraps == [wide]
