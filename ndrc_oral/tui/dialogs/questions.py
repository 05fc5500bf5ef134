"""Small modal questions: confirm, a reason, an extension, carry-over, a choice in a list.

Each returns its answer through ``dismiss`` (``None`` when cancelled with Escape)
and never loses what was typed: a bad value gets a message under the field.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ndrc_oral.exam_room.view import parse_minutes
from ndrc_oral.i18n import t
from ndrc_oral.tui.dialogs.base import Dialog
from ndrc_oral.tui.widgets.fields import Field


class ConfirmDialog(Dialog[bool]):
    """A yes/no question. ``yes_first=False`` puts the focus on "no"."""

    def __init__(self, question: str, yes: str, no: str, *, yes_first: bool = False) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.yes_first = yes_first

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="dialog-question", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="warning", compact=True)
                yield Button(self.no, id="no", variant="default", compact=True)

    def on_mount(self) -> None:
        self.query_one("#yes" if self.yes_first else "#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)


class ReasonDialog(Dialog[str]):
    """Asks for a reason (a pause), or another line of text; Enter confirms.

    ``hint`` says what Escape does; ``empty`` what to type when nothing was (a reason,
    unless told); ``check`` says what is wrong with the text (``None``: it is right),
    shown under the field, which keeps the text to correct.
    """

    def __init__(
        self,
        title: str,
        default: str,
        *,
        hint: str = "",
        empty: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.hint = hint or t("tui.dialog.enter_escape")
        self.empty = empty or t("tui.dialog.error.reason")
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-question", markup=False)
            yield Field(self.default, id="reason", select_on_focus=True)
            yield Static("", id="dialog-error", markup=False)
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.show_error("")
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    def _submit(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        problem = self.empty if not reason else self.check(reason) if self.check else None
        if problem is not None:
            self.show_error(problem)
            return
        self.dismiss(reason)


class ExtendDialog(Dialog[tuple[float, str]]):
    """Asks for minutes and a reason; Enter in either field confirms."""

    def __init__(self, phase: str) -> None:
        super().__init__()
        self.phase = phase

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(t("tui.extend.title", phase=self.phase), id="dialog-question")
            with Horizontal(classes="dialog-row"):
                yield Label(t("tui.extend.minutes"), classes="dialog-label")
                yield Field("2", id="minutes", select_on_focus=True)
            with Horizontal(classes="dialog-row"):
                yield Label(t("tui.extend.reason"), classes="dialog-label")
                yield Field("", id="extend-reason", placeholder=t("tui.extend.reason_hint"))
            yield Static("", id="dialog-error", markup=False)
            yield Label(t("tui.dialog.enter_escape"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.show_error("")
        self.query_one("#minutes", Input).focus()

    @on(Input.Submitted)
    def _submit(self) -> None:
        try:
            seconds = parse_minutes(self.query_one("#minutes", Input).value)
        except ValueError as exc:
            self.show_error(str(exc))
            self.query_one("#minutes", Input).focus()
            return
        reason = self.query_one("#extend-reason", Input).value.strip()
        if not reason:
            self.show_error(t("tui.dialog.error.reason"))
            self.query_one("#extend-reason", Input).focus()
            return
        self.dismiss((seconds, reason))


class CarryDialog(Dialog[bool]):
    """An early end: does the time left go to the next phase? The definition gives the default."""

    def __init__(self, phase: str, left: str, next_phase: str, default: bool) -> None:
        super().__init__()
        self.phase = phase
        self.left = left
        self.next_phase = next_phase
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                t("tui.carry.question", phase=self.phase, left=self.left, next=self.next_phase),
                id="dialog-question",
                markup=False,
            )
            with Horizontal(id="dialog-buttons"):
                yield Button(t("tui.carry.yes", left=self.left), id="carry", compact=True)
                yield Button(t("tui.carry.no"), id="no-carry", compact=True)
            yield Label(t("tui.dialog.escape"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#carry" if self.default else "#no-carry", Button).focus()

    @on(Button.Pressed, "#carry")
    def _carry(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no-carry")
    def _no_carry(self) -> None:
        self.dismiss(False)


class ChoiceDialog(Dialog[str]):
    """A question with a list of answers (an NV reason, a decision); Enter picks one."""

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.question = question
        self.choices = choices
        """(label, value) pairs, in the order shown."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="dialog-question", markup=False)
            yield OptionList(
                *(Option(label, id=value) for label, value in self.choices), id="dialog-choices"
            )
            yield Label(t("tui.dialog.enter_escape"), classes="dialog-hint")

    def on_mount(self) -> None:
        choices = self.query_one("#dialog-choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    @on(OptionList.OptionSelected, "#dialog-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(event.option.id)


class ButtonsDialog(Dialog[str]):
    """A question answered by one of a few buttons, each ``(label, value)``; ``focus``: the
    value whose button has the focus first (the harmless one)."""

    def __init__(self, question: str, answers: list[tuple[str, str]], *, focus: str) -> None:
        super().__init__()
        self.question = question
        self.answers = answers
        self.first = focus

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="dialog-question", markup=False)
            with Horizontal(id="dialog-buttons"):
                for i, (label, value) in enumerate(self.answers):
                    yield Button(
                        label,
                        id=f"answer-{value}",
                        variant="warning" if i == 0 else "default",
                        compact=True,
                    )

    def on_mount(self) -> None:
        self.query_one(f"#answer-{self.first}", Button).focus()

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("answer-"))
