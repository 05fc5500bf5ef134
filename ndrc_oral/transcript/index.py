"""Listing saved sessions fast: a cache of summaries, and the filter and sort of a list.

Reading a transcript means checking every event's hash, a few milliseconds
each: 10,000 sessions would take tens of seconds. So ``list_sessions`` keeps
the summaries in the cache database of the data directory (``cache.py``, in
the user cache directory, never in the data directory), keyed by file name
with the file's size, ``mtime_ns`` and the last hash written in it, and
re-reads only the files that are new or changed. The cache is derived data,
never the source of truth: deleting it loses nothing, and a corrupt, foreign
or stale one is rebuilt silently. (``logs verify`` always reads the file itself.)

A Syncthing conflict copy or temporary file is never listed: the listing
names it in ``ignored`` (``logs list`` and the review warn about it).

A file modified less than ``RACY_NS`` before the listing is not cached:
file-system timestamps are coarse (a few ms), so a second write in the same
tick could otherwise go unnoticed (git's "racily clean" problem).

``filter_sessions`` and ``sort_sessions`` are pure and work on summaries only:
filtering 10,000 of them takes a few milliseconds (per keystroke in the kiosk).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.transcript import moves
from ndrc_oral.transcript.cache import COLUMNS, Row, SessionCache, tail_hash
from ndrc_oral.transcript.directory import SUFFIX, Store, is_transcript_name, sync_leftover
from ndrc_oral.transcript.summary import SessionSummary, fold_text, summarize

if TYPE_CHECKING:  # a warm listing reads the cache and builds no exam
    from ndrc_oral.exams.models import Exam

RACY_NS = 2_000_000_000
PARALLEL_FROM = 400
"""Re-reading at least this many files uses every core (a fresh import, or a restore)."""


class FilterError(NdrcError):
    """A filter that makes no sense (a date that is not YYYY-MM-DD...): a usage error."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code=2)


# --- listing ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listing:
    """The sessions of a data directory, oldest first, and what it took to list them."""

    sessions: list[SessionSummary]
    reread: int
    """Files read because they were new or changed (or the cache was unusable)."""
    reused: int
    """Files whose cached summary was still valid."""
    ignored: tuple[str, ...] = ()
    """Syncthing conflict copies and temporary files found, by name: never sessions."""


def list_sessions(
    root: Path, *, use_cache: bool = True, on_read: Callable[[int], None] | None = None
) -> Listing:
    """Every transcript of ``root`` summarized, oldest first; never fails on a bad file.

    ``on_read(n)`` is called before ``n`` > 0 files are read (to say "indexing...").
    Raises ``NdrcError`` only when the directory itself cannot be read.
    """
    # Two threads listing one directory at once (the kiosk's home and review
    # screens both do on start) would each read every new file: the second
    # waits for the first, then finds them in the cache it has just written.
    with _lock_for(root):
        return _list_sessions(root, use_cache, on_read)


_LOCKS_GUARD = threading.Lock()
_LOCKS: dict[str, threading.Lock] = {}


def _lock_for(root: Path) -> threading.Lock:
    key = os.path.abspath(root)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def _list_sessions(root: Path, use_cache: bool, on_read: Callable[[int], None] | None) -> Listing:
    files, ignored = _scan(root)
    cache = SessionCache(root)
    cached = cache.load() if use_cache else {}
    summaries: dict[str, SessionSummary] = {}
    tails: dict[str, str] = {}
    to_read: list[str] = []
    prefix = os.path.join(root, "")
    for name, (size, mtime_ns) in files.items():
        entry = cached.get(name)
        tail = tails[name] = tail_hash(prefix + name, size)
        if entry is not None and entry[:3] == (size, mtime_ns, tail):
            summary = _from_json(entry[3], prefix + name)
            if summary is not None:
                summaries[name] = summary
                continue
        to_read.append(name)
    if to_read and on_read is not None:
        on_read(len(to_read))
    for name, summary in _summarize_all(root, to_read):
        summaries[name] = summary
    if use_cache:
        horizon = time.time_ns() - RACY_NS
        # A file too recent to trust its mtime is saved (the harmonisation queries
        # the cache) but under no mtime: it is read again next time.
        rows = [
            _row(
                n,
                (files[n][0], files[n][1] if files[n][1] < horizon else -1),
                tails[n],
                summaries[n],
            )
            for n in to_read
        ]
        cache.save(rows, gone=set(cached) - set(files))
    ordered = _with_moves([summaries[name] for name in sorted(summaries)])
    return Listing(
        sessions=ordered,
        reread=len(to_read),
        reused=len(files) - len(to_read),
        ignored=tuple(sorted(ignored)),
    )


def _from_json(data: str, path: str) -> SessionSummary | None:
    try:
        raw = json.loads(data)
        raw["path"] = path  # the cache stores no paths: the data directory may have moved
        return SessionSummary.from_dict(raw)
    except (TypeError, ValueError, KeyError):
        return None  # one bad entry: that file is read again


def _row(name: str, stat: tuple[int, int], tail: str, summary: SessionSummary) -> Row:
    raw = summary.to_dict()
    del raw["path"]
    return Row(
        name=name,
        size=stat[0],
        mtime_ns=stat[1],
        tail=tail,
        data=json.dumps(raw, ensure_ascii=False, separators=(",", ":")),
        columns=tuple(getattr(summary, column) for column in COLUMNS),
        ratings=summary.ratings,
    )


def _with_moves(sessions: list[SessionSummary]) -> list[SessionSummary]:
    """The sessions, each one F9 moved elsewhere marked so, and no longer to resume.

    Applied after the cache is saved: a move is not in the file, so a cached
    summary never holds one (deleting the note of a move undoes it).
    """
    moved = moves.moved()
    if not moved:
        return sessions
    marked = []
    for s in sessions:
        to = moved.get(os.path.abspath(s.path))
        marked.append(replace(s, moved_to=to, interrupted=False) if to else s)
    return marked


def _scan(root: Path) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """File name -> (size, mtime_ns) of every transcript (none when ``root`` is missing),
    and the names of the Syncthing leftovers found beside them.

    An unfinished session's time used runs to its heartbeat: a heartbeat newer than
    its file counts as the file's ``mtime_ns``, so the cached summary is read again.
    """
    found: dict[str, tuple[int, int]] = {}
    ignored: list[str] = []
    beats = Store(root).heartbeat_times()
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if sync_leftover(entry.name):
                    ignored.append(entry.name)
                    continue
                if not is_transcript_name(entry.name):
                    continue
                try:
                    if not entry.is_file():
                        continue
                    st = entry.stat()
                except OSError:
                    continue
                beat = beats.get(entry.name.removesuffix(SUFFIX), 0)
                found[entry.name] = (st.st_size, max(st.st_mtime_ns, beat))
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        raise NdrcError(t("logs.error.data_dir", path=root, detail=exc.strerror or exc)) from exc
    return found, ignored


def _summarize_all(root: Path, names: list[str]) -> list[tuple[str, SessionSummary]]:
    if len(names) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        with contextlib.suppress(Exception):  # any trouble with workers: read them here
            return _summarize_parallel(root, names)
    exams: dict[str, Exam] = {}
    return [(name, summarize(root / name, exams)) for name in names]


def _summarize_parallel(root: Path, names: list[str]) -> list[tuple[str, SessionSummary]]:
    # Imported here: a warm listing never starts workers and need not load them.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 2, 8)
    chunks = [names[i::workers] for i in range(workers)]
    # "spawn": safe from a threaded program (the kiosk); workers only import the reader.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        parts = list(pool.map(_summarize_chunk, [str(root)] * workers, chunks))
    return [pair for part in parts for pair in part]


def _summarize_chunk(root: str, names: list[str]) -> list[tuple[str, SessionSummary]]:
    exams: dict[str, Exam] = {}
    return [(name, summarize(Path(root) / name, exams)) for name in names]


# --- filtering and sorting ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """What a list keeps: every given criterion must match."""

    text: str = ""
    """Words to find (all of them) in the candidate's name or number, the exam, the
    commission; case and accents do not matter."""
    exam: str | None = None
    """An exam id (``e6-ccf-a``) or an épreuve (``E6``: all its exams)."""
    since: str | None = None
    """First day, ``YYYY-MM-DD``, included."""
    until: str | None = None
    """Last day, ``YYYY-MM-DD``, included."""
    mode: str | None = None
    """``live`` or ``rehearsal``."""


def parse_day(text: str) -> str:
    """``YYYY-MM-DD`` or the French ``JJ/MM/AAAA``, as ``YYYY-MM-DD`` (``FilterError``
    otherwise)."""
    raw = text.strip()
    try:
        if "/" in raw:
            day, month, year = raw.split("/")
            if len(year) != 4:
                raise ValueError(raw)
            return date(int(year), int(month), int(day)).isoformat()
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise FilterError(t("logs.error.bad_date", value=text)) from None


def make_filter(
    text: str | None = None,
    exam: str | None = None,
    since: str | None = None,
    until: str | None = None,
    mode: str | None = None,
) -> SessionFilter:
    """A checked filter from user input (``FilterError`` on a bad date or mode)."""
    first = parse_day(since) if since else None
    last = parse_day(until) if until else None
    if first and last and first > last:
        raise FilterError(t("logs.error.date_order", since=first, until=last))
    if mode not in (None, "live", "rehearsal"):
        raise FilterError(t("logs.error.bad_mode", value=mode))
    return SessionFilter(
        text=text or "", exam=(exam or "").strip() or None, since=first, until=last, mode=mode
    )


def filter_sessions(
    sessions: Iterable[SessionSummary], criteria: SessionFilter
) -> list[SessionSummary]:
    """The sessions that match every given criterion, in the same order."""
    words = fold_text(criteria.text).split()
    exam = criteria.exam.casefold() if criteria.exam else None
    since, until, mode = criteria.since, criteria.until, criteria.mode
    kept: list[SessionSummary] = []
    for s in sessions:
        if mode is not None and s.mode != mode:
            continue
        if since is not None and s.date < since:
            continue
        if until is not None and (not s.date or s.date > until):
            continue
        if exam is not None and s.exam_id != exam and s.epreuve.casefold() != exam:
            continue
        if words and not all(w in s.search for w in words):
            continue
        kept.append(s)
    return kept


def merge_epreuves(sessions: Sequence[SessionSummary]) -> list[SessionSummary]:
    """One row per CCF épreuve, the others as they are, in the same order.

    An épreuve's row is its last situation's summary (what opening it shows:
    that transcript carries the whole grid and fiche) with ``situations``
    listing every situation's session, the times and notes summed, the worst
    integrity, and the result of the situation that holds it. It stands where
    its last situation stood.
    """
    groups: dict[str, list[SessionSummary]] = {}
    for s in sessions:
        if s.epreuve_id:
            groups.setdefault(s.epreuve_id, []).append(s)
    last = {key: group[-1].id for key, group in groups.items()}
    out: list[SessionSummary] = []
    for s in sessions:
        if not s.epreuve_id:
            out.append(s)
        elif last[s.epreuve_id] == s.id:
            out.append(_epreuve_row(groups[s.epreuve_id]))
    return out


_WORST = {"intact": 0, "torn-tail": 1, "damaged": 2}


def _epreuve_row(group: list[SessionSummary]) -> SessionSummary:
    final = [s for s in group if s.status in ("mark", "reserved", "nv")]
    holder = final[-1] if final else group[-1]
    last = group[-1]
    return replace(
        last,
        mark=holder.mark,
        mark_given=holder.mark_given,
        outcome=holder.outcome,
        status=holder.status,
        time_used_s=round(sum(s.time_used_s for s in group), 3),
        overtime_s=round(sum(s.overtime_s for s in group), 3),
        notes=sum(s.notes for s in group),
        integrity=max((s.integrity for s in group), key=lambda i: _WORST.get(i, 2)),
        problem=next((s.problem for s in group if s.problem), ""),
        situations=tuple(
            {"situation": s.situation, "id": s.id, "date": s.date, "status": s.status}
            for s in group
        ),
        search="",  # derived again from the row's fields
    )


SORT_COLUMNS: tuple[str, ...] = (
    *(f.name for f in fields(SessionSummary) if f.name not in ("search", "path", "situations")),
    "result",
)
"""Every column a list can be sorted by (``result``: marks, then outcomes)."""


def sort_sessions(
    sessions: Sequence[SessionSummary], column: str = "id", *, descending: bool = False
) -> list[SessionSummary]:
    """The sessions sorted by ``column`` (text without case or accents; empty values last)."""
    if column not in SORT_COLUMNS:
        raise FilterError(t("logs.error.bad_sort", value=column, known=", ".join(SORT_COLUMNS)))
    filled = [s for s in sessions if _is_filled(s, column)]
    empty = [s for s in sessions if not _is_filled(s, column)]
    filled.sort(key=lambda s: _key(s, column), reverse=descending)
    return filled + empty


def _is_filled(s: SessionSummary, column: str) -> bool:
    if column == "result":
        return s.mark is not None or s.outcome is not None
    value = getattr(s, column)
    return value is not None and value != ""


def _key(s: SessionSummary, column: str) -> Any:
    if column == "result":
        return (0, s.mark, "") if s.mark is not None else (1, 0.0, s.outcome or "")
    value = getattr(s, column)
    if isinstance(value, str):
        return (fold_text(value), s.id)
    return (value, s.id)
