"""The kiosk's modal dialogs: a centred box, Escape cancels, errors under the field."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import Static

from ndrc_oral.tui import bindings

T = TypeVar("T")


class Dialog(ModalScreen[T | None]):
    """A centred box; Escape cancels."""

    BINDINGS = bindings.DIALOG

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        error = self.query_one("#dialog-error", Static)
        error.update(message)
        error.display = bool(message)
