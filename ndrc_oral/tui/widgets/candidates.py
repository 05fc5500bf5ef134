"""The strip of candidates (E5): every candidate's timer at a glance, the current one marked.

One line per candidate: place, name, phase, time, state; a last line says
which keys switch and add. It is fed plain rows (``CandidateRow``) and
repaints only when one of them changes. A click on a line picks that candidate.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from ndrc_oral.tui.view import CandidateRow

TONE_STYLES = {
    "idle": "dim",
    "normal": "green",
    "warn1": "yellow",
    "warn2": "bright_red",
    "over": "bold red",
    "paused": "blue",
}


class CandidateStrip(Static):
    """One line per candidate; the current one in bold with a ▶."""

    DEFAULT_CSS = """
    CandidateStrip { height: auto; padding: 0 1; }
    """

    class Picked(Message):
        """A candidate's line was clicked: ``index`` is its place on the screen, from 0."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple[tuple[CandidateRow, ...], str] | None = None

    @property
    def rows(self) -> tuple[CandidateRow, ...]:
        """The rows on display."""
        return self._shown[0] if self._shown else ()

    @property
    def hint(self) -> str:
        return self._shown[1] if self._shown else ""

    def show(self, rows: Sequence[CandidateRow], hint: str) -> bool:
        """Paint the rows and the hint line; False when nothing changed."""
        key = (tuple(rows), hint)
        if key == self._shown:
            return False
        layout = self._shown is None or len(self._shown[0]) != len(rows) or self._shown[1] != hint
        self._shown = key
        self.update(self._strip(rows, hint), layout=layout)
        return True

    @staticmethod
    def _strip(rows: Sequence[CandidateRow], hint: str) -> RenderableType:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=2, no_wrap=True)
        table.add_column(ratio=3, no_wrap=True, overflow="ellipsis")
        table.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
        table.add_column(justify="right", no_wrap=True)
        table.add_column(ratio=2, no_wrap=True, overflow="ellipsis")
        for row in rows:
            style = "bold" if row.current else ""
            mark = Text(f"{'▶' if row.current else ' '}{row.position}", style)
            table.add_row(
                mark,
                Text(row.name, style),
                Text(row.phase, "dim" if not row.current else ""),
                Text(row.time, TONE_STYLES.get(row.tone, "")),
                Text(row.status, style or "dim"),
            )
        if not hint:
            return table
        return Group(table, Text(hint, "italic dim", no_wrap=True, overflow="ellipsis"))

    def on_click(self, event: events.Click) -> None:
        index = event.y
        if 0 <= index < len(self.rows):
            self.post_message(self.Picked(index))
