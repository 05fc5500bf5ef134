"""What the run screen paints: the top line, the timer, the phases, the strip of candidates.

The values come from ``exam_room.view`` (plain functions of a snapshot); the
widgets skip what did not change. The candidate's view (F6) is painted from
the same snapshot, timing data only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from ndrc_oral.exam_room.clock_loop import Alert, AlertKind
from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.exam_room.view import (
    candidate_row,
    candidate_view,
    milestone_text,
    over_cap,
    phase_label,
    phase_rows,
    speaker_text,
    status_text,
    timer_view,
    tone_marker,
    total_line,
)
from ndrc_oral.i18n import language, t
from ndrc_oral.session.state import Snapshot, Status
from ndrc_oral.tui import bindings
from ndrc_oral.tui.widgets.candidates import CandidateStrip
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

if TYPE_CHECKING:
    from ndrc_oral.tui.screens.run.screen import RunScreen


class Painter:
    """Paints the run screen from snapshots."""

    def __init__(self, screen: RunScreen) -> None:
        self._screen = screen
        self._last_status: Status | None = None
        self._milestone_key: str | None = None
        """The milestone's key as shown (looked up once: a repaint comes every second)."""
        self._strip_keys: tuple[str, str] | None = None
        """The switch and add keys as the strip's hint names them (looked up once too)."""

    def top_text(self) -> str:
        """Live or rehearsal · who · commission · extra time · CMS · exam."""
        screen = self._screen
        desk = screen.desk
        identity = desk.identity
        name, number = identity.candidate, identity.number
        parts = [t("tui.run.rehearsal") if identity.rehearsal else t("tui.run.live")]
        who = t("tui.run.candidate", name=name, number=number) if number else name
        if len(screen.seats) > 1:
            position = t("tui.run.position", n=screen.seats.current + 1, count=len(screen.seats))
            who = f"{position} {who}"
        parts.append(who)
        if identity.commission:
            parts.append(t("tui.run.commission", n=identity.commission))
        extra = identity.extra_time
        if extra:
            parts.append(
                t("tui.run.tiers_temps") if extra == "1/3" else t("tui.run.extra", f=extra)
            )
        if identity.cms:
            parts.append(identity.cms)
        if screen.day is not None:  # before the exam's long title, which the width may cut
            upcoming = screen.day.next_after(desk.session_id)
            if upcoming is not None:
                at = upcoming.convoked().strftime("%H:%M")
                parts.append(t("tui.run.next", name=upcoming.name, at=at))
        parts.append(desk.exam.title.get(language()))
        return " · ".join(parts)

    def candidate_changed(self) -> None:
        """Another candidate is current: the top line, and the footer at the next paint."""
        self._screen.query_one("#run-top", Static).update(self.top_text())
        self._last_status = None

    def paint(self, snap: Snapshot, paused_for: float) -> None:
        """The current candidate's timer and phases (and the candidate's view, if shown)."""
        screen = self._screen
        run, state = screen.run, screen.desk.state
        if snap.status is not self._last_status:
            self._last_status = snap.status
            screen.refresh_bindings()
        if screen.privacy is not None:
            # The candidate's view covers this screen: nothing of it is seen, so its
            # widgets (the digits, the phases) are not painted meanwhile; coming
            # back repaints everything (``refresh_clock``).
            screen.privacy.show(candidate_view(snap, run))
            return
        timer = timer_view(snap)
        index = snap.phase_index
        warnings = run.phases[index].warnings_s if index is not None else []
        screen.query_one(TimerPanel).show(
            timer,
            phase_label(run, index),
            speaker_text(run, index),
            self._status(snap, paused_for),
            tone_marker(timer.tone, snap.remaining_s, warnings),
        )
        cap = screen.run.cap_s
        screen.query_one(PhaseList).show(
            phase_rows(snap, state), total_line(snap, cap), over_cap=over_cap(snap, cap)
        )

    def _status(self, snap: Snapshot, paused_for: float) -> str:
        """The status line; a phase with a milestone says its key, then when it was marked."""
        screen = self._screen
        # A running phase's status names no key: the key list (a walk of every
        # binding) is only built when a status shows one.
        keys = {} if snap.status is Status.RUNNING else self.keys()
        status = status_text(snap, screen.run, keys, paused_for=paused_for)
        state = screen.desk.state
        if state.current is None or not state.run.phases[state.current].milestones:
            return status
        if self._milestone_key is None:
            self._milestone_key = screen.key_of(bindings.MILESTONE)
        marked = milestone_text(state, self._milestone_key)
        return f"{status} · {marked}" if marked else status

    def paint_strip(self) -> None:
        """Every candidate's timer in the strip (several candidates at once)."""
        screen = self._screen
        if screen.privacy is not None:
            return  # covered by the candidate's view (see ``paint``); painted on coming back
        seats = screen.seats
        rows = []
        for i, seat in enumerate(seats):
            assert seat.snap is not None  # read at each repaint, before painting
            rows.append(candidate_row(seat.snap, seat.desk.state, i + 1, i == seats.current))
        screen.query_one(CandidateStrip).show(rows, self.strip_hint())

    def strip_hint(self) -> str:
        screen = self._screen
        count, most = len(screen.seats), screen.exam.max_candidates
        # The keys' names are looked up once: a walk of every binding, each second, cost
        # more than painting the strip itself.
        if self._strip_keys is None:
            self._strip_keys = (
                screen.key_of(bindings.SWITCH),
                screen.key_of(bindings.ADD_CANDIDATE),
            )
        switch, add = self._strip_keys
        if count < most and count > 1:
            return t("tui.strip.both_hint", switch=switch, add=add, n=count, max=most)
        if count < most:
            return t("tui.strip.add_hint", key=add, n=count, max=most)
        return t("tui.strip.switch_hint", key=switch) if count > 1 else ""

    def keys(self) -> dict[str, str]:
        """The keys the status line mentions, as the footer shows them (not kept: the
        first paint comes before the footer's key names are settled)."""
        screen = self._screen
        return {
            "start": screen.key_of(bindings.START),
            "resume": screen.key_of(bindings.RESUME),
            "reason": screen.key_of(bindings.PAUSE_REASON),
            "finish": screen.key_of(bindings.FINISH),
        }


def alert_message(alert: Alert, desk: GuardedSession) -> str:
    """What the bell is for, said of a candidate who is not on screen."""
    snap, name = alert.snapshot, desk.identity.candidate
    if alert.kind is AlertKind.AUTO_END:
        ended = [v for v in snap.phases if v.state == "done"]
        phase = phase_label(desk.run, snap.phases.index(ended[-1])) if ended else ""
        return t("tui.run.other_auto_end", name=name, phase=phase)
    if alert.kind is AlertKind.END:
        return t("tui.run.other_end", name=name, phase=phase_label(desk.run, snap.phase_index))
    return t("tui.run.other_warning", name=name, left=timer_view(snap).text)


def paused_for(desk: GuardedSession) -> float:
    """How long the current pause has lasted (0 when not paused)."""
    state = desk.state
    if not state.is_paused or state.current is None:
        return 0.0
    return desk.now() - state.phases[state.current].pauses[-1].start
