"""Shared pieces of the bar drawings (timeline, rehearsal chart): cells, scales, a line widget.

A drawing is a list of ``rich.text.Text`` lines computed for a given width by
a pure function; ``BarLines`` paints such a function's lines at the width it
is given, and draws them again when that width changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from ndrc_oral.tui.palette import PAINT_CLASSES, paint

Segment = tuple[str, float, str, str]
"""A piece of a bar: kind, length in seconds, character, style (colours: palette names)."""

TICK_STEPS_MIN = (1, 2, 5, 10, 15, 20, 30, 60, 120)
MIN_TICK_GAP = 9


def clip(text: str, width: int) -> str:
    """``text`` cut with an ellipsis, or padded, to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return text + " " * (width - cell_len(text))


def raster(segments: Sequence[Segment], scale_s: float, cells: int) -> Text:
    """The segments laid end to end, ``scale_s`` seconds over ``cells`` cells.

    Boundaries are rounded from the running total, so lengths never drift; a
    segment too short for a cell still gets one when it is a mark a reader
    must see (a pause, overtime...: any kind but ``run``, ``plan`` and ``used``).
    """
    out = Text()
    done = 0
    total = 0.0
    for kind, length, char, style in segments:
        if length <= 0:
            continue
        total += length
        end = round(total / scale_s * cells) if scale_s > 0 else 0
        count = end - done
        if count <= 0 and kind not in ("run", "plan", "used"):
            count = 1
        count = max(0, min(count, cells - done))
        if count:
            out.append(char * count, style)
            done += count
    return out


def tick_step_min(scale_s: float, cells: int) -> int:
    """Minutes between two labels of the time axis, so that labels never touch."""
    for step in TICK_STEPS_MIN:
        if scale_s <= 0 or step * 60 / scale_s * cells >= MIN_TICK_GAP:
            return step
    return TICK_STEPS_MIN[-1]


def axis(scale_s: float, cells: int, unit: str) -> Text:
    """``┊0     ┊5 min    10 min┊``: labels at whole steps of minutes along a bar.

    The mark ``┊`` is at the exact position; a label with no room on its
    right is written on its left (``10 min┊``); one that would touch the
    label before it is left out.
    """
    step = tick_step_min(scale_s, cells)
    chars = [" "] * cells
    free = 0  # the first cell a label may use
    minute = 0
    while scale_s > 0 and minute * 60 <= scale_s + 1e-9:
        text = "0" if minute == 0 else f"{minute} {unit}"
        tick = min(round(minute * 60 / scale_s * cells), cells - 1)
        label, start = "┊" + text, tick
        if start + len(label) > cells:
            label, start = text + "┊", tick - len(text)
        if start >= free:
            chars[start : start + len(label)] = list(label)
            free = start + len(label) + 1
        minute += step
    return Text("".join(chars), "dim")


def legend(items: Sequence[tuple[str, str, str]], width: int) -> list[Text]:
    """``█ label  ░ label``: the keys of a drawing, on as many lines as ``width`` needs."""
    lines: list[Text] = []
    line = Text()
    for char, style, label in items:
        piece = Text.assemble((char, style), " ", (label, "dim"))
        if line.cell_len and line.cell_len + 3 + piece.cell_len > width:
            lines.append(line)
            line = Text()
        if line.cell_len:
            line.append("   ")
        line.append_text(piece)
    if line.cell_len:
        lines.append(line)
    return lines


class BarLines(Widget):
    """Paints ``draw(width)`` (a list of lines) at its own width; as tall as the lines.

    The lines' colours are palette names (``"$bar-run"``), painted here (``palette.paint``).
    """

    DEFAULT_CSS = """
    BarLines { height: auto; width: 1fr; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = set(PAINT_CLASSES)

    def __init__(
        self, draw: Callable[[int], list[Text]], *, id: str | None = None, classes: str = ""
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._draw = draw
        self._cache: tuple[int, list[Text]] | None = None

    def set_drawing(self, draw: Callable[[int], list[Text]]) -> None:
        """Draw something else (new data)."""
        self._draw = draw
        self._cache = None
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Text]:
        """The drawing at ``width`` cells (computed once per width)."""
        width = max(20, width)
        if self._cache is None or self._cache[0] != width:
            self._cache = (width, self._draw(width))
        return self._cache[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        lines = self.lines(self.content_size.width or self.app.size.width)
        text = paint(self, Text("\n").join(lines))
        text.no_wrap = True
        text.overflow = "crop"
        return text
