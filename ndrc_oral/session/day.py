"""A commission's day: its roster of convoked candidates and the facts of the day. Pure.

The day is a log of its own (``transcript.day_log`` writes it like a
transcript: append-only, hash-chained, fsynced), and everything the day's
screen shows is folded from it here: ``fold_day(events)`` gives each slot's
state. The first event (``day_opened``) holds the roster as it was imported;
the others are the day-level facts, each naming its ``slot`` (the candidate's
place in the roster, from 1): signed in, absent, NV, a new slot given, the
fiche-sujet handed over, the preparation started and ended, called, examined
(the session of the oral), done.

Each candidate's own session (preparation and oral) stays in its transcript;
the day only points at it by its id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from fractions import Fraction
from typing import Any

from ndrc_oral.exams.models import Exam, Phase
from ndrc_oral.session.events import Event


class DayKind(StrEnum):
    """Every kind of event of a day's log."""

    OPENED = "day_opened"
    """The roster as imported: ``source`` (the file's name) and ``rows``."""
    SIGNED_IN = "signed_in"
    ABSENT = "absent"
    NV = "nv"
    """NV at the conformity check, without a timer: ``reason`` and the NV ``session``."""
    NEW_SLOT = "new_slot"
    """An absent candidate given a new ``date`` and ``time``: expected again."""
    HANDED_OVER = "handed_over"
    """E4 ponctuel: the fiche-sujet handed over (its number: ``fiche``)."""
    PREPARATION_STARTED = "preparation_started"
    """The candidate's preparation runs in ``session`` (their own transcript)."""
    PREPARATION_ENDED = "preparation_ended"
    """The preparation's end, as the session recorded it (``at``: its wall time)."""
    CALLED = "called"
    """The commission called the candidate in (after a preparation: ``waited_s`` since its end)."""
    EXAMINED = "examined"
    """The candidate's oral runs in ``session``."""
    DONE = "done"
    """The session is over: ``outcome`` (``mark``, ``nv``, ``absent``, ``cancelled``), ``mark``."""


class SlotState(StrEnum):
    """Where a convoked candidate stands."""

    EXPECTED = "expected"
    SIGNED_IN = "signed-in"
    PREPARING = "preparing"
    WAITING = "waiting"
    """Their preparation is over; the commission has not called them yet."""
    EXAMINED = "examined"
    DONE = "done"
    ABSENT = "absent"
    NV = "nv"


OPEN_STATES = (SlotState.EXPECTED, SlotState.SIGNED_IN)
"""Nothing has started for them yet: they may still be absent, NV or given a fiche."""
PENDING_STATES = (
    SlotState.EXPECTED,
    SlotState.SIGNED_IN,
    SlotState.PREPARING,
    SlotState.WAITING,
    SlotState.EXAMINED,
)
"""The candidates the commission has still to see (the plan's)."""

LIVE_STATES = (SlotState.PREPARING, SlotState.WAITING, SlotState.EXAMINED)
"""A session of theirs is open in the day (a preparation, or an oral): resumed after a crash."""


def _phases(exam: Exam) -> list[Phase]:
    # A roster convokes to a ponctuel exam; a CCF one is planned by its first situation.
    return list(exam.phases or (exam.situations[0].phases if exam.situations else []))


def maxima(exam: Exam, extra: Fraction = Fraction(0)) -> tuple[float, float]:
    """The exam's preparation and oral maxima in seconds, with extra time where it applies."""
    prep = oral = 0.0
    for phase in _phases(exam):
        seconds = float(phase.duration_s)
        if extra and exam.extra_time_applies(phase.id):
            seconds = float(phase.duration_s * (1 + extra))
        if phase.preparation:
            prep += seconds
        else:
            oral += seconds
    return prep, oral


@dataclass(frozen=True, slots=True)
class Convocation:
    """One row of the roster, as read from the centre's file."""

    row: int
    """The row as the spreadsheet shows it (the header is row 1)."""
    number: str
    surname: str
    first_name: str
    exam_id: str
    day: date
    at: time
    commission: str = ""
    extra_time: str | None = None
    """``1/3`` for a tiers-temps."""
    extra_time_reason: str = ""

    @property
    def name(self) -> str:
        """As the lists show it: NOM Prénom."""
        return f"{self.surname} {self.first_name}".strip()

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "row": self.row,
            "number": self.number,
            "surname": self.surname,
            "first_name": self.first_name,
            "exam": self.exam_id,
            "date": self.day.isoformat(),
            "time": self.at.strftime("%H:%M"),
            "commission": self.commission,
        }
        if self.extra_time:
            data["extra_time"] = self.extra_time
            data["extra_time_reason"] = self.extra_time_reason
        return data

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> Convocation:
        """The inverse of ``to_data`` (``KeyError``/``ValueError`` on a row not written so)."""
        return cls(
            row=int(raw["row"]),
            number=str(raw["number"]),
            surname=str(raw["surname"]),
            first_name=str(raw["first_name"]),
            exam_id=str(raw["exam"]),
            day=date.fromisoformat(str(raw["date"])),
            at=time.fromisoformat(str(raw["time"])),
            commission=str(raw.get("commission", "")),
            extra_time=str(raw["extra_time"]) if raw.get("extra_time") else None,
            extra_time_reason=str(raw.get("extra_time_reason", "")),
        )


@dataclass(slots=True)
class Slot:
    """One convoked candidate over the day."""

    number: int
    """Their place in the roster (from 1): how the day's events name them."""
    convocation: Convocation
    state: SlotState = SlotState.EXPECTED
    day: date | None = None
    at: time | None = None
    """Their convocation, or the new slot given (``new_slot``)."""
    signed_at: str | None = None
    fiche: str | None = None
    session: str | None = None
    """The session of their preparation and oral (or their NV)."""
    nv_reason: str | None = None
    prep_started_at: str | None = None
    prep_ended_at: str | None = None
    called_at: str | None = None
    waited_s: float | None = None
    """The time between the end of their preparation and the call."""
    examined_at: str | None = None
    done_at: str | None = None
    outcome: str | None = None
    mark: float | None = None
    reserved: bool = False
    absences: int = 0

    @property
    def name(self) -> str:
        return self.convocation.name

    @property
    def exam_id(self) -> str:
        return self.convocation.exam_id

    def convoked(self) -> datetime:
        """Their convocation (or new slot) as a local, timezone-aware time."""
        day = self.day or self.convocation.day
        at = self.at or self.convocation.at
        return datetime.combine(day, at).astimezone()


@dataclass(slots=True)
class DayState:
    """A day as its log says it stands."""

    day_id: str
    opened_at: str
    source: str
    slots: list[Slot] = field(default_factory=list)

    def slot(self, number: int) -> Slot:
        """The slot ``number`` (``KeyError`` when the roster has none such)."""
        if 1 <= number <= len(self.slots):
            return self.slots[number - 1]
        raise KeyError(number)

    def in_order(self) -> list[Slot]:
        """The candidates in convocation order (a new slot moves its candidate)."""
        return sorted(self.slots, key=lambda s: (s.convoked(), s.number))

    def in_state(self, *states: SlotState) -> list[Slot]:
        return [s for s in self.in_order() if s.state in states]

    def next_up(self) -> Slot | None:
        """Who the commission calls next: a prepared or preparing candidate first, else the
        first one still expected or signed in."""
        for states in ((SlotState.WAITING,), (SlotState.PREPARING,), OPEN_STATES):
            found = self.in_state(*states)
            if found:
                return found[0]
        return None


def fold_day(day_id: str, events: Sequence[Event]) -> DayState:
    """The day's state from its events (the first one is ``day_opened``); never raises on
    an event it does not know (a later version's), which it skips."""
    opened = events[0]
    rows = opened.data.get("rows", [])
    state = DayState(day_id, opened.at, str(opened.data.get("source", "")))
    state.slots = [Slot(i, Convocation.from_data(raw)) for i, raw in enumerate(rows, start=1)]
    for event in events[1:]:
        number = event.data.get("slot")
        if not isinstance(number, int) or not 1 <= number <= len(state.slots):
            continue
        _apply(state.slots[number - 1], event)
    return state


def _apply(slot: Slot, event: Event) -> None:
    data = event.data
    kind = event.kind
    if kind == DayKind.SIGNED_IN:
        slot.state, slot.signed_at = SlotState.SIGNED_IN, event.at
    elif kind == DayKind.ABSENT:
        slot.state = SlotState.ABSENT
        slot.absences += 1
    elif kind == DayKind.NV:
        slot.state, slot.nv_reason = SlotState.NV, str(data.get("reason", ""))
        slot.session = data.get("session")
        slot.outcome, slot.done_at = "nv", event.at
    elif kind == DayKind.NEW_SLOT:
        slot.state = SlotState.EXPECTED
        slot.day = date.fromisoformat(str(data["date"]))
        slot.at = time.fromisoformat(str(data["time"]))
    elif kind == DayKind.HANDED_OVER:
        slot.fiche = str(data.get("fiche", ""))
    elif kind == DayKind.PREPARATION_STARTED:
        slot.state, slot.session, slot.prep_started_at = (
            SlotState.PREPARING,
            data.get("session"),
            event.at,
        )
    elif kind == DayKind.PREPARATION_ENDED:
        slot.prep_ended_at = str(data.get("at", event.at))
        if slot.state is SlotState.PREPARING:
            slot.state = SlotState.WAITING
    elif kind == DayKind.CALLED:
        slot.called_at = event.at
        waited = data.get("waited_s")
        slot.waited_s = float(waited) if isinstance(waited, int | float) else None
    elif kind == DayKind.EXAMINED:
        slot.state, slot.session, slot.examined_at = (
            SlotState.EXAMINED,
            data.get("session"),
            event.at,
        )
    elif kind == DayKind.DONE:
        slot.state, slot.done_at = SlotState.DONE, event.at
        slot.outcome = str(data.get("outcome", ""))
        mark = data.get("mark")
        slot.mark = float(mark) if isinstance(mark, int | float) else None
        slot.reserved = bool(data.get("reserved", False))
