"""The list of phases: planned and actual times, overtime, carry-over, extensions, pauses."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ndrc_oral.i18n import t
from ndrc_oral.tui.view import PhaseRow

_MARKS = {"running": "▶", "done": "✓", "pending": "·", "skipped": "✗"}


class PhaseList(Static):
    """Repaints only when a value it shows has changed."""

    DEFAULT_CSS = """
    PhaseList { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple[tuple[PhaseRow, ...], str] | None = None

    @property
    def rows(self) -> tuple[PhaseRow, ...]:
        """The rows on display."""
        return self._shown[0] if self._shown else ()

    @property
    def total(self) -> str:
        return self._shown[1] if self._shown else ""

    def show(self, rows: Sequence[PhaseRow], total: str) -> bool:
        """Paint the rows and the total line; False when nothing changed."""
        key = (tuple(rows), total)
        if key == self._shown:
            return False
        # Only a new line (a detail appearing) changes the height: spare the layout otherwise.
        shape = [bool(r.details) for r in rows]
        layout = self._shown is None or shape != [bool(r.details) for r in self._shown[0]]
        self._shown = key
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(justify="right", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        table.add_row(
            "", "", Text(t("tui.phases.planned"), "dim"), Text(t("tui.phases.actual"), "dim")
        )
        for row in rows:
            style = {"running": "bold", "done": "", "pending": "dim", "skipped": "dim strike"}[
                row.state
            ]
            actual = Text(row.actual)
            if row.overtime:
                actual = Text.assemble(row.actual, " ", (row.overtime, "bold red"))
            table.add_row(_MARKS[row.state], Text(row.label, style=style), row.planned, actual)
            if row.details:
                table.add_row("", Text(row.details, style="italic dim"), "", "")
        table.add_row("", Text(total, style="bold"), "", "")
        self.update(table, layout=layout)
        return True
