"""A clock drawn in blocks, as large as the space allows: the candidate reads it from afar.

Each character is a 3 x 5 bitmap; every pixel becomes a block of 2k x k
cells (terminal cells are about twice as tall as wide), with the largest k
that fits the widget.
"""

from __future__ import annotations

from textual.widget import Widget

from ndrc_oral.tui.widgets.glyphs import Glyph, show_glyphs

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


def draw_big(character: str, k: int, gap: bool) -> list[str]:
    """One character in blocks of 2k x k cells a pixel, and the column after it when ``gap``."""
    pixels = GLYPHS.get(character, GLYPHS[" "])
    rows = [row + "." if gap else row for row in pixels]
    return [
        "".join(("█" if px == "#" else " ") * (2 * k) for px in row)
        for row in rows
        for _ in range(k)
    ]


class BigClock(Widget):
    """Shows ``value`` in big blocks, one ``Glyph`` per character; colour from CSS."""

    DEFAULT_CSS = """
    BigClock { width: 100%; height: 1fr; layout: horizontal; align: center middle; }
    """

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._value = value

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
        show_glyphs(self, self._value, scale_for(self._value, size.width, size.height), draw_big)

    @property
    def lines(self) -> list[str]:
        """What the clock looks like at its current scale (tests read it)."""
        glyphs = list(self.query_children(Glyph))[: len(self._value)]
        if not glyphs:
            return []
        return ["".join(parts) for parts in zip(*(g.rows for g in glyphs), strict=True)]
