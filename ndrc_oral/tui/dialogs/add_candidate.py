"""Add a candidate to the run screen (E5: up to three on the same subject).

The new candidate shares the subject's settings with the others (exam, mode,
commission, members, CMS); only the name, the number and the extra time are
asked. The dialog hands what was typed to ``attempt``, which creates the
session; a problem keeps the dialog open with the message, nothing typed lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from ndrc_oral.i18n import t
from ndrc_oral.tui.dialogs.base import Dialog
from ndrc_oral.tui.widgets.fields import Field


@dataclass(frozen=True)
class NewCandidate:
    """What the dialog asks: the rest comes from the candidates already on screen."""

    name: str
    number: str = ""
    extra_time: str | None = None
    extra_time_reason: str = ""


AddAttempt = Callable[[NewCandidate], str | None]
"""Creates the candidate's session; returns an error message, or ``None`` when it worked."""


class AddCandidateDialog(Dialog[bool]):
    """Name, number, extra time (empty: none) and its reason; Enter adds."""

    def __init__(self, title: str, attempt: AddAttempt) -> None:
        super().__init__()
        self.title_text = title
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-question", markup=False)
            for field_id, label, hint in (
                ("add-name", t("tui.add.name"), t("tui.home.candidate_hint")),
                ("add-number", t("tui.add.number"), ""),
                ("add-extra", t("tui.add.extra"), t("tui.add.extra_hint")),
                ("add-reason", t("tui.add.reason"), t("tui.home.extra_reason_hint")),
            ):
                with Horizontal(classes="dialog-row"):
                    yield Label(label, classes="dialog-label")
                    yield Field(id=field_id, placeholder=hint)
            yield Static("", id="dialog-error", markup=False)
            yield Label(t("tui.dialog.enter_escape"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.show_error("")
        self.query_one("#add-name", Input).focus()

    def _value(self, field_id: str) -> str:
        return self.query_one(f"#{field_id}", Input).value.strip()

    @on(Input.Submitted)
    def _submit(self) -> None:
        name = self._value("add-name")
        if not name:
            self.show_error(t("tui.setup.error.candidate"))
            self.query_one("#add-name", Input).focus()
            return
        extra = self._value("add-extra") or None
        reason = self._value("add-reason")
        if extra and not reason:
            self.show_error(t("tui.home.error.extra_reason"))
            self.query_one("#add-reason", Input).focus()
            return
        error = self.attempt(NewCandidate(name, self._value("add-number"), extra, reason))
        if error is not None:
            self.show_error(error)
            return
        self.dismiss(True)
