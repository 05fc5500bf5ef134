"""The result form (live sessions): ratings, a suggested range, the mark or outcome, the fiche.

The suggestion is only a hint computed from the levels; the screen says so.
Save records the result, then closes the session, then goes back home for
the next candidate. Nothing typed is lost when saving fails.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet, Static

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import language, t
from ndrc_oral.session.engine import SessionError
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.transcript.writer import SaveError
from ndrc_oral.tui import bindings
from ndrc_oral.tui.rescue import default_rescue_dir, redirect_all
from ndrc_oral.tui.screens.dialogs import RedirectDialog
from ndrc_oral.tui.view import mark_text, parse_mark, suggest_mark
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.fields import Field, Form, Memo

OUTCOME_IDS = {
    "outcome-mark": None,
    "outcome-nv": "nv",
    "outcome-reservee": "reservee",
    "outcome-absent": "absent",
}


def ratings_lines(live: LiveSession) -> list[str]:
    """Per competence: how many criteria are rated, and at which levels."""
    exam = live.session.exam
    ratings = live.session.state.ratings
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


def suggestion_text(live: LiveSession) -> str:
    exam = live.session.exam
    hint = suggest_mark(live.session.state.ratings, exam.level_codes(), exam.criterion_ids())
    if hint is None:
        return t("tui.result.no_suggestion")
    return t(
        "tui.result.suggestion",
        low=mark_text(hint.low),
        high=mark_text(hint.high),
        rated=hint.rated,
        total=hint.total,
    )


class ResultScreen(Screen[None]):
    """Enter the commission's result; Save records it and closes the session."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings.RESULT, bindings.REDIRECT]

    def __init__(self, live: LiveSession) -> None:
        super().__init__()
        self.live = live
        self.failure: str | None = None

    def compose(self) -> ComposeResult:
        info = self.live.session.state.info
        candidate = info.get("candidate", {})
        name = candidate.get("name", "") if isinstance(candidate, dict) else ""
        members = [str(m) for m in info.get("members", [])] + ["", ""]
        exam = self.live.session.exam
        yield Static(
            t("tui.result.title", name=name, exam=exam.title.get(language())),
            id="result-top",
            markup=False,
        )
        yield SaveBanner(id="save-banner")
        with Form(id="result-form"):
            yield Static("\n".join(ratings_lines(self.live)), id="result-ratings", markup=False)
            yield Static(suggestion_text(self.live), id="result-suggestion", markup=False)
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
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#mark", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "redirect":
            return self.failure is not None
        if action == "back":
            return not self.live.session.state.finished
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
        session = self.live.session
        try:
            session.set_result(
                mark=mark,
                outcome=outcome,
                appreciation=self.query_one("#appreciation", Memo).text,
                members=[self.query_one(f"#member{i}", Input).value for i in (1, 2)],
                fiches=self._value("#fiches"),
                network=self._value("#network"),
            )
            if not session.state.finished:
                session.finish()
        except SaveError as exc:
            self._failed(exc)
            return
        except SessionError as exc:
            self._error(str(exc))
            return
        app: Any = self.app
        app.session_done(self.live)

    def _value(self, selector: str) -> str:
        found = self.query(selector)
        return found.first(Input).value if found else ""

    def _failed(self, exc: NdrcError) -> None:
        self.failure = t("tui.save.failed", what=t("tui.save.what.result"), detail=str(exc))
        key = self.app.get_key_display(bindings.REDIRECT)
        hint = t("tui.save.failed_hint", key=key)
        self.query_one(SaveBanner).alert(f"{self.failure}\n{hint}")
        self._error(t("tui.save.not_saved", what=t("tui.save.what.result")))
        self.app.bell()
        self.refresh_bindings()

    def action_redirect(self) -> None:
        if self.failure is None:
            return

        def moved(directory: Any) -> None:
            if directory is not None:
                self.failure = None
                self.query_one(SaveBanner).clear()
                self._error("")
                app: Any = self.app
                app.data_moved(directory)
                self.notify(t("tui.redirect.done", path=directory), timeout=8)
                self.refresh_bindings()

        self.app.push_screen(
            RedirectDialog(
                self.failure, default_rescue_dir(), lambda d: redirect_all([self.live], d)
            ),
            moved,
        )

    def action_back(self) -> None:
        if self.live.session.state.finished:
            return
        self.dismiss(None)
