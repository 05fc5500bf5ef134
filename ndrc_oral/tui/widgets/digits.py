"""The commission's timer digits: as large as the window allows, repainted glyph by glyph.

Scale 0 is Textual's own 3-row font (at 80 x 24 the timer is as it always
was). A scale p >= 2 draws the 5 x 3 pixel glyphs of ``bigclock`` (the
candidate's view) with half blocks: each pixel is p cells wide and p half-rows
tall, square on a terminal's 1:2 cells; 5 rows at p = 2, 8 at p = 3.
``digit_scale`` picks the largest that fits the panel's width and a quarter of
the screen's height, so the grid and the notes keep most of the window.

When the time changes, only the glyphs whose character changed are marked
dirty: a countdown second repaints the last digit or two, never the clock.
"""

from __future__ import annotations

import math

from rich.segment import Segment
from textual.geometry import Region, Size
from textual.renderables.digits import DIGITS, DIGITS3X3_BOLD
from textual.strip import Strip
from textual.widgets import Digits

from ndrc_oral.tui.widgets.bigclock import GLYPHS
from ndrc_oral.tui.widgets.bigclock import ROWS as PIXEL_ROWS

SCALES = (4, 3, 2)
"""The block scales tried, largest first (0, the 3-row font, when none fits)."""

WIDEST = "+00:00"
"""The widest text a phase shows in the usual case (overtime); the scale must fit it."""

FRAME_ROWS = 5
"""What the timer's panel adds to its digits: phase, speaker, status, and the frame."""


def rows_for(scale: int) -> int:
    """Rows the digits take at ``scale`` (3 for the 3-row font)."""
    return 3 if scale == 0 else math.ceil(PIXEL_ROWS * scale / 2)


def _glyph(character: str) -> tuple[str, ...]:
    return GLYPHS.get(character, GLYPHS[" "])


def pixel_width(text: str) -> int:
    """Columns of pixels of ``text``: its glyphs and one column between two."""
    if not text:
        return 0
    return sum(len(_glyph(c)[0]) for c in text) + len(text) - 1


def text_width(text: str, scale: int) -> int:
    """Cells ``text`` takes at ``scale``."""
    if scale == 0:
        return _width3(text)
    return pixel_width(text) * scale


def _width3(text: str) -> int:
    return sum(3 if c in DIGITS else 1 for c in text)


def digit_scale(panel_width: int, screen_height: int) -> int:
    """The largest scale whose ``WIDEST`` fits ``panel_width`` and whose panel keeps to a
    quarter of the screen's height (0: the 3-row font)."""
    budget = screen_height // 4 - FRAME_ROWS
    for scale in SCALES:
        if rows_for(scale) <= budget and text_width(WIDEST, scale) <= panel_width:
            return scale
    return 0


def spans(text: str, scale: int) -> list[tuple[int, int]]:
    """Each character's cells, ``(start, end)``, gaps included in the glyph before them."""
    out: list[tuple[int, int]] = []
    x = 0
    for i, c in enumerate(text):
        if scale == 0:
            width = 3 if c in DIGITS else 1
        else:
            width = (len(_glyph(c)[0]) + (1 if i + 1 < len(text) else 0)) * scale
        out.append((x, x + width))
        x += width
    return out


def render_rows(text: str, scale: int) -> list[str]:
    """The lines of ``text`` drawn at ``scale``."""
    if scale == 0:
        return _rows3(text)
    pixels = [".".join(_glyph(c)[row] for c in text) for row in range(PIXEL_ROWS)]
    lines = []
    for y in range(rows_for(scale)):
        top, bottom = (2 * y) // scale, (2 * y + 1) // scale
        cells = []
        for column in range(len(pixels[0]) if pixels else 0):
            up = top < PIXEL_ROWS and pixels[top][column] == "#"
            down = bottom < PIXEL_ROWS and pixels[bottom][column] == "#"
            cells.append(("█" if down else "▀") if up else ("▄" if down else " "))
        lines.append("".join(cell * scale for cell in cells))
    return lines


def _rows3(text: str) -> list[str]:
    """Textual's 3-row bold font (``Digits``), the same glyphs."""
    rows = ["", "", ""]
    for character in text:
        if character in DIGITS:
            position = DIGITS.index(character) * 3
            for r in range(3):
                rows[r] += DIGITS3X3_BOLD[position + r].ljust(3)
        else:
            rows[0] += " "
            rows[1] += " "
            rows[2] += character
    return rows


class TimerDigits(Digits):
    """``Digits`` at a scale of our own; an update repaints the glyphs that changed only.

    A subclass of ``Digits``: the stylesheet's ``TimerPanel Digits`` rules (the
    colour of each tone, the flash) apply to it as they did.
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, id=id)
        self.scale = 0
        self._rows = render_rows(value, 0)

    def set_scale(self, scale: int) -> None:
        """Draw at another size (the window changed)."""
        if scale != self.scale:
            self.scale = scale
            self._rows = render_rows(self.value, scale)
            self.refresh(layout=True)

    def update(self, value: str) -> None:
        old = self.value
        if value == old:
            return
        self._value = value
        self._rows = render_rows(value, self.scale)
        if len(value) != len(old) or text_width(value, self.scale) != text_width(old, self.scale):
            self.refresh(layout=True)
            return
        height = rows_for(self.scale)
        for (start, end), before, after in zip(spans(value, self.scale), old, value, strict=True):
            if before != after:
                self.refresh(Region(start, 0, end - start, height))

    @property
    def lines(self) -> list[str]:
        """What the digits look like now (tests read them)."""
        return list(self._rows)

    def render_line(self, y: int) -> Strip:
        if not 0 <= y < len(self._rows):
            return Strip.blank(self.size.width, self.rich_style)
        line = self._rows[y]
        return Strip([Segment(line, self.rich_style)], len(line)).extend_cell_length(
            self.size.width, self.rich_style
        )

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return text_width(self.value, self.scale)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return rows_for(self.scale)
