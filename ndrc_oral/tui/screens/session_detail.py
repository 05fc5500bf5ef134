"""One saved session, read-only: timeline, notes, grid, result, the file's integrity; exports.

The session is read and laid out (``load_session`` + ``build_report``, the
model every export renders) in a worker thread, so a session of thousands of
notes never freezes the screen. A damaged transcript opens with what could
be read, under a banner that says so; one that cannot be read at all shows
why. Exports are the transcript layer's (``exports.render``), written into
the review's export directory, the full path said in a notification.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.requests import cancel_session, settle_reservation
from ndrc_oral.formatting import clock_time, day_and_time, elapsed, mark_out_of
from ndrc_oral.i18n import language, t
from ndrc_oral.session.state import SessionState
from ndrc_oral.session.verdict import NV_REASONS
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.exports import default_name, export_format, render, session_stem
from ndrc_oral.transcript.reader import Integrity, TranscriptError, read_transcript
from ndrc_oral.transcript.recorder import LoadedSession
from ndrc_oral.transcript.report import (
    NoteRow,
    Report,
    build_report,
    member_text,
    mode_text,
    note_stamp,
    result_text,
    source_text,
)
from ndrc_oral.transcript.skim import Skim, checked_session
from ndrc_oral.transcript.summary import SessionSummary
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import ChoiceDialog, ExportDirDialog, ReasonDialog
from ndrc_oral.tui.palette import PAINT_CLASSES, paint
from ndrc_oral.tui.screens.base import KioskScreen
from ndrc_oral.tui.screens.review_exports import ExportPlace
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.widgets.text_lines import StyledLine, TextLines
from ndrc_oral.tui.widgets.timeline import Timeline
from ndrc_oral.tui.worker_results import deliver

TABS = bindings.DETAIL_TABS
PAINT_WAIT_S = 1.0
"""At most this long, the check waits for the preview to be painted."""
FIRST_NOTES = 200
"""Notes shown before the check (about 600 lines: some twenty screens), in some 20 ms."""


class SessionDetailScreen(KioskScreen[bool]):
    """Everything one transcript says; Escape goes back to the list (answering whether a
    decision was appended here).

    Nothing here changes a transcript, but for three decisions, each a new
    event at the end of the file (``exam_room.requests.amend_session``): a
    reserved mark settled after its check (F8: released as given, or NV with
    its reason); the saved result corrected, with the reason (``c``: the result
    form, filled with it); the session cancelled, started by mistake (``a``).
    """

    CSS_PATH = "../review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings.DETAIL
    COMPONENT_CLASSES: ClassVar[set[str]] = set(PAINT_CLASSES)

    def __init__(self, summary: SessionSummary, exports: ExportPlace) -> None:
        super().__init__()
        self.summary = summary
        self.exports = exports
        self.loaded: LoadedSession | None = None
        self.report: Report | None = None
        self.failure = ""
        self.previewed = False
        """Whether the timeline was painted from the unchecked preview (until the check)."""
        self.changed = False
        """Whether a decision was appended to the transcript here (the list shows it then)."""

    def compose(self) -> ComposeResult:
        yield Static(_title(self.summary), id="detail-top", markup=False)
        yield Static("", id="detail-integrity", markup=False)
        with TabbedContent(id="detail-tabs", initial="timeline"):
            with (
                TabPane(t("tui.review.tab.timeline"), id="timeline"),
                VerticalScroll(classes="detail-pane"),
            ):
                yield Timeline(id="detail-timeline")
                yield Static("", id="detail-incidents", markup=False)
            for name, widget_id in (("notes", "detail-notes"), ("criteria", "detail-by-criterion")):
                with TabPane(t(f"tui.review.tab.{name}"), id=name):
                    yield TextLines(id=widget_id)
            for name, widget_id in (
                ("grid", "detail-grid"),
                ("result", "detail-result"),
                ("file", "detail-file"),
            ):
                with (
                    TabPane(t(f"tui.review.tab.{name}"), id=name),
                    VerticalScroll(classes="detail-pane"),
                ):
                    yield Static("", id=widget_id, markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one("#detail-integrity").display = False
        self.query_one("#detail-tabs").loading = True
        self.load()

    # --- reading -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="detail-load")
    def load(self) -> None:
        """Read, check and lay out the transcript off the UI thread, the timeline first.

        A big session's check takes a second or more: its timeline is painted
        first from the events but notes, unchecked (``Skim.preview``), then its
        first notes, under a banner saying the check is under way; the checked
        read then replaces all of it. ``self.loaded`` and ``self.report`` are only ever checked."""
        path = Path(self.summary.path)
        lang = language()
        if self.report is None:  # a first opening (a reload after a decision shows it already)
            self._preview_unchecked(path, lang)
        try:
            loaded = checked_session(path)
            # The timeline and the short panes first, without laying out the notes.
            report = build_report(loaded, lang, notes=False)
            blocks = _blocks(report)
        except TranscriptError as exc:
            self._from_thread(self._unreadable, _why_unreadable(path, str(exc)))
            return
        except Exception as exc:  # a transcript we cannot fold: say so, never a traceback
            self._from_thread(self._unreadable, t("tui.review.error.fold", detail=exc))
            return
        self._from_thread(self._show, loaded, report, blocks)
        self._from_thread(self.refresh_bindings)
        # Then the notes, as lines (each is wrapped only once it comes on screen),
        # in time order first: the tab a commission opens.
        report = build_report(loaded, lang)
        self._from_thread(self._with_notes, report, notes_in_order(report))
        self._from_thread(self._show_lines, "#detail-by-criterion", notes_by_criterion(report))

    def _preview_unchecked(self, path: Path, lang: str) -> None:
        """The timeline and the short panes, then the first notes, read unchecked (the
        file's bytes are let go before the check reads them again)."""
        skim = Skim.read(path)
        preview = skim.preview() if skim is not None else None
        if skim is None or preview is None:
            return
        try:
            early = build_report(preview, lang, notes=False)
        except Exception:  # the checked read says what is wrong
            return
        painted = threading.Event()
        self._from_thread(self._preview, early, _blocks(early), painted)
        # The check holds the interpreter for a second: let the UI paint first
        # (bounded: a screen that does not refresh never holds the check back).
        painted.wait(PAINT_WAIT_S)
        self._preview_notes(skim, lang)

    def _preview_notes(self, skim: Skim, lang: str) -> None:
        """The first notes, unchecked, under the same banner (in the worker, before the
        check): a commission opening the Notes tab at once reads them while the file is
        checked. The rest, and the notes by criterion, come from the check."""
        first = skim.preview(first_notes=FIRST_NOTES) if skim.notes else None
        if first is None:
            return
        try:
            lines = notes_in_order(build_report(first, lang), total=skim.notes)
        except Exception:  # the checked read says what is wrong
            return
        painted = threading.Event()
        self._from_thread(self._preview_lines, lines, painted)
        painted.wait(PAINT_WAIT_S)

    def _preview_lines(self, lines: list[StyledLine], painted: threading.Event) -> None:
        self.call_after_refresh(painted.set)
        if self.report is not None:  # the check came first
            return
        self._show_lines("#detail-notes", lines)
        self._show_lines("#detail-by-criterion", [(t("tui.review.notes_after_check"), "dim")])

    def _from_thread(self, callback: Callable[..., None], *args: Any) -> None:
        deliver(self, callback, *args)

    def _preview(
        self, report: Report, blocks: dict[str, RenderableType], painted: threading.Event
    ) -> None:
        self.call_after_refresh(painted.set)
        if self.report is not None:  # the check came first
            return
        self.previewed = True
        self._paint(report, blocks)
        # Not its file pane: the fingerprint and the integrity are the check's.
        self.query_one("#detail-file", Static).update(Text(t("tui.review.file_checking"), "dim"))
        banner = self.query_one("#detail-integrity", Static)
        banner.update(t("tui.review.banner.checking"))
        banner.set_classes("-checking")
        banner.display = True

    def _show(
        self, loaded: LoadedSession, report: Report, blocks: dict[str, RenderableType]
    ) -> None:
        self.loaded = loaded
        self.report = report
        self._paint(report, blocks)
        self._banner(report.integrity, len(loaded.events))
        if self.previewed and report.integrity != Integrity.INTACT:
            # What showed came from a file now known to be damaged or torn: none of its
            # notes stays on screen while the checked ones are laid out.
            for widget_id in ("#detail-notes", "#detail-by-criterion"):
                self.query_one(widget_id, TextLines).clear()

    def _paint(self, report: Report, blocks: dict[str, RenderableType]) -> None:
        self.query_one("#detail-tabs").loading = False
        self.query_one(Timeline).show(report.phases, report.loaded.state.last_t)
        for widget_id, renderable in blocks.items():
            if isinstance(renderable, Text):
                renderable = paint(self, renderable)  # its colours are palette names
            self.query_one(f"#{widget_id}", Static).update(renderable)

    def _with_notes(self, report: Report, in_order: list[StyledLine]) -> None:
        self.report = report  # the same, with its notes
        self._show_lines("#detail-notes", in_order)

    def _show_lines(self, widget_id: str, lines: list[StyledLine]) -> None:
        self.query_one(widget_id, TextLines).show(lines)

    def _banner(self, integrity: str, count: int) -> None:
        banner = self.query_one("#detail-integrity", Static)
        banner.remove_class("-checking")
        if integrity == Integrity.INTACT:
            banner.display = False
            return
        damaged = integrity == Integrity.DAMAGED
        key = "tui.review.banner.damaged" if damaged else "tui.review.banner.torn"
        if damaged and self.previewed:  # what was on screen came from this file
            key = "tui.review.banner.damaged_shown"
        banner.update(t(key, count=count))
        banner.set_class(damaged, "-damaged")
        banner.set_class(not damaged, "-torn")
        banner.display = True

    def _unreadable(self, message: str) -> None:
        self.failure = message
        self.query_one("#detail-tabs").loading = False
        self.query_one(Timeline).show((), 0.0)  # nothing of a preview stays
        banner = self.query_one("#detail-integrity", Static)
        banner.remove_class("-checking")
        banner.update(t("tui.review.banner.unreadable"))
        banner.add_class("-damaged")
        banner.display = True
        self.query_one("#detail-file", Static).update(Text(message))
        nothing = t("tui.review.nothing_read")
        for widget_id in ("#detail-notes", "#detail-by-criterion"):
            self._show_lines(widget_id, [(nothing, "dim")])
        for widget_id in ("detail-grid", "detail-result"):
            self.query_one(f"#{widget_id}", Static).update(Text(nothing, "dim"))
        self.query_one("#detail-incidents", Static).update(Text(nothing))
        self.action_tab("file")

    # --- actions -----------------------------------------------------------------------------

    def action_tab(self, name: str) -> None:
        """Show a tab and give its text the keys (arrows and pages scroll it)."""
        self.query_one(TabbedContent).active = name
        pane = self.query_one(f"#{name}", TabPane)
        for widget in pane.query("TextLines, .detail-pane"):
            widget.focus()
            break

    def action_back(self) -> None:
        """Back to the list; it is read again when a decision was appended here."""
        self.dismiss(self.changed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        report = self.report
        verdict = report.verdict if report is not None else None
        if report is None:
            return action not in ("settle", "correct", "cancel_session")
        if action == "settle":
            return verdict is not None and verdict.pending and report.cancelled is None
        if action in ("correct", "cancel_session"):
            if report.cancelled is not None or not _amendable(report):
                return False
            return action == "cancel_session" or (verdict is not None and report.finished)
        return True

    def action_correct(self) -> None:
        """The saved result as a form; the correction, with its reason, is a new event."""
        from ndrc_oral.tui.screens.correction import CorrectionScreen

        if self.loaded is None or not self.check_action("correct", ()):
            return

        def corrected(state: SessionState | None) -> None:
            if state is not None:
                self.notify(t("tui.correct.done", result=result_text(state.verdict, language())))
                self._reload()

        self.app.push_screen(CorrectionScreen(self.loaded), corrected)

    def action_cancel_session(self) -> None:
        """Cancel a session started by mistake, with the reason (it stays on disk)."""
        if self.report is None or not self.check_action("cancel_session", ()):
            return
        s = self.summary
        when = day_and_time(s.started_at) or s.date
        title = t("tui.review.cancel.title", name=s.candidate_name, exam=s.exam_id, when=when)

        def reasoned(reason: str | None) -> None:
            if reason is None:
                return
            path = Path(s.path)
            try:
                cancel_session(Store(path.parent), str(path), self.kiosk.clock, reason)
            except NdrcError as exc:
                self.notify(str(exc), severity="error", markup=False, timeout=12)
                return
            self.notify(t("tui.review.cancel.done", reason=reason), markup=False)
            self._reload()

        self.app.push_screen(ReasonDialog(title, ""), reasoned)

    def _reload(self) -> None:
        """Read the transcript again (a decision was appended to it)."""
        self.changed = True
        self.query_one("#detail-tabs").loading = True
        self.load()

    def action_settle(self) -> None:
        """A reserved mark after its check: released, or NV with the notification's reason."""
        verdict = self.report.verdict if self.report is not None else None
        if verdict is None or not verdict.pending:
            return
        name = self.summary.candidate_name

        def decided(decision: str | None) -> None:
            if decision == "released":
                self._settle("released", None)
            elif decision == "nv":
                reasons = [(t(f"nv.reason.{code}"), code) for code in NV_REASONS]
                question = t("tui.review.settle.reason", name=name)
                self.app.push_screen(ChoiceDialog(question, reasons), reasoned)

        def reasoned(reason: str | None) -> None:
            if reason is not None:
                self._settle("nv", reason)

        given = mark_out_of(verdict.mark, language()) if verdict.mark is not None else ""
        choices = [
            (t("tui.review.settle.release", mark=given), "released"),
            (t("tui.review.settle.nv"), "nv"),
        ]
        question = t("tui.review.settle.question", name=name, mark=given)
        self.app.push_screen(ChoiceDialog(question, choices), decided)

    def _settle(self, decision: str, reason: str | None) -> None:
        path = Path(self.summary.path)
        try:
            verdict = settle_reservation(
                Store(path.parent), str(path), self.kiosk.clock, decision, reason
            )
        except NdrcError as exc:
            self.notify(str(exc), severity="error", markup=False, timeout=12)
            return
        self.notify(t("tui.review.settle.done", result=result_text(verdict, language())))
        self._reload()

    def action_export_dir(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self.exports.directory = path
                self.notify(t("tui.review.export.dir_set", path=path), markup=False)

        self.app.push_screen(ExportDirDialog(self.exports.directory), chosen)

    def action_export(self, fmt: str) -> None:
        if self.loaded is None:
            key = "tui.review.export.wait" if not self.failure else "tui.review.export.nothing"
            self.notify(t(key), severity="warning", markup=False)
            return
        self.export(self.app, self.loaded, fmt)

    @work(thread=True, group="detail-export")
    def export(self, app: App[Any], loaded: LoadedSession, fmt: str) -> None:
        """Render ``fmt`` and write it into the export directory (a PDF takes a moment)."""
        what = t(export_format(fmt).label)

        def said(path: Path, replaced: bool) -> str:
            key = "tui.review.export.replaced" if replaced else "tui.review.export.written"
            return t(key, what=what, path=path)

        name = default_name(session_stem(loaded), fmt)
        self.exports.export(app, name, lambda: render(loaded, fmt, language()), said)


# --- what the tabs show (pure: built in the worker thread) ------------------------------------------


def _title(s: SessionSummary) -> str:
    who = s.candidate_name or "?"
    if s.candidate_number:
        who += f" (n° {s.candidate_number})"
    when = day_and_time(s.started_at) or s.date
    parts = [who, s.exam_title or s.exam_id or s.id, when]
    if s.mode == "rehearsal":
        parts.append(t("tui.review.mode.rehearsal_long"))
    return " · ".join(p for p in parts if p)


def _amendable(r: Report) -> bool:
    """Whether a decision can be appended to the file: whole, or cut only in its last event."""
    return r.integrity != Integrity.DAMAGED


def _why_unreadable(path: Path, message: str) -> str:
    """The first problem the reader found, or the error itself."""
    try:
        transcript = read_transcript(path)
    except TranscriptError:
        return message
    if transcript.problems:
        return t("tui.review.unreadable", problem=transcript.problems[0], path=path)
    return message


def _blocks(r: Report) -> dict[str, RenderableType]:
    """The short panes, laid out at once (the notes come as lines, after)."""
    return {
        "detail-grid": ratings_grid(r),
        "detail-result": result_block(r),
        "detail-file": file_block(r),
        "detail-incidents": incidents_block(r),
    }


def _note(n: NoteRow, *, with_criterion: bool) -> list[StyledLine]:
    head = note_stamp(n, language())
    if with_criterion:
        head += " · " + (n.criterion_label or t("tui.notes.general"))
    return [(head, "dim"), *((line, "") for line in n.text.split("\n"))]


def notes_in_order(r: Report, total: int | None = None) -> list[StyledLine]:
    """Every note in time order, each under its stamp (wall time, phase, offset, criterion);
    ``total``: the report holds only the first notes of this many, said at the end."""
    count = len(r.notes) if total is None else total
    if not count:
        return [(t("tui.review.no_notes"), "dim")]
    out: list[StyledLine] = [(t("tui.review.notes_count", count=count), "bold"), ("", "")]
    for n in r.notes:
        out += _note(n, with_criterion=True)
        out.append(("", ""))
    if count > len(r.notes):
        out.append((t("tui.review.notes_more", count=count - len(r.notes)), "dim"))
    return out


def notes_by_criterion(r: Report) -> list[StyledLine]:
    """The notes under their competence and criterion (with its level), general notes last."""
    lang = r.lang
    out: list[StyledLine] = []
    for comp in r.exam.competences:
        block: list[StyledLine] = []
        for crit in comp.criteria:
            notes = r.notes_for(crit.id, earlier=True)
            if not notes:
                continue
            level = r.ratings.get(crit.id, "—")
            block.append((f"{crit.label.get(lang)} — {level}", "bold"))
            for n in notes:
                block += _note(n, with_criterion=False)
            block.append(("", ""))
        if block:
            if comp.label is not None:
                out += [(comp.label.get(lang).upper(), "bold underline"), ("", "")]
            out += block
    general = r.notes_for(None, earlier=True)
    if general:
        out += [(t("logs.md.general_notes").upper(), "bold underline"), ("", "")]
        for n in general:
            out += _note(n, with_criterion=False)
    if not out:
        return [(t("tui.review.no_notes"), "dim")]
    return out


def ratings_grid(r: Report) -> RenderableType:
    """Competence > criterion > level, the level given highlighted among the scale's."""
    lang = r.lang
    codes = r.exam.level_codes()
    parts: list[RenderableType] = []
    for comp in r.exam.competences:
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=1)
        for _ in codes:
            table.add_column(justify="center", no_wrap=True)
        for crit in comp.criteria:
            level = r.ratings.get(crit.id)
            # Brackets as well as colour: the level reads on any terminal.
            cells = [
                Text(f"[{code}]", "bold reverse") if code == level else Text(f" {code} ", "dim")
                for code in codes
            ]
            row = Text(crit.label.get(lang), "" if level else "dim")
            if crit.covers:
                row.append("\n(" + ", ".join(c.get(lang) for c in crit.covers) + ")", "dim")
            table.add_row("", row, *cells)
        if comp.label is not None:
            parts.append(Text(comp.label.get(lang), "bold underline"))
        parts += [table, Text()]
    rated = sum(1 for c in r.exam.criterion_ids() if c in r.ratings)
    levels = " · ".join(f"{lvl.code} {lvl.label.get(lang)}" for lvl in r.exam.scale)
    footer = Text.assemble(
        (t("logs.md.rated", rated=rated, total=len(r.exam.criterion_ids())), "bold"),
        "\n",
        (levels, "dim"),
    )
    return Group(*parts, footer)


def _field(out: Text, label: str, value: str, style: str = "") -> None:
    if value:
        out.append(f"{label}{t('logs.sep')}", "dim")
        out.append(value + "\n", style)


def result_block(r: Report) -> Text:
    """The result, then the fiche block by block (its fields, who signed); then who, what,
    when, and the text the exam follows."""
    lang = r.lang
    out = Text()
    if r.cancelled is not None:
        at = day_and_time(r.cancelled.at)
        line = t("logs.cancelled.line", at=at, reason=r.cancelled.reason)
        out.append(line + "\n\n", "$integrity-damaged bold")
    _field(out, t("logs.field.result"), result_text(r.verdict, lang), "bold")
    for block in r.fiche:
        if block.title is not None:
            when = day_and_time(block.started_at) if block.started_at else t("logs.md.not_yet")
            out.append(f"\n{block.title} — {when}\n", "bold underline")
        for f in block.fields:
            _field(out, f.label, f.value)
        names = ", ".join(member_text(m, lang) for m in block.members)
        _field(out, t("logs.field.members"), names)
    out.append("\n")
    _field(out, t("logs.field.candidate"), r.candidate_name)
    _field(out, t("logs.field.number_long"), r.candidate_number)
    _field(out, t("logs.field.commission_number"), r.commission)
    _field(out, t("logs.field.exam"), f"{r.exam_title} ({r.exam.id})")
    _field(out, t("logs.field.source"), source_text(r.exam, lang))
    _field(out, t("logs.field.situation"), r.situation_label or "")
    _field(out, t("logs.field.subject"), r.identity.subject or "")
    _field(out, t("logs.field.grid_file"), r.identity.grid or "")
    _field(out, t("logs.field.mode"), mode_text(r.mode, lang))
    if r.extra_time:
        extra = r.extra_time + (f" ({r.extra_time_reason})" if r.extra_time_reason else "")
        _field(out, t("logs.field.extra_time"), extra)
    _field(out, t("logs.field.cms"), r.cms or "")
    _field(out, t("logs.field.date"), day_and_time(r.started_at))
    if r.cancelled is not None:
        state = t("logs.state.cancelled")
    else:
        state = t("logs.state.finished") if r.finished else t("logs.state.interrupted")
    _field(out, t("logs.field.state"), state)
    if r.corrections:
        out.append(f"\n{t('logs.md.corrections')}\n", "bold underline")
        for c in r.corrections:
            out.append(f"{day_and_time(c.at)} — ", "dim")
            out.append(c.reason + "\n", "bold")
            for change in c.changes:
                out.append(f"  {change.label}{t('logs.sep')}", "dim")
                out.append(f"{change.before or '—'} → ")
                out.append(f"{change.after or '—'}\n", "bold")
    return out


def file_block(r: Report) -> Text:
    """Whether the file is whole, what was found wrong in it, where it is."""
    out = Text()
    integrity = t(f"logs.integrity.{r.integrity}")
    colour = {"intact": "$integrity-intact", "torn-tail": "$integrity-torn"}.get(
        r.integrity, "$integrity-damaged"
    )
    out.append(integrity + "\n", colour + " bold")
    if r.integrity == Integrity.DAMAGED:
        out.append(t("logs.md.warn_damaged") + "\n", colour)
    elif r.integrity == Integrity.TORN_TAIL:
        out.append(t("logs.md.warn_torn") + "\n", colour)
    out.append(t("logs.md.events", count=len(r.loaded.events)) + "\n")
    for problem in r.problems:
        out.append("• " + problem + "\n", colour)
    out.append("\n")
    _field(out, t("logs.field.session"), r.id)
    _field(out, t("tui.review.file"), r.path)
    return out


def incidents_block(r: Report) -> Text:
    """The interruptions of the session (the program stopped and was resumed)."""
    if not r.incidents:
        return Text()
    out = Text(t("logs.md.incidents") + "\n", "bold")
    for incident in r.incidents:
        line = t(
            "logs.md.incident",
            at=clock_time(str(incident.get("at", ""))),
            reason=str(incident.get("reason", "")),
        )
        downtime = incident.get("downtime_s")
        if isinstance(downtime, int | float):
            line += " " + t("logs.md.downtime", time=elapsed(float(downtime)))
        out.append("• " + line + "\n")
    return out
