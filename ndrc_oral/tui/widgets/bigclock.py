"""A clock drawn in blocks, as large as the space allows: the candidate reads it from afar.

Each character is a 3 x 5 bitmap; every pixel becomes a block of 2k x k
cells (terminal cells are about twice as tall as wide), with the largest k
that fits the widget.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    " ": ("...", "...", "...", "...", "..."),
}
ROWS = 5


def bitmap(text: str) -> list[str]:
    """The text as rows of '#' and '.', one column of space between characters."""
    glyphs = [GLYPHS.get(c, GLYPHS[" "]) for c in text]
    return [".".join(g[row] for g in glyphs) for row in range(ROWS)]


def scale_for(text: str, width: int, height: int) -> int:
    """The largest k such that the text drawn at 2k x k per pixel fits (at least 1)."""
    columns = len(bitmap(text)[0]) if text else 1
    return max(1, min(width // (2 * columns), height // ROWS))


class BigGlyph(Widget):
    """One character of a ``BigClock``, a widget of its own.

    Textual sends the terminal a changed widget from the start of its span on
    each line, so a clock drawn as one widget went out whole every second
    (10 kB/s at 100x30); a glyph apiece sends the digit that changed.
    """

    DEFAULT_CSS = """
    BigGlyph { width: auto; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.character = ""
        self.k = 1
        self.gap = False
        """Whether the column between two characters follows (every glyph but the last)."""
        self._rows: list[str] = []

    def set(self, character: str, k: int, gap: bool) -> None:
        """Show ``character`` at scale ``k``; repaint only if it changed, lay out if its size did."""
        if (character, k, gap) == (self.character, self.k, self.gap):
            return
        before = self._extent()
        self.character, self.k, self.gap = character, k, gap
        pixels = GLYPHS.get(character, GLYPHS[" "])
        rows = [row + "." if gap else row for row in pixels]
        self._rows = ["".join(("█" if px == "#" else " ") * (2 * k) for px in row) for row in rows]
        self.refresh(layout=self._extent() != before)

    def _extent(self) -> tuple[int, int]:
        return (len(self._rows[0]) if self._rows else 0, ROWS * self.k)

    def render_line(self, y: int) -> Strip:
        style = self.rich_style
        line = self._rows[y // self.k] if 0 <= y < ROWS * self.k and self._rows else ""
        return Strip([Segment(line, style)], len(line)).extend_cell_length(self.size.width, style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._extent()[0]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._extent()[1]


class BigClock(Widget):
    """Shows ``value`` in big blocks, one ``BigGlyph`` per character; colour from CSS."""

    DEFAULT_CSS = """
    BigClock { width: 100%; height: 1fr; layout: horizontal; align: center middle; }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._value = value
        self._k = 1

    @property
    def value(self) -> str:
        return self._value

    def update(self, value: str) -> None:
        if value != self._value:
            self._value = value
            self._show()

    def on_resize(self) -> None:
        self._show()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        if not self.is_mounted:
            return
        size = self.content_region.size
        k = scale_for(self._value, size.width, size.height)
        glyphs = list(self.query_children(BigGlyph))
        value = self._value
        if len(glyphs) < len(value):
            extra = [BigGlyph() for _ in range(len(value) - len(glyphs))]
            self.mount_all(extra)
            glyphs += extra
        for glyph in glyphs[len(value) :]:
            glyph.remove()
        for i, character in enumerate(value):
            glyphs[i].set(character, k, gap=i + 1 < len(value))

    @property
    def lines(self) -> list[str]:
        """What the clock looks like at its current scale (tests read it)."""
        glyphs = list(self.query_children(BigGlyph))[: len(self._value)]
        return [
            "".join(g._rows[y // g.k] for g in glyphs)
            for y in range(ROWS * (glyphs[0].k if glyphs else 1))
        ]
