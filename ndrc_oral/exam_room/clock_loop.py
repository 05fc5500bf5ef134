"""The run screen's clock and bell, as a pure state machine. No Textual, no clock of its own.

At each repaint the screen reads every candidate (``Reading``: their snapshot,
how long they have been paused, whether a phase just ended by itself) and asks
``ClockLoop.step`` what to do. The answer (``Plan``) says which candidates'
shown values changed (repaint), whether to ring the bell and for whom
(``alerts``), whose heartbeat to send, and when to wake next: the first moment
a shown value changes by itself, or the next heartbeat of a live phase.
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


class AlertKind(StrEnum):
    AUTO_END = "auto-end"
    """A phase ended by itself."""
    END = "end"
    """The planned end of a phase that counts overtime."""
    WARNING = "warning"
    """A warning threshold before the end."""


@dataclass(frozen=True, slots=True)
class Alert:
    """A candidate reached a moment the bell is for."""

    key: Hashable
    kind: AlertKind
    snapshot: Snapshot


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


@dataclass(slots=True)
class _Bell:
    """What a candidate's bell last saw: its phase, the thresholds passed, the end passed."""

    phase: int | None
    warning: int
    ended: bool


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
        for reading in readings:
            face = _face(reading)
            if self._faces.get(reading.key) != face:
                self._faces[reading.key] = face
                repaint.add(reading.key)
            kind = self._crossed(reading)
            if kind is not None:
                alerts.append(Alert(reading.key, kind, reading.snapshot))
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
        )

    def forget(self, key: Hashable) -> None:
        """A candidate left the screen."""
        self._bells.pop(key, None)
        self._faces.pop(key, None)

    def _crossed(self, reading: Reading) -> AlertKind | None:
        """Whether a threshold or the planned end was passed since the last reading."""
        snap = reading.snapshot
        phase = snap.phase_index if snap.status in LIVE else None
        ended = snap.status is Status.RUNNING and snap.remaining_s <= 0
        bell = self._bells.get(reading.key)
        if reading.auto_ended:
            # The phase ended by itself: ring, and what is shown now is the new baseline.
            self._bells[reading.key] = _Bell(phase, snap.warning, ended)
            return AlertKind.AUTO_END
        if bell is None or bell.phase != phase:
            # A new candidate, another phase (or none): the baseline, no bell.
            self._bells[reading.key] = _Bell(phase, snap.warning, ended)
            return None
        crossed = snap.warning > bell.warning or (ended and not bell.ended)
        bell.warning = snap.warning  # an extension lowers it: the bell can ring again
        bell.ended = ended
        if not crossed or snap.status is not Status.RUNNING:
            return None
        return AlertKind.END if snap.remaining_s <= 0 else AlertKind.WARNING
