"""The timer's tone: how urgent the time of a phase is, as a word a stylesheet colours.

A phase climbs a ladder built from its own warnings, however many it has:
``normal`` until its first threshold, then ``warn1`` for the first threshold
passed, ``warn2`` for the second... the last warning being the most urgent
tone before ``over`` (the planned end passed). ``paused`` and ``idle``
(nothing running) stand aside from the ladder.

The stylesheets colour ``WARNING_STEPS`` warning tones (``warn1`` to
``warn4``; no shipped exam has more than three warnings per phase). A phase
with more warnings than that stays at ``warn4``, the most urgent colour
before overtime, from its fourth threshold on: ``warning_tone`` says so, the
stylesheets need no rule for it.
"""

from __future__ import annotations

from ndrc_oral.session.state import Snapshot, Status

WARNING_STEPS = 4
"""How many warning tones have a colour of their own (``warn1`` ... ``warn4``)."""

IDLE = "idle"
NORMAL = "normal"
OVER = "over"
PAUSED = "paused"

TONES: tuple[str, ...] = (
    IDLE,
    NORMAL,
    *(f"warn{k}" for k in range(1, WARNING_STEPS + 1)),
    OVER,
    PAUSED,
)
"""Every tone a timer can take (the CSS classes ``-idle``, ``-normal``, ``-warn1``...)."""


def warning_tone(passed: int) -> str:
    """The tone once ``passed`` warning thresholds are behind (``normal`` before the first)."""
    if passed <= 0:
        return NORMAL
    return f"warn{min(passed, WARNING_STEPS)}"


def ladder(warnings: int) -> tuple[str, ...]:
    """The tones a running phase with ``warnings`` thresholds goes through, in order."""
    return (NORMAL, *(warning_tone(k) for k in range(1, warnings + 1)), OVER)


def timer_tone(snap: Snapshot) -> str:
    """The tone of the current phase's timer."""
    if snap.phase_index is None:
        return IDLE
    if snap.status is Status.PAUSED:
        return PAUSED
    if snap.status is not Status.RUNNING:
        return IDLE
    if snap.remaining_s <= 0:
        return OVER
    return warning_tone(snap.warning)
