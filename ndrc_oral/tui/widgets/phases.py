"""The list of phases: planned and actual times, overtime, carry-over, extensions, pauses.

The total sits in the panel's border, so it stays in view however many phases
there are (six for the E4); the list scrolls to keep the running phase shown.

While a phase runs, two values change each second: its actual time and the
total. Each is repainted alone: the actual time is a cell of its own, of a
fixed width (``PhaseLine``), and the total repaints the border's bottom line
only. Textual re-renders every widget that crosses a changed line, so a list
drawn as one table sent its every line, each second.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Region

from ndrc_oral.exam_room.view import PhaseRow, fit_label
from ndrc_oral.i18n import t
from ndrc_oral.tui.widgets.cell import Cell

_MARKS = {"running": "▶", "done": "✓", "pending": "·", "skipped": "✗"}
_STYLES = {"running": "bold", "done": "", "pending": "dim", "skipped": "dim strike"}
OVERTIME = "$tone-over bold"
"""Time past a phase's planned end: the colour of the timer in overtime."""


class PhaseLine(Horizontal):
    """One phase: its mark, label and planned time, then its actual time in a cell of its own."""

    DEFAULT_CSS = """
    PhaseLine { height: 1; }
    PhaseLine > .-head { width: 1fr; }
    PhaseLine > .-time { margin-left: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.head = Cell(classes="-head")
        self.time = Cell(classes="-time")

    def compose(self) -> ComposeResult:
        yield self.head
        yield self.time


class PhaseList(VerticalScroll, can_focus=False):
    """Repaints only the values that changed."""

    DEFAULT_CSS = """
    PhaseList { height: auto; max-height: 100%; }
    PhaseList > .-details { display: none; }
    PhaseList > .-details.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[tuple[PhaseRow, ...], str] | None = None
        self._lines: list[tuple[PhaseLine, Cell]] = []
        """Each phase's line and the line of its details (shown when it has some)."""
        self._width = 0
        """The width the labels were fitted to."""
        self._header = Cell(classes="-header")

    def compose(self) -> ComposeResult:
        yield self._header

    @property
    def rows(self) -> tuple[PhaseRow, ...]:
        """The rows on display."""
        return self._shown[0] if self._shown else ()

    @property
    def total(self) -> str:
        """The total line on display (in the panel's border)."""
        return self._shown[1] if self._shown else ""

    def show(self, rows: Sequence[PhaseRow], total: str, *, over_cap: bool = False) -> bool:
        """Paint the rows and the total; False when nothing changed.

        ``over_cap``: the oral ran past the exam's cap (the total says it in words, and
        the class ``-over-cap`` colours it as overtime).
        """
        self.set_class(over_cap, "-over-cap")
        key = (tuple(rows), total)
        if key == self._shown:
            return False
        before = self._shown
        self._shown = key
        if before is None or before[1] != total:
            self._show_total(total, before[1] if before else None)
        if before is not None and before[0] == key[0]:
            return True
        self._paint(rows)
        running = _running(rows)
        if running is not None and (before is None or _running(before[0]) != running):
            line = 1 + sum(1 + bool(r.details) for r in rows[:running])
            self.call_after_refresh(self.scroll_to, y=max(0, line - 1), animate=False)
        return True

    def _show_total(self, total: str, before: str | None) -> None:
        if before is None or len(before) != len(total) or not self.is_mounted:
            self.border_subtitle = total
            return
        # The same length, so the same place: the border's bottom line is all that changes.
        # (Setting ``border_subtitle`` repaints the whole list, each second of a phase.)
        self._border_subtitle = Content(total)
        width, height = self.outer_size
        self.refresh(Region(0, height - 1, width, 1).translate(-self.content_offset))

    def on_resize(self) -> None:
        # The labels are fitted to the width: a new width fits them again.
        if self._shown is not None and self._width != self.content_region.width:
            self._paint(self._shown[0])

    def _paint(self, rows: Sequence[PhaseRow]) -> None:
        self._width = width = self.content_region.width
        if len(self._lines) != len(rows):
            self._build(len(rows))
        planned_head, actual_head = t("tui.phases.planned"), t("tui.phases.actual")
        planned = max([len(planned_head), *(len(r.planned) for r in rows)])
        times = max([len(actual_head), *(len(_times(r)) for r in rows)])
        room = width - 1 - planned - times - 3  # the mark, the times, one space each
        self._header.show(
            (width, planned, times, planned_head, actual_head),
            # As a table's cells would be: each padded in its own style.
            lambda: Text.assemble(
                " " * max(0, width - times - 1 - planned),
                (planned_head.rjust(planned), "dim"),
                " ",
                (actual_head.rjust(times), "dim"),
            ),
        )
        for row, (line, details) in zip(rows, self._lines, strict=True):
            # Each text is built only when what it is made of changed: in a running
            # phase, a second changes the running phase's actual time alone.
            line.head.show(
                (row.state, row.label, row.planned, room, planned),
                partial(_head, row, room, planned),
            )
            time = line.time
            time.styles.width = times  # a layout only when the widest time changes
            time.show((row.actual, row.overtime, times), partial(_time, row, times))
            details.set_class(bool(row.details), "-shown")
            details.show((row.details, room), partial(_details, row, room))

    def _build(self, count: int) -> None:
        for line, details in self._lines:
            line.remove()
            details.remove()
        self._lines = [(PhaseLine(), Cell(classes="-details")) for _ in range(count)]
        self.mount_all([w for pair in self._lines for w in pair])


def _head(row: PhaseRow, room: int, planned: int) -> Text:
    """The mark, the label fitted to ``room`` and the planned time."""
    label = fit_label(row.label, room)
    return Text.assemble(
        _MARKS[row.state],
        " ",
        (label.ljust(room), _STYLES[row.state]),
        " ",
        row.planned.rjust(planned),
    )


def _time(row: PhaseRow, width: int) -> Text:
    pad = " " * (width - len(_times(row)))
    if not row.overtime:
        return Text(pad + row.actual)
    return Text.assemble(pad, row.actual, " ", (row.overtime, OVERTIME))


def _details(row: PhaseRow, room: int) -> Text:
    text = Text(row.details, style="italic dim")
    text.truncate(max(0, room), overflow="ellipsis", pad=True)
    return Text.assemble("  ", text)


def _times(row: PhaseRow) -> str:
    return f"{row.actual} {row.overtime}".strip()


def _running(rows: Sequence[PhaseRow]) -> int | None:
    states = [r.state for r in rows]
    return states.index("running") if "running" in states else None
