"""The kiosk's side of the candidate's display: one record per open session, kept fresh.

The run screen hands ``show`` each candidate's snapshot at every reading, and
``cue`` each alert; the app calls ``beat`` once a second, so a record is
rewritten at every change and at least every second while its session is
open (between phases too, when the screen has nothing to repaint). During a
live phase the screen reads every second and ``show`` writes the beat: the
app's own call then sleeps (``KioskApp.screen_beats``), one wake-up a second
fewer. Closing a
session removes its record. Readers in other threads (the web page's server)
use ``latest`` and ``wait``. No Textual here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from ndrc_oral.display.channel import Channel
from ndrc_oral.display.record import DisplayRecord, record_of
from ndrc_oral.exams.models import Run
from ndrc_oral.session.clock import Clock
from ndrc_oral.session.state import Snapshot

BEAT_S = 1.0
"""A record is rewritten at least this often while its session is open."""

EARLY_S = 0.05
"""A beat due this soon is written now: readings a second apart (the screen's, or the
app's) write one each, though the clock says 0.999 s."""


@dataclass(slots=True)
class _Entry:
    record: DisplayRecord
    written: float
    """When it was last written (monotonic)."""


class Publisher:
    """The records of the sessions open on this kiosk."""

    def __init__(self, channel: Channel | None, clock: Clock) -> None:
        self._channel = channel
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._changed = threading.Condition(threading.RLock())
        self._version = 0

    def show(self, session_id: str, snap: Snapshot, run: Run) -> None:
        """A session's timer as just read; written when it differs from the last one, or the beat is due."""
        now = self._clock.monotonic()
        entry = self._entries.get(session_id)
        beat = entry.record.beat + 1 if entry else 0
        cue, cue_mono = (entry.record.cue, entry.record.cue_mono) if entry else (0, None)
        record = record_of(session_id, snap, run, now, beat=beat, cue=cue, cue_mono=cue_mono)
        fresh = entry is not None and now - entry.written < BEAT_S - EARLY_S
        if entry is not None and fresh and _same(entry.record, record, now):
            return
        self._publish(record, now)

    def cue(self, session_id: str) -> None:
        """An alert for this session (a threshold, a planned end): its display flashes."""
        entry = self._entries.get(session_id)
        if entry is None:
            return
        now = self._clock.monotonic()
        old = entry.record.live_at(now)
        self._publish(replace(old, beat=old.beat + 1, cue=old.cue + 1, cue_mono=now), now)

    def beat(self) -> None:
        """Rewrite every record not written for a second (its time read again)."""
        now = self._clock.monotonic()
        for entry in list(self._entries.values()):
            if now - entry.written >= BEAT_S - EARLY_S:
                old = entry.record.live_at(now)
                self._publish(replace(old, beat=old.beat + 1), now)

    def sessions(self) -> frozenset[str]:
        """The sessions whose records are kept fresh."""
        return frozenset(self._entries)

    def close(self, session_id: str) -> None:
        """The session left this kiosk: its record goes."""
        if self._entries.pop(session_id, None) is not None and self._channel is not None:
            self._channel.remove(session_id)
        self._notify()

    def close_all(self) -> None:
        for session_id in list(self._entries):
            self.close(session_id)

    # --- readers in other threads -------------------------------------------------------

    def latest(self) -> DisplayRecord | None:
        """The newest open session's record (what the web page shows)."""
        with self._changed:
            entries = sorted(self._entries.items())
            return entries[-1][1].record if entries else None

    @property
    def version(self) -> int:
        """Grows at every write."""
        return self._version

    def wait(self, version: int, timeout: float) -> int:
        """Block until a write after ``version`` (or ``timeout``); the version then."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != version, timeout)
            return self._version

    def wake(self) -> None:
        """Wake every ``wait`` now (a server that stops)."""
        self._notify()

    # --- ------------------------------------------------------------------------------

    def _publish(self, record: DisplayRecord, now: float) -> None:
        # Under the lock: the alarm's thread and the screen's never write out of order.
        with self._changed:
            self._entries[record.session] = _Entry(record, now)
            if self._channel is not None:
                self._channel.write(record)
        self._notify()

    def _notify(self) -> None:
        with self._changed:
            self._version += 1
            self._changed.notify_all()


def _same(old: DisplayRecord, new: DisplayRecord, now: float) -> bool:
    """Whether ``new`` says nothing ``old`` does not already say at ``now``."""
    a, b = old.live_at(now), new.live_at(now)
    if a.remaining_s is not None and b.remaining_s is not None:
        # A running timer read twice agrees to the millisecond rounding of session time.
        if abs(a.remaining_s - b.remaining_s) > 0.01:
            return False
    elif a.remaining_s != b.remaining_s:
        return False
    return replace(a, remaining_s=None, beat=0) == replace(b, remaining_s=None, beat=0)
