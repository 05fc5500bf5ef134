"""The home screen: choose the exam and the candidate, start; or resume an interrupted session.

Everything is checked before a session is created (``exam_room.requests.check_request``);
problems are listed under the form, nothing is lost, nothing crashes. After a
session the form comes back with the commission's settings kept.

The exams are grouped by the text they follow, the set in force first. A CCF
exam starts the candidate's next situation: that of their open épreuve (the
line under the candidate says which), or the first of a new one; the open
épreuves are listed beside the form, and choosing one fills it in. NV is
recorded from here, without a timer (F7: the notification's reason is asked).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.defaults import HomeDefaults
from ndrc_oral.exam_room.epreuves import OpenEpreuve, open_epreuves, place, situation_words
from ndrc_oral.exam_room.interrupted import Interrupted, find_interrupted
from ndrc_oral.exam_room.requests import (
    MEMBER_ROLES,
    TIERS_TEMPS,
    SessionRequest,
    cancel_session,
    check_requests,
    member_slots,
)
from ndrc_oral.exams.models import Exam
from ndrc_oral.formatting import day_month_time
from ndrc_oral.i18n import t
from ndrc_oral.session.identity import Member, Mode, SessionIdentity
from ndrc_oral.session.verdict import NV_REASONS
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import ChoiceDialog, ReasonDialog
from ndrc_oral.tui.screens.base import KioskScreen
from ndrc_oral.tui.widgets.choice_row import Choice
from ndrc_oral.tui.widgets.exam_select import ExamSelect, exam_options, first_exam
from ndrc_oral.tui.widgets.fields import Field, Form
from ndrc_oral.tui.widgets.footer import KioskFooter

EXTRA_NONE = "none"
EXTRA_OTHER = "other"
MAX_ROWS = 3
"""Candidate rows on the form: the most any exam takes at once (E5)."""


def _row(label: str, *widgets: Any, row_id: str | None = None) -> Horizontal:
    return Horizontal(Label(label, classes="form-label"), *widgets, classes="form-row", id=row_id)


class HomeScreen(KioskScreen[None]):
    """The first screen of the day, and the one each session returns to."""

    BINDINGS = bindings.HOME

    def __init__(self) -> None:
        super().__init__()
        self._interrupted: list[Interrupted] = []
        self._epreuves: list[OpenEpreuve] = []
        """The open CCF épreuves (read with the interrupted sessions, off the UI thread)."""

    # --- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        defaults: HomeDefaults = self.kiosk.defaults
        exams: list[Exam] = self.kiosk.catalog.values()
        exam_ids = [e.id for e in exams]
        exam_id = defaults.exam_id if defaults.exam_id in exam_ids else first_exam(exams)
        member1, member2 = member_slots(defaults.identity.members)
        yield Static(t("tui.home.title"), id="home-top", markup=False)
        yield _row(
            t("tui.home.exam"),
            ExamSelect(
                exam_options(exams), value=exam_id, allow_blank=False, compact=True, id="exam"
            ),
            row_id="exam-row",
        )
        with Horizontal(id="home-body"):
            with Form(id="home-form"):
                with Horizontal(classes="form-row"):
                    yield Label(t("tui.home.mode"), classes="form-label")
                    with RadioSet(id="mode", compact=True):
                        yield Choice(
                            t("tui.home.mode.live"),
                            id="mode-live",
                            value=not defaults.identity.rehearsal,
                        )
                        yield Choice(
                            t("tui.home.mode.rehearsal"),
                            id="mode-rehearsal",
                            value=defaults.identity.rehearsal,
                        )
                with Horizontal(classes="form-row"):
                    yield Label(t("tui.home.candidate"), classes="form-label", id="candidate-label")
                    yield Field(
                        id="candidate", placeholder=t("tui.home.candidate_hint"), compact=True
                    )
                    yield Label(t("tui.home.number"), classes="inline-label")
                    yield Field(id="number", compact=True, classes="short")
                # E5: the other candidates assessed at once on the same subject.
                for n in range(2, MAX_ROWS + 1):
                    yield _row(
                        t("tui.home.candidate_n", n=n),
                        Field(
                            id=f"candidate{n}",
                            placeholder=t("tui.home.candidate_optional_hint"),
                            compact=True,
                        ),
                        Label(t("tui.home.number"), classes="inline-label"),
                        Field(id=f"number{n}", compact=True, classes="short"),
                        row_id=f"candidate-row-{n}",
                    )
                yield _row(
                    t("tui.home.commission"),
                    Field(
                        defaults.identity.commission,
                        id="commission",
                        compact=True,
                        classes="short",
                    ),
                    row_id="commission-row",
                )
                yield _row(
                    t("tui.home.members"),
                    Field(member1, id="member1", placeholder=t("tui.home.member1"), compact=True),
                    Field(member2, id="member2", placeholder=t("tui.home.member2"), compact=True),
                    row_id="members-row",
                )
                yield _row(
                    t("tui.home.extra"),
                    Select(
                        [
                            (t("tui.home.extra.none"), EXTRA_NONE),
                            (t("tui.home.extra.tiers"), TIERS_TEMPS),
                            (t("tui.home.extra.other"), EXTRA_OTHER),
                        ],
                        value=EXTRA_NONE,
                        allow_blank=False,
                        compact=True,
                        id="extra",
                    ),
                    Field(id="extra-fraction", placeholder="1/4", compact=True, classes="short"),
                )
                yield _row(
                    t("tui.home.extra_reason"),
                    Field(
                        id="extra-reason", placeholder=t("tui.home.extra_reason_hint"), compact=True
                    ),
                    Label(t("tui.home.extra_for"), classes="inline-label", id="extra-for-label"),
                    Select(
                        [(t("tui.home.extra_for_n", n=1), 1)],
                        value=1,
                        allow_blank=False,
                        compact=True,
                        id="extra-for",
                    ),
                    row_id="extra-reason-row",
                )
                yield _row(
                    t("tui.home.cms"),
                    Select([], allow_blank=True, compact=True, id="cms", prompt="—"),
                    Label(t("tui.home.subject"), classes="inline-label"),
                    Field(id="subject", compact=True, classes="short"),
                    row_id="cms-row",
                )
                yield _row(
                    t("tui.home.grid"),
                    Field(id="grid-file", placeholder=t("tui.home.grid_hint"), compact=True),
                    row_id="grid-row",
                )
                yield Static("", id="situation-line", markup=False)
                with Horizontal(id="home-buttons"):
                    yield Button(t("tui.home.start"), id="start", variant="primary", compact=True)
                    yield Button(t("tui.home.nv"), id="nv", compact=True)
                yield Static("", id="home-errors", markup=False)
            with Vertical(id="home-side"):
                yield Label(t("tui.home.interrupted"), classes="side-title")
                yield OptionList(id="interrupted")
                yield Static(t("tui.home.interrupted_none"), id="interrupted-none")
                yield Label(t("tui.home.epreuves"), classes="side-title", id="epreuves-title")
                yield OptionList(id="epreuves")
                yield Button(t("tui.home.review"), id="review", compact=True)
        yield KioskFooter()

    def on_mount(self) -> None:
        self._sync_exam()
        self._sync_mode()
        self._sync_extra()
        self.query_one("#interrupted", OptionList).display = False
        self._show_epreuves([])
        self.load_interrupted()
        # The day starts with the exam; the next candidates start with their name.
        first = self.kiosk.defaults.exam_id is None
        self.query_one("#exam" if first else "#candidate").focus()

    # --- keeping the form consistent --------------------------------------------------------

    def _exam(self) -> Exam:
        exam_id = self.query_one("#exam", Select).value
        return self.kiosk.catalog.get(str(exam_id))

    def _rehearsal(self) -> bool:
        return self.query_one("#mode-rehearsal", RadioButton).value

    @on(Select.Changed, "#exam")
    def _sync_exam(self) -> None:
        exam = self._exam()
        rows = min(exam.max_candidates, MAX_ROWS)
        for n in range(2, MAX_ROWS + 1):
            self.query_one(f"#candidate-row-{n}").display = n <= rows
        label = t("tui.home.candidate_n", n=1) if rows > 1 else t("tui.home.candidate")
        self.query_one("#candidate-label", Label).update(label)
        extra_for = self.query_one("#extra-for", Select)
        chosen = extra_for.value
        extra_for.set_options([(t("tui.home.extra_for_n", n=n), n) for n in range(1, rows + 1)])
        extra_for.value = chosen if isinstance(chosen, int) and chosen <= rows else 1
        for widget in (extra_for, self.query_one("#extra-for-label")):
            widget.display = rows > 1
        cms = self.query_one("#cms", Select)
        row = self.query_one("#cms-row")
        row.display = bool(exam.cms_choices)
        if exam.cms_choices:
            current = cms.value
            cms.set_options([(c, c) for c in exam.cms_choices])
            if current in exam.cms_choices:
                cms.value = current
        self.query_one("#grid-row").display = exam.subject_grid
        self._sync_situation()

    @on(Input.Changed, "#candidate, #number")
    @on(RadioSet.Changed, "#mode")
    def _sync_situation(self) -> None:
        """A CCF exam: say which situation a start begins (of which épreuve)."""
        exam = self._exam()
        line = self.query_one("#situation-line", Static)
        line.display = exam.ccf
        if not exam.ccf:
            return
        name = self.query_one("#candidate", Input).value
        number = self.query_one("#number", Input).value
        mode = "rehearsal" if self._rehearsal() else "live"
        found = next(
            (e for e in self._epreuves if e.mode == mode and e.matches(exam.id, name, number)),
            None,
        )
        placement = place(exam, name, number, self.kiosk.clock, self._epreuves, mode)
        line.update(situation_words(exam, placement, found))

    @on(RadioSet.Changed, "#mode")
    def _sync_mode(self) -> None:
        live = not self._rehearsal()
        for row_id in ("#commission-row", "#members-row"):
            self.query_one(row_id).display = live

    @on(Select.Changed, "#extra")
    def _sync_extra(self) -> None:
        choice = self.query_one("#extra", Select).value
        self.query_one("#extra-fraction").display = choice == EXTRA_OTHER
        self.query_one("#extra-reason-row").display = choice != EXTRA_NONE
        reason = self.query_one("#extra-reason", Input)
        if choice == TIERS_TEMPS and not reason.value.strip():
            reason.value = t("tui.home.extra_reason_tiers")

    # --- starting -----------------------------------------------------------------------------

    def _candidates(self) -> list[tuple[int, str, str]]:
        """(row, name, number) of each candidate row filled in, in order (row 1 always)."""
        rows = min(self._exam().max_candidates, MAX_ROWS)
        found = [
            (1, self.query_one("#candidate", Input).value, self.query_one("#number", Input).value)
        ]
        for n in range(2, rows + 1):
            name = self.query_one(f"#candidate{n}", Input).value
            number = self.query_one(f"#number{n}", Input).value
            if name.strip() or number.strip():
                found.append((n, name, number))
        return found

    def requests(self) -> tuple[list[SessionRequest], list[str]]:
        """One session per candidate the form describes, and what is missing (own checks only).

        Each candidate gets the form's settings; the extra time goes to the one
        it is "for" (candidate 1 unless the exam takes several at once).
        """
        errors: list[str] = []
        choice = self.query_one("#extra", Select).value
        extra: str | None = None
        reason = self.query_one("#extra-reason", Input).value.strip()
        if choice == TIERS_TEMPS:
            extra = TIERS_TEMPS
        elif choice == EXTRA_OTHER:
            extra = self.query_one("#extra-fraction", Input).value.strip()
            if not extra:
                errors.append(t("tui.home.error.fraction"))
        if extra and not reason:
            errors.append(t("tui.home.error.extra_reason"))
        exam = self._exam()
        cms_value = self.query_one("#cms", Select).value
        cms = str(cms_value) if exam.cms_choices and isinstance(cms_value, str) else None
        subject = self.query_one("#subject", Input).value.strip() if exam.cms_choices else ""
        grid = self.query_one("#grid-file", Input).value.strip() if exam.subject_grid else ""
        rehearsal = self._rehearsal()
        shared = SessionIdentity(
            mode=Mode.REHEARSAL if rehearsal else Mode.LIVE,
            cms=cms,
            subject=subject or None,
            grid=Path(grid).name if grid else None,
        )
        if not rehearsal:
            names = [self.query_one(f"#member{i}", Input).value.strip() for i in (1, 2)]
            shared = replace(
                shared,
                commission=self.query_one("#commission", Input).value.strip(),
                members=tuple(
                    Member(name, role)
                    for name, role in zip(names, MEMBER_ROLES, strict=True)
                    if name
                ),
            )
        candidates = self._candidates()
        extra_for = self.query_one("#extra-for", Select).value
        if exam.max_candidates == 1 or not isinstance(extra_for, int):
            extra_for = 1
        if extra and extra_for not in [row for row, _, _ in candidates]:
            errors.append(t("tui.home.error.extra_for", n=extra_for))
        if errors:
            return [], errors
        requests = [
            SessionRequest(
                exam.id,
                shared.companion(
                    candidate=name.strip(),
                    number=number.strip(),
                    extra_time=extra if row == extra_for else None,
                    extra_time_reason=reason if extra and row == extra_for else "",
                ),
                grid_file=grid or None,
            )
            for row, name, number in candidates
        ]
        return requests, []

    def action_start(self) -> None:
        requests, errors = self.requests()
        self.show_errors(errors or self.kiosk.start_session(requests, known=self._epreuves))

    @on(Button.Pressed, "#start")
    def _start_button(self) -> None:
        self.action_start()

    def action_nv(self) -> None:
        """NV for the candidate of the form, without a timer: the reason is asked first."""
        requests, errors = self.requests()
        if errors or not requests:
            self.show_errors(errors)
            return
        if len(requests) > 1:
            self.show_errors([t("tui.home.error.nv_one")])
            return
        problems = check_requests(self.kiosk.catalog, requests).errors
        if problems:  # say what is missing before asking for the reason
            self.show_errors(problems)
            return
        request = requests[0]

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            problems = self.kiosk.record_nv(request, reason, known=self._epreuves)
            if problems:
                self.show_errors(problems)
                return
            self.notify(t("tui.home.nv_saved", name=request.identity.candidate), timeout=8)
            self.prepare_next(self.kiosk.defaults)

        question = t("tui.home.nv_question", name=request.identity.candidate)
        choices = [(t(f"nv.reason.{code}"), code) for code in NV_REASONS]
        self.app.push_screen(ChoiceDialog(question, choices), answered)

    @on(Button.Pressed, "#nv")
    def _nv_button(self) -> None:
        self.action_nv()

    def show_errors(self, errors: list[str]) -> None:
        box = self.query_one("#home-errors", Static)
        box.update("\n".join(f"• {e}" for e in errors))
        box.set_class(bool(errors), "-shown")
        if errors:
            self.app.bell()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    # --- interrupted sessions and the archive ----------------------------------------------------

    @work(thread=True, exclusive=True, group="interrupted", exit_on_error=False)
    def load_interrupted(self) -> None:
        """Look for interrupted sessions off the UI thread (a big data dir takes time)."""
        try:
            found = find_interrupted(self.kiosk.store)
            epreuves = open_epreuves(self.kiosk.store)
        except Exception:  # a convenience list must never stop the kiosk
            found, epreuves = [], []
        self.app.call_from_thread(self._show_interrupted, found)
        self.app.call_from_thread(self._show_epreuves, epreuves)

    def _show_epreuves(self, found: list[OpenEpreuve]) -> None:
        self._epreuves = found
        listing = self.query_one("#epreuves", OptionList)
        listing.clear_options()
        for item in found:
            listing.add_option(Option(_epreuve_prompt(item), id=item.epreuve_id))
        for widget in (listing, self.query_one("#epreuves-title")):
            widget.display = bool(found)
        self._sync_situation()
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#epreuves")
    def _continue_epreuve(self, event: OptionList.OptionSelected) -> None:
        """An open épreuve chosen: the form gets its exam and candidate (Start begins it)."""
        item = next((e for e in self._epreuves if e.epreuve_id == event.option.id), None)
        if item is None or item.exam_id not in self.kiosk.catalog:
            return
        self.query_one("#exam", Select).value = item.exam_id
        self.query_one("#mode-live", RadioButton).value = item.mode != "rehearsal"
        self.query_one("#mode-rehearsal", RadioButton).value = item.mode == "rehearsal"
        self.query_one("#candidate", Input).value = item.candidate
        self.query_one("#number", Input).value = item.number
        self._sync_situation()
        self.query_one("#start", Button).focus()

    def _show_interrupted(self, found: list[Interrupted]) -> None:
        self._interrupted = found
        listing = self.query_one("#interrupted", OptionList)
        listing.clear_options()
        for item in found:
            listing.add_option(Option(_interrupted_prompt(item), id=item.session_id))
        if found:
            listing.highlighted = 0
        listing.display = bool(found)
        self.query_one("#interrupted-none").display = not found
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#interrupted")
    def _resume(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        error = self.kiosk.resume(event.option.id)
        if error:
            self.show_errors([error])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("resume_list", "cancel_interrupted"):
            return bool(self._interrupted)
        if action == "epreuves_list":
            return bool(self._epreuves)
        return True

    def action_epreuves_list(self) -> None:
        """Go to the open CCF épreuves (Enter fills the form with the highlighted one)."""
        listing = self.query_one("#epreuves", OptionList)
        if listing.option_count:
            listing.focus()
            if listing.highlighted is None:
                listing.highlighted = 0

    def action_resume_list(self) -> None:
        """Go to the interrupted sessions (Enter resumes the highlighted one)."""
        listing = self.query_one("#interrupted", OptionList)
        if listing.option_count:
            # At once, not later (``focus()`` waits its turn): an Enter typed right
            # after F4 must reach the list, not the field that had the focus.
            self.set_focus(listing)
            if listing.highlighted is None:
                listing.highlighted = 0

    def action_cancel_interrupted(self) -> None:
        """Cancel the highlighted interrupted session (started by mistake), with the reason:
        it stays on disk and leaves the list."""
        listing = self.query_one("#interrupted", OptionList)
        index = listing.highlighted if listing.highlighted is not None else 0
        if not self._interrupted or index >= len(self._interrupted):
            return
        item = self._interrupted[index]
        when = day_month_time(item.started_at)
        exam = item.exam_title or item.exam_id
        title = t("tui.home.cancel.title", name=item.candidate, exam=exam, when=when)

        def reasoned(reason: str | None) -> None:
            if reason is None:
                return
            try:
                cancel_session(self.kiosk.store, str(item.path), self.kiosk.clock, reason)
            except NdrcError as exc:
                self.show_errors([str(exc)])
                return
            self.notify(t("tui.home.cancel.done", name=item.candidate), markup=False, timeout=8)
            self.load_interrupted()

        self.app.push_screen(ReasonDialog(title, ""), reasoned)

    def action_review(self) -> None:
        self.kiosk.open_review()

    def action_day(self) -> None:
        """The commission's day (its roster imported first when there is none)."""
        self.kiosk.open_day()

    @on(Button.Pressed, "#review")
    def _review_button(self) -> None:
        self.action_review()

    # --- the next candidate ------------------------------------------------------------------------

    def prepare_next(self, defaults: HomeDefaults) -> None:
        """Back from a session: keep the commission's settings, clear the candidate."""
        if defaults.exam_id in self.kiosk.catalog:
            self.query_one("#exam", Select).value = defaults.exam_id
        kept = defaults.identity
        self.query_one("#mode-live", RadioButton).value = not kept.rehearsal
        self.query_one("#mode-rehearsal", RadioButton).value = kept.rehearsal
        self.query_one("#commission", Input).value = kept.commission
        for i, name in enumerate(member_slots(kept.members), start=1):
            self.query_one(f"#member{i}", Input).value = name
        others = [f"#{kind}{n}" for n in range(2, MAX_ROWS + 1) for kind in ("candidate", "number")]
        for field_id in ("#candidate", "#number", "#extra-fraction", "#extra-reason", *others):
            self.query_one(field_id, Input).value = ""
        for field_id in ("#subject", "#grid-file"):  # the next subject is another
            self.query_one(field_id, Input).value = ""
        self.query_one("#extra", Select).value = EXTRA_NONE
        self.show_errors([])
        self._sync_mode()
        self._sync_extra()
        self.load_interrupted()
        self.query_one("#candidate", Input).focus()


def _epreuve_prompt(item: OpenEpreuve) -> Text:
    when = day_month_time(item.previous_at)
    who = item.candidate + (f" ({item.number})" if item.number else "")
    nxt = t("tui.home.epreuve_next", situation=item.next_situation.upper())
    head = Text.assemble((when, "dim"), " ", (who, "bold"))
    return Text.assemble(head, "\n", (f"{item.exam_title or item.exam_id} · {nxt}", "dim"))


def _interrupted_prompt(item: Interrupted) -> Text:
    when = day_month_time(item.started_at)
    who = item.candidate + (f" ({item.number})" if item.number else "")
    mode = t("tui.home.mode_short.rehearsal") if item.mode == "rehearsal" else ""
    head = Text.assemble((when, "dim"), " ", (who, "bold"), (f" {mode}" if mode else "", "italic"))
    return Text.assemble(head, "\n", (item.exam_title or item.exam_id, "dim"))
