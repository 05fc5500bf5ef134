"""The save guard: the only door through which a screen changes a session. No Textual here.

A screen never holds a ``Session``: ``SaveGuard.open(live)`` gives it a
``GuardedSession``, which reads freely (identity, state, snapshot) and whose
every operation runs inside the guard. The guard catches what the engine and
the disk raise and tells its ``SaveHost`` (the screen) what to show:

* saved: the operation's event is on disk (``on_saved``);
* not saved: the disk refused it; the failure is kept until saving works again
  or the sessions move elsewhere (``on_save_failed``, once per distinct failure;
  ``on_recovered`` when a later save works);
* refused: the engine said the operation makes no sense now (``on_refused``).

Nothing raises out of an operation, so a failing disk shows the banner and
keeps what was typed, never a traceback. ``tests/exam_room/test_guard.py``
drives it with a failing sink and a recording host.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from ndrc_oral.exams.models import Exam, Run
from ndrc_oral.i18n import language, t
from ndrc_oral.session.engine import SessionError
from ndrc_oral.session.events import Event
from ndrc_oral.session.identity import Member, SessionIdentity
from ndrc_oral.session.state import SessionState, Snapshot, Status
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.transcript.writer import SaveError


class SaveHost(Protocol):
    """What shows the guard's outcomes (a screen with a save banner)."""

    def on_saved(self, what: str, at: datetime) -> None:
        """``what`` was saved at the wall time ``at``."""

    def on_save_failed(self, failure: str, what: str) -> None:
        """A new failure to save (``failure``: the banner's text; ``what``: what was lost)."""

    def on_recovered(self) -> None:
        """Saving works again after a failure."""

    def on_refused(self, message: str) -> None:
        """The engine refused the operation (nothing to save)."""

    def on_operation_done(self) -> None:
        """After every operation, whatever its outcome (a repaint)."""


class SaveGuard:
    """Runs engine operations for one host; remembers the failure it showed."""

    def __init__(self, host: SaveHost) -> None:
        self._host = host
        self.failure: str | None = None
        """The failure on screen, until saving works again or the sessions move."""

    def open(self, live: LiveSession) -> GuardedSession:
        """The session as this guard's host may use it."""
        return GuardedSession(live, self)

    def run(self, live: LiveSession, what: str, operation: Callable[[], object]) -> bool:
        """Run ``operation`` (an engine call on ``live``); True once its event is saved."""
        try:
            operation()
        except SaveError as exc:
            self._failed(what, exc)
            return self._done(False)
        except SessionError as exc:
            self._host.on_refused(str(exc))
            return self._done(False)
        self._working()
        self._host.on_saved(what, live.session.clock.wall())
        return self._done(True)

    def tick(self, live: LiveSession) -> list[Event] | None:
        """What time alone causes (a phase that ends by itself): the events saved, or
        ``None`` when they could not be (the phase then goes on past its end).

        Called at each repaint: a failure already shown is not shown again.
        """
        try:
            events = live.session.tick()
        except SaveError as exc:
            self._failed(t("tui.save.what.timing"), exc)
            return None
        if events:
            self._working()
        return events

    def resolved(self) -> None:
        """The sessions moved to a directory that works: the failure is over."""
        self.failure = None

    def _failed(self, what: str, exc: SaveError) -> None:
        failure = t("tui.save.failed", what=what, detail=str(exc))
        if failure == self.failure:
            return  # already on screen (an automatic end retried at each repaint): no new bell
        self.failure = failure
        self._host.on_save_failed(failure, what)

    def _working(self) -> None:
        if self.failure is not None:  # saving works again (space was freed, the disk is back)
            self.failure = None
            self._host.on_recovered()

    def _done(self, saved: bool) -> bool:
        self._host.on_operation_done()
        return saved


class GuardedSession:
    """A live session seen through a save guard: reads, and operations that never raise.

    Each operation returns True once its event is saved. Two of these are equal
    when they show the same session (a result screen re-opens the run screen's
    one through its own guard: ``through``).
    """

    def __init__(self, live: LiveSession, guard: SaveGuard) -> None:
        self._live = live
        self._guard = guard

    def through(self, guard: SaveGuard) -> GuardedSession:
        """The same session, its outcomes shown by another guard's host."""
        return GuardedSession(self._live, guard)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GuardedSession) and other._live is self._live

    def __hash__(self) -> int:
        return id(self._live)

    # --- reading -----------------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        return self._live.session_id

    @property
    def path(self) -> Path:
        """The transcript file (it changes when the session moves)."""
        return self._live.path

    @property
    def exam(self) -> Exam:
        return self._live.session.exam

    @property
    def run(self) -> Run:
        """What the session runs: the exam's phases, or its situation's (CCF)."""
        return self._live.session.run

    @property
    def identity(self) -> SessionIdentity:
        return self._live.session.identity

    @property
    def state(self) -> SessionState:
        """The folded log (read it; only the operations below change it)."""
        return self._live.session.state

    @property
    def status(self) -> Status:
        return self._live.session.status

    @property
    def started_at(self) -> str:
        """Wall time (ISO 8601) of the ``created`` event."""
        return self._live.session.events[0].at

    def snapshot(self) -> Snapshot:
        return self._live.session.snapshot()

    def now(self) -> float:
        """Session time in seconds."""
        return self._live.session.now()

    def wall(self) -> datetime:
        """The room's wall time, from the session's clock."""
        return self._live.session.clock.wall()

    def wall_at(self, session_t: float) -> datetime:
        """The room's wall time at an earlier session time (when a pause started)."""
        return self.wall() - timedelta(seconds=max(0.0, self.now() - session_t))

    # --- operations: True once saved --------------------------------------------------------------

    def start(self) -> bool:
        return self._run("tui.save.what.start", self._live.session.start)

    def pause(self, reason: str = "") -> bool:
        return self._run("tui.save.what.pause", lambda: self._live.session.pause(reason))

    def give_pause_reason(self, reason: str) -> bool:
        """The reason of the latest pause, asked once the clock has stopped."""
        return self._run(
            "tui.save.what.pause_reason", lambda: self._live.session.give_pause_reason(reason)
        )

    def resume(self) -> bool:
        return self._run("tui.save.what.resume", self._live.session.resume)

    def end_phase(self, carry_over: bool | None = None, *, at: float | None = None) -> bool:
        """End the phase now, or at the session time ``at`` of the key press that asked."""
        return self._run(
            "tui.save.what.end_phase", lambda: self._live.session.end_phase(carry_over, at=at)
        )

    def extend(self, seconds: float, reason: str) -> bool:
        return self._run("tui.save.what.extend", lambda: self._live.session.extend(seconds, reason))

    def note(self, text: str, criterion: str | None = None) -> bool:
        return self._run("tui.save.what.note", lambda: self._live.session.note(text, criterion))

    def rate(self, criterion: str, level: str | None) -> bool:
        found = self.exam.criterion(criterion)
        label = found.label.get(language()) if found else criterion
        what = t("tui.save.what.rating", level=level or "—", criterion=_short(label))
        return self._guard.run(self._live, what, lambda: self._live.session.rate(criterion, level))

    def set_result(
        self,
        *,
        mark: float | None = None,
        outcome: str | None = None,
        reserved: bool = False,
        nv_reason: str | None = None,
        situation_done: bool = False,
        fields: Mapping[str, str | Sequence[str]] | None = None,
        members: Sequence[Member | str] = (),
    ) -> bool:
        """The commission's result (``Session.set_result``), then the end of the session if
        it was still open."""

        def record() -> None:
            session = self._live.session
            session.set_result(
                mark=mark,
                outcome=outcome,
                reserved=reserved,
                nv_reason=nv_reason,
                situation_done=situation_done,
                fields=fields,
                members=members,
            )
            if not session.state.finished:
                session.finish()

        return self._run("tui.save.what.result", record)

    def settle_reservation(self, decision: str, reason: str | None = None) -> bool:
        """A reserved mark after its check: released, or NV with its reason."""
        return self._run(
            "tui.save.what.settlement",
            lambda: self._live.session.settle_reservation(decision, reason),
        )

    def cancel(self, reason: str) -> bool:
        """The session was started by mistake: cancelled, with the reason (nothing follows)."""
        return self._run("tui.save.what.cancel", lambda: self._live.session.cancel(reason))

    def milestone(self, milestone_id: str) -> bool:
        """Mark a moment of the running phase (the entretien starts)."""
        found = self._live.session.running_milestone(milestone_id)
        label = found.label.get(language()) if found is not None else milestone_id
        what = t("tui.save.what.milestone", label=label)
        return self._guard.run(self._live, what, lambda: self._live.session.milestone(milestone_id))

    def finish(self, *, at: float | None = None) -> bool:
        """Close the session now, or at the session time ``at`` of the key press that asked."""
        return self._run("tui.save.what.finish", lambda: self._live.session.finish(at=at))

    def tick(self) -> list[Event] | None:
        """A phase that ends by itself: the events saved (``None``: they could not be)."""
        return self._guard.tick(self._live)

    # --- the transcript ---------------------------------------------------------------------------

    def heartbeat(self) -> None:
        """The session is alive (best effort: never raises)."""
        self._live.heartbeat()

    def redirect(self, directory: Path) -> Path:
        """Go on in another directory (``SaveError`` when it cannot be written either)."""
        return self._live.redirect(directory)

    def close(self) -> None:
        """Release the file; an unfinished session stays resumable."""
        self._live.close()

    def _run(self, what_key: str, operation: Callable[[], object]) -> bool:
        return self._guard.run(self._live, t(what_key), operation)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
