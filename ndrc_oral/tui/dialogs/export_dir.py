"""The review's question: the directory exports go to."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from ndrc_oral.i18n import t
from ndrc_oral.tui.dialogs.base import Dialog
from ndrc_oral.tui.screens.review_exports import check_directory
from ndrc_oral.tui.widgets.fields import Field


class ExportDirDialog(Dialog[Path]):
    """Asks for the directory exports go to; stays open with the reason when it cannot."""

    def __init__(self, current: Path, question: str | None = None) -> None:
        super().__init__()
        self.current = current
        self.question = question or t("tui.review.export.dir_title")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="dialog-question", markup=False)
            yield Field(str(self.current), id="export-dir", select_on_focus=False)
            yield Static("", id="dialog-error", markup=False)
            yield Label(t("tui.dialog.enter_escape"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.show_error("")
        self.query_one("#export-dir", Input).focus()

    @on(Input.Submitted, "#export-dir")
    def _submit(self, event: Input.Submitted) -> None:
        path, error = check_directory(event.value)
        if path is None:
            self.show_error(error)
            return
        self.dismiss(path)
