"""A long text (a session's notes) that scrolls without freezing the screen.

A ``Static`` lays out its whole text on the UI thread each time it is shown:
for a session of 2,000 notes (6,000 lines) that took 1-1.4 s per tab switch
here. ``TextLines`` instead wraps the text into lines in a worker thread,
once per width, and paints only the lines on screen.
"""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.segment import Segment
from textual import events, work
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ndrc_oral.tui.worker_results import deliver


class TextLines(ScrollView, can_focus=True):
    """Shows a Rich renderable, wrapped to the widget's width off the UI thread."""

    DEFAULT_CSS = """
    TextLines {
        height: 1fr;
        padding: 0 1;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, renderable: RenderableType = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._renderable: RenderableType = renderable
        self._lines: list[Strip] = []
        self._width = -1
        """The width the lines were wrapped for (-1: not yet)."""
        self._wanted = -1

    @property
    def ready(self) -> bool:
        """Whether the lines on screen are those of the current text."""
        return self._width == self._wanted and self._wanted > 0

    def plain(self) -> str:
        """The lines on screen as plain text (what a reader sees)."""
        return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in self._lines)

    def show(self, renderable: RenderableType) -> None:
        """Show something else (wrapped once the widget has a width: a hidden tab has none)."""
        self._renderable = renderable
        self._width = self._wanted = -1
        self._lines = []
        self.virtual_size = Size(0, 0)
        self._lay_out()

    def on_mount(self) -> None:
        self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wanted:
            return
        self._wanted = width
        self._wrap(self._renderable, width)

    @work(thread=True, exclusive=True, group="text-lines")
    def _wrap(self, renderable: RenderableType, width: int) -> None:
        console = Console(
            width=width, file=io.StringIO(), force_terminal=True, color_system="truecolor"
        )
        lines = console.render_lines(renderable, console.options.update_width(width), pad=False)
        strips = [Strip(Segment.simplify(line)) for line in lines]
        deliver(self, self._wrapped, width, strips)

    def _wrapped(self, width: int, strips: list[Strip]) -> None:
        if width != self._wanted:
            return  # the widget was resized meanwhile: a newer wrap is on its way
        self._lines = strips
        self._width = width
        self.virtual_size = Size(width, len(strips))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + round(self.scroll_y)
        if index >= len(self._lines):
            if index == 0 and not self.ready:  # being wrapped: say so
                return Strip([Segment("…", self.rich_style)]).extend_cell_length(width)
            return Strip.blank(width, self.rich_style)
        strip = self._lines[index].apply_style(self.rich_style)
        return strip.extend_cell_length(width, self.rich_style).crop(0, width)
