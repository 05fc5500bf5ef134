"""The candidate's view: the timer and the phase, nothing else.

This screen is given ``CandidateView`` values only (built from a Snapshot and
the phase's label); it holds no session, so it has no way to show the grid,
the notes or the result, even by mistake.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer

from ndrc_oral.tui import bindings
from ndrc_oral.tui.view import CandidateView
from ndrc_oral.tui.widgets.timer import TimerPanel


class PrivacyScreen(Screen[None]):
    """Full screen timer; the privacy key brings the commission's screen back."""

    BINDINGS: ClassVar[list[BindingType]] = [bindings.PRIVACY_BACK]

    def __init__(self, view: CandidateView) -> None:
        super().__init__()
        self._view = view

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield TimerPanel(id="privacy-timer")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.show(self._view)

    def show(self, view: CandidateView) -> None:
        """Paint a new view (the run screen calls this on each repaint)."""
        self._view = view
        self.query_one(TimerPanel).show(view.timer, view.phase, view.speaker, view.status)

    def action_back(self) -> None:
        self.dismiss(None)
