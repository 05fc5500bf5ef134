"""A clock as a row of widgets, one per character: the commission's digits and the candidate's.

Textual writes a partial update from the start of each widget's span on a
line, so a dirty region inside one widget still sends the whole of it: a
clock drawn as one widget went out whole every second. With a widget per
character, a second repaints the one or two glyphs that changed and the
terminal is sent those alone.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

Draw = Callable[[str, int, bool], list[str]]
"""The lines of one character at a scale, with the gap that follows it when asked."""


class Glyph(Widget):
    """One character of a clock, a widget of its own; its colour is its parent's."""

    DEFAULT_CSS = """
    Glyph { width: auto; height: auto; }
    """

    def __init__(self, draw: Draw) -> None:
        super().__init__()
        self._draw = draw
        self.character = ""
        self.scale = 0
        self.gap = False
        """Whether a gap column follows (every glyph but the last)."""
        self._rows: list[str] = []

    def set(self, character: str, scale: int, gap: bool) -> None:
        """Show ``character``; repaint only when it changed, re-lay out when its size did."""
        if (character, scale, gap) == (self.character, self.scale, self.gap) and self._rows:
            return
        before = self._extent()
        self.character, self.scale, self.gap = character, scale, gap
        self._rows = self._draw(character, scale, gap)
        self.refresh(layout=self._extent() != before)

    @property
    def rows(self) -> list[str]:
        return self._rows

    def _extent(self) -> tuple[int, int]:
        return (len(self._rows[0]) if self._rows else 0, len(self._rows))

    def render_line(self, y: int) -> Strip:
        style = self.rich_style
        line = self._rows[y] if 0 <= y < len(self._rows) else ""
        return Strip([Segment(line, style)], len(line)).extend_cell_length(self.size.width, style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self._extent()[0]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._extent()[1]


def show_glyphs(parent: Widget, value: str, scale: int, draw: Draw) -> None:
    """Make ``parent``'s glyphs show ``value`` at ``scale``: as many as characters, each set."""
    glyphs = list(parent.query_children(Glyph))
    if len(glyphs) < len(value):
        extra = [Glyph(draw) for _ in range(len(value) - len(glyphs))]
        parent.mount_all(extra)
        glyphs += extra
    for glyph in glyphs[len(value) :]:
        glyph.remove()
    for i, character in enumerate(value):
        glyphs[i].set(character, scale, gap=i + 1 < len(value))
