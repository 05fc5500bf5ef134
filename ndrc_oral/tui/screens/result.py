"""The result form (live sessions): ratings, a suggested range, the outcome, the fiche's fields.

The form is built from the exam's definition (``Run.fiche_blocks``): every
field its fiche declares, block by block (a phase's, a situation's, the
épreuve's own), then the members. No code here knows one épreuve from
another. The outcomes are those the session may record: on the last
situation (or an exam without situations) a mark, reserved or not, NV with
the notification's reason, or absent; on a CCF situation before the last,
"situation done" (the mark comes after the last one), NV or absent.

The suggestion is only a hint computed from the levels; the screen says so.
Save records the result, then closes the session, then goes back home for
the next candidate. Nothing typed is lost when saving fails.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Select, Static

from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.exam_room.requests import MEMBER_ROLES, member_slots
from ndrc_oral.exam_room.view import form_date, parse_date, parse_mark, suggest_mark
from ndrc_oral.exams.models import FicheField, FieldKind
from ndrc_oral.formatting import mark
from ndrc_oral.i18n import language, t
from ndrc_oral.session.identity import Member
from ndrc_oral.session.verdict import NV_REASONS
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.tui import bindings
from ndrc_oral.tui.screens.guarded import GuardedScreen
from ndrc_oral.tui.widgets.banner import SaveBanner
from ndrc_oral.tui.widgets.fields import Field, Form, Memo
from ndrc_oral.tui.widgets.footer import KioskFooter

MARK, RESERVED, NV, ABSENT, SITUATION = "mark", "reserved", "nv", "absent", "situation"
"""The outcome buttons (``outcome-<name>``)."""

MEMO_MAX_LINES = 6
"""A text field of more lines still takes at most this many on the form (it scrolls)."""


def outcome_choices(last: bool) -> list[str]:
    """The outcomes a session may record: a mark on the last situation, else its end."""
    return [MARK, RESERVED, NV, ABSENT] if last else [SITUATION, NV, ABSENT]


def field_widget_id(field: FicheField, choice: str | None = None) -> str:
    """``fiche-<field>`` (a box to tick: ``fiche-<field>--<choice>``)."""
    return f"fiche-{field.id}" + (f"--{choice}" if choice is not None else "")


def ratings_lines(desk: GuardedSession) -> list[str]:
    """Per competence: how many rows are rated, and at which levels."""
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
                label=comp.label.get(lang) if comp.label is not None else t("tui.result.grid"),
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


def _row(label: str, *widgets: Widget) -> Horizontal:
    return Horizontal(Label(label, classes="form-label"), *widgets, classes="form-row")


class ResultScreen(GuardedScreen):
    """Enter the commission's result; Save records it and closes the session."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings.RESULT, bindings.REDIRECT]

    def __init__(self, desk: GuardedSession | LiveSession) -> None:
        super().__init__()
        if isinstance(desk, LiveSession):  # an untimed situation: straight to its form
            self.desk = self.guard.open(desk)
        else:
            self.desk = desk.through(self.guard)
        """The session, its saves shown on this screen."""
        self.outcomes = outcome_choices(self.desk.run.last)

    def rescued(self) -> Sequence[GuardedSession]:
        return [self.desk]

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        identity = self.desk.identity
        run = self.desk.run
        lang = language()
        title = self.desk.exam.title.get(lang)
        if run.situation is not None:
            title += f" · {run.situation.label.get(lang)}"
        yield Static(
            t("tui.result.title", name=identity.candidate, exam=title),
            id="result-top",
            markup=False,
        )
        yield SaveBanner(id="save-banner")
        with Form(id="result-form"):
            yield Static("\n".join(ratings_lines(self.desk)), id="result-ratings", markup=False)
            if run.last:
                yield Static(suggestion_text(self.desk), id="result-suggestion", markup=False)
            else:
                yield Static(t("tui.result.later"), id="result-suggestion", markup=False)
            with Horizontal(classes="form-row"):
                yield Label(t("tui.result.outcome"), classes="form-label")
                with RadioSet(id="outcome", compact=True):
                    for i, name in enumerate(self.outcomes):
                        yield RadioButton(
                            t(f"tui.result.outcome.{name}"), id=f"outcome-{name}", value=i == 0
                        )
            if run.last:
                yield _row(
                    t("tui.result.mark"),
                    Field(id="mark", placeholder=t("tui.result.mark_hint"), compact=True),
                )
            yield _row(
                t("tui.result.nv_reason"),
                Select(
                    [(t(f"nv.reason.{code}"), code) for code in NV_REASONS],
                    prompt=t("tui.result.nv_reason_hint"),
                    compact=True,
                    id="nv-reason",
                ),
            )
            for block in run.fiche_blocks():
                if block.title is not None and block.fields:
                    yield Label(block.title.get(lang), classes="form-block")
                for spec in block.fields:
                    yield from self._field(spec)
            slots = member_slots(identity.members)
            yield _row(
                t("tui.result.members"),
                *(
                    Field(name, id=f"member{i}", placeholder=t(f"role.{role}"), compact=True)
                    for i, (name, role) in enumerate(zip(slots, MEMBER_ROLES, strict=True), 1)
                ),
            )
            yield Static("", id="result-error", markup=False)
            with Horizontal(id="result-buttons"):
                yield Button(t("tui.result.save"), id="save", variant="primary", compact=True)
        yield KioskFooter()

    def _field(self, spec: FicheField) -> Iterator[Widget]:
        """The widget(s) of one fiche field, as its kind asks."""
        lang = language()
        label = spec.label.get(lang)
        hint = spec.hint.get(lang) if spec.hint is not None else ""
        wid = field_widget_id(spec)
        if spec.kind is FieldKind.CHOICE:
            buttons = [
                RadioButton(c.label.get(lang), id=field_widget_id(spec, c.id)) for c in spec.choices
            ]
            yield _row(label, RadioSet(*buttons, id=wid, compact=True, classes="fiche-choice"))
        elif spec.kind is FieldKind.CHOICES:
            boxes = [
                Checkbox(c.label.get(lang), id=field_widget_id(spec, c.id), compact=True)
                for c in spec.choices
            ]
            yield _row(label, Horizontal(*boxes, id=wid, classes="fiche-choices"))
        elif spec.kind is FieldKind.DATE:
            today = form_date(self.desk.started_at)
            yield _row(
                label, Field(today, id=wid, placeholder="JJ/MM/AAAA", compact=True, classes="short")
            )
        elif spec.lines > 1:
            yield Label(label, classes="form-caption")
            memo = Memo(id=wid, compact=True, classes="fiche-memo")
            memo.styles.height = min(spec.lines, MEMO_MAX_LINES)
            yield memo
        else:
            yield _row(label, Field(id=wid, placeholder=hint, compact=True))

    def on_mount(self) -> None:
        self._sync_outcome()
        first = self.query("#mark")
        (first.first() if first else self.query_one("#outcome", RadioSet)).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "redirect":
            return self.failure is not None
        if action == "back":
            return not self.desk.state.finished
        return True

    # --- keeping the form consistent --------------------------------------------------------

    @on(RadioSet.Changed, "#outcome")
    def _sync_outcome(self) -> None:
        outcome = self._outcome()
        for found in self.query("#mark"):
            found.disabled = outcome not in (MARK, RESERVED)
        self.query_one("#nv-reason").parent.display = outcome == NV  # type: ignore[union-attr]

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def _save_button(self) -> None:
        self.action_save()

    def _outcome(self) -> str:
        pressed = self.query_one("#outcome", RadioSet).pressed_button
        name = (pressed.id or "").removeprefix("outcome-") if pressed is not None else ""
        return name if name in self.outcomes else self.outcomes[0]

    def _error(self, message: str) -> None:
        error = self.query_one("#result-error", Static)
        error.update(message)
        error.set_class(bool(message), "-shown")

    # --- saving --------------------------------------------------------------------------------

    def values(self) -> dict[str, str | list[str]]:
        """The fiche's fields as typed and ticked (``ValueError``: a date that is none)."""
        out: dict[str, str | list[str]] = {}
        for spec in self.desk.run.fiche_fields():
            wid = field_widget_id(spec)
            if spec.kind is FieldKind.CHOICE:
                pressed = self.query_one(f"#{wid}", RadioSet).pressed_button
                prefix = field_widget_id(spec, "")
                out[spec.id] = (pressed.id or "").removeprefix(prefix) if pressed else ""
            elif spec.kind is FieldKind.CHOICES:
                out[spec.id] = [
                    c.id
                    for c in spec.choices
                    if self.query_one(f"#{field_widget_id(spec, c.id)}", Checkbox).value
                ]
            elif spec.kind is FieldKind.DATE:
                out[spec.id] = parse_date(self.query_one(f"#{wid}", Input).value)
            elif spec.lines > 1:
                out[spec.id] = self.query_one(f"#{wid}", Memo).text
            else:
                out[spec.id] = self.query_one(f"#{wid}", Input).value
        return out

    def action_save(self) -> None:
        outcome = self._outcome()
        mark_value: float | None = None
        if outcome in (MARK, RESERVED):
            field = self.query_one("#mark", Input)
            try:
                mark_value = parse_mark(field.value)
            except ValueError as exc:
                self._error(str(exc))
                field.focus()
                return
        reason = self.query_one("#nv-reason", Select).value
        if outcome == NV and not isinstance(reason, str):
            self._error(t("tui.result.error.nv_reason"))
            self.query_one("#nv-reason").focus()
            return
        try:
            fields = self.values()
        except ValueError as exc:
            self._error(str(exc))
            return
        names = [self.query_one(f"#member{i}", Input).value for i in (1, 2)]
        saved = self.desk.set_result(
            mark=mark_value,
            outcome=outcome if outcome in (NV, ABSENT) else None,
            reserved=outcome == RESERVED,
            nv_reason=reason if outcome == NV and isinstance(reason, str) else None,
            situation_done=outcome == SITUATION,
            fields=fields,
            members=[Member(n, role) for n, role in zip(names, MEMBER_ROLES, strict=True)],
        )
        if saved:
            self.kiosk.session_done(self.desk)

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
