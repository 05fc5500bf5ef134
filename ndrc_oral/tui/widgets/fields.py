"""Text fields whose cursor blink follows the app (off in snapshot tests).

The many-line one, ``Memo``, is in ``memo``: a ``TextArea`` costs its import
(and tree-sitter's) to every screen with a one-line field, the first one too.
"""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input


def blink(widget: Widget) -> bool:
    """Whether a field's cursor may blink: as the app says (off in snapshot tests)."""
    return bool(getattr(widget.app, "cursor_blink", True))


class Field(Input):
    """A one-line text field."""

    BLINK = True
    """Whether the cursor may blink (as the app says); a subclass can keep it steady."""

    def on_mount(self) -> None:
        self.cursor_blink = self.BLINK and blink(self)


class Form(VerticalScroll, can_focus=False):
    """A scrolling form: Tab goes from field to field, never to the form itself."""
