"""A long text (a session's notes) that scrolls without freezing the screen.

A ``Static`` lays out its whole text on the UI thread each time it is shown;
wrapping the whole text once in a worker took 4.6 s for a session of 20,000
notes (60,000 lines), before the first of them showed. ``TextLines`` takes the
text as styled lines, measures how many rows each one takes at the widget's
width (a length, for all but the rare line longer than the width), and wraps
with Rich only the lines on screen, when they are painted.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from itertools import accumulate
from typing import ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual import events, work
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ndrc_oral.tui.palette import PAINT_CLASSES, paint
from ndrc_oral.tui.worker_results import deliver

StyledLine = tuple[str, str]
"""One line of text (no newline) and its style (``"dim"``, ``"bold"``, ``"$tone-over"``...)."""

_KEPT = 2048
"""Wrapped lines kept for a repaint (a screen shows a few dozen)."""


def wrapped_rows(text: str, width: int, console: Console) -> int:
    """How many rows ``text`` (one line, no newline) takes once wrapped to ``width`` cells:
    the number of lines ``Text(text).wrap(console, width)`` gives, counted without
    building them where every character takes one cell (a note's text, nearly always)."""
    if "\t" in text:
        return len(Text(text).wrap(console, width))  # Rich expands the tabs first
    if len(text) * 2 <= width:
        return 1  # no character is wider than two cells
    if _one_cell().issuperset(text):
        return 1 if len(text) <= width else _rows_of_one_cell_text(text, width)
    if cell_len(text) <= width:
        return 1
    return len(Text(text).wrap(console, width))


@cache
def _one_cell() -> frozenset[str]:
    """The characters Rich measures as one cell wide (below U+3000: wider ones are far
    rarer than the measure of ~60,000 lines is long). A text of only these is as many
    cells wide as it is long, and Rich's wrap of it depends on its length alone."""
    return frozenset(c for c in map(chr, range(0x20, 0x3000)) if get_character_cell_size(c) == 1)


_WORD = re.compile(r"\s*\S+\s*")
"""Rich's word (``rich._wrap.re_word``): the word and the spaces after it."""


def _rows_of_one_cell_text(text: str, width: int) -> int:
    """``rich._wrap.divide_line``'s break count + 1, for a text of one-cell characters
    (each word's width is its length): the same walk, without measuring each word."""
    rows = 1
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # a word longer than a row is folded across rows
            pieces = range(0, len(word), width)
            rows += len(pieces) - (0 if start else 1)
            offset = len(word) - pieces[-1]
        elif offset and start:
            rows += 1
            offset = len(word)
    return rows


class TextLines(ScrollView, can_focus=True):
    """Shows styled lines, each wrapped to the widget's width when it comes on screen."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(PAINT_CLASSES)
    DEFAULT_CSS = """
    TextLines {
        height: 1fr;
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, lines: Sequence[StyledLine] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._source: Sequence[StyledLine] = lines
        """The lines to show (being measured while they are not ``_shown``)."""
        self._shown: Sequence[StyledLine] = ()
        """The lines on screen: those ``_starts`` measured."""
        self._starts: list[int] = []
        """The first row of each shown line, at the width measured (then the total)."""
        self._width = -1
        """The width the rows were measured for (-1: not yet)."""
        self._wanted = -1
        self._cache: dict[int, list[Strip]] = {}

    @property
    def ready(self) -> bool:
        """Whether the rows on screen are those of the current text."""
        return self._shown is self._source and self._width == self._wanted and self._wanted > 0

    @property
    def lines(self) -> Sequence[StyledLine]:
        """The lines on screen (until other lines given are measured, the earlier ones)."""
        return self._shown

    def plain(self) -> str:
        """Every row as plain text, wrapped as shown (what a reader scrolling down sees)."""
        rows = [
            "".join(seg.text for seg in strip).rstrip()
            for index in range(len(self._shown))
            for strip in self._wrap_line(index)
        ]
        return "\n".join(rows)

    def show(self, lines: Sequence[StyledLine]) -> None:
        """Show other lines, once measured at the widget's width (a hidden tab has none);
        until then the earlier ones stay, where the reader had scrolled them."""
        if lines == self._shown and self._width == self._wanted:
            self._source = self._shown  # the same text (the check's, after the preview's)
            return
        self._source = lines
        self._wanted = -1
        self._lay_out()

    def clear(self) -> None:
        """Nothing shown but "…" (being laid out) until other lines are given and measured:
        the lines on screen must not stay a moment longer."""
        self._source = self._shown = ()
        self._starts = []
        self._cache.clear()
        self._width = self._wanted = -1
        self.virtual_size = Size(0, 0)
        self.refresh()

    def on_mount(self) -> None:
        self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wanted:
            return
        self._wanted = width
        self._measure(self._source, width)

    @work(thread=True, exclusive=True, group="text-lines")
    def _measure(self, lines: Sequence[StyledLine], width: int) -> None:
        console = Console(width=width, file=io.StringIO())
        half = width // 2  # a line this short fits, whatever its characters: most notes
        rows = [
            1 if len(text) <= half and "\t" not in text else wrapped_rows(text, width, console)
            for text, _ in lines
        ]
        deliver(self, self._measured, lines, width, [0, *accumulate(rows)])

    def _measured(self, lines: Sequence[StyledLine], width: int, starts: list[int]) -> None:
        if width != self._wanted or lines is not self._source:
            return  # resized or given other lines meanwhile: a newer measure is on its way
        self._shown = lines
        self._starts = starts
        self._cache.clear()
        self._width = width
        self.virtual_size = Size(width, starts[-1])
        self.refresh()

    def _wrap_line(self, index: int) -> list[Strip]:
        """Line ``index`` wrapped to the measured width, as strips (kept for a repaint)."""
        strips = self._cache.get(index)
        if strips is not None:
            return strips
        text, style = self._shown[index]
        width = max(self._width, 1)
        console = self.app.console
        painted = paint(self, Text(text, style))
        strips = [
            Strip(Segment.simplify(line.render(console)))
            for line in painted.wrap(console, width) or [Text("")]
        ]
        if len(self._cache) >= _KEPT:
            self._cache.clear()
        self._cache[index] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        starts = self._starts
        if not starts or row >= starts[-1]:
            if row == 0 and not starts:  # being measured: say so
                return Strip([Segment("…", self.rich_style)]).extend_cell_length(width)
            return Strip.blank(width, self.rich_style)
        index = bisect_right(starts, row) - 1
        strips = self._wrap_line(index)
        strip = strips[min(row - starts[index], len(strips) - 1)].apply_style(self.rich_style)
        return strip.extend_cell_length(width, self.rich_style).crop(0, width)
