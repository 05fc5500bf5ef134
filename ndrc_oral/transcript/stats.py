"""The harmonisation table: marks by commission and exam, and how each grid row was rated.

Computed as SQL over the cache database (``cache.py``: the ``summaries`` and
``ratings`` tables), not a pass over the files: ``harmonise`` lists the
sessions first (which brings the cache up to date), keeps those the filter
chooses, and queries them. Per commission and exam:

* **candidates**: sessions with a result (a mark, a reserved mark, NV, absent);
  a CCF situation done whose mark comes with the last one is not a candidate
  of its own (its time is counted below, its ratings travel to the last one);
* **marks**: the marks that count (status ``mark``). A reserved mark
  (*note réservée*) is **not** in the mean, the standard deviation, the min or
  the max: it may still be released or turn NV (``logs settle``); it is counted
  under *réservée*, with NV and absent;
* **standard deviation**: the **sample** one (n − 1, as the jury computes it),
  none under two marks;
* the marks against the range the ratings suggest: below, within, above;
* time used against planned: the means per session (every finished session
  of the group, CCF situations included) and how many went over.

Per grid row, how many candidates were rated at each level (TI, I, S, TS).
A damaged transcript counts nowhere. Live exams and rehearsals never mix: the
figures are of one mode (``live`` unless asked).
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.transcript.cache import SessionCache
from ndrc_oral.transcript.index import SessionFilter, filter_sessions, list_sessions

LEVELS = ("TI", "I", "S", "TS")
"""The 2018 and 2025 grids' scale, lowest first (another scale's codes follow, sorted)."""


@dataclass(frozen=True, slots=True)
class GroupStats:
    """One commission's figures for one exam."""

    commission: str
    exam_id: str
    epreuve: str
    sessions: int
    """Finished sessions (CCF situations included): what the time figures are over."""
    candidates: int
    marks: int
    mean: float | None
    sd: float | None
    """Sample standard deviation (n − 1); ``None`` under two marks."""
    minimum: float | None
    maximum: float | None
    nv: int
    reserved: int
    absent: int
    below: int
    """Marks under the suggested range."""
    within: int
    above: int
    unrated: int
    """Marks without a suggested range (nothing rated)."""
    time_used_mean_s: float | None
    planned_mean_s: float | None
    over_planned: int
    """Sessions that took longer than planned."""


@dataclass(frozen=True, slots=True)
class RowStats:
    """How one grid row was rated, by one commission, for one exam."""

    commission: str
    exam_id: str
    criterion: str
    counts: dict[str, int]
    """Level code -> number of candidates rated so."""


@dataclass(frozen=True, slots=True)
class Harmonisation:
    """The whole table, of one mode."""

    mode: str
    groups: list[GroupStats] = field(default_factory=list)
    rows: list[RowStats] = field(default_factory=list)
    levels: tuple[str, ...] = LEVELS
    """The level columns of ``rows``, in order."""


def harmonise(root: Path, criteria: SessionFilter) -> Harmonisation:
    """The figures of the sessions of ``root`` that ``criteria`` keeps (mode: live unless
    the filter says rehearsal). ``NdrcError`` when the cache database cannot be used."""
    mode = criteria.mode or "live"
    listing = list_sessions(root)
    chosen = [s.path for s in filter_sessions(listing.sessions, criteria) if s.mode == mode]
    names = [Path(p).name for p in chosen]
    cache = SessionCache(root)
    with cache.query(names) as db:
        if db is None:
            raise NdrcError(t("stats.no_cache", path=cache.path))
        try:
            groups = [_group(row) for row in db.execute(_GROUPS, (mode,))]
            counted = db.execute(_ROWS, (mode,)).fetchall()
        except sqlite3.Error as exc:
            raise NdrcError(t("stats.no_cache", path=f"{cache.path} ({exc})")) from None
    rows: dict[tuple[str, str, str], dict[str, int]] = {}
    seen: set[str] = set()
    for commission, exam_id, criterion, level, count in counted:
        rows.setdefault((commission, exam_id, criterion), {})[level] = count
        seen.add(level)
    levels = (*LEVELS, *sorted(seen - set(LEVELS)))
    return Harmonisation(
        mode=mode,
        groups=groups,
        rows=[RowStats(c, e, k, counts) for (c, e, k), counts in rows.items()],
        levels=levels,
    )


_RESULT = "s.status IN ('mark', 'reserved', 'nv', 'absent')"
_MARK = "s.status = 'mark'"
_CHOSEN = "FROM summaries s JOIN chosen c ON c.name = s.name WHERE s.integrity != 'damaged' AND s.mode = ?"

_GROUPS = f"""
SELECT s.commission, s.exam_id, MAX(s.epreuve),
    SUM(s.finished = 1) AS sessions,
    SUM({_RESULT}), SUM({_MARK}),
    AVG(CASE WHEN {_MARK} THEN s.mark END),
    SUM(CASE WHEN {_MARK} THEN s.mark * s.mark END),
    MIN(CASE WHEN {_MARK} THEN s.mark END), MAX(CASE WHEN {_MARK} THEN s.mark END),
    SUM(s.status = 'nv'), SUM(s.status = 'reserved'), SUM(s.status = 'absent'),
    SUM({_MARK} AND s.suggested_low IS NOT NULL AND s.mark < s.suggested_low),
    SUM({_MARK} AND s.mark BETWEEN s.suggested_low AND s.suggested_high),
    SUM({_MARK} AND s.suggested_high IS NOT NULL AND s.mark > s.suggested_high),
    SUM({_MARK} AND s.suggested_low IS NULL),
    AVG(CASE WHEN s.finished = 1 THEN s.time_used_s END),
    AVG(CASE WHEN s.finished = 1 THEN s.planned_s END),
    SUM(s.finished = 1 AND s.time_used_s > s.planned_s)
{_CHOSEN}
GROUP BY s.commission, s.exam_id
HAVING SUM({_RESULT}) > 0 OR SUM(s.finished = 1) > 0
ORDER BY s.commission, s.exam_id
"""

_ROWS = f"""
SELECT s.commission, s.exam_id, r.criterion, r.level, COUNT(*)
FROM ratings r JOIN summaries s ON s.name = r.name JOIN chosen c ON c.name = s.name
WHERE s.integrity != 'damaged' AND s.mode = ? AND {_RESULT}
GROUP BY s.commission, s.exam_id, r.criterion, r.level
ORDER BY s.commission, s.exam_id, MIN(r.position), r.criterion
"""


def _group(row: tuple[Any, ...]) -> GroupStats:
    (commission, exam_id, epreuve, sessions, candidates, marks, mean, squares, low, high) = row[:10]
    nv, reserved, absent, below, within, above, unrated, used, planned, over = row[10:]
    n = int(marks or 0)
    sd = None
    if n >= 2 and mean is not None and squares is not None:
        # sum((x - m)^2) = sum(x^2) - n m^2; marks are half points: no cancellation to fear.
        sd = math.sqrt(max(0.0, (float(squares) - n * float(mean) ** 2) / (n - 1)))
    return GroupStats(
        commission=str(commission),
        exam_id=str(exam_id),
        epreuve=str(epreuve or ""),
        sessions=int(sessions or 0),
        candidates=int(candidates or 0),
        marks=n,
        mean=_num(mean),
        sd=sd,
        minimum=_num(low),
        maximum=_num(high),
        nv=int(nv or 0),
        reserved=int(reserved or 0),
        absent=int(absent or 0),
        below=int(below or 0),
        within=int(within or 0),
        above=int(above or 0),
        unrated=int(unrated or 0),
        time_used_mean_s=_num(used),
        planned_mean_s=_num(planned),
        over_planned=int(over or 0),
    )


def _num(value: Any) -> float | None:
    return None if value is None else float(value)
