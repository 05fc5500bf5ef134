"""A line filter that keeps control characters of the text on screen from reaching the terminal.

Textual sends the text of every widget to the terminal as it is: a name
holding ``ESC ] 2 ; …`` would retitle the window, ``ESC [ 2 J`` would clear
it. The kiosk applies this filter to every rendered line (``get_line_filters``),
so no widget, present or future, can let one through. Control characters take
no cell, so removing them leaves every line its width.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from ndrc_oral.printable import CONTROL


class NoControlCharacters(LineFilter):
    """Removes C0 (tab and newline aside), DEL and C1 characters from the painted text."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(CONTROL.search(s.text) for s in segments if not s.control):
            return segments
        return [
            s if s.control else Segment(CONTROL.sub("", s.text), s.style, s.control)
            for s in segments
        ]
