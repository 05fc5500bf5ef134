"""The clock seam: every duration comes from ``monotonic``; ``wall`` only labels events.

The engine never calls ``time`` itself. The kiosk passes ``SystemClock``; tests
pass ``FakeClock`` and move it by hand, so no test sleeps to wait for a timer
(the same idea as Textual's own ``_get_time`` seam).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Two readings: seconds for durations, and the date and time for labels."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin; never goes back, unaffected by NTP or the user."""
        ...

    def wall(self) -> datetime:
        """The local date and time, timezone-aware (labels only, never durations)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> datetime:
        return datetime.now().astimezone()


class FakeClock:
    """A clock that moves only when told: ``advance`` moves both readings, ``jump_wall`` only the wall."""

    def __init__(self, start: float = 1000.0, wall: datetime | None = None) -> None:
        self._mono = start
        self._wall = wall or datetime(2026, 6, 2, 8, 0, 0).astimezone()

    def monotonic(self) -> float:
        return self._mono

    def wall(self) -> datetime:
        return self._wall

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass."""
        if seconds < 0:
            raise ValueError("time does not go back")
        self._mono += seconds
        self._wall += timedelta(seconds=seconds)

    def jump_wall(self, seconds: float) -> None:
        """Someone changed the system time (or NTP did): only the wall reading moves."""
        self._wall += timedelta(seconds=seconds)
