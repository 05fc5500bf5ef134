"""Shown over everything while the terminal is smaller than the kiosk needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from ndrc_oral.i18n import t


class TooSmallScreen(Screen[None]):
    """Says "agrandissez la fenêtre"; the app keeps running underneath (time comes from the clock)."""

    def __init__(self, min_width: int, min_height: int, *, timing: bool) -> None:
        super().__init__()
        self.min_width = min_width
        self.min_height = min_height
        self.timing = timing
        """A session is open: say that its timer keeps running."""

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            message = t("tui.too_small", w=self.min_width, h=self.min_height)
            if self.timing:
                message += "\n" + t("tui.too_small.timing")
            yield Static(message, id="too-small", markup=False)
