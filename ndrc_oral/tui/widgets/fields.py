"""Text fields whose cursor blink follows the app (off in snapshot tests)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Input, TextArea


def _blink(widget: Input | TextArea) -> bool:
    return bool(getattr(widget.app, "cursor_blink", True))


class Field(Input):
    """A one-line text field."""

    BLINK = True
    """Whether the cursor may blink (as the app says); a subclass can keep it steady."""

    def on_mount(self) -> None:
        self.cursor_blink = self.BLINK and _blink(self)


class Memo(TextArea):
    """A few lines of text (an appreciation); Tab moves on, as in a form."""

    def on_mount(self) -> None:
        self.cursor_blink = _blink(self)


class Form(VerticalScroll, can_focus=False):
    """A scrolling form: Tab goes from field to field, never to the form itself."""
