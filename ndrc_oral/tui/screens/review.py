"""The saved sessions: a table to sort and filter, and the way into each session.

The list comes from the transcript layer's cached index (``list_sessions``),
read in a worker thread while the table shows that it is loading. Filtering
and sorting then work on those summaries in memory (``filter_sessions``,
``sort_sessions``): the list is sorted once per sort change, and each
keystroke of a filter only filters the sorted list and hands it to the
table, which paints the visible rows only (``SessionTable``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Input, Label, LoadingIndicator, Select, Static

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import language, t
from ndrc_oral.transcript.exports import (
    default_name,
    export_format,
    render_many,
)
from ndrc_oral.transcript.index import (
    FilterError,
    SessionFilter,
    filter_sessions,
    list_sessions,
    make_filter,
    merge_epreuves,
    parse_day,
    sort_sessions,
)
from ndrc_oral.transcript.summary import SessionSummary, fold_text
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import ExportDirDialog
from ndrc_oral.tui.screens.base import KioskScreen
from ndrc_oral.tui.screens.review_exports import ExportPlace, default_export_dir
from ndrc_oral.tui.widgets.fields import Field
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.widgets.session_table import COLUMNS, SessionTable
from ndrc_oral.tui.worker_results import deliver

ALL = "*"
"""The value of the "any exam" and "any mode" choices."""
DESCENDING_FIRST = frozenset({"started_at", "result", "time_used_s"})
"""Columns whose first sort puts the largest first (latest date, best mark, longest time)."""
LIST_NOTICE_FROM = 200
"""Exporting more sessions than this (to CSV...) says first that it is under way."""
MAX_ATTEMPTS = 40
"""The rehearsal chart shows at most this many attempts (the most recent)."""


class ReviewScreen(KioskScreen[None]):
    """Every saved session, newest first; Enter opens one, F5 charts a student's rehearsals."""

    CSS_PATH = "../review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings.REVIEW
    AUTO_FOCUS = "#review-table"

    def __init__(self, exports: ExportPlace | None = None) -> None:
        super().__init__()
        self._searched = False
        """Whether the focused filter holds text (Escape's name depends on it)."""
        self.exports = exports or ExportPlace(default_export_dir())
        self.all: list[SessionSummary] = []
        """Every row listed (a CCF épreuve: one row), in the current sort order."""
        self.by_id: dict[str, SessionSummary] = {}
        """Every session, by id (an épreuve's situations, for a CSV of its sessions)."""
        self.loaded = False
        self.sort_column = "started_at"
        self.descending = True
        self._criteria = SessionFilter()

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(t("tui.review.title"), id="review-top", markup=False)
        with Horizontal(id="review-filters", classes="review-filters"):
            yield Field(
                id="review-text",
                placeholder=t("tui.review.filter.text_hint"),
                compact=True,
                select_on_focus=False,  # a letter typed on the list adds to the search
            )
            yield Select(
                [(t("tui.review.filter.any_exam"), ALL)],
                value=ALL,
                allow_blank=False,
                compact=True,
                id="review-exam",
            )
            yield Select(
                [
                    (t("tui.review.filter.any_mode"), ALL),
                    (t("tui.review.filter.live"), "live"),
                    (t("tui.review.filter.rehearsal"), "rehearsal"),
                ],
                value=ALL,
                allow_blank=False,
                compact=True,
                id="review-mode",
            )
        with Horizontal(id="review-dates", classes="review-filters"):
            yield Label(t("tui.review.filter.since"), classes="review-inline")
            yield Field(
                id="review-since", placeholder=t("tui.review.filter.day_hint"), compact=True
            )
            yield Label(t("tui.review.filter.until"), classes="review-inline")
            yield Field(
                id="review-until", placeholder=t("tui.review.filter.day_hint"), compact=True
            )
            yield Static("", id="review-error", markup=False)
        yield SessionTable(id="review-table")
        yield LoadingIndicator(id="review-loading")
        yield Static(t("tui.review.loading"), id="review-status", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        table = self.query_one(SessionTable)
        table.set_sort(self.sort_column, self.descending)
        # Not ``table.loading``: a loading widget cannot take the focus, and the
        # list must have it from the start (Enter opens, arrows move).
        table.empty_text = t("tui.review.loading_short")
        self.load()

    # --- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review-list")
    def load(self) -> None:
        """Read the index off the UI thread (a cold index of 10,000 files takes a while)."""
        root: Path = self.kiosk.store.root
        try:
            listing = list_sessions(root, on_read=lambda n: self._from_thread(self._indexing, n))
        except NdrcError as exc:
            self._from_thread(self._failed, str(exc))
            return
        except Exception as exc:  # never a traceback for a directory we cannot list
            self._from_thread(self._failed, t("tui.review.error.list", detail=exc))
            return
        if listing.pool_problem:
            self._from_thread(self._one_core, listing.pool_problem)
        self._from_thread(self._loaded, listing.sessions)
        if listing.ignored:
            self._from_thread(self._ignored, list(listing.ignored))

    def _ignored(self, names: list[str]) -> None:
        # Syncthing's conflict copies and temporaries: never sessions, said once per load.
        shown = ", ".join(names[:3]) + (" ..." if len(names) > 3 else "")
        self.notify(
            t("tui.review.ignored", count=len(names), names=shown), severity="warning", markup=False
        )

    def _from_thread(self, callback: Callable[..., None], *args: Any) -> None:
        deliver(self, callback, *args)

    def _indexing(self, count: int) -> None:
        self._status(t("tui.review.indexing", count=count))

    def _one_core(self, detail: str) -> None:
        # Said, not swallowed: a list of thousands then takes a core's time.
        self.notify(t("tui.review.one_core", detail=detail), severity="warning", markup=False)

    def _failed(self, message: str) -> None:
        self.query_one("#review-loading").display = False
        table = self.query_one(SessionTable)
        table.empty_text = message
        table.refresh()
        self._status(message)
        self.notify(message, severity="error", markup=False)

    def _loaded(self, sessions: list[SessionSummary]) -> None:
        self.loaded = True
        self.by_id = {s.id: s for s in sessions}
        # A CCF épreuve is one row with its situations (opening it opens the last one).
        rows = merge_epreuves(sessions)
        self.all = sort_sessions(rows, self.sort_column, descending=self.descending)
        self._fill_exam_choices(sessions)
        self.query_one("#review-loading").display = False
        self.apply_filters()

    def _fill_exam_choices(self, sessions: Sequence[SessionSummary]) -> None:
        present: dict[str, str] = {}
        for s in sessions:
            if s.exam_id:
                present.setdefault(s.exam_id, s.epreuve)
        for exam in self.kiosk.catalog.values():
            present.setdefault(exam.id, exam.epreuve)
        epreuves = sorted({e for e in present.values() if e})
        options: list[tuple[str, str]] = [(t("tui.review.filter.any_exam"), ALL)]
        options += [(t("tui.review.filter.epreuve", epreuve=e), e) for e in epreuves]
        options += [(exam_id, exam_id) for exam_id in sorted(present)]
        select: Select[str] = self.query_one("#review-exam", Select)
        current = select.value
        select.set_options(options)
        if isinstance(current, str) and current in {v for _, v in options}:
            select.value = current

    # --- filtering ----------------------------------------------------------------------------

    def criteria(self) -> SessionFilter:
        """The filter the fields describe; a field that is wrong is left out and said so."""
        errors: list[str] = []
        days: dict[str, str | None] = {}
        for name in ("since", "until"):
            field = self.query_one(f"#review-{name}", Input)
            text = field.value.strip()
            days[name] = None
            if text:
                try:
                    days[name] = parse_day(text)
                except FilterError as exc:
                    errors.append(str(exc))
            field.set_class(bool(text) and days[name] is None, "-bad-day")
        since, until = days["since"], days["until"]
        if since and until and since > until:
            errors.append(t("tui.review.filter.order", since=since, until=until))
            since = until = None
        exam = self.query_one("#review-exam", Select).value
        mode = self.query_one("#review-mode", Select).value
        self._show_error(" · ".join(errors))
        return make_filter(
            text=self.query_one("#review-text", Input).value,
            exam=exam if isinstance(exam, str) and exam != ALL else None,
            since=since,
            until=until,
            mode=mode if isinstance(mode, str) and mode != ALL else None,
        )

    def _show_error(self, message: str) -> None:
        self.query_one("#review-error", Static).update(message)

    def apply_filters(self) -> None:
        """Filter the sorted list with the fields' values and show it."""
        if not self.loaded:
            return
        self._criteria = self.criteria()
        shown = filter_sessions(self.all, self._criteria)
        table = self.query_one(SessionTable)
        current = table.current
        table.empty_text = t("tui.review.empty_filtered") if self.all else t("tui.review.empty")
        table.show(shown, keep=current.id if current is not None else None)
        self._count_line()

    def _count_line(self) -> None:
        table = self.query_one(SessionTable)
        shown = table.rows
        label = t(next(c.label for c in COLUMNS if c.key == self.sort_column))
        line = t(
            "tui.review.count",
            shown=len(shown),
            total=len(self.all),
            column=label,
            order=t("tui.review.order.desc" if self.descending else "tui.review.order.asc"),
        )
        damaged = sum(1 for s in shown if s.damaged)
        if damaged:
            line += " · " + t("tui.review.count_damaged", count=damaged)
        self._status(line)

    def _status(self, text: str) -> None:
        self.query_one("#review-status", Static).update(text)

    @on(Input.Changed, "#review-text, #review-since, #review-until")
    @on(Select.Changed, "#review-exam, #review-mode")
    def _filter_changed(self) -> None:
        self.apply_filters()

    @on(Input.Submitted, "#review-text, #review-since, #review-until")
    def _to_table(self) -> None:
        self.query_one(SessionTable).focus()

    def action_search(self) -> None:
        self.query_one("#review-text", Input).focus()

    def on_key(self, event: events.Key) -> None:
        # A letter typed on the list is a search: it goes to the text filter, kept.
        if not (event.is_printable and event.character) or event.character == " ":
            return
        if not isinstance(self.app.focused, SessionTable):
            return
        field = self.query_one("#review-text", Input)
        field.focus()
        field.insert_text_at_cursor(event.character)
        event.stop()
        event.prevent_default()

    # --- sorting ----------------------------------------------------------------------------

    def sort_by(self, column: str, descending: bool) -> None:
        """Sort every session by ``column`` and show the filtered ones again."""
        self.sort_column = column
        self.descending = descending
        self.query_one(SessionTable).set_sort(column, descending)
        if self.loaded:
            self.all = sort_sessions(self.all, column, descending=descending)
            self.apply_filters()

    def action_sort_next(self) -> None:
        keys = [c.key for c in COLUMNS]
        column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_by(column, column in DESCENDING_FIRST)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.sort_column, not self.descending)

    @on(SessionTable.SortClicked)
    def _header_clicked(self, event: SessionTable.SortClicked) -> None:
        if event.column == self.sort_column:
            self.action_sort_reverse()
        else:
            self.sort_by(event.column, event.column in DESCENDING_FIRST)

    # --- opening -----------------------------------------------------------------------------

    @on(SessionTable.Opened)
    def _open(self, event: SessionTable.Opened) -> None:
        from ndrc_oral.tui.screens.session_detail import SessionDetailScreen

        def back(changed: bool | None) -> None:
            if changed:  # settled, corrected or cancelled there: its row changed
                self.load()

        self.app.push_screen(SessionDetailScreen(event.summary, self.exports), back)

    def action_rehearsals(self) -> None:
        """The selected candidate's rehearsals of the selected row's exam, as a chart."""
        current = self.query_one(SessionTable).current
        if current is None:
            self.notify(t("tui.review.rehearsals.pick"), severity="warning", markup=False)
            return
        if not current.exam_id:
            self.notify(t("tui.review.rehearsals.no_exam"), severity="warning", markup=False)
            return
        mine = rehearsals_of(self.all, current)
        exam_wide = [
            s
            for s in filter_sessions(self.all, self._criteria)
            if s.mode == "rehearsal" and s.exam_id == current.exam_id
        ]
        if not mine and not exam_wide:
            self.notify(
                t("tui.review.rehearsals.none", exam=current.exam_id),
                severity="warning",
                markup=False,
            )
            return
        from ndrc_oral.tui.screens.rehearsals import RehearsalsScreen

        who = current.candidate_name or "?"
        self.app.push_screen(
            RehearsalsScreen(
                exam_id=current.exam_id,
                candidate=who,
                mine=_oldest_first(mine),
                exam_wide=_oldest_first(exam_wide),
            )
        )

    def action_harmonisation(self) -> None:
        """The harmonisation table of the sessions the filters keep (live unless chosen)."""
        from ndrc_oral.tui.screens.harmonisation import HarmonisationScreen

        self.app.push_screen(HarmonisationScreen(self.kiosk.store.root, self._criteria))

    # --- exports ------------------------------------------------------------------------------

    def action_export_list(self, key: str) -> None:
        """Ask where (the export directory, ready), then write the listed sessions in ``key``."""
        rows = list(self.query_one(SessionTable).rows)
        if not rows:
            self.notify(t("tui.review.export.list_empty"), severity="warning", markup=False)
            return
        what = t(export_format(key).label)

        def chosen(path: Path | None) -> None:
            if path is None:
                return
            self.exports.directory = path
            if len(rows) >= LIST_NOTICE_FROM:
                running = t("tui.review.export.list_running", what=what, count=len(rows))
                self.notify(running, markup=False)
            stamp = self.kiosk.clock.wall().strftime("%Y%m%d-%H%M%S")
            self.export_list(self.app, rows, key, default_name(f"sessions-{stamp}", key))

        question = t("tui.review.export.list_where", what=what, count=len(rows))
        self.app.push_screen(ExportDirDialog(self.exports.directory, question), chosen)

    @work(thread=True, group="review-export")
    def export_list(self, app: App[Any], rows: list[SessionSummary], key: str, name: str) -> None:
        """The sessions listed (the filters as shown) in format ``key``, as one file."""
        what = t(export_format(key).label)

        def produce() -> bytes:
            sessions = [one for s in rows for one in self._sessions_of(s)]
            return render_many(sessions, key, language())

        def said(path: Path, replaced: bool) -> str:
            done = (
                "tui.review.export.list_replaced" if replaced else "tui.review.export.list_written"
            )
            return t(done, what=what, count=len(rows), path=path)

        self.exports.export(app, name, produce, said)

    def _sessions_of(self, row: SessionSummary) -> list[SessionSummary]:
        """A row's sessions: itself, or each situation of an épreuve (a CSV row per session)."""
        if not row.situations:
            return [row]
        return [self.by_id[str(x["id"])] for x in row.situations if str(x["id"]) in self.by_id]

    # --- leaving -----------------------------------------------------------------------------------

    def binding_label(self, binding: Binding) -> str | None:
        """Escape's name says what it will do (``action_back``): the footer follows it."""
        if binding.action != "back":
            return None
        focused = self.app.focused
        if isinstance(focused, Input):
            return t(
                "tui.review.key.clear_search" if focused.value else "tui.review.key.leave_search"
            )
        if getattr(self.app, "_review_first", False) and self._is_first_review():
            return t("tui.key.quit")
        return t("tui.key.back")

    @on(Input.Changed)
    def _search_typed(self, event: Input.Changed) -> None:
        # Empty or not: Escape's name changes (``binding_label``).
        if bool(event.value) != self._searched:
            self._searched = bool(event.value)
            self.refresh_bindings()

    def action_back(self) -> None:
        """Escape: clears the filter being typed, then leaves the filters, then goes back.

        ``ndrc-oral review`` opens the app on this screen: back then means quit.
        """
        focused = self.app.focused
        if isinstance(focused, Input):
            if focused.value:
                focused.value = ""
            else:
                self.query_one(SessionTable).focus()
            return
        if getattr(self.app, "_review_first", False) and self._is_first_review():
            self.app.exit()
        else:
            self.app.pop_screen()

    def _is_first_review(self) -> bool:
        reviews = [s for s in self.app.screen_stack if isinstance(s, ReviewScreen)]
        return bool(reviews) and reviews[0] is self


def rehearsals_of(sessions: Sequence[SessionSummary], row: SessionSummary) -> list[SessionSummary]:
    """The rehearsals of ``row``'s exam by ``row``'s candidate (same number, or same name)."""
    name = fold_text(" ".join(row.candidate_name.split()))
    number = row.candidate_number.strip()
    found = []
    for s in sessions:
        if s.mode != "rehearsal" or s.exam_id != row.exam_id:
            continue
        same_number = bool(number) and s.candidate_number.strip() == number
        same_name = bool(name) and fold_text(" ".join(s.candidate_name.split())) == name
        if same_number or same_name:
            found.append(s)
    return found


def _oldest_first(sessions: list[SessionSummary]) -> list[SessionSummary]:
    ordered = sorted(sessions, key=lambda s: (s.started_at or s.date, s.id))
    return ordered[-MAX_ATTEMPTS:]
