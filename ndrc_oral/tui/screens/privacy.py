"""The candidate's view: the timer and the phase, nothing else.

This screen is given ``CandidateView`` values only (built from a Snapshot and
the phase's label); it holds no session, so it has no way to show the grid,
the notes or the result, even by mistake. The clock fills the screen: the
candidate reads it from across the room.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from ndrc_oral.exam_room.view import CandidateView
from ndrc_oral.session.tones import TONES
from ndrc_oral.tui import bindings
from ndrc_oral.tui.compositor import SpanCompositor
from ndrc_oral.tui.widgets.bigclock import BigClock
from ndrc_oral.tui.widgets.footer import KioskFooter


class PrivacyScreen(Screen[None]):
    """Full screen timer; the privacy key brings the commission's screen back."""

    BINDINGS: ClassVar[list[BindingType]] = [bindings.PRIVACY_BACK]

    def __init__(self, view: CandidateView, *, footer: bool = True) -> None:
        super().__init__()
        self._compositor = SpanCompositor()  # a second repaints the changed glyph's rows
        self._view = view
        self._painted: CandidateView | None = None
        """The view on screen (``None`` before the first paint)."""
        self._footer = footer
        """The key back to the commission's screen (not on the candidate's own display)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="privacy"):
            yield BigClock(id="privacy-clock")
            yield Static("", id="privacy-marker", markup=False)
            yield Static("", id="privacy-phase", markup=False)
            yield Static("", id="privacy-speaker", markup=False)
            yield Static("", id="privacy-status", markup=False)
        if self._footer:
            yield KioskFooter()

    def on_mount(self) -> None:
        self.show(self._view)

    def show(self, view: CandidateView) -> None:
        """Paint a new view (the run screen calls this on each repaint).

        Only what changed is updated: while a phase runs that is the clock
        alone, and a line updated for nothing would lay the screen out again.
        """
        before = self._painted
        self._view = view
        self.query_one(BigClock).update(view.timer.text)
        for name, text in (
            ("phase", view.phase),
            ("speaker", view.speaker),
            ("status", view.status),
            ("marker", view.marker),
        ):
            if before is None or getattr(before, name) != text:
                self.query_one(f"#privacy-{name}", Static).update(text)
        if before is None or before.timer.tone != view.timer.tone:
            box = self.query_one("#privacy", Vertical)
            for tone in TONES:
                box.set_class(tone == view.timer.tone, f"-{tone}")
        self._painted = view

    def flash(self, on: bool) -> None:
        """An alert: the clock in reverse video for a moment."""
        self.query_one("#privacy", Vertical).set_class(on, "-flash")

    def action_back(self) -> None:
        self.dismiss(None)
