"""The harmonisation table of the review's list (F7): marks by commission and exam, grid rows.

The figures are the same as ``ndrc-oral logs stats`` prints (``transcript.stats``:
SQL over the cache), for the sessions the review's filters keep; computed in
a worker thread. Live exams and rehearsals never mix: F5 switches between them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import language, t
from ndrc_oral.transcript.index import SessionFilter
from ndrc_oral.transcript.stats import harmonise
from ndrc_oral.transcript.stats_report import markdown
from ndrc_oral.tui import bindings
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.worker_results import deliver


class HarmonisationScreen(Screen[None]):
    """The harmonisation table of one mode, for the review's filtered list."""

    CSS_PATH = "../review.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings.HARMONISATION

    def __init__(self, root: Path, criteria: SessionFilter) -> None:
        super().__init__()
        self.root = root
        self.criteria = replace(criteria, mode=criteria.mode or "live")
        self.text = ""
        """The table as shown (Markdown), once computed."""

    def compose(self) -> ComposeResult:
        yield Static("", id="harmonisation-top", markup=False)
        with VerticalScroll(id="harmonisation-body"):
            yield Static("", id="harmonisation-table", markup=False)
        yield KioskFooter()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        mode = t(f"logs.mode.{self.criteria.mode}")
        self.query_one("#harmonisation-top", Static).update(t("tui.stats.title", mode=mode))
        self.query_one("#harmonisation-body").loading = True
        self.compute(self.criteria)

    @work(thread=True, exclusive=True, group="harmonisation")
    def compute(self, criteria: SessionFilter) -> None:
        try:
            text = markdown(harmonise(self.root, criteria), language())
        except NdrcError as exc:
            text = str(exc)
        self._from_thread(self._computed, text)

    def _from_thread(self, callback: Callable[..., None], *args: Any) -> None:
        deliver(self, callback, *args)

    def _computed(self, text: str) -> None:
        self.text = text
        self.query_one("#harmonisation-body").loading = False
        self.query_one("#harmonisation-table", Static).update(text)

    def action_mode(self) -> None:
        """Live exams, or rehearsals: never both at once."""
        other = "rehearsal" if self.criteria.mode == "live" else "live"
        self.criteria = replace(self.criteria, mode=other)
        self._show()

    def action_back(self) -> None:
        self.app.pop_screen()
