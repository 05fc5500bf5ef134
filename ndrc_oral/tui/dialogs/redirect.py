"""The rescue's question: another directory for the sessions when the data directory fails."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from ndrc_oral.i18n import t
from ndrc_oral.tui.dialogs.base import Dialog
from ndrc_oral.tui.widgets.fields import Field

Attempt = Callable[[Path], str | None]
"""Tries a directory; returns an error message, or ``None`` when it worked."""


class RedirectDialog(Dialog[Path]):
    """Asks for another directory and tries it; stays open with the reason when it fails."""

    def __init__(self, failure: str, default: Path, attempt: Attempt) -> None:
        super().__init__()
        self.failure = failure
        self.default = default
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-alert"):
            yield Static(t("tui.redirect.title"), id="dialog-question")
            yield Static(self.failure, id="redirect-failure", markup=False)
            yield Label(t("tui.redirect.where"))
            yield Field(str(self.default), id="directory")
            yield Static("", id="dialog-error", markup=False)
            yield Label(t("tui.dialog.enter_escape"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.show_error("")
        self.query_one("#directory", Input).focus()

    @on(Input.Submitted, "#directory")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.show_error(t("tui.redirect.error.empty"))
            return
        path = Path(text).expanduser()
        error = self.attempt(path)
        if error is not None:
            self.show_error(error)
            return
        self.dismiss(path)
