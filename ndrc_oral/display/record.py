"""The record the candidate's display reads: timing only, by construction.

``DisplayRecord`` holds the phase's label, who speaks, the status, the time
left at a ``time.monotonic()`` reading, the phase's warning thresholds, and
two counters (the kiosk's heartbeat, the alerts so far). There is no field
for a name, a number, a criterion, a rating, a note or even a pause's reason
(``tests/display/test_record.py`` pins the field list).

``face(record, now)`` is what a display paints at its own monotonic reading
``now``: CLOCK_MONOTONIC is system-wide, so a follower counts down by itself
between records, and changes colour at each threshold on its own.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from ndrc_oral.exam_room.view import phase_label, speaker_text, tone_marker
from ndrc_oral.exams.models import Run
from ndrc_oral.formatting import countdown, hms
from ndrc_oral.session.state import Snapshot, Status
from ndrc_oral.session.tones import IDLE, OVER, PAUSED, warning_tone

FORMAT = "ndrc-oral/display/1"

LOST_AFTER_S = 2.0
"""No heartbeat for this long (they come every second): the display says the link is lost.

With a reading every half second at most, "connexion perdue" shows within 2.5 s."""

FLASH_S = 1.5
"""How long the timer flashes after an alert (at least a second, as asked)."""


@dataclass(frozen=True, slots=True)
class DisplayRecord:
    """One live session's timer, as the candidate may see it. Nothing else exists here."""

    session: str
    """The session id (date, time and a random suffix: never derived from a name)."""
    status: str
    """``ready``, ``running``, ``paused``, ``between``, ``over`` or ``finished``."""
    phase: str
    """The phase's label (the exam definition's, in the kiosk's language)."""
    speaker: str
    """Who speaks during the phase, in words."""
    remaining_s: float | None
    """Seconds left at ``mono`` (negative: overtime); ``None`` when no phase is current."""
    mono: float
    """The kiosk's ``time.monotonic()`` when ``remaining_s`` was read."""
    warnings_s: tuple[int, ...]
    """The current phase's thresholds, in seconds left (the colour changes at each)."""
    beat: int
    """Incremented at every write: the kiosk is alive."""
    cue: int
    """How many alerts (thresholds, planned ends) so far: a new one flashes the timer."""
    cue_mono: float | None
    """When the last alert came (``None``: none yet)."""
    format: str = FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    def live_at(self, now: float) -> DisplayRecord:
        """The same record, its time left read at ``now`` (what the web page receives)."""
        return replace(self, remaining_s=remaining_at(self, now), mono=now)


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(DisplayRecord))


def parse_record(text: str | bytes) -> DisplayRecord | None:
    """A record from its JSON; ``None`` when it is not one (half a file, another format)."""
    try:
        data: Any = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != FORMAT or set(data) != set(FIELDS):
            return None
        record = DisplayRecord(
            session=str(data["session"]),
            status=str(data["status"]),
            phase=str(data["phase"]),
            speaker=str(data["speaker"]),
            remaining_s=None if data["remaining_s"] is None else float(data["remaining_s"]),
            mono=float(data["mono"]),
            warnings_s=tuple(int(w) for w in data["warnings_s"]),
            beat=int(data["beat"]),
            cue=int(data["cue"]),
            cue_mono=None if data["cue_mono"] is None else float(data["cue_mono"]),
        )
    except (ValueError, TypeError, KeyError):
        return None
    if record.status not in set(Status) or not math.isfinite(record.mono):
        return None
    return record


def record_of(
    session_id: str,
    snap: Snapshot,
    run: Run,
    mono: float,
    *,
    beat: int = 0,
    cue: int = 0,
    cue_mono: float | None = None,
) -> DisplayRecord:
    """The record of a snapshot read at ``mono`` (timing data and the run's own words only)."""
    index = snap.phase_index
    return DisplayRecord(
        session=session_id,
        status=str(snap.status),
        phase=phase_label(run, index),
        speaker=speaker_text(run, index),
        remaining_s=None if index is None else round(snap.remaining_s, 3),
        mono=mono,
        warnings_s=tuple(run.phases[index].warnings_s) if index is not None else (),
        beat=beat,
        cue=cue,
        cue_mono=cue_mono,
    )


# --- what a display paints ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Face:
    """What a display shows at one moment."""

    text: str
    """The timer: ``09:59``, ``+01:02``."""
    tone: str
    """One of ``session.tones.TONES``."""
    status: str
    phase: str
    speaker: str
    marker: str
    """The timer's state in words (``view.tone_marker``)."""
    flash: bool
    """An alert came less than ``FLASH_S`` ago."""
    lost: bool
    """No heartbeat for ``LOST_AFTER_S``: the kiosk stopped (or the link did)."""


def remaining_at(record: DisplayRecord, now: float) -> float | None:
    """Seconds left at ``now``: a running phase counts down by itself."""
    if record.remaining_s is None:
        return None
    if record.status == Status.RUNNING:
        return record.remaining_s - (now - record.mono)
    return record.remaining_s


def tone_at(record: DisplayRecord, remaining: float | None) -> str:
    """The timer's tone, as ``session.tones.timer_tone`` gives it to the kiosk's own timer."""
    if remaining is None:
        return IDLE
    if record.status == Status.PAUSED:
        return PAUSED
    if record.status != Status.RUNNING:
        return IDLE
    if remaining <= 0:
        return OVER
    return warning_tone(sum(1 for w in record.warnings_s if remaining <= w))


def face(record: DisplayRecord, now: float) -> Face:
    """What to paint at ``now`` (the display's own monotonic reading).

    Once the link is lost the time stops where it was when that was said (it
    never goes back on screen): a kiosk that stopped is not counting, and a
    resumed session goes on from its last heartbeat.
    """
    lost = now - record.mono > LOST_AFTER_S
    remaining = remaining_at(record, record.mono + LOST_AFTER_S if lost else now)
    text = hms(0) if remaining is None else countdown(remaining)
    flash = record.cue_mono is not None and 0 <= now - record.cue_mono < FLASH_S
    tone = tone_at(record, remaining)
    return Face(
        text=text,
        tone=tone,
        status=record.status,
        phase=record.phase,
        speaker=record.speaker,
        marker=tone_marker(tone, remaining or 0.0, record.warnings_s),
        flash=flash and not lost,
        lost=lost,
    )


def next_change_in(record: DisplayRecord, now: float) -> float:
    """Seconds until the face may change by itself: the next second shown, the flash's end,
    or the moment the link counts as lost (at most a second: the beat is due)."""
    delays = [1.0, record.mono + LOST_AFTER_S - now]
    remaining = remaining_at(record, now)
    lost = now - record.mono > LOST_AFTER_S
    if remaining is not None and record.status == Status.RUNNING and not lost:
        step = remaining - math.floor(remaining - 1e-9)  # to the next whole second left
        delays.append(step if step > 1e-6 else 1.0)
    if record.cue_mono is not None:
        delays.append(record.cue_mono + FLASH_S - now)
    return max(0.01, min(d for d in delays if d > 0) if any(d > 0 for d in delays) else 1.0)
