"""Plays each alert at its moment from a thread of its own, and each one once.

The run screen's clock loop says which alert each running candidate has next
and in how long (``ClockLoop`` ``Plan.upcoming``); the screen ``arm``s the
alarm with them after every reading, which voids the earlier schedule (a
pause, an extension, an ended phase change what is due). The thread wakes at
the first moment due and runs its action there, even when the screen's own
repaint is late (a busy event loop, a collection). When a reading finds an
alert crossed that the alarm has not played (it was never scheduled: the
kiosk was behind), the screen calls ``fire``: an id is played once however it
comes. ``run_due`` is the thread's step, callable by hand on a FakeClock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from ndrc_oral.session.clock import Clock

Action = Callable[[], None]


@dataclass(frozen=True, slots=True)
class Scheduled:
    """An alert to play at the monotonic time ``at``."""

    id: Hashable
    at: float
    action: Action


class Alarm:
    """The alerts due, and those already played."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._pending: list[Scheduled] = []
        self._fired: set[Hashable] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Run the thread (the kiosk; tests may call ``run_due`` instead)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ndrc-alarm", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def arm(self, schedule: Sequence[Scheduled]) -> bool:
        """These alerts are due (and no other): the earlier schedule is void.

        False when it is the schedule already armed: the screen arms it again at every
        reading, and the thread is not woken each second to find the same moments.
        """
        pending = sorted((s for s in schedule if s.id not in self._fired), key=lambda s: s.at)
        with self._lock:
            if _same_moments(self._pending, pending):
                return False
            self._pending = pending
        self._wake.set()
        return True

    def fire(self, id: Hashable, action: Action) -> bool:
        """Play ``id`` now unless it was played; whether it was played now."""
        with self._lock:
            if id in self._fired:
                return False
            self._fired.add(id)
            self._pending = [s for s in self._pending if s.id != id]
        action()
        return True

    def played(self, id: Hashable) -> bool:
        with self._lock:
            return id in self._fired

    def due_in(self) -> float | None:
        """Seconds until the next alert is due; ``None``: nothing scheduled."""
        with self._lock:
            if not self._pending:
                return None
            return max(0.0, self._pending[0].at - self._clock.monotonic())

    def run_due(self) -> int:
        """Play every alert due now; how many."""
        now = self._clock.monotonic()
        with self._lock:
            due = [s for s in self._pending if s.at <= now]
        return sum(self.fire(s.id, s.action) for s in due)

    def _run(self) -> None:
        while not self._stopped:
            self._wake.clear()  # before reading the schedule: an ``arm`` after this wakes us
            delay = self.due_in()
            if delay is None or delay > 0:
                # Woken early by ``arm`` (a new schedule) or ``stop``; else at the moment due.
                self._wake.wait(delay)
                continue
            try:
                self.run_due()
            except Exception:  # an action that fails must not silence the next alerts
                continue


SAME_S = 0.01
"""Two readings of a running timer agree to the millisecond rounding of session time."""


def _same_moments(old: Sequence[Scheduled], new: Sequence[Scheduled]) -> bool:
    """Whether ``new`` plays the same alerts as ``old`` at the same moments."""
    return len(old) == len(new) and all(
        a.id == b.id and abs(a.at - b.at) <= SAME_S for a, b in zip(old, new, strict=True)
    )
