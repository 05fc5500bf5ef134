"""The result form: built from the exam's definition, filled in, read back as a ``ResultEntry``.

``ResultForm`` lays out what a session's result holds (``Run.fiche_blocks``):
every field its fiche declares, block by block (a phase's, a situation's, the
épreuve's own), then the members. No code here knows one épreuve from
another. The outcomes are those the session may record: on the last
situation (or an exam without situations) a mark, reserved or not, NV with
the notification's reason, or absent; on a CCF situation before the last,
"situation done" (the mark comes after the last one), NV or absent.

The live result screen opens it blank; the review's correction opens it on
the saved result (``initial``). Both read it back with ``entry()``, which
raises ``FormProblem`` naming the field at fault; an error shown goes away
by itself once that field is right (``recheck``). The focused field's label
carries a marker (``▸``), which reads without colour too.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioSet, Select, Static, TextArea

from ndrc_oral.exam_room.entry import ResultEntry
from ndrc_oral.exam_room.requests import MEMBER_ROLES, member_slots
from ndrc_oral.exam_room.view import form_date, parse_date, parse_mark
from ndrc_oral.exams.models import Exam, FicheField, FieldKind, Run
from ndrc_oral.formatting import mark
from ndrc_oral.i18n import language, t
from ndrc_oral.session.identity import Member, SessionIdentity
from ndrc_oral.session.suggestion import suggest_mark
from ndrc_oral.session.verdict import NV_REASONS
from ndrc_oral.tui.widgets.choice_row import Choice, ChoiceRow, Tick
from ndrc_oral.tui.widgets.fields import Field, Form
from ndrc_oral.tui.widgets.memo import Memo

MARK, RESERVED, NV, ABSENT, SITUATION = "mark", "reserved", "nv", "absent", "situation"
"""The outcome buttons (``outcome-<name>``)."""

MEMO_MAX_LINES = 6
"""A text field of more lines still takes at most this many on the form (it scrolls)."""

FOCUS_MARK = "▸"
"""Before the label of the field that has the focus."""


class FormProblem(ValueError):
    """What is wrong with the form, and the id of the widget to fix it in."""

    def __init__(self, message: str, widget_id: str) -> None:
        super().__init__(message)
        self.widget_id = widget_id


def outcome_choices(last: bool) -> list[str]:
    """The outcomes a session may record: a mark on the last situation, else its end."""
    return [MARK, RESERVED, NV, ABSENT] if last else [SITUATION, NV, ABSENT]


def outcome_of(entry: ResultEntry) -> str:
    """Which outcome button an entry presses."""
    if entry.situation_done:
        return SITUATION
    if entry.outcome in (NV, ABSENT):
        return entry.outcome
    return RESERVED if entry.reserved else MARK


def field_widget_id(field: FicheField, choice: str | None = None) -> str:
    """``fiche-<field>`` (a box to tick: ``fiche-<field>--<choice>``)."""
    return f"fiche-{field.id}" + (f"--{choice}" if choice is not None else "")


def ratings_lines(exam: Exam, ratings: dict[str, str]) -> list[str]:
    """Per competence: how many rows are rated, and at which levels."""
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


def suggestion_text(exam: Exam, ratings: dict[str, str]) -> str:
    hint = suggest_mark(ratings, exam.level_codes(), exam.criterion_ids())
    if hint is None:
        return t("tui.result.no_suggestion")
    return t(
        "tui.result.suggestion",
        low=mark(hint.low),
        high=mark(hint.high),
        rated=hint.rated,
        total=hint.total,
    )


class FieldLabel(Label):
    """A field's label; ``▸`` before it while its field has the focus."""

    def __init__(self, text: str, *, classes: str) -> None:
        super().__init__(f" {text}", classes=classes, markup=False)
        self.text = text

    def marked(self, on: bool) -> None:
        self.update(f"{FOCUS_MARK if on else ' '}{self.text}")


def form_heading(key: str, candidate: str, exam: Exam, run: Run) -> Static:
    """The line above a result form (``key`` names it: the live result, a correction):
    the candidate, the exam and, for a CCF situation, which one."""
    lang = language()
    title = exam.title.get(lang)
    if run.situation is not None:
        title += f" · {run.situation.label.get(lang)}"
    return Static(t(key, name=candidate, exam=title), id="result-top", markup=False)


def _row(label: str, *widgets: Widget) -> Horizontal:
    return Horizontal(FieldLabel(label, classes="form-label"), *widgets, classes="form-row")


class ResultForm(Form):
    """The fields of a session's result, filled with ``initial`` (blank when ``None``)."""

    def __init__(
        self,
        *,
        exam: Exam,
        run: Run,
        identity: SessionIdentity,
        ratings: dict[str, str],
        started_at: str,
        initial: ResultEntry | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.exam = exam
        self.run = run
        self.identity = identity
        self.ratings = ratings
        self.started_at = started_at
        self.initial = initial
        self.outcomes = outcome_choices(run.last)
        self._marked: FieldLabel | None = None
        self.problem_at: str | None = None
        """The widget the error shown is about (``None``: no error shown)."""

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang = language()
        entry = self.initial or ResultEntry(members=self.identity.members)
        lines = "\n".join(ratings_lines(self.exam, self.ratings))
        yield Static(lines, id="result-ratings", markup=False)
        if self.run.last:
            yield Static(
                suggestion_text(self.exam, self.ratings), id="result-suggestion", markup=False
            )
        else:
            yield Static(t("tui.result.later"), id="result-suggestion", markup=False)
        chosen = outcome_of(entry) if self.initial is not None else self.outcomes[0]
        yield _row(
            t("tui.result.outcome"),
            ChoiceRow(
                *(
                    Choice(
                        t(f"tui.result.outcome.{name}"), id=f"outcome-{name}", value=name == chosen
                    )
                    for name in self.outcomes
                ),
                id="outcome",
            ),
        )
        if self.run.last:
            given = mark(entry.mark) if entry.mark is not None else ""
            yield _row(
                t("tui.result.mark"),
                Field(given, id="mark", placeholder=t("tui.result.mark_hint"), compact=True),
            )
        reasons = [(t(f"nv.reason.{code}"), code) for code in NV_REASONS]
        reason = entry.nv_reason if entry.nv_reason in NV_REASONS else Select.NULL
        yield _row(
            t("tui.result.nv_reason"),
            Select(
                reasons,
                prompt=t("tui.result.nv_reason_hint"),
                compact=True,
                id="nv-reason",
                value=reason,
            ),
        )
        for block in self.run.fiche_blocks():
            if block.title is not None and block.fields:
                yield Label(block.title.get(lang), classes="form-block", markup=False)
            for spec in block.fields:
                yield from self._field(spec, entry)
        members = entry.members if self.initial is not None else self.identity.members
        slots = member_slots([m if isinstance(m, Member) else Member(m) for m in members])
        yield _row(
            t("tui.result.members"),
            *(
                Field(name, id=f"member{i}", placeholder=t(f"role.{role}"), compact=True)
                for i, (name, role) in enumerate(zip(slots, MEMBER_ROLES, strict=True), 1)
            ),
        )
        yield Static("", id="result-error", markup=False)

    def _field(self, spec: FicheField, entry: ResultEntry) -> Iterator[Widget]:
        """The widget(s) of one fiche field, as its kind asks, with its value in ``entry``."""
        lang = language()
        label = spec.label.get(lang)
        hint = spec.hint.get(lang) if spec.hint is not None else ""
        wid = field_widget_id(spec)
        raw = entry.fields.get(spec.id, "")
        given = raw if isinstance(raw, str) else ""
        ticked = {raw} if isinstance(raw, str) else set(raw)
        if spec.kind is FieldKind.CHOICE:
            buttons = [
                Choice(c.label.get(lang), id=field_widget_id(spec, c.id), value=c.id in ticked)
                for c in spec.choices
            ]
            yield _row(label, ChoiceRow(*buttons, id=wid, classes="fiche-choice"))
        elif spec.kind is FieldKind.CHOICES:
            boxes = [
                Tick(
                    c.label.get(lang), c.id in ticked, id=field_widget_id(spec, c.id), compact=True
                )
                for c in spec.choices
            ]
            yield _row(label, Horizontal(*boxes, id=wid, classes="fiche-choices"))
        elif spec.kind is FieldKind.DATE:
            day = form_date(given) if self.initial is not None else form_date(self.started_at)
            yield _row(
                label, Field(day, id=wid, placeholder="JJ/MM/AAAA", compact=True, classes="short")
            )
        elif spec.lines > 1:
            memo = Memo(given, id=wid, compact=True, classes="fiche-memo")
            memo.styles.height = min(spec.lines, MEMO_MAX_LINES)
            yield Vertical(FieldLabel(label, classes="form-caption"), memo, classes="form-memo")
        else:
            yield _row(label, Field(given, id=wid, placeholder=hint, compact=True))

    def on_mount(self) -> None:
        self._sync_outcome()

    # --- keeping the form consistent --------------------------------------------------------

    @on(RadioSet.Changed, "#outcome")
    def _sync_outcome(self) -> None:
        outcome = self.outcome()
        for found in self.query("#mark"):
            found.disabled = outcome not in (MARK, RESERVED)
        self.query_one("#nv-reason").parent.display = outcome == NV  # type: ignore[union-attr]

    @on(DescendantFocus)
    def _mark_focused(self, event: DescendantFocus) -> None:
        label = self._label_of(event.widget)
        if label is self._marked:
            return
        if self._marked is not None:
            self._marked.marked(False)
        if label is not None:
            label.marked(True)
        self._marked = label

    @staticmethod
    def _label_of(widget: Widget) -> FieldLabel | None:
        node: Widget | None = widget
        while isinstance(node, Widget):
            if node.has_class("form-row") or node.has_class("form-memo"):
                found = node.query_children(FieldLabel)
                return found.first() if found else None
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        return None

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def recheck(self) -> None:
        """An error shown goes away once the field it is about is right."""
        if self.problem_at is None:
            return
        try:
            self.entry()
        except FormProblem as problem:
            if problem.widget_id == self.problem_at:
                self.show_problem(problem)
                return
        self.show_problem(None)

    def show_problem(self, problem: FormProblem | str | None) -> None:
        """Say what is wrong under the form (``None``: nothing)."""
        error = self.query_one("#result-error", Static)
        message = str(problem) if problem is not None else ""
        error.update(message)
        error.set_class(bool(message), "-shown")
        self.problem_at = problem.widget_id if isinstance(problem, FormProblem) else None

    # --- reading it back -----------------------------------------------------------------------

    def outcome(self) -> str:
        pressed = self.query_one("#outcome", RadioSet).pressed_button
        name = (pressed.id or "").removeprefix("outcome-") if pressed is not None else ""
        return name if name in self.outcomes else self.outcomes[0]

    def entry(self) -> ResultEntry:
        """The result as filled in (``FormProblem``: a bad mark or date, NV without reason)."""
        outcome = self.outcome()
        mark_value: float | None = None
        if outcome in (MARK, RESERVED):
            try:
                mark_value = parse_mark(self.query_one("#mark", Input).value)
            except ValueError as exc:
                raise FormProblem(str(exc), "mark") from None
        reason = self.query_one("#nv-reason", Select).value
        if outcome == NV and not isinstance(reason, str):
            raise FormProblem(t("tui.result.error.nv_reason"), "nv-reason")
        names = [self.query_one(f"#member{i}", Input).value for i in (1, 2)]
        return ResultEntry(
            mark=mark_value,
            outcome=outcome if outcome in (NV, ABSENT) else None,
            reserved=outcome == RESERVED,
            nv_reason=reason if outcome == NV and isinstance(reason, str) else None,
            situation_done=outcome == SITUATION,
            fields=self.values(),
            members=tuple(Member(n, role) for n, role in zip(names, MEMBER_ROLES, strict=True)),
        )

    def values(self) -> dict[str, str | list[str]]:
        """The fiche's fields as typed and ticked (``FormProblem``: a date that is none)."""
        out: dict[str, str | list[str]] = {}
        for spec in self.run.fiche_fields():
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
                try:
                    out[spec.id] = parse_date(self.query_one(f"#{wid}", Input).value)
                except ValueError as exc:
                    raise FormProblem(str(exc), wid) from None
            elif spec.lines > 1:
                out[spec.id] = self.query_one(f"#{wid}", Memo).text
            else:
                out[spec.id] = self.query_one(f"#{wid}", Input).value
        return out

    def focus_problem(self, problem: FormProblem) -> None:
        """Show the problem and put the focus where it is to be fixed."""
        self.show_problem(problem)
        found = self.query(f"#{problem.widget_id}")
        if found:
            found.first().focus()
