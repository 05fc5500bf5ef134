"""The table of saved sessions: a virtual table that paints only the rows on screen.

A ``DataTable`` measures and stores every row it is given: repopulating it
with 10,000 sessions takes 1.5-2.5 s here (measured on the 2-core machine),
far too slow for a filter that runs at each keystroke. This table instead
holds the list of summaries (already filtered and sorted by the screen) and
formats a row only when it is painted, so replacing the list costs nothing
and a repaint costs the visible rows only, whatever the list's length.

The header stays on the first line; a click on a column's title asks the
screen to sort by it (``SortClicked``); Enter or a double click opens the
session under the cursor (``Opened``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ndrc_oral.formatting import day_and_time, elapsed, mark_out_of, shows_overtime
from ndrc_oral.i18n import language, t
from ndrc_oral.transcript.reader import Integrity
from ndrc_oral.transcript.summary import SessionSummary
from ndrc_oral.tui import bindings

# --- the columns ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """One column: the ``sort_sessions`` key it sorts by, its title, its width."""

    key: str
    label: str
    """An i18n key."""
    width: int
    """Cells; 0 for the one column that takes the room left."""
    right: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("started_at", "tui.review.col.date", 16),
    Column("exam_id", "tui.review.col.exam", 16),
    Column("candidate_name", "tui.review.col.candidate", 0),
    Column("mode", "tui.review.col.mode", 7),
    Column("result", "tui.review.col.result", 9, right=True),
    Column("time_used_s", "tui.review.col.used", 7, right=True),
    Column("integrity", "tui.review.col.integrity", 11),
)
"""The columns, left to right; their keys are also the sort keys."""

SHORT_DATE_BELOW = 96
"""Narrower than this, the date column drops the time of day (the candidate needs the room)."""
MIN_FLEX = 12


def column_widths(total: int) -> list[int]:
    """The width of each column for a table ``total`` cells wide (one space between columns)."""
    widths = [c.width for c in COLUMNS]
    if total < SHORT_DATE_BELOW:
        widths[0] = 10
    fixed = sum(widths) + len(COLUMNS) - 1
    flex = COLUMNS.index(next(c for c in COLUMNS if c.width == 0))
    widths[flex] = max(MIN_FLEX, total - fixed)
    return widths


# --- one row as text ------------------------------------------------------------------------

Cell = tuple[str, str]
"""A cell's text and its tone: ``""``, ``dim``, ``over``, ``torn``, ``damaged`` or ``rehearsal``."""


def row_cells(s: SessionSummary, short_date: bool = False) -> tuple[Cell, ...]:
    """What a session's row shows, cell by cell."""
    lang = language()
    when = day_and_time(s.started_at) or s.date
    if short_date:
        when = when[:10]
    who = s.candidate_name or "—"
    if s.candidate_number:
        who += f" ({s.candidate_number})"
    rehearsal = s.mode == "rehearsal"
    mode = t("tui.review.mode.rehearsal") if rehearsal else t("tui.review.mode.live")
    if not s.mode:
        mode = ""
    # A file read only up to its creation says nothing of the time: no "00:00".
    used = elapsed(s.time_used_s) if s.time_used_s or (s.exam_id and not s.damaged) else ""
    return (
        (when, ""),
        (exam_cell(s), ""),
        (who, ""),
        (mode, "rehearsal" if rehearsal else "dim"),
        result_cell(s, lang),
        (used, "over" if shows_overtime(s.overtime_s) else ""),
        integrity_cell(s),
    )


def exam_cell(s: SessionSummary) -> str:
    """The exam, and a CCF épreuve's situations (``e6-ccf-2025 A+B``) or a situation's."""
    if s.situations:
        return f"{s.exam_id} {'+'.join(str(x['situation']).upper() for x in s.situations)}"
    if s.situation:
        return f"{s.exam_id} {s.situation.upper()}"
    return s.exam_id or "?"


def result_cell(s: SessionSummary, lang: str) -> Cell:
    """The mark (``14,5/20``), the special outcome (a reserved mark is withheld), a CCF
    situation done, or why there is none (a session cancelled says so; a result corrected too)."""
    if s.cancelled:
        return t("tui.review.result.cancelled"), "dim"
    if s.corrections:
        text, style = result_cell(replace(s, corrections=0), lang)
        return t("tui.review.result.corrected", result=text), style
    if s.mark is not None:
        return mark_out_of(s.mark, lang).replace(" ", ""), ""
    if s.outcome is not None:
        return t(f"tui.review.outcome.{s.outcome}"), ""
    if s.status == "situation":
        return t("tui.review.result.situation", id=s.situation.upper()), "dim"
    if s.damaged:
        return "", ""
    if s.moved_to:  # F9 took it elsewhere: the copy there goes on, not this one
        return t("tui.review.result.moved"), "dim"
    if not s.finished:
        return t("tui.review.result.unfinished"), "dim"
    return "—", "dim"


def integrity_cell(s: SessionSummary) -> Cell:
    """``✓`` for a whole transcript; a flag a reader cannot miss otherwise."""
    if s.integrity == Integrity.DAMAGED:
        return t("tui.review.integrity.damaged"), "damaged"
    if s.integrity == Integrity.TORN_TAIL:
        return t("tui.review.integrity.torn"), "torn"
    return t("tui.review.integrity.intact"), "dim"


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` cells."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


# --- the widget ---------------------------------------------------------------------------------


class SessionTable(ScrollView, can_focus=True):
    """Sessions, one per line, under a fixed header; only the visible rows are painted."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.SESSION_TABLE

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "session-table--header",
        "session-table--sorted",
        "session-table--cursor",
        "session-table--dim",
        "session-table--over",
        "session-table--torn",
        "session-table--damaged",
        "session-table--rehearsal",
    }

    DEFAULT_CSS = """
    SessionTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
    }
    SessionTable > .session-table--header { text-style: bold; color: $text-muted; }
    SessionTable > .session-table--sorted { text-style: bold; color: $accent; }
    SessionTable > .session-table--cursor { background: $surface-lighten-2; }
    SessionTable:focus > .session-table--cursor { background: $accent 45%; text-style: bold; }
    SessionTable > .session-table--dim { color: $text-muted; }
    SessionTable > .session-table--rehearsal { color: $secondary; text-style: italic; }
    """

    cursor = reactive(0, always_update=True)
    """The index of the highlighted row."""

    class Opened(Message):
        """The user asked to open the session under the cursor."""

        def __init__(self, summary: SessionSummary) -> None:
            super().__init__()
            self.summary = summary

    class SortClicked(Message):
        """A column's title was clicked: sort by that column (again: the other way)."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: Sequence[SessionSummary] = ()
        self._cache: dict[tuple[str, bool], tuple[SessionSummary, tuple[Cell, ...]]] = {}
        self.sort_column = "started_at"
        self.descending = True
        self.empty_text = ""

    # --- data ----------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[SessionSummary]:
        """The sessions listed, in order."""
        return self._rows

    @property
    def current(self) -> SessionSummary | None:
        """The session under the cursor."""
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor]
        return None

    def show(self, rows: Sequence[SessionSummary], *, keep: str | None = None) -> None:
        """List ``rows``; the cursor stays on session ``keep`` when it is still there."""
        self._rows = rows
        index = 0
        if keep is not None:
            index = next((i for i, s in enumerate(rows) if s.id == keep), 0)
        self._resize_virtual()
        self.cursor = index
        self.scroll_to(y=max(0, index - self._page() // 2), animate=False)
        self.refresh()

    def set_sort(self, column: str, descending: bool) -> None:
        """Mark the sort column in the header (the screen sorts the rows)."""
        self.sort_column = column
        self.descending = descending
        self.refresh()

    # --- geometry ------------------------------------------------------------------------

    def _page(self) -> int:
        """Rows that fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _resize_virtual(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, len(self._rows) + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._resize_virtual()
        self._keep_cursor_visible()

    def watch_cursor(self, old: int, new: int) -> None:
        clamped = max(0, min(new, len(self._rows) - 1)) if self._rows else 0
        if clamped != new:
            self.cursor = clamped
            return
        self._keep_cursor_visible()
        self.refresh()

    def _keep_cursor_visible(self) -> None:
        top = round(self.scroll_y)
        page = self._page()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False)

    # --- keys and mouse ---------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self.cursor = self.cursor + step

    def action_page(self, direction: int) -> None:
        self.cursor = self.cursor + direction * self._page()

    def action_edge(self, end: int) -> None:
        self.cursor = len(self._rows) - 1 if end else 0

    def action_open(self) -> None:
        current = self.current
        if current is not None:
            self.post_message(self.Opened(current))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None:
                self.post_message(self.SortClicked(column))
            return
        index = round(self.scroll_y) + offset.y - 1
        if 0 <= index < len(self._rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()

    def _column_at(self, x: int) -> str | None:
        left = 0
        for column, width in zip(COLUMNS, column_widths(self.size.width), strict=True):
            if left <= x < left + width + 1:
                return column.key
            left += width + 1
        return None

    # --- painting ------------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"session-table--{name}")

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        widths = column_widths(width)
        base = self.rich_style
        if y == 0:
            return self._header(widths, width, base)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            if index == 0 and self.empty_text:
                return Strip([Segment(fit(self.empty_text, width), base + self._style("dim"))])
            return Strip.blank(width, base)
        summary = self._rows[index]
        short = width < SHORT_DATE_BELOW
        cached = self._cache.get((summary.id, short))
        # A list read again (a result corrected, a session cancelled) has new summaries.
        if cached is None or cached[0] is not summary:
            cached = self._cache[(summary.id, short)] = (summary, row_cells(summary, short))
        cells = cached[1]
        row_style = base
        if index == self.cursor:
            row_style = base + self._style("cursor")
        segments: list[Segment] = []
        for i, ((text, tone), column, w) in enumerate(zip(cells, COLUMNS, widths, strict=True)):
            style = row_style + self._style(tone) if tone else row_style
            if index == self.cursor and tone:
                style = style + self._style("cursor")
            segments.append(Segment(fit(text, w, column.right), style))
            if i < len(COLUMNS) - 1:
                segments.append(Segment(" ", row_style))
        strip = Strip(segments)
        return strip.extend_cell_length(width, row_style).crop(0, width)

    def _header(self, widths: list[int], width: int, base: Style) -> Strip:
        segments: list[Segment] = []
        for i, (column, w) in enumerate(zip(COLUMNS, widths, strict=True)):
            label = t(column.label)
            style = base + self._style("header")
            if column.key == self.sort_column:
                label += " ▼" if self.descending else " ▲"
                style = base + self._style("sorted")
            segments.append(Segment(fit(label, w, column.right), style))
            if i < len(COLUMNS) - 1:
                segments.append(Segment(" ", base))
        return Strip(segments).extend_cell_length(width, base).crop(0, width)

    def refresh_row(self, index: int) -> None:
        """Repaint one row (by its index in the list)."""
        y = index - round(self.scroll_y) + 1
        self.refresh(Region(0, y, self.size.width, 1))
