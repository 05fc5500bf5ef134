"""Reading the centre's list of convoked candidates (CSV or XLSX). No Textual here.

The file is what a centre's spreadsheet gives: CSV as French Excel writes it
(``;``, UTF-8 with or without BOM, or Windows-1252: UTF-8 is tried strictly
first) or an XLSX workbook (its first sheet, read by openpyxl in read-only
mode). Columns are found by their header in any order, case and accents
aside, under a few usual spellings (``HEADERS``). A problem gives one line
naming the file, the row as the spreadsheet shows it and the column
(``RosterError``); nothing is imported until the whole file is right.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.requests import MAX_FIELD, TIERS_TEMPS
from ndrc_oral.exams.fraction import parse_fraction
from ndrc_oral.i18n import t
from ndrc_oral.session.day import Convocation

MAX_ROSTER_BYTES = 5 * 1024 * 1024
"""A day's list is a few kilobytes; a larger file is not one."""
MAX_ROWS = 2000

HEADERS: dict[str, tuple[str, ...]] = {
    "number": (
        "n candidat",
        "no candidat",
        "n de candidat",
        "numero candidat",
        "numero de candidat",
        "num candidat",
        "candidat n",
        "matricule",
    ),
    "surname": ("nom", "nom de famille", "nom du candidat", "nom candidat"),
    "first_name": ("prenom", "prenoms", "prenom du candidat"),
    "exam": ("epreuve", "examen", "id epreuve", "epreuve id"),
    "date": ("date", "date de convocation", "jour"),
    "time": ("heure", "heure de convocation", "heure convocation", "horaire"),
    "commission": ("commission", "n commission", "no commission", "numero de commission"),
    "extra_time": ("amenagement", "amenagements", "tiers temps", "temps majore"),
    "extra_time_reason": ("motif", "motif amenagement", "motif de l amenagement", "raison"),
}
"""Each column's accepted headers, folded (``fold_header``)."""
REQUIRED = ("number", "surname", "first_name", "exam", "date", "time")
SHOWN = {
    "number": "n° candidat",
    "surname": "nom",
    "first_name": "prénom",
    "exam": "épreuve",
    "date": "date",
    "time": "heure de convocation",
}
"""How a missing column is named (as a French spreadsheet heads it)."""

_NO = {"", "non", "no", "0", "-", "n"}
_YES = {"oui", "yes", "x", "tiers temps", "tiers-temps", "tt", "1"}
_TIME = re.compile(r"^(\d{1,2})\s*[:hH]\s*(\d{2})?(?::\d{2})?$")


class RosterError(NdrcError):
    """The roster cannot be imported (one line: which file, row and column, and why)."""


def fold_header(text: str) -> str:
    """A header as compared: no accent, no case, ``n°``/``no.`` and punctuation as spaces."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[°º.'’_\-/()]", " ", plain)
    return " ".join(plain.split())


def read_roster(path: Path, exam_ids: Iterable[str]) -> list[Convocation]:
    """The convocations of the file at ``path``; ``RosterError`` at the first problem."""
    name = path.name
    kind = path.suffix.casefold()
    try:
        if not path.is_file():
            raise RosterError(t("roster.not_file", file=path))
        size = path.stat().st_size
    except OSError as exc:
        raise RosterError(t("roster.unreadable", file=path, why=exc.strerror or exc)) from None
    if size > MAX_ROSTER_BYTES:
        raise RosterError(t("roster.too_big", file=path, size=size, max=MAX_ROSTER_BYTES))
    if size == 0:
        raise RosterError(t("roster.empty", file=path))
    if kind == ".csv":
        rows = _csv_rows(path)
    elif kind == ".xlsx":
        rows = _xlsx_rows(path)
    else:
        raise RosterError(t("roster.unknown_type", file=path, suffix=kind or "—"))
    return _convocations(name, rows, set(exam_ids))


def _csv_rows(path: Path) -> list[list[object]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")  # strict: a Windows-1252 é is not UTF-8
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first else ("\t" if "\t" in first else ",")
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(path: Path) -> list[list[object]]:
    import zipfile

    from openpyxl import load_workbook  # loaded only for a workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise RosterError(t("roster.bad_xlsx", file=path, why=exc)) from None
    try:
        sheet = book.worksheets[0]
        rows: list[list[object]] = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        book.close()


def _columns(name: str, header: Sequence[object]) -> dict[str, tuple[int, str]]:
    """Each known column's index and header as written; ``RosterError`` if one lacks."""
    found: dict[str, tuple[int, str]] = {}
    for index, cell in enumerate(header):
        folded = fold_header(_cell_text(cell))
        for key, spellings in HEADERS.items():
            if folded in spellings and key not in found:
                found[key] = (index, _cell_text(cell).strip())
    for key in REQUIRED:
        if key not in found:
            raise RosterError(t("roster.no_column", file=name, column=SHOWN[key]))
    return found


def _convocations(name: str, rows: list[list[object]], exam_ids: set[str]) -> list[Convocation]:
    if not rows or not any(_cell_text(c) for c in rows[0]):
        raise RosterError(t("roster.empty", file=name))
    if len(rows) > MAX_ROWS + 1:
        raise RosterError(t("roster.too_many", file=name, max=MAX_ROWS))
    columns = _columns(name, rows[0])
    out: list[Convocation] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(rows[1:], start=2):
        if not any(_cell_text(c) for c in row):
            continue  # a blank line between groups
        out.append(_convocation(name, row_number, row, columns, exam_ids, seen))
    if not out:
        raise RosterError(t("roster.no_row", file=name))
    return out


def _convocation(
    name: str,
    row_number: int,
    row: Sequence[object],
    columns: dict[str, tuple[int, str]],
    exam_ids: set[str],
    seen: dict[str, int],
) -> Convocation:
    def cell(key: str) -> object:
        if key not in columns:
            return None
        index = columns[key][0]
        return row[index] if index < len(row) else None

    def bad(key: str, why: str) -> RosterError:
        return RosterError(
            t("roster.bad_cell", file=name, row=row_number, column=columns[key][1], why=why)
        )

    texts: dict[str, str] = {}
    for key in columns:
        text = _cell_text(cell(key)).strip()
        if len(text) > MAX_FIELD:
            raise bad(key, t("roster.why.too_long", max=MAX_FIELD))
        texts[key] = text
    for key in ("number", "surname", "first_name", "exam"):
        if not texts[key]:
            raise bad(key, t("roster.why.empty"))
    if texts["exam"] not in exam_ids:
        raise bad("exam", t("roster.why.exam", found=texts["exam"]))
    if texts["number"] in seen:
        raise bad("number", t("roster.why.twice", row=seen[texts["number"]]))
    seen[texts["number"]] = row_number
    day = _date(cell("date"))
    if day is None:
        raise bad("date", t("roster.why.date", found=texts["date"] or "—"))
    at = _time(cell("time"))
    if at is None:
        raise bad("time", t("roster.why.time", found=texts["time"] or "—"))
    extra: str | None = None
    if "extra_time" in columns:
        extra = _extra(texts["extra_time"])
        if extra == "?":
            raise bad("extra_time", t("roster.why.extra", found=texts["extra_time"]))
    return Convocation(
        row=row_number,
        number=texts["number"],
        surname=texts["surname"],
        first_name=texts["first_name"],
        exam_id=texts["exam"],
        day=day,
        at=at,
        commission=texts.get("commission", ""),
        extra_time=extra,
        extra_time_reason=texts.get("extra_time_reason", "") if extra else "",
    )


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed in a spreadsheet cell: 421.0
    return str(value)


def _date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _cell_text(value).strip()
    for form in ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _time(value: object) -> time | None:
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    match = _TIME.match(_cell_text(value).strip())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


def _extra(text: str) -> str | None:
    """The extra time a cell grants (``None``: none; ``"?"``: not understood)."""
    folded = fold_header(text)
    if folded in _NO:
        return None
    if folded in _YES:
        return TIERS_TEMPS
    try:
        parse_fraction(text.strip())
    except ValueError:
        return "?"
    return text.strip()
