"""A few lines of text in a form (an appreciation), its cursor blink as the app says."""

from __future__ import annotations

from textual.widgets import TextArea

from ndrc_oral.tui.widgets.fields import blink


class Memo(TextArea):
    """A few lines of text (an appreciation); Tab moves on, as in a form."""

    def on_mount(self) -> None:
        self.cursor_blink = blink(self)
