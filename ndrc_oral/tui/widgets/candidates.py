"""The strip of candidates (E5): every candidate's timer at a glance, the current one marked.

One line per candidate: place, name, phase, time, state; a last line says
which keys switch and add. It is fed plain rows (``CandidateRow``). Each line
is its own widget, repainted only when its row changes: with three candidates
started apart, each second brings three changes, one line each (a table
redrawn whole cost the kiosk several times more). A click on a line picks
that candidate.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from ndrc_oral.exam_room.view import CandidateRow, strip_status_width
from ndrc_oral.session.tones import OVER
from ndrc_oral.tui.widgets.cell import Cell

MAX_LINES = 3


def row_parts(row: CandidateRow, width: int, status_width: int = 0) -> tuple[Text, Text, Text]:
    """The line's three cells: place, name and phase; the time (``TIME_WIDTH``); the state."""
    style = "bold" if row.current else ""
    mark = f"{'▶' if row.current else ' '}{row.position} "
    status = row.status.ljust(status_width)
    tail = f" {row.time:>7} {status}"
    room = max(8, width - len(mark) - cell_len(tail))
    name_w = max(4, room * 3 // 5)
    phase_w = max(0, room - name_w - 1)
    head = Text.assemble(
        (mark, style),
        (_fit(row.name, name_w), style),
        " ",
        (_fit(row.phase, phase_w), "" if row.current else "dim"),
    )
    return head, Text(f" {row.time:>7}", tone_style(row.tone)), Text(f" {status}", style or "dim")


TIME_WIDTH = 8
"""The time's cell: a space, then ``mm:ss``, ``+mm:ss`` or ``h:mm:ss`` on the right."""


def tone_style(tone: str) -> str:
    """The time's style: the colour of its tone (the big timer's), overtime in bold too."""
    return f"$tone-{tone} bold" if tone == OVER else f"$tone-{tone}"


def _fit(text: str, width: int) -> str:
    """``text`` cut with '…' or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        while text and cell_len(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - cell_len(text))


class CandidateLine(Horizontal):
    """One candidate's line: three cells, so that a second repaints the time alone.

    Textual repaints a changed widget whole: a line drawn as one text sent its
    every cell each second.
    """

    DEFAULT_CSS = f"""
    CandidateLine {{ height: 1; }}
    CandidateLine > .-head {{ width: 1fr; }}
    CandidateLine > .-time {{ width: {TIME_WIDTH}; }}
    """

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        self.row: CandidateRow | None = None
        self._width = 0
        self._cells = (Cell(classes="-head"), Cell(classes="-time"), Cell(classes="-status"))
        self._status_w = strip_status_width()  # every state, one width (i18n lookups: once)
        self._cells[2].styles.width = 1 + self._status_w

    def compose(self) -> ComposeResult:
        yield from self._cells

    def show(self, row: CandidateRow | None) -> None:
        width = self.content_region.width or self.size.width
        if row == self.row and width == self._width:
            return
        if (row is None) != (self.row is None) or not self._width:
            self.display = row is not None
        self.row, self._width = row, width
        if row is not None:
            parts = row_parts(row, width or 60, self._status_w)
            for cell, text in zip(self._cells, parts, strict=True):
                cell.show_text(text)

    def on_resize(self) -> None:
        row, self.row = self.row, None
        self.show(row)

    def on_click(self, event: events.Click) -> None:
        if self.row is not None:
            self.post_message(CandidateStrip.Picked(self.index))


class CandidateStrip(Vertical):
    """One line per candidate; the current one in bold with a ▶; the keys below."""

    DEFAULT_CSS = """
    CandidateStrip { height: auto; padding: 0 1; }
    CandidateStrip > #strip-hint { height: 1; color: $text-muted; text-style: italic;
        text-wrap: nowrap; text-overflow: ellipsis; }
    """

    class Picked(Message):
        """A candidate's line was clicked: ``index`` is its place on the screen, from 0."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: tuple[CandidateRow, ...] = ()
        self._hint = ""

    def compose(self) -> ComposeResult:
        for i in range(MAX_LINES):
            line = CandidateLine(i)
            line.display = False
            yield line
        hint = Static("", id="strip-hint", markup=False)
        hint.display = False
        yield hint

    @property
    def rows(self) -> tuple[CandidateRow, ...]:
        """The rows on display."""
        return self._rows

    @property
    def hint(self) -> str:
        return self._hint

    def show(self, rows: Sequence[CandidateRow], hint: str) -> bool:
        """Paint the rows that changed and the hint line; False when nothing changed."""
        rows = tuple(rows[:MAX_LINES])
        if rows == self._rows and hint == self._hint:
            return False
        self._rows = rows
        for i, line in enumerate(self.query(CandidateLine)):
            line.show(rows[i] if i < len(rows) else None)
        if hint != self._hint:
            self._hint = hint
            label = self.query_one("#strip-hint", Static)
            label.update(hint)
            label.display = bool(hint)
        return True
