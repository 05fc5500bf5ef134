"""Correcting a saved result from the review: the result form, filled with what was saved.

The commission changes what was wrong (a typo in the mark, a member's name)
and says why; saving asks first, naming the result before and after, then
appends the correction to the transcript (``exam_room.requests.correct_result``,
the one door that writes into a saved session). The result it replaces stays
in the log, and every export shows both. Escape asks before dropping what was
typed. The screen answers the new state of the session (``None``: nothing
was saved).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label

from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.entry import ResultEntry
from ndrc_oral.exam_room.requests import correct_result
from ndrc_oral.i18n import language, t
from ndrc_oral.session.state import SessionState
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.recorder import LoadedSession
from ndrc_oral.transcript.report import result_text
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import ConfirmDialog
from ndrc_oral.tui.screens.base import KioskScreen
from ndrc_oral.tui.widgets.fields import Field
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.widgets.result_form import FormProblem, ResultForm, form_heading

REASON = "correction-reason"
"""The reason's field."""


class CorrectionScreen(KioskScreen[SessionState | None]):
    """The saved result of ``loaded`` as a form; Save (after a question) appends the correction."""

    BINDINGS: ClassVar[list[BindingType]] = bindings.CORRECTION

    def __init__(self, loaded: LoadedSession) -> None:
        super().__init__()
        self.loaded = loaded
        verdict = loaded.state.verdict
        assert verdict is not None  # the review offers a correction only of a saved result
        self.saved = ResultEntry.from_verdict(verdict)

    def compose(self) -> ComposeResult:
        state = self.loaded.state
        yield form_heading("tui.correct.title", state.identity.candidate, state.exam, state.run)
        with Horizontal(classes="form-row", id="correction-row"):
            yield Label(t("tui.correct.reason"), classes="form-label")
            yield Field(id=REASON, placeholder=t("tui.correct.reason_hint"), compact=True)
        created = self.loaded.transcript.created
        yield ResultForm(
            exam=state.exam,
            run=state.run,
            identity=state.identity,
            ratings=state.ratings,
            started_at=created.at if created is not None else "",
            initial=self.saved,
            id="result-form",
        )
        with Horizontal(id="result-buttons"):
            yield Button(t("tui.correct.save"), id="save", variant="primary", compact=True)
        yield KioskFooter()

    @property
    def form(self) -> ResultForm:
        return self.query_one(ResultForm)

    def on_mount(self) -> None:
        self.query_one(f"#{REASON}", Input).focus()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Input.Changed, f"#{REASON}")
    def _reason_typed(self) -> None:
        if self.form.problem_at == REASON and self._reason():
            self.form.show_problem(None)

    @on(Button.Pressed, "#save")
    def _save_button(self) -> None:
        self.action_save()

    def _reason(self) -> str:
        return self.query_one(f"#{REASON}", Input).value.strip()

    def action_save(self) -> None:
        """Check the form and the reason, ask (before → after), then append the correction."""
        form = self.form
        try:
            entry = form.entry()
            if not self._reason():
                raise FormProblem(t("tui.correct.error.reason"), REASON)
        except FormProblem as problem:
            form.focus_problem(problem)
            if problem.widget_id == REASON:
                self.query_one(f"#{REASON}", Input).focus()
            return
        lang = language()
        question = t(
            "tui.correct.confirm",
            name=self.loaded.state.identity.candidate,
            before=result_text(self.loaded.state.verdict, lang),
            after=result_text(entry.verdict(), lang),
            reason=self._reason(),
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._record(entry)

        dialog = ConfirmDialog(question, t("tui.correct.yes"), t("tui.result.confirm_no"))
        self.app.push_screen(dialog, answered)

    def _record(self, entry: ResultEntry) -> None:
        path = self.loaded.transcript.path
        try:
            state = correct_result(
                Store(path.parent), str(path), self.kiosk.clock, entry, self._reason()
            )
        except NdrcError as exc:  # changes nothing, the file went, a situation continued...
            self.form.show_problem(str(exc))
            return
        self.dismiss(state)

    def action_back(self) -> None:
        """Leave without saving; asks first, as what was typed would be lost."""

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        question = t("tui.correct.leave")
        self.app.push_screen(
            ConfirmDialog(question, t("tui.correct.leave_yes"), t("tui.dialog.no")), answered
        )
