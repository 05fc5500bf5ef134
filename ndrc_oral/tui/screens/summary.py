"""The end of a rehearsal: how the time went and what the student noted. No mark."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.exam_room.view import over_cap, phase_rows, total_line
from ndrc_oral.i18n import language, t
from ndrc_oral.tui import bindings
from ndrc_oral.tui.screens.base import KioskScreen
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.result_form import ratings_lines


class SummaryScreen(KioskScreen[None]):
    """A short summary of a finished rehearsal; Enter goes back home."""

    BINDINGS = bindings.SUMMARY

    def __init__(self, desk: GuardedSession) -> None:
        super().__init__()
        self.desk = desk
        """The finished rehearsal (only read here)."""

    def compose(self) -> ComposeResult:
        state = self.desk.state
        yield Static(
            t("tui.summary.title", exam=self.desk.exam.title.get(language())),
            id="summary-top",
            markup=False,
        )
        with VerticalScroll(id="summary-body"):
            yield PhaseList(id="summary-phases")
            yield Static(
                t("tui.summary.counts", notes=len(state.notes), rated=len(state.ratings)),
                id="summary-counts",
                markup=False,
            )
            yield Static(
                "\n".join(ratings_lines(self.desk.exam, self.desk.state.ratings)),
                id="summary-ratings",
                markup=False,
            )
            yield Static(
                t("tui.summary.saved", path=self.desk.path), id="summary-saved", markup=False
            )
        yield KioskFooter()

    def on_mount(self) -> None:
        snap = self.desk.snapshot()
        cap = self.desk.run.cap_s
        self.query_one(PhaseList).show(
            phase_rows(snap, self.desk.state), total_line(snap, cap), over_cap=over_cap(snap, cap)
        )

    def action_done(self) -> None:
        self.kiosk.session_done(self.desk)
