"""The commission's timer digits: as large as the window allows, repainted glyph by glyph.

Scale 0 is Textual's own 3-row font (at 80 x 24 the timer is as it always
was). A scale p >= 2 draws the 5 x 3 pixel glyphs of ``bigclock`` (the
candidate's view) with half blocks: each pixel is p cells wide and p half-rows
tall, square on a terminal's 1:2 cells; 5 rows at p = 2, 8 at p = 3.
``digit_scale`` picks the largest that fits the panel's width and a quarter of
the screen's height, so the grid and the notes keep most of the window.

Each character is a widget of its own: when the time changes, only the glyphs
whose character changed repaint, and Textual sends the terminal those alone
(a countdown second: the last digit or two, never the whole clock).
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.geometry import Size
from textual.renderables.digits import DIGITS, DIGITS3X3_BOLD
from textual.widgets import Digits

from ndrc_oral.tui.widgets.bigclock import GLYPHS
from ndrc_oral.tui.widgets.bigclock import ROWS as PIXEL_ROWS
from ndrc_oral.tui.widgets.glyphs import Glyph, show_glyphs

__all__ = ["TimerDigits", "digit_scale", "render_rows", "rows_for", "text_width"]

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


def draw_glyph(character: str, scale: int, gap: bool) -> list[str]:
    """One character's lines at ``scale``, and its gap (a column of pixels) when ``gap``."""
    rows = render_rows(character, scale)
    return [row + " " * scale for row in rows] if gap and scale else rows


class TimerDigits(Digits):
    """``Digits`` at a scale of our own, one widget per character.

    Textual writes a partial update from the start of each widget's span on a
    line, so a glyph of its own is what keeps an unchanged digit off the wire:
    a second repaints the one or two glyphs that changed. A subclass of
    ``Digits``, so the stylesheet's ``TimerPanel Digits`` rules (each tone's
    colour, the flash) apply as they did; the glyphs inherit them.
    """

    DEFAULT_CSS = """
    TimerDigits { layout: horizontal; width: auto; height: auto; }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(value, id=id)
        self.scale = 0

    def compose(self) -> ComposeResult:
        for _ in self.value:
            yield Glyph(draw_glyph)

    def on_mount(self) -> None:
        self._show()

    def set_scale(self, scale: int) -> None:
        """Draw at another size (the window changed)."""
        if scale != self.scale:
            self.scale = scale
            self._show()

    def update(self, value: str) -> None:
        if value != self.value:
            self._value = value
            self._show()

    def _show(self) -> None:
        show_glyphs(self, self.value, self.scale, draw_glyph)

    @property
    def lines(self) -> list[str]:
        """What the digits look like now (tests read them)."""
        return render_rows(self.value, self.scale)

    # The size is the glyphs', laid out side by side (not ``Digits``' 3-row text).
    def get_content_width(self, container: Size, viewport: Size) -> int:
        return text_width(self.value, self.scale)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return rows_for(self.scale)
