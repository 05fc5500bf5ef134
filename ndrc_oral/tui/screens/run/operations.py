"""The run screen's operations that ask first: pause, end a phase, extend, finish, add a candidate.

Each asks its question in a dialog, then acts on the candidate the question
named (whoever is current when it is answered), through that candidate's
guarded session: a failure to save shows the banner, never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ndrc_oral import formatting
from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.requests import SessionRequest, check_requests, create_session
from ndrc_oral.exam_room.view import candidate_view, phase_label
from ndrc_oral.i18n import t
from ndrc_oral.session.state import Status
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import (
    AddCandidateDialog,
    ButtonsDialog,
    CarryDialog,
    ConfirmDialog,
    ExtendDialog,
    NewCandidate,
    ReasonDialog,
)
from ndrc_oral.tui.screens.privacy import PrivacyScreen

if TYPE_CHECKING:
    from ndrc_oral.tui.screens.run.screen import RunScreen


class Operations:
    """The questions of the run screen and what their answers do."""

    def __init__(self, screen: RunScreen) -> None:
        self._screen = screen

    def whose(self, text: str) -> str:
        """With several candidates, a question says whose session it is about."""
        screen = self._screen
        if len(screen.seats) < 2:
            return text
        return t("tui.run.whose", name=screen.desk.identity.candidate, text=text)

    def pause(self) -> None:
        """The clock stops at the key press; the reason is asked afterwards (Esc: later)."""
        desk = self._screen.desk
        if desk.pause():
            self.ask_pause_reason()

    def ask_pause_reason(self) -> None:
        """The reason of the latest pause (F3 just pressed, or the reason key later)."""
        screen = self._screen
        desk = screen.desk
        latest = desk.state.latest_pause()
        if latest is None:
            return
        _index, pause = latest

        def given(reason: str | None) -> None:
            if reason is not None:
                desk.give_pause_reason(reason)

        since = formatting.clock_time(desk.wall_at(pause.start).isoformat())
        title = self.whose(t("tui.pause.title", at=since))
        later = t("tui.pause.later", key=screen.key_of(bindings.PAUSE_REASON))
        default = pause.reason or t("tui.pause.default")
        screen.app.push_screen(ReasonDialog(title, default, hint=later), given)

    def end_phase(self) -> None:
        screen = self._screen
        desk, run = screen.desk, screen.run
        # A phase past its automatic end ends there first. If that cannot be saved, the
        # banner says so; ending it by hand would stamp it later than it ended.
        ticked = desk.tick()
        index = desk.state.current
        if ticked is None or index is None:
            screen.refresh_clock()
            return
        # The phase ends at the key press, whenever the question is answered: the time
        # left said in the question is the time carried over.
        pressed = desk.now()
        snap = desk.snapshot()
        label = phase_label(run, index)
        if snap.remaining_s < 0.5:  # at or past the planned end: nothing to ask
            desk.end_phase()
            return
        left = formatting.left(snap.remaining_s)
        # A preparation's time is never the oral's: nothing to carry, only to confirm.
        if index + 1 < len(run.phases) and not run.phases[index].preparation:

            def carried(carry: bool | None) -> None:
                if carry is not None:
                    desk.end_phase(carry_over=carry, at=pressed)

            default = run.phases[index].carry_over
            next_label = phase_label(run, index + 1)
            screen.app.push_screen(
                CarryDialog(self.whose(label), left, next_label, default), carried
            )
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                desk.end_phase(at=pressed)

        question = self.whose(t("tui.end_phase.confirm", phase=label, left=left))
        screen.app.push_screen(
            ConfirmDialog(question, t("tui.end_phase.yes"), t("tui.dialog.no")), confirmed
        )

    def extend(self) -> None:
        screen = self._screen
        desk = screen.desk
        state = desk.state
        index = state.current if state.current is not None else state.next_index

        def extended(answer: tuple[float, str] | None) -> None:
            if answer is not None:
                seconds, reason = answer
                desk.extend(seconds, reason)

        label = self.whose(phase_label(screen.run, index))
        screen.app.push_screen(ExtendDialog(label), extended)

    def privacy(self) -> None:
        """The candidate's view (timer and phase only) over the commission's screen."""
        screen = self._screen
        if screen.privacy is not None:
            return
        screen.privacy = PrivacyScreen(candidate_view(screen.desk.snapshot(), screen.run))

        def back(_: None) -> None:
            screen.privacy = None
            screen.refresh_clock()

        screen.app.push_screen(screen.privacy, back)

    def finish(self) -> None:
        screen = self._screen
        desk = screen.desk
        if desk.status in (Status.OVER, Status.FINISHED):
            self.conclude()
            return
        remaining = sum(1 for v in desk.snapshot().phases if v.state in ("pending", "running"))
        pressed = desk.now()  # a running phase stops at the key press, not at the answer

        def answered(answer: str | None) -> None:
            # The result form is for the current candidate: the one the question named.
            if desk != screen.desk:
                return
            if answer == "finish" and desk.finish(at=pressed):
                self.conclude()
            elif answer == "mistake":
                self.cancel()

        question = self.whose(t("tui.finish.confirm", n=remaining))
        answers = [
            (t("tui.finish.yes"), "finish"),
            (t("tui.dialog.no"), "no"),
            (t("tui.finish.mistake"), "mistake"),
        ]
        screen.app.push_screen(ButtonsDialog(question, answers, focus="no"), answered)

    def cancel(self) -> None:
        """The session was started by mistake (wrong exam, misspelt name): cancel it, with
        the reason. It stays on disk and leaves the resumable list."""
        screen = self._screen
        desk = screen.desk

        def reasoned(reason: str | None) -> None:
            if reason is not None and desk.cancel(reason):
                screen.kiosk.session_done(desk, cancelled=True)

        title = self.whose(t("tui.cancel.title", name=desk.identity.candidate))
        screen.app.push_screen(ReasonDialog(title, ""), reasoned)

    def conclude(self) -> None:
        """The result form (live) or the student's summary (rehearsal).

        The screen's clock keeps going underneath: the other candidates' timers,
        bells and heartbeats do not wait for this one's result.
        """
        screen = self._screen
        desk = screen.desk
        if desk.identity.rehearsal:
            from ndrc_oral.tui.screens.summary import SummaryScreen

            if not desk.state.finished and not desk.finish():
                return
            screen.app.push_screen(SummaryScreen(desk))
        else:
            from ndrc_oral.tui.screens.result import ResultScreen

            def back(_: None) -> None:
                screen.refresh_clock()

            screen.app.push_screen(ResultScreen(desk), back)

    def add_candidate(self) -> None:
        """Another candidate on the same subject, up to the exam's maximum."""
        screen = self._screen
        most = screen.exam.max_candidates
        if len(screen.seats) >= most:
            screen.notify(t("tui.run.full", max=most), severity="warning")
            return
        subject = screen.desk.identity.cms
        cms = f" · {subject}" if subject else ""
        title = t("tui.add.title", n=len(screen.seats) + 1, max=most, cms=cms)

        def added(done: bool | None) -> None:
            if done:
                name = screen.desk.identity.candidate
                key = screen.key_of(bindings.SWITCH)
                screen.notify(t("tui.run.added", name=name, key=key), timeout=8)

        screen.app.push_screen(AddCandidateDialog(title, self._add), added)

    def _add(self, new: NewCandidate) -> str | None:
        """Create the new candidate's session with the subject's settings; the problem, if any."""
        screen = self._screen
        identity = screen.desk.identity.companion(
            candidate=new.name,
            number=new.number,
            extra_time=new.extra_time,
            extra_time_reason=new.extra_time_reason,
        )
        request = SessionRequest(screen.exam.id, identity)
        kiosk = screen.kiosk
        others = [SessionRequest(desk.exam.id, desk.identity) for desk in screen.seats.desks]
        checked = check_requests(kiosk.catalog, [*others, request])
        if checked.errors:
            return checked.errors[0]
        try:
            live = create_session(kiosk.store, screen.exam, kiosk.clock, request)
        except NdrcError as exc:
            return str(exc)
        screen.add_live(live)
        return None
