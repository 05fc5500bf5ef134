"""A student's rehearsals of one exam, side by side: time used per phase against the plan.

Opened from the list (F5) on any row: the rehearsals of that row's exam by
that row's candidate; F5 here switches to every rehearsal of the exam in the
list (a student's own laptop, where the name was not always typed the same).
The sessions are read in a worker thread, oldest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ndrc_oral.formatting import day_and_time
from ndrc_oral.i18n import language, t
from ndrc_oral.transcript.reader import Integrity
from ndrc_oral.transcript.recorder import load_session
from ndrc_oral.transcript.report import build_report
from ndrc_oral.transcript.summary import SessionSummary
from ndrc_oral.tui import bindings
from ndrc_oral.tui.widgets.attempts_chart import Attempt, AttemptsChart
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.worker_results import deliver


def attempts_of(sessions: Sequence[SessionSummary], *, with_names: bool) -> list[Attempt]:
    """Read each session and keep what the chart needs (an unreadable one: no phases)."""
    lang = language()
    out: list[Attempt] = []
    for number, s in enumerate(sessions, start=1):
        when = day_and_time(s.started_at) or s.date
        who = s.candidate_name if with_names else ""
        try:
            report = build_report(load_session(Path(s.path)), lang)
        except Exception:  # an unreadable attempt keeps its place, flagged
            out.append(Attempt(number, when, who, (), str(Integrity.DAMAGED), False))
            continue
        out.append(Attempt(number, when, who, report.phases, report.integrity, report.finished))
    return out


class RehearsalsScreen(Screen[None]):
    """The chart of a candidate's rehearsals of one exam (or of all its rehearsals)."""

    CSS_PATH = "../review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings.REHEARSALS

    def __init__(
        self,
        *,
        exam_id: str,
        candidate: str,
        mine: list[SessionSummary],
        exam_wide: list[SessionSummary],
    ) -> None:
        super().__init__()
        self.exam_id = exam_id
        self.candidate = candidate
        self.mine = mine
        self.exam_wide = exam_wide
        self.scope = "mine" if mine else "exam"
        self.attempts: list[Attempt] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="rehearsals-top", markup=False)
        with VerticalScroll(id="rehearsals-body"):
            yield AttemptsChart(id="rehearsals-chart")
        yield KioskFooter()

    def on_mount(self) -> None:
        self._show_scope()

    def _sessions(self) -> list[SessionSummary]:
        return self.mine if self.scope == "mine" else self.exam_wide

    def _show_scope(self) -> None:
        sessions = self._sessions()
        exam = next((s.exam_title for s in sessions if s.exam_title), self.exam_id)
        key = (
            "tui.review.rehearsals.title_mine"
            if self.scope == "mine"
            else "tui.review.rehearsals.title_exam"
        )
        self.query_one("#rehearsals-top", Static).update(
            t(key, exam=exam, candidate=self.candidate, count=len(sessions))
        )
        self.query_one("#rehearsals-body").loading = True
        self.load(sessions, self.scope == "exam")

    @work(thread=True, exclusive=True, group="rehearsals")
    def load(self, sessions: list[SessionSummary], with_names: bool) -> None:
        attempts = attempts_of(sessions, with_names=with_names)
        self._from_thread(self._loaded, attempts)

    def _from_thread(self, callback: Callable[..., None], *args: Any) -> None:
        deliver(self, callback, *args)

    def _loaded(self, attempts: list[Attempt]) -> None:
        self.attempts = attempts
        self.query_one("#rehearsals-body").loading = False
        self.query_one(AttemptsChart).show(attempts)

    def action_scope(self) -> None:
        other = "exam" if self.scope == "mine" else "mine"
        if not (self.exam_wide if other == "exam" else self.mine):
            self.notify(
                t("tui.review.rehearsals.none_mine", candidate=self.candidate),
                severity="warning",
                markup=False,
            )
            return
        self.scope = other
        self._show_scope()

    def action_back(self) -> None:
        self.app.pop_screen()
