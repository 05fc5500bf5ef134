"""The result form (live sessions): ratings, a suggested range, the mark or outcome, the fiche.

The suggestion is only a hint computed from the levels; the screen says so.
Save records the result, then closes the session, then goes back home for
the next candidate. Nothing typed is lost when saving fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.exam_room.requests import member_slots
from ndrc_oral.exam_room.view import parse_mark, suggest_mark
from ndrc_oral.formatting import mark
from ndrc_oral.i18n import language, t
from ndrc_oral.tui import bindings
from ndrc_oral.tui.screens.guarded import GuardedScreen
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.fields import Field, Form, Memo
from ndrc_oral.tui.widgets.footer import KioskFooter

OUTCOME_IDS = {
    "outcome-mark": None,
    "outcome-nv": "nv",
    "outcome-reservee": "reservee",
    "outcome-absent": "absent",
}


def ratings_lines(desk: GuardedSession) -> list[str]:
    """Per competence: how many criteria are rated, and at which levels."""
    exam = desk.exam
    ratings = desk.state.ratings
    levels = exam.level_codes()
    lang = language()
    lines = []
    for comp in exam.competences:
        given = [ratings[c.id] for c in comp.criteria if c.id in ratings]
        counts = " · ".join(f"{code} {given.count(code)}" for code in levels if code in given)
        counts = f" ({counts})" if counts else ""
        lines.append(
            t(
                "tui.result.competence",
                label=comp.label.get(lang),
                rated=len(given),
                total=len(comp.criteria),
                counts=counts,
            )
        )
    return lines


def suggestion_text(desk: GuardedSession) -> str:
    exam = desk.exam
    hint = suggest_mark(desk.state.ratings, exam.level_codes(), exam.criterion_ids())
    if hint is None:
        return t("tui.result.no_suggestion")
    return t(
        "tui.result.suggestion",
        low=mark(hint.low),
        high=mark(hint.high),
        rated=hint.rated,
        total=hint.total,
    )


class ResultScreen(GuardedScreen):
    """Enter the commission's result; Save records it and closes the session."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings.RESULT, bindings.REDIRECT]

    def __init__(self, desk: GuardedSession) -> None:
        super().__init__()
        self.desk = desk.through(self.guard)
        """The session, its saves shown on this screen."""

    def rescued(self) -> Sequence[GuardedSession]:
        return [self.desk]

    def compose(self) -> ComposeResult:
        identity = self.desk.identity
        name = identity.candidate
        members = member_slots(identity.members)
        exam = self.desk.exam
        yield Static(
            t("tui.result.title", name=name, exam=exam.title.get(language())),
            id="result-top",
            markup=False,
        )
        yield SaveBanner(id="save-banner")
        with Form(id="result-form"):
            yield Static("\n".join(ratings_lines(self.desk)), id="result-ratings", markup=False)
            yield Static(suggestion_text(self.desk), id="result-suggestion", markup=False)
            with Horizontal(classes="form-row"):
                yield Label(t("tui.result.outcome"), classes="form-label")
                with RadioSet(id="outcome", compact=True):
                    yield RadioButton(t("tui.result.outcome.mark"), id="outcome-mark", value=True)
                    yield RadioButton(t("tui.result.outcome.nv"), id="outcome-nv")
                    yield RadioButton(t("tui.result.outcome.reservee"), id="outcome-reservee")
                    yield RadioButton(t("tui.result.outcome.absent"), id="outcome-absent")
            with Horizontal(classes="form-row"):
                yield Label(t("tui.result.mark"), classes="form-label")
                yield Field(id="mark", placeholder=t("tui.result.mark_hint"), compact=True)
            yield Label(t("tui.result.appreciation"), classes="form-caption")
            yield Memo(id="appreciation", compact=True)
            with Horizontal(classes="form-row"):
                yield Label(t("tui.result.members"), classes="form-label")
                yield Field(members[0], id="member1", compact=True)
                yield Field(members[1], id="member2", compact=True)
            if exam.epreuve == "E6":
                with Horizontal(classes="form-row"):
                    yield Label(t("tui.result.fiches"), classes="form-label")
                    yield Field(id="fiches", placeholder=t("tui.result.fiches_hint"), compact=True)
                    yield Field(
                        id="network", placeholder=t("tui.result.network_hint"), compact=True
                    )
            yield Static("", id="result-error", markup=False)
            with Horizontal(id="result-buttons"):
                yield Button(t("tui.result.save"), id="save", variant="primary", compact=True)
        yield KioskFooter()

    def on_mount(self) -> None:
        self.query_one("#mark", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "redirect":
            return self.failure is not None
        if action == "back":
            return not self.desk.state.finished
        return True

    @on(RadioSet.Changed, "#outcome")
    def _outcome_changed(self, event: RadioSet.Changed) -> None:
        is_mark = event.pressed.id == "outcome-mark"
        mark = self.query_one("#mark", Input)
        mark.disabled = not is_mark

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_button(self) -> None:
        self.action_save()

    def _outcome(self) -> str | None:
        pressed = self.query_one("#outcome", RadioSet).pressed_button
        return OUTCOME_IDS.get(pressed.id or "") if pressed is not None else None

    def _error(self, message: str) -> None:
        error = self.query_one("#result-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")

    def action_save(self) -> None:
        outcome = self._outcome()
        mark: float | None = None
        if outcome is None:
            try:
                mark = parse_mark(self.query_one("#mark", Input).value)
            except ValueError as exc:
                self._error(str(exc))
                self.query_one("#mark", Input).focus()
                return
        saved = self.desk.set_result(
            mark=mark,
            outcome=outcome,
            appreciation=self.query_one("#appreciation", Memo).text,
            members=[self.query_one(f"#member{i}", Input).value for i in (1, 2)],
            fiches=self._value("#fiches"),
            network=self._value("#network"),
        )
        if saved:
            self.kiosk.session_done(self.desk)

    def _value(self, selector: str) -> str:
        found = self.query(selector)
        return found.first(Input).value if found else ""

    # --- what the guard says --------------------------------------------------------------

    def show_saved(self, what: str, at: datetime) -> None:
        self._error("")

    def show_not_saved(self, what: str) -> None:
        self._error(t("tui.save.not_saved", what=what))

    def show_refused(self, message: str) -> None:
        self._error(message)

    def after_rescue(self) -> None:
        self._error("")

    def action_back(self) -> None:
        if self.desk.state.finished:
            return
        self.dismiss(None)
