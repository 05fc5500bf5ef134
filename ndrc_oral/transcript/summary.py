"""One line per saved session: what a list of sessions shows and filters on.

``summarize(path)`` never raises: a transcript that cannot be read at all
still gives a row, flagged ``damaged`` with the reason, so one bad file never
breaks a list. Summaries are plain data (``to_dict``/``from_dict``) so that
the index can cache them.
"""

from __future__ import annotations

import functools
import json
import unicodedata
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ndrc_oral.session.events import Event
from ndrc_oral.session.identity import SessionIdentity
from ndrc_oral.session.state import SessionState, fold
from ndrc_oral.session.suggestion import suggest_mark
from ndrc_oral.session.verdict import Status
from ndrc_oral.transcript.directory import seen_until
from ndrc_oral.transcript.quiet_gc import collector_paused
from ndrc_oral.transcript.reader import Integrity, Transcript, TranscriptError, read_transcript

if TYPE_CHECKING:  # a cached listing builds no exam: pydantic is imported when one is read
    from ndrc_oral.exams.models import Exam
    from ndrc_oral.transcript.recorder import LoadedSession

_COMBINING_BLOCKS = ((0x0300, 0x0370), (0x1AB0, 0x1B00), (0x1DC0, 0x1E00), (0x20D0, 0x2100))
_UNACCENT: dict[int, str | None] = {
    cp: None
    for start, stop in _COMBINING_BLOCKS
    for cp in range(start, stop)
    if unicodedata.combining(chr(cp))
}
_UNACCENT.update({ord("œ"): "oe", ord("æ"): "ae"})


@functools.lru_cache(maxsize=256)
def _fold_exam(exam_id: str, title: str, title_en: str) -> str:
    # A few exams, thousands of sessions: fold each exam's words once.
    return fold_text(f"{exam_id} {title} {title_en}")


def fold_text(text: str) -> str:
    """Lower case, accents and ligatures removed: ``"Zoé Œuvre"`` -> ``"zoe oeuvre"``."""
    # str.translate runs in C: folding 10,000 summaries stays in the milliseconds.
    return unicodedata.normalize("NFKD", text.casefold()).translate(_UNACCENT)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """A saved session in one row."""

    id: str
    path: str
    exam_id: str
    exam_title: str
    """The exam's title in French (as in the ``created`` event)."""
    exam_title_en: str
    epreuve: str
    candidate_name: str
    candidate_number: str
    commission: str
    mode: str
    """``live`` or ``rehearsal`` (empty when unknown: an unreadable file)."""
    started_at: str
    """Wall time of the session's creation, ISO 8601."""
    date: str
    """``YYYY-MM-DD`` of ``started_at`` (from the id when the file cannot be read)."""
    mark: float | None
    """The mark that counts (``None`` while reserved, for NV, absent, no result)."""
    outcome: str | None
    """``nv`` or ``absent``, or ``reservee`` while a mark waits for its check."""
    time_used_s: float
    """Sum of the oral's phases' elapsed times (pauses and an E4's preparation excluded)."""
    overtime_s: float
    """The oral's overtime (a preparation aside)."""
    integrity: str
    """``intact``, ``torn-tail`` or ``damaged``."""
    finished: bool
    """Closed: finished, or cancelled."""
    interrupted: bool
    """Not damaged, not cancelled, and not finished or (live) without a result: a session
    to resume."""
    notes: int
    problem: str = ""
    """The first thing found wrong with the file ("" when intact)."""
    moved_to: str = ""
    """Where F9 (save elsewhere) moved the session ("" when it did not): the listing
    sets it from the moves noted in the user cache directory (``moves.py``)."""
    mark_given: float | None = None
    """The mark the commission gave, whatever became of it (reserved, released, turned NV)."""
    status: str = ""
    """The result: ``mark``, ``reserved``, ``nv``, ``absent``, ``situation`` (a CCF
    situation done, the mark comes after the last), or "" (none yet); ``cancelled`` for
    a session cancelled (its result, if any, does not count)."""
    corrections: int = 0
    """How many times the saved result was corrected."""
    source: str = ""
    """The text the exam's definition follows (French; "" when it states none)."""
    situation: str = ""
    """A CCF situation's id (``a``, ``b``); "" for an exam without situations."""
    epreuve_id: str = ""
    """A CCF épreuve's id, shared by its situations."""
    link_session: str = ""
    """A later CCF situation: the session id of the situation it continues."""
    situations: tuple[dict[str, Any], ...] = ()
    """A list's row for a whole CCF épreuve: its situations, each ``{situation, id, date,
    status}`` (``index.merge_epreuves``); empty for a session alone."""
    machine: str = ""
    """The machine the session was recorded on (its identity; "" in files made before)."""
    planned_s: float = 0.0
    """The oral's planned time, as its cap counts it: extra time included, skipped phases
    and a preparation left out, time carried from one phase to the next counted once."""
    suggested_low: float | None = None
    """The low end of the mark range the ratings suggest (``None``: nothing rated)."""
    suggested_high: float | None = None
    ratings: tuple[tuple[str, str], ...] = ()
    """Each rated grid row (criterion id, level code), in grid order."""
    grid: tuple[str, ...] = ()
    """Every rated row's id of the exam's grid, in grid order (rated or not): the CSV's
    columns, so that a table of 10,000 sessions comes from their summaries."""
    last_hash: str = ""
    """The hash of the last event read intact ("" when none)."""
    search: str = field(default="", compare=False, repr=False)
    """Folded text the filter looks into (derived; not cached)."""

    def __post_init__(self) -> None:
        if not self.search:
            exam = _fold_exam(self.exam_id, self.exam_title, self.exam_title_en)
            person = fold_text(f"{self.candidate_name} {self.candidate_number} {self.commission}")
            object.__setattr__(self, "search", f"{person} {exam}")

    @property
    def damaged(self) -> bool:
        return self.integrity == Integrity.DAMAGED

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what ``logs list --json`` prints and the index caches)."""
        return {name: getattr(self, name) for name in _STORED_FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionSummary:
        """The inverse of ``to_dict`` (``TypeError``/``ValueError`` on a bad shape); a field
        added since the data was written (one with a default) may be missing."""
        if not isinstance(data, dict) or not _REQUIRED <= data.keys() <= _STORED_SET:
            raise ValueError("not a session summary")
        for name, kinds in _TYPES.items():
            if name in data and not isinstance(data[name], kinds):
                raise TypeError(f"{name} is not a {kinds}")
        values = dict(data)
        values["situations"] = tuple(data.get("situations", ()))
        values["ratings"] = tuple((str(c), str(level)) for c, level in data.get("ratings", ()))
        values["grid"] = tuple(str(c) for c in data.get("grid", ()))
        return cls(**values)


_STORED_FIELDS = tuple(f.name for f in fields(SessionSummary) if f.name != "search")
_STORED_SET = frozenset(_STORED_FIELDS)
_REQUIRED = frozenset(f.name for f in fields(SessionSummary) if f.default is MISSING)
_TYPES: dict[str, type | tuple[type, ...]] = {
    **{f.name: str for f in fields(SessionSummary) if f.type == "str" and f.name != "search"},
    "mark": (float, int, type(None)),
    "mark_given": (float, int, type(None)),
    "outcome": (str, type(None)),
    "time_used_s": (float, int),
    "overtime_s": (float, int),
    "finished": bool,
    "interrupted": bool,
    "notes": int,
    "corrections": int,
    "situations": (tuple, list),
    "planned_s": (float, int),
    "suggested_low": (float, int, type(None)),
    "suggested_high": (float, int, type(None)),
    "ratings": (tuple, list),
    "grid": (tuple, list),
}


def summarize_loaded(loaded: LoadedSession) -> SessionSummary:
    """The row of a session already read and folded."""
    return _from_parts(loaded.transcript, loaded.exam, loaded.state, loaded.seen_t)


def summarize(path: Path, exams: dict[str, Exam] | None = None) -> SessionSummary:
    """The row of one transcript file; never raises (an unreadable file is a damaged row).

    ``exams`` memoizes the exam definitions carried by the transcripts: a
    centre's thousands of sessions share a handful of definitions, and
    validating one costs more than folding a session.
    """
    try:
        with collector_paused():
            transcript = read_transcript(path)
    except TranscriptError as exc:
        return _unreadable(path, str(exc))
    except (OSError, ValueError, RecursionError) as exc:  # never break a list
        return _unreadable(path, f"{path}: {exc}")
    created = transcript.created
    if created is None:
        problem = transcript.problems[0] if transcript.problems else "no creation event"
        return _unreadable(path, problem)
    try:
        exam = _exam_of(created, exams)
        state = fold(exam, transcript.events)
    # pydantic's ValidationError is a ValueError.
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return _partial(transcript, created, f"the session cannot be read back: {exc}")
    return _from_parts(transcript, exam, state, seen_until(path, state.last_t, state.finished))


def _exam_of(created: Event, memo: dict[str, Exam] | None) -> Exam:
    from ndrc_oral.exams.models import stored_exam

    raw = created.data.get("exam_def")
    if memo is None:
        return stored_exam(raw)
    key = json.dumps(raw, sort_keys=True, ensure_ascii=False)
    exam = memo.get(key)
    if exam is None:
        exam = memo[key] = stored_exam(raw)
    return exam


def _from_parts(
    transcript: Transcript, exam: Exam, state: SessionState, seen_t: float
) -> SessionSummary:
    identity = state.identity
    verdict = state.verdict
    # An interrupted session's time runs to its last heartbeat (a kill between two events).
    # The oral's time, as the cap, the live total and the review's total count it: an
    # E4's preparation "en loge" is neither its used, nor its planned, nor its overtime.
    snap = state.snapshot(max(state.last_t, seen_t))
    created = transcript.created
    started_at = created.at if created is not None else ""
    integrity = str(transcript.integrity)
    mode = str(identity.mode)
    cancelled = state.cancelled is not None
    counted = None if cancelled else verdict  # a cancelled session's result does not count
    mark = counted.mark if counted is not None and counted.status is Status.MARK else None
    status = CANCELLED if cancelled else str(verdict.status) if verdict is not None else ""
    criteria = exam.criterion_ids()
    hint = suggest_mark(state.ratings, exam.level_codes(), criteria)
    return SessionSummary(
        id=state.session_id or transcript.path.stem,
        path=str(transcript.path),
        exam_id=exam.id,
        exam_title=exam.title.fr,
        exam_title_en=exam.title.en or "",
        epreuve=exam.epreuve,
        candidate_name=identity.candidate,
        candidate_number=identity.number,
        commission=identity.commission,
        mode=mode,
        started_at=started_at,
        date=_date_of(started_at, transcript.path),
        mark=mark,
        outcome=_OUTCOMES.get(counted.status) if counted is not None else None,
        time_used_s=round(snap.total_elapsed_s, 3),
        overtime_s=round(snap.total_overtime_s, 3),
        integrity=integrity,
        finished=bool(state.finished),
        # A live session whose timing finished but whose result was never
        # entered (a crash on the result screen) is still to be completed.
        interrupted=integrity != Integrity.DAMAGED
        and not cancelled
        and (not state.finished or (mode == "live" and state.result is None)),
        notes=len(state.notes),
        problem=transcript.problems[0] if transcript.problems else "",
        mark_given=verdict.mark if verdict is not None else None,
        status=status,
        corrections=len(state.corrections),
        source=exam.source.text.fr if exam.source is not None else "",
        situation=identity.situation or "",
        epreuve_id=identity.epreuve_id or "",
        link_session=state.link.session if state.link is not None else "",
        machine=identity.machine,
        planned_s=round(snap.total_planned_s, 3),
        suggested_low=hint.low if hint is not None else None,
        suggested_high=hint.high if hint is not None else None,
        ratings=tuple((c, state.ratings[c]) for c in criteria if c in state.ratings),
        grid=tuple(criteria),
        last_hash=transcript.last_hash,
    )


_OUTCOMES = {Status.RESERVED: "reservee", Status.NV: "nv", Status.ABSENT: "absent"}

CANCELLED = "cancelled"
"""The ``status`` of a cancelled session."""


def _partial(transcript: Transcript, created: Event, problem: str) -> SessionSummary:
    """What the ``created`` event alone says, flagged damaged."""
    data = created.data
    identity = SessionIdentity.from_created(data)
    return SessionSummary(
        id=str(data.get("id") or transcript.path.stem),
        path=str(transcript.path),
        exam_id=str(data.get("exam", "")),
        exam_title=str(data.get("exam_title", "")),
        exam_title_en="",
        epreuve="",
        candidate_name=identity.candidate,
        candidate_number=identity.number,
        commission=identity.commission,
        machine=identity.machine,
        last_hash=transcript.last_hash,
        # What the damaged file says, if it says it ("" when unknown).
        mode=str(identity.mode) if "mode" in data else "",
        started_at=created.at,
        date=_date_of(created.at, transcript.path),
        mark=None,
        outcome=None,
        time_used_s=0.0,
        overtime_s=0.0,
        integrity=str(Integrity.DAMAGED),
        finished=transcript.finished,
        interrupted=False,
        notes=0,
        problem=problem,
    )


def _unreadable(path: Path, problem: str) -> SessionSummary:
    return SessionSummary(
        id=path.stem,
        path=str(path),
        exam_id="",
        exam_title="",
        exam_title_en="",
        epreuve="",
        candidate_name="",
        candidate_number="",
        commission="",
        mode="",
        started_at="",
        date=_date_of("", path),
        mark=None,
        outcome=None,
        time_used_s=0.0,
        overtime_s=0.0,
        integrity=str(Integrity.DAMAGED),
        finished=False,
        interrupted=False,
        notes=0,
        problem=problem,
    )


def _date_of(at: str, path: Path) -> str:
    """``YYYY-MM-DD`` of the creation time, else of the id (``20260602-080000-ab12cd``)."""
    if len(at) >= 10 and at[4] == "-" and at[7] == "-" and at[:4].isdigit():
        return at[:10]
    stem = path.stem
    if len(stem) >= 8 and stem[:8].isdigit():
        return f"{stem[:4]}-{stem[4:6]}-{stem[6:8]}"
    return ""
