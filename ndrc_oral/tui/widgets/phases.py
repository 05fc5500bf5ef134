"""The list of phases: planned and actual times, overtime, carry-over, extensions, pauses.

The total sits in the panel's border, so it stays in view however many phases
there are (six for the E4); the list scrolls to keep the running phase shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ndrc_oral.exam_room.view import PhaseRow, fit_label
from ndrc_oral.i18n import t
from ndrc_oral.tui.palette import PAINT_CLASSES, paint

_MARKS = {"running": "▶", "done": "✓", "pending": "·", "skipped": "✗"}
_STYLES = {"running": "bold", "done": "", "pending": "dim", "skipped": "dim strike"}
OVERTIME = "$tone-over bold"
"""Time past a phase's planned end: the colour of the timer in overtime."""


class PhaseList(VerticalScroll, can_focus=False):
    """Repaints only when a value it shows has changed."""

    DEFAULT_CSS = """
    PhaseList { height: auto; max-height: 100%; }
    PhaseList > Static { height: auto; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = set(PAINT_CLASSES)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[tuple[PhaseRow, ...], str] | None = None
        self._width = 0
        """The width the labels were fitted to."""

    def compose(self) -> ComposeResult:
        yield Static("", id="phase-table")

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
            self.border_subtitle = total
        if before is not None and before[0] == key[0]:
            return True
        # Only a new line (a detail appearing) changes the height: spare the layout otherwise.
        shape = [bool(r.details) for r in rows]
        layout = before is None or shape != [bool(r.details) for r in before[0]]
        self._paint(rows, layout=layout)
        running = _running(rows)
        if running is not None and (before is None or _running(before[0]) != running):
            line = 1 + sum(1 + bool(r.details) for r in rows[:running])
            self.call_after_refresh(self.scroll_to, y=max(0, line - 1), animate=False)
        return True

    def on_resize(self) -> None:
        # The labels are fitted to the width: a new width fits them again.
        if self._shown is not None and self._width != self.content_region.width:
            self._paint(self._shown[0], layout=False)

    def _paint(self, rows: Sequence[PhaseRow], *, layout: bool) -> None:
        self._width = self.content_region.width
        self.query_one("#phase-table", Static).update(self._table(rows), layout=layout)

    def _table(self, rows: Sequence[PhaseRow]) -> Table:
        # Labels cut in the middle keep their distinct ends (two E4 phases share a start).
        planned = max([len(t("tui.phases.planned")), *(len(r.planned) for r in rows)])
        times = max(
            [len(t("tui.phases.actual")), *(len(f"{r.actual} {r.overtime}".strip()) for r in rows)]
        )
        room = self._width - 1 - planned - times - 3  # the mark, the times, one space each
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(justify="right", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_row(
            "", "", Text(t("tui.phases.planned"), "dim"), Text(t("tui.phases.actual"), "dim")
        )
        for row in rows:
            actual = Text(row.actual)
            if row.overtime:
                actual = paint(self, Text.assemble(row.actual, " ", (row.overtime, OVERTIME)))
            label = Text(fit_label(row.label, room), style=_STYLES[row.state])
            table.add_row(_MARKS[row.state], label, row.planned, actual)
            if row.details:
                table.add_row("", Text(row.details, style="italic dim"), "", "")
        return table


def _running(rows: Sequence[PhaseRow]) -> int | None:
    states = [r.state for r in rows]
    return states.index("running") if "running" in states else None
