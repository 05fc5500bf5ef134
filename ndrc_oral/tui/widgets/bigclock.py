"""A clock drawn in blocks, as large as the space allows: the candidate reads it from afar.

Each character is a 3 x 5 bitmap; every pixel becomes a block of 2k x k
cells (terminal cells are about twice as tall as wide), with the largest k
that fits the widget.
"""

from __future__ import annotations

from rich.text import Text
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


class BigClock(Widget):
    """Shows ``value`` in big blocks; its colour comes from CSS like any text."""

    DEFAULT_CSS = """
    BigClock { width: 100%; height: 1fr; content-align: center middle; }
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
            self.refresh()

    def render(self) -> Text:
        size = self.content_region.size
        k = scale_for(self._value, size.width, size.height)
        lines = []
        for row in bitmap(self._value):
            line = "".join(("█" if px == "#" else " ") * (2 * k) for px in row)
            lines.extend([line] * k)
        return Text("\n".join(lines), no_wrap=True, overflow="crop")
