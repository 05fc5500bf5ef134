"""The day's plan against the clock: pure functions, no I/O, no clock of their own.

From each remaining candidate's convocation, their exam's maxima (the oral,
and the preparation that runs in parallel with the previous candidate's
oral), and what has actually happened (a preparation started, an oral
running with so much left), ``plan_day`` says when each remaining
candidate's oral is expected to start and whether the commission is ahead
or late: the moment it will be free for the next candidate against that
candidate's planned start (convocation plus preparation). Tests give it a
FakeClock's time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ndrc_oral.session.day import SlotState


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One candidate the commission has still to see, as the plan reads them."""

    slot: int
    convoked: datetime
    prep_s: float
    oral_s: float
    state: SlotState
    prep_started: datetime | None = None
    oral_left_s: float | None = None
    """Being examined: the planned time still to run (from their session)."""


@dataclass(frozen=True, slots=True)
class DayPlan:
    """When each remaining candidate's oral is expected, and the commission's delay."""

    expected: dict[int, datetime] = field(default_factory=dict)
    """Slot -> expected start of their oral (not for the one being examined)."""
    late_s: float | None = None
    """Positive: late by so much; negative: ahead; ``None``: nobody left to plan."""
    ends_at: datetime | None = None
    """When the last oral is expected to end."""


def plan_day(items: Sequence[PlanItem], now: datetime) -> DayPlan:
    """The plan of ``items`` (in convocation order) at wall time ``now``."""
    free_at = now
    for item in items:
        if item.state is SlotState.EXAMINED:
            free_at = max(free_at, now + timedelta(seconds=max(0.0, item.oral_left_s or 0.0)))
    waiting = [i for i in items if i.state is not SlotState.EXAMINED]
    if not waiting:
        has_oral = any(i.state is SlotState.EXAMINED for i in items)
        return DayPlan(ends_at=free_at if has_oral else None)
    first = waiting[0]
    late = (free_at - (first.convoked + timedelta(seconds=first.prep_s))).total_seconds()
    expected: dict[int, datetime] = {}
    cursor = free_at
    previous_start: datetime | None = None
    for item in waiting:
        if item.prep_s and item.prep_started is not None:
            ready = item.prep_started + timedelta(seconds=item.prep_s)
        elif item.prep_s:
            # Handed over at the earliest when they arrive and the one before is called in.
            begin = max(now, item.convoked, previous_start or now)
            ready = begin + timedelta(seconds=item.prep_s)
        else:
            ready = max(now, item.convoked)
        start = max(cursor, ready)
        expected[item.slot] = start
        cursor = start + timedelta(seconds=item.oral_s)
        previous_start = start
    return DayPlan(expected=expected, late_s=late, ends_at=cursor)
