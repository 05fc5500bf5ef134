"""The footer of every screen: each key with its description in the current language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from ndrc_oral.tui.bindings import describe


class KioskFooter(Footer):
    """A compact footer whose descriptions (i18n keys, ``tui.bindings``) are looked up when shown."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)

    def compose(self) -> ComposeResult:
        # Textual's own layout of the keys; only the words are ours, in today's language.
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = describe(widget.description)
            yield widget
