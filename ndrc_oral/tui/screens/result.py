"""The live result screen: the commission fills in the result form and saves it, once.

The form is built from the exam's definition (``widgets.result_form``). The
suggestion is only a hint computed from the levels; the screen says so.
Saving asks first, naming the result, and says what a result usually holds
and this one lacks (the members, an appreciation): the commission confirms
that explicitly. It records the result, then closes the session, then goes
back home for the next candidate. Nothing typed is lost: not when saving
fails, not on Ctrl+Q (the app asks, ``KioskApp.action_request_quit``), not
when the question is answered "back to the form".

A session started by mistake can be cancelled from here too, with its
reason (``cancel_session``): it leaves the resumable list, stays on disk.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Input

from ndrc_oral.exam_room.entry import ResultEntry
from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.i18n import language, t
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.transcript.report import result_text
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import ConfirmDialog, ReasonDialog
from ndrc_oral.tui.screens.guarded import GuardedScreen
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.widgets.result_form import FormProblem, ResultForm, form_heading

__all__ = ["ResultScreen", "save_question"]


def save_question(name: str, entry: ResultEntry, gaps: Sequence[str]) -> str:
    """``Enregistrer le résultat de Ada Lovelace : 14,5 / 20 ?`` and what it lacks, if anything."""
    words = result_text(entry.verdict(), language())
    question = t("tui.result.confirm", name=name, result=words)
    if gaps:
        question += "\n\n" + "\n".join(f"⚠ {gap}" for gap in gaps)
    return question


class ResultScreen(GuardedScreen):
    """Enter the commission's result; Save (after a question) records it and closes the session."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings.RESULT, bindings.REDIRECT]

    def __init__(self, desk: GuardedSession | LiveSession) -> None:
        super().__init__()
        if isinstance(desk, LiveSession):  # an untimed situation: straight to its form
            self.desk = self.guard.open(desk)
        else:
            self.desk = desk.through(self.guard)
        """The session, its saves shown on this screen."""

    def rescued(self) -> Sequence[GuardedSession]:
        return [self.desk]

    @property
    def unsaved(self) -> bool:
        """Whether the session's result is still to be saved (Ctrl+Q asks first then)."""
        return self.desk.state.verdict is None and self.desk.state.cancelled is None

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        desk = self.desk
        yield form_heading("tui.result.title", desk.identity.candidate, desk.exam, desk.run)
        yield SaveBanner(id="save-banner")
        yield ResultForm(
            exam=desk.exam,
            run=desk.run,
            identity=desk.identity,
            ratings=desk.state.ratings,
            started_at=desk.started_at,
            id="result-form",
        )
        with Horizontal(id="result-buttons"):
            yield Button(t("tui.result.save"), id="save", variant="primary", compact=True)
            yield Button(t("tui.result.cancel_session"), id="cancel-session", compact=True)
        yield KioskFooter()

    @property
    def form(self) -> ResultForm:
        return self.query_one(ResultForm)

    def on_mount(self) -> None:
        first = self.query("#mark")
        (first.first() if first else self.query_one("#outcome")).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "redirect":
            return self.failure is not None
        if action == "back":
            return not self.desk.state.finished
        return True

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_button(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel-session")
    def _cancel_button(self) -> None:
        self.action_cancel_session()

    # --- saving --------------------------------------------------------------------------------

    def action_save(self) -> None:
        """Check the form, ask (naming the result and what it lacks), then save."""
        form = self.form
        try:
            entry = form.entry()
        except FormProblem as problem:
            form.focus_problem(problem)
            return
        gaps = entry.gaps(self.desk.run)
        question = save_question(self.desk.identity.candidate, entry, gaps)
        yes = t("tui.result.confirm_anyway" if gaps else "tui.result.confirm_yes")

        def answered(yes: bool | None) -> None:
            if yes:
                self._record(entry)

        dialog = ConfirmDialog(question, yes, t("tui.result.confirm_no"), yes_first=not gaps)
        self.app.push_screen(dialog, answered)

    def _record(self, entry: ResultEntry) -> None:
        if self.desk.set_result(**entry.engine_args()):
            self.kiosk.session_done(self.desk)

    def action_cancel_session(self) -> None:
        """The session was started by mistake: cancel it, with the reason."""
        desk = self.desk

        def reasoned(reason: str | None) -> None:
            if reason is not None and desk.cancel(reason):
                self.kiosk.session_done(desk, cancelled=True)

        title = t("tui.cancel.title", name=desk.identity.candidate)
        self.app.push_screen(ReasonDialog(title, ""), reasoned)

    # --- what the guard says --------------------------------------------------------------

    def show_saved(self, what: str, at: datetime) -> None:
        self.form.show_problem(None)

    def show_not_saved(self, what: str) -> None:
        self.form.show_problem(t("tui.save.not_saved", what=what))

    def show_refused(self, message: str) -> None:
        self.form.show_problem(message)

    def after_rescue(self) -> None:
        self.form.show_problem(None)

    def action_back(self) -> None:
        if self.desk.state.finished:
            return
        self.dismiss(None)
