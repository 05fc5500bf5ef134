"""Textual's compositor, asked for the cells a partial update sends and no others.

For a partial update (a widget refreshed: a digit of the timer each second)
Textual's compositor takes the bounding box of the changed regions (the crop)
and renders every widget whose *clip* meets it, each one whole, though it
sends only the changed regions' rows (its *spans*). A child of the screen is
clipped by the screen, so each second the screen itself (30 lines), the lower
pane (16), the note box, the footer and the top line were rendered from their
caches with the timer panel's and the side column's every widget, for rows
and columns that never went out.

Here a partial update renders, of each widget, the rows of its visible part
from the first to the last where it meets a span, and skips a widget that
meets none. What is sent is the same bytes: Textual sends, of each row of a
span, every piece between two cuts (the edges of the widgets) that meets the
span, from the front-most widget over it; a widget over such a piece meets
the span too, so it is rendered as before (whole rows of it: its strips
still start on a cut). ``tests/tui/test_compositor.py`` compares the two,
byte for byte. A full render (a new screen, a resize) is Textual's own.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

Render = tuple[Region, Region, list[Strip]]


class SpanCompositor(Compositor):
    """``Compositor`` whose partial updates render the rows they send only."""

    def __init__(self) -> None:
        super().__init__()
        self._spans: dict[int, list[tuple[int, int]]] = {}
        """The update being rendered: row -> its spans (x1, x2)."""

    def render_partial_update(self) -> ChopsUpdate | None:
        spans: dict[int, list[tuple[int, int]]] = {}
        for y, x1, x2 in self._regions_to_spans(self._dirty_regions):
            spans.setdefault(y, []).append((x1, x2))
        self._spans = spans
        try:
            return super().render_partial_update()
        finally:
            self._spans = {}

    def _get_renders(self, crop: Region | None = None) -> Iterable[Render]:
        if crop is None or not self._spans:
            yield from super()._get_renders(crop)
            return
        spans = self._spans
        for widget, (region, clip) in self.visible_widgets.items():
            seen = region.intersection(clip)
            left, right = seen.x, seen.right
            # Textual sends a piece [x, end) of a row when x <= x2 and end > x1.
            rows = [
                y
                for y in range(max(seen.y, crop.y), min(seen.bottom, crop.bottom))
                if any(left <= x2 and right > x1 for x1, x2 in spans.get(y, ()))
            ]
            if rows:
                # One render from the first row to the last (the rows between come from
                # its cache): a render's cost is mostly its own, not its lines'.
                part = Region(left, rows[0], seen.width, rows[-1] - rows[0] + 1)
                # Its own region and clip: the strips start at its top-left cell.
                yield part, part, widget.render_lines(part.translate(-region.offset))
