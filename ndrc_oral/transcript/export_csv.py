"""The results of many sessions as one CSV table, for a French spreadsheet.

One row per session (= per candidate and situation). The mark and its status
are two columns: ``note /20`` holds the mark given (also while it is
reserved), ``statut`` what it amounts to (``reservee`` while it waits for its
check, ``nv``, ``absent``, ``situation`` for a CCF situation before the last,
``annulee`` for a session cancelled, whose mark no longer shows; empty for a
mark that counts). ``corrections`` holds the history of the result's
corrections (date, reason, each value before → after), ``annulation`` the
reason of a cancellation. UTF-8 *with* a BOM and
``;`` as delimiter: what French Excel expects when a file is double-clicked
(without the BOM it reads the accents as Windows-1252; with ``,`` it puts a
whole row in one cell). Marks use the decimal comma in French (``12,5``) so
that they are numbers there; durations are whole seconds (a ``mm:ss`` cell
would be read as hours and minutes). A text cell that starts with ``=``,
``+``, ``-``, ``@``, or a tab or carriage return is prefixed with ``'`` so that
a spreadsheet never runs it as a formula (CSV injection).

Row columns: every rated row of every exam present, by id, in grid order,
exams in the order they first appear; a cell is empty when that row was not
rated (or is not in that session's exam).

The table is made of the sessions' summaries, what the list already holds
(the index caches them): 10,000 sessions are not read again, and no more
than one session's transcript is in memory at a time. Only a session whose
summary says it was corrected or cancelled is read again, for the history's
words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from ndrc_oral.formatting import mark, whole_seconds
from ndrc_oral.i18n import tr
from ndrc_oral.transcript.recorder import try_load_session
from ndrc_oral.transcript.report import correction_rows, correction_text
from ndrc_oral.transcript.summary import SessionSummary

BOM = "\ufeff"
DELIMITER = ";"

_WITH_MARK = ("mark", "reserved")
"""The statuses whose mark the ``note /20`` column holds (a reserved one: with its status)."""

_STATUS = {
    "reserved": "reservee",
    "nv": "nv",
    "absent": "absent",
    "situation": "situation",
    "cancelled": "annulee",
}
"""The ``statut`` cell of each result status (a mark that counts: empty)."""


_BASE = (
    "session",
    "exam",
    "epreuve",
    "number",
    "name",
    "commission",
    "date",
    "mode",
    "mark",
    "status",
    "time_used_s",
    "overtime_s",
    "finished",
    "integrity",
    "corrections",
    "cancelled",
)


def criterion_columns(sessions: Sequence[SessionSummary]) -> list[str]:
    """The criterion ids of every exam present, grid order, exams by first appearance."""
    seen: dict[str, None] = {}
    exams_done: set[str] = set()
    for summary in sessions:
        key = summary.exam_id + "\0" + ",".join(summary.grid)
        if key in exams_done:
            continue
        exams_done.add(key)
        for cid in summary.grid:
            seen.setdefault(cid, None)
    return list(seen)


Cell = str | float | int | date | None
"""A cell as its type: text, a number, a date, or empty."""


def typed_table(sessions: Sequence[SessionSummary], lang: str = "fr") -> list[list[Cell]]:
    """Header row then one row per session, each cell with its type (the XLSX writes
    them as such; the CSV as text). Text cells are as given: each format guards them."""
    criteria = criterion_columns(sessions)
    header: list[Cell] = [tr(lang, f"logs.csv.{name}") for name in _BASE]
    rows: list[list[Cell]] = [header + list(criteria)]
    for summary in sessions:
        corrections, cancelled = _amendments(summary, lang)
        ratings = dict(summary.ratings)
        rows.append(
            [
                summary.id,
                summary.exam_id,
                summary.epreuve,
                summary.candidate_number,
                summary.candidate_name,
                summary.commission,
                _date(summary.date),
                summary.mode,
                _float(summary.mark_given) if summary.status in _WITH_MARK else None,
                _STATUS.get(summary.status, ""),
                whole_seconds(summary.time_used_s),
                whole_seconds(summary.overtime_s),
                tr(lang, "logs.csv.yes") if summary.finished else tr(lang, "logs.csv.no"),
                summary.integrity,
                corrections,  # as they are: each format guards its text (the CSV's quote)
                cancelled,
            ]
            + [ratings.get(c, "") for c in criteria]
        )
    return rows


def _amendments(summary: SessionSummary, lang: str) -> tuple[str, str]:
    """The corrections' history and the cancellation's reason ("" when none).

    Their words are not in a summary: a session that has some (rare: its
    summary counts them) is read again, alone.
    """
    if not summary.corrections and not summary.cancelled:
        return "", ""
    loaded = try_load_session(Path(summary.path))
    if loaded is None:
        return "", ""
    history = " | ".join(correction_text(c, lang) for c in correction_rows(loaded.state, lang))
    cancelled = loaded.state.cancelled
    return history, cancelled.reason if cancelled is not None else ""


def results_table(sessions: Sequence[SessionSummary], lang: str = "fr") -> list[list[str]]:
    """Header row then one row per session, as text cells."""
    return [[_text(cell, lang) for cell in row] for row in typed_table(sessions, lang)]


def results_csv(sessions: Sequence[SessionSummary], lang: str = "fr") -> str:
    """The CSV text of the sessions (``csv_document``)."""
    return csv_document(results_table(sessions, lang))


def csv_document(*tables: Sequence[Sequence[str]]) -> str:
    """Text tables as the CSV a French spreadsheet opens: BOM first, ``;``-separated, CRLF
    line ends (as spreadsheets write), an empty row between two tables. Text from a user
    goes through ``csv_text`` first."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerows(table)
    return buffer.getvalue()


def _text(cell: Cell, lang: str) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float):
        return mark(cell, lang)
    if isinstance(cell, int):
        return str(cell)
    return csv_text(cell)


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)  # a mark is a number, 13 or 13.5 alike


def _date(text: str) -> date | str:
    """``AAAA-MM-JJ`` as a date; anything else (an unreadable file's) as it is."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def csv_text(text: str) -> str:
    """A text a spreadsheet shows as text: one starting like a formula gets a ``'``."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text
