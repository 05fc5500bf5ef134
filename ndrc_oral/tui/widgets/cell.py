"""A line of a list, or a cell of one, repainted only when what it is made of changes.

Textual repaints a changed widget whole, and a once-a-second update of a phase
changes a handful of values: the phase list and the candidates' strip are cells
of fixed width, each keyed by what its text is made of, so that a second builds
and sends only the cells whose values changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.widgets import Static

from ndrc_oral.tui.palette import PAINT_CLASSES, paint


class Cell(Static):
    """A one-line text, laid out to its width by its owner, painted from the palette."""

    COMPONENT_CLASSES: ClassVar[set[str]] = set(PAINT_CLASSES)
    DEFAULT_CSS = """
    Cell { height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, classes: str | None = None) -> None:
        super().__init__("", markup=False, classes=classes)
        self.shown: object = None
        """What the text was made of (a repaint comes only when it changes)."""

    def show(self, key: object, build: Callable[[], Text]) -> None:
        """The text ``build`` makes, built and sent only when ``key`` differs from the
        shown one."""
        if key != self.shown:
            self.shown = key
            # A fixed width: a new text never moves a thing.
            self.update(paint(self, build()), layout=False)

    def show_text(self, text: Text) -> None:
        """``show`` keyed by the text itself: its words, its style and its spans (Rich's
        ``Text.__eq__`` leaves the style out: a line turning bold would not repaint)."""
        self.show((text.plain, str(text.style), tuple(text.spans)), lambda: text)
