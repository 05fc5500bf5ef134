"""A commission's day on disk: ``day-<id>.toml``, written and read like a transcript.

The same codec and writer as a session's transcript (one ``[[event]]`` per
event, hash-chained, each fsynced before ``DayLog.record`` returns), with a
header and a first event of its own (``day_opened``), so that no listing of
sessions ever takes a day for a session (``directory.is_transcript_name``)
and ``read_transcript`` refuses one read as the other. The file lives in the
data directory with the transcripts: it is worth carrying to the centre.

An event's ``t`` is the wall-clock seconds since the day was opened: a day
spans restarts of the kiosk, which the monotonic clock does not survive; the
day's durations that matter (a preparation, an oral) are the sessions' own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.session.day import Convocation, DayKind, DayState, fold_day
from ndrc_oral.session.events import Event
from ndrc_oral.transcript.directory import DAY_PREFIX, SUFFIX, Store, new_session_id
from ndrc_oral.transcript.reader import Integrity, Transcript, TranscriptError, read_transcript
from ndrc_oral.transcript.writer import TranscriptWriter

DAY_HEADER_V1 = (
    "# ndrc-oral commission day: the roster and the day's facts; append-only, one [[event]] per event.\n"
    "# Each event carries the hash of the previous one. Do not edit: a correction is a new event.\n"
)
"""Format 1 (no seals): the days written before events were sealed."""
DAY_HEADER = (
    "# ndrc-oral commission day, format 2: the roster and the day's facts; append-only,\n"
    "# one [[event]] per event, each sealed, each carrying the hash of the previous one.\n"
    "# Do not edit: a correction is a new event.\n"
)
DAY_HEADERS = {1: DAY_HEADER_V1, 2: DAY_HEADER}
"""A day's headers by format, as ``codec.HEADERS`` are a transcript's (same formats)."""


@dataclass(frozen=True)
class DayRecord:
    """A day as read from its file (read-only)."""

    transcript: Transcript
    state: DayState

    @property
    def day_id(self) -> str:
        return self.state.day_id

    @property
    def path(self) -> Path:
        return self.transcript.path


def day_id_of(path: Path) -> str:
    return path.name.removeprefix(DAY_PREFIX).removesuffix(SUFFIX)


def read_day(path: Path) -> DayRecord:
    """Read and check a day's file; ``TranscriptError`` when it is not a whole day."""
    transcript = read_transcript(path, headers=DAY_HEADERS, first=DayKind.OPENED)
    if transcript.integrity is Integrity.DAMAGED:
        raise TranscriptError(t("day.damaged", path=path, problems="; ".join(transcript.problems)))
    try:
        state = fold_day(day_id_of(path), transcript.events)
    except (KeyError, TypeError, ValueError) as exc:
        raise TranscriptError(t("day.damaged", path=path, problems=exc)) from None
    return DayRecord(transcript, state)


def list_days(store: Store) -> list[DayRecord]:
    """Every day that can be read, the most recent first (a damaged one is left out)."""
    found: list[DayRecord] = []
    for path in reversed(store.day_paths()):
        try:
            found.append(read_day(path))
        except TranscriptError:
            continue
    return found


def resolve_day(store: Store, target: str | None) -> Path:
    """A day's file from its id, a unique prefix, a path, or the latest (``None``)."""
    paths = store.day_paths()
    if target is None:
        if not paths:
            raise TranscriptError(t("day.none", path=store.root))
        return paths[-1]
    candidate = Path(target)
    if candidate.suffix == SUFFIX and candidate.exists():
        return candidate
    matches = [p for p in paths if day_id_of(p).startswith(target.removeprefix(DAY_PREFIX))]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise TranscriptError(t("day.unknown", id=target, path=store.root))
    raise TranscriptError(t("day.ambiguous", id=target, count=len(matches)))


class DayLog:
    """A day open to record its facts: each ``record`` is on disk when it returns."""

    def __init__(
        self,
        writer: TranscriptWriter,
        events: list[Event],
        clock: Clock,
        state: DayState | None = None,
    ) -> None:
        """``state``: the fold of ``events`` when the caller has it already (``open_day``)."""
        self._writer = writer
        self._events = events
        self.clock = clock
        day_id = day_id_of(writer.path)
        if state is None:
            # A new day has no event until its roster is recorded (``new_day``).
            state = fold_day(day_id, events) if events else DayState(day_id, "", "")
        self.state = state

    @property
    def path(self) -> Path:
        return self._writer.path

    @property
    def day_id(self) -> str:
        return self.state.day_id

    @property
    def events(self) -> Sequence[Event]:
        return tuple(self._events)

    def record(self, kind: DayKind, data: dict[str, Any]) -> Event:
        """Write ``kind`` with ``data`` and fsync it (``SaveError`` when it is not on disk)."""
        wall = self.clock.wall()
        opened = datetime.fromisoformat(self._events[0].at) if self._events else wall
        event = Event(
            seq=len(self._events),
            kind=str(kind),
            t=round(max(0.0, (wall - opened).total_seconds()), 3),
            at=wall.isoformat(timespec="milliseconds"),
            data=data,
        )
        self._writer.append(event)
        self._events.append(event)
        self.state = fold_day(self.day_id, self._events)
        return event

    def close(self) -> None:
        self._writer.close()


def new_day(
    store: Store, clock: Clock, source: str, rows: Sequence[Convocation], *, fsync: bool = True
) -> DayLog:
    """A new day holding the roster ``rows`` (read from the file named ``source``)."""
    store.ensure()
    path = store.day_path(new_session_id(clock.wall()))
    while path.exists():
        path = store.day_path(new_session_id(clock.wall()))
    writer = TranscriptWriter(path, fsync=fsync, headers=DAY_HEADERS)
    log = DayLog(writer, [], clock)
    log.record(DayKind.OPENED, {"source": source, "rows": [r.to_data() for r in rows]})
    return log


def open_day(store: Store, target: str | None, clock: Clock, *, fsync: bool = True) -> DayLog:
    """A saved day opened to record more (a half-written last event is cut off)."""
    path = resolve_day(store, target)
    # The lock first, as a session's resume: one kiosk per day (``TranscriptBusy``).
    writer = TranscriptWriter.take(path, fsync=fsync, headers=DAY_HEADERS)
    try:
        day = read_day(path)
        transcript = day.transcript
        # A half-written last event was never reported saved: cut, holding the lock.
        writer.go_on_after(transcript.last_hash, transcript.valid_bytes, transcript.format)
    except BaseException:
        writer.close()
        raise
    return DayLog(writer, list(transcript.events), clock, day.state)
