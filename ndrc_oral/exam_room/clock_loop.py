"""The run screen's clock and bell, as a pure state machine. No Textual, no clock of its own.

At each repaint the screen reads every candidate (``Reading``: their snapshot,
how long they have been paused, whether a phase just ended by itself) and asks
``ClockLoop.step`` what to do. The answer (``Plan``) says which candidates'
shown values changed (repaint), whether to ring the bell and for whom
(``alerts``), whose heartbeat to send, and when to wake next: the first moment
a shown value changes by itself, or the next heartbeat of a live phase. It
also says which alert is due next for each running candidate and in how long
(``upcoming``), so that the screen can have it played at that moment by a
timer of its own (``alerts.alarm``) rather than at the next repaint, which may
be late. Each alert has an id (``CueId``): the one played ahead and the one the
next reading finds crossed are the same, so it is played once.
Nothing runs in between; a wake only means "read again", never "a second
passed" (``tests/exam_room/test_clock_loop.py`` drives it on a FakeClock).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ndrc_oral.exam_room.view import next_change_in, timer_view
from ndrc_oral.session.state import Snapshot, Status

HEARTBEAT_S = 1.0
"""How often a live session tells the store it is alive (a crash loses at most this)."""

LATE_S = 0.005
"""Wake this long after a boundary, so the new value is certainly there."""

LIVE = (Status.RUNNING, Status.PAUSED)


@dataclass(frozen=True, slots=True)
class Reading:
    """One candidate at one repaint."""

    key: Hashable
    """Who (stable while they are on screen)."""
    snapshot: Snapshot
    paused_for: float = 0.0
    """How long the current pause has lasted (0 when not paused)."""
    auto_ended: bool = False
    """A phase ended by itself since the last reading (its event was saved)."""
    warnings_s: tuple[int, ...] = ()
    """The current phase's warning thresholds, in seconds left (for ``upcoming``)."""


class AlertKind(StrEnum):
    AUTO_END = "auto-end"
    """A phase ended by itself."""
    END = "end"
    """The planned end of a phase that counts overtime."""
    WARNING = "warning"
    """A warning threshold before the end."""


@dataclass(frozen=True, slots=True)
class CueId:
    """One alert of one candidate: the same whether it is played ahead or found crossed."""

    key: Hashable
    phase: int | None
    epoch: int
    """Grows when the thresholds passed go down (an extension): they may ring again."""
    step: int
    """The k-th warning threshold of the phase (1, 2...); its planned end is ``warnings + 1``."""


@dataclass(frozen=True, slots=True)
class Alert:
    """A candidate reached a moment the bell is for."""

    key: Hashable
    kind: AlertKind
    snapshot: Snapshot
    cue: CueId


@dataclass(frozen=True, slots=True)
class Upcoming:
    """The next alert of a running candidate, if nothing changes before it."""

    cue: CueId
    kind: AlertKind
    in_s: float
    """Seconds from the reading until it is due."""


@dataclass(frozen=True, slots=True)
class Plan:
    """What the screen does after a reading."""

    repaint: frozenset[Hashable]
    """The candidates whose shown values changed (or who are new)."""
    ring: bool
    alerts: tuple[Alert, ...]
    beat: tuple[Hashable, ...]
    """The candidates whose heartbeat to send (their phase is live)."""
    wake_in: float | None
    """Seconds until the next reading; ``None``: nothing moves by itself."""
    upcoming: tuple[Upcoming, ...] = ()
    """The next alert of each running candidate (an earlier plan's are void)."""


@dataclass(slots=True)
class _Bell:
    """What a candidate's bell last saw: its phase, the thresholds passed, the end passed."""

    phase: int | None
    warning: int
    ended: bool
    epoch: int = 0
    steps: int = 0
    """The phase's planned end is step ``steps`` (its thresholds + 1)."""


@dataclass(frozen=True, slots=True)
class _Face:
    """Everything time changes on a candidate's screen, to the shown second."""

    status: Status
    phase: int | None
    timer: str
    tone: str
    elapsed: int
    total: int
    paused: int
    phases: tuple[tuple[str, int], ...] = field(default=())


def _face(reading: Reading) -> _Face:
    snap = reading.snapshot
    view = timer_view(snap)
    return _Face(
        status=snap.status,
        phase=snap.phase_index,
        timer=view.text,
        tone=view.tone,
        elapsed=math.floor(snap.elapsed_s + 1e-9),
        total=math.floor(snap.total_elapsed_s + 1e-9),
        paused=math.floor(reading.paused_for + 1e-9),
        phases=tuple((p.state, math.floor(p.elapsed_s + 1e-9)) for p in snap.phases),
    )


class ClockLoop:
    """The bells and the last shown values of the candidates on one screen."""

    def __init__(self) -> None:
        self._bells: dict[Hashable, _Bell] = {}
        self._faces: dict[Hashable, _Face] = {}

    def step(self, readings: Sequence[Reading]) -> Plan:
        """What to repaint, ring, beat, and when to wake, after these readings."""
        repaint: set[Hashable] = set()
        alerts: list[Alert] = []
        delays: list[float] = []
        beat: list[Hashable] = []
        upcoming: list[Upcoming] = []
        for reading in readings:
            face = _face(reading)
            if self._faces.get(reading.key) != face:
                self._faces[reading.key] = face
                repaint.add(reading.key)
            alert = self._crossed(reading)
            if alert is not None:
                alerts.append(alert)
            ahead = self._upcoming(reading)
            if ahead is not None:
                upcoming.append(ahead)
            snap = reading.snapshot
            delay = next_change_in(snap)
            if delay is not None:
                delays.append(delay)
            if snap.status in LIVE:
                delays.append(HEARTBEAT_S)
                beat.append(reading.key)
        return Plan(
            repaint=frozenset(repaint),
            ring=bool(alerts),
            alerts=tuple(alerts),
            beat=tuple(beat),
            wake_in=min(delays) + LATE_S if delays else None,
            upcoming=tuple(upcoming),
        )

    def forget(self, key: Hashable) -> None:
        """A candidate left the screen."""
        self._bells.pop(key, None)
        self._faces.pop(key, None)

    def _crossed(self, reading: Reading) -> Alert | None:
        """Whether a threshold or the planned end was passed since the last reading."""
        snap = reading.snapshot
        phase = snap.phase_index if snap.status in LIVE else None
        ended = snap.status is Status.RUNNING and snap.remaining_s <= 0
        bell = self._bells.get(reading.key)
        steps = len(reading.warnings_s) + 1
        if reading.auto_ended:
            # The phase ended by itself: ring, and what is shown now is the new baseline.
            # Its id is the end of the phase that ended (the one the bell last saw).
            epoch = bell.epoch if bell is not None else 0
            was = bell.phase if bell is not None else None
            cue = CueId(reading.key, was, epoch, bell.steps if bell is not None else 0)
            self._bells[reading.key] = _Bell(phase, snap.warning, ended, epoch + 1, steps)
            return Alert(reading.key, AlertKind.AUTO_END, snap, cue)
        if bell is None or bell.phase != phase:
            # A new candidate, another phase (or none): the baseline, no bell.
            epoch = bell.epoch + 1 if bell is not None else 0
            self._bells[reading.key] = _Bell(phase, snap.warning, ended, epoch, steps)
            return None
        crossed = snap.warning > bell.warning or (ended and not bell.ended)
        if snap.warning < bell.warning or (bell.ended and not ended):
            bell.epoch += 1  # an extension lowers it: the bell can ring again
        bell.warning = snap.warning
        bell.ended = ended
        if not crossed or snap.status is not Status.RUNNING:
            return None
        if snap.remaining_s <= 0:
            cue = CueId(reading.key, phase, bell.epoch, steps)
            return Alert(reading.key, AlertKind.END, snap, cue)
        cue = CueId(reading.key, phase, bell.epoch, snap.warning)
        return Alert(reading.key, AlertKind.WARNING, snap, cue)

    def _upcoming(self, reading: Reading) -> Upcoming | None:
        """The next threshold (or the planned end) of a running phase, and when it is due."""
        snap = reading.snapshot
        bell = self._bells.get(reading.key)
        if snap.status is not Status.RUNNING or bell is None or snap.remaining_s <= 0:
            return None
        ahead = sorted((w for w in reading.warnings_s if w < snap.remaining_s), reverse=True)
        if ahead:
            step = len(reading.warnings_s) - len(ahead) + 1
            cue = CueId(reading.key, snap.phase_index, bell.epoch, step)
            return Upcoming(cue, AlertKind.WARNING, snap.remaining_s - ahead[0])
        cue = CueId(reading.key, snap.phase_index, bell.epoch, len(reading.warnings_s) + 1)
        return Upcoming(cue, AlertKind.END, snap.remaining_s)
