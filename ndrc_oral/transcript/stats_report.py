"""The harmonisation table (``stats.py``) as the jury reads it: Markdown, CSV, XLSX.

Two tables: the marks per commission and exam, then the grid rows' levels.
Every header is in the user's language; marks with one decimal (the decimal
comma in French), times as ``mm:ss`` in Markdown and whole seconds in CSV and
XLSX (a spreadsheet reads ``mm:ss`` as hours). The CSV is the results
export's dialect (BOM, ``;``, CRLF) with the two tables one after the other,
a blank row between them; the XLSX has one sheet per table, numbers as numbers.
"""

from __future__ import annotations

import io

from ndrc_oral.formatting import elapsed, whole_seconds
from ndrc_oral.i18n import tr
from ndrc_oral.transcript.export_csv import csv_document, csv_text
from ndrc_oral.transcript.stats import GroupStats, Harmonisation

Cell = str | int | float | None

_GROUP_COLUMNS = (
    "commission",
    "exam",
    "candidates",
    "marks",
    "mean",
    "sd",
    "min",
    "max",
    "reserved",
    "nv",
    "absent",
    "below",
    "within",
    "above",
    "sessions",
    "time_used",
    "planned",
    "over",
)

FORMATS = ("md", "csv", "xlsx")


def group_table(h: Harmonisation, lang: str, *, seconds: bool) -> list[list[Cell]]:
    """Header then one row per commission and exam (times in seconds or ``mm:ss``)."""
    head: list[Cell] = [tr(lang, f"stats.col.{c}") for c in _GROUP_COLUMNS]
    return [head, *(_group_row(g, seconds) for g in h.groups)]


def _group_row(g: GroupStats, seconds: bool) -> list[Cell]:
    def span(value: float | None) -> Cell:
        if value is None:
            return None
        return whole_seconds(value) if seconds else elapsed(value)

    return [
        g.commission,
        g.exam_id,
        g.candidates,
        g.marks,
        _round(g.mean),
        _round(g.sd),
        g.minimum,
        g.maximum,
        g.reserved,
        g.nv,
        g.absent,
        g.below,
        g.within,
        g.above,
        g.sessions,
        span(g.time_used_mean_s),
        span(g.planned_mean_s),
        g.over_planned,
    ]


def rows_table(h: Harmonisation, lang: str) -> list[list[Cell]]:
    """Header then one row per commission, exam and grid row: candidates per level."""
    head: list[Cell] = [
        tr(lang, "stats.col.commission"),
        tr(lang, "stats.col.exam"),
        tr(lang, "stats.col.criterion"),
        *h.levels,
    ]
    body: list[list[Cell]] = [
        [r.commission, r.exam_id, r.criterion, *(r.counts.get(lv, 0) for lv in h.levels)]
        for r in h.rows
    ]
    return [head, *body]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _text(value: Cell, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "fr" else text
    return str(value)


def render(h: Harmonisation, key: str, lang: str) -> bytes:
    """The table in format ``key`` (one of ``FORMATS``)."""
    if key == "md":
        return markdown(h, lang).encode("utf-8")
    if key == "csv":
        return to_csv(h, lang).encode("utf-8")
    return to_xlsx(h, lang)


def markdown(h: Harmonisation, lang: str) -> str:
    title = tr(lang, "stats.title", mode=tr(lang, f"logs.mode.{h.mode}"))
    parts = [f"# {title}", "", tr(lang, "stats.explained"), ""]
    if not h.groups:
        parts.append(tr(lang, "stats.empty"))
        return "\n".join(parts) + "\n"
    parts += [
        _md(group_table(h, lang, seconds=False), lang),
        "",
        f"## {tr(lang, 'stats.rows')}",
        "",
    ]
    parts.append(_md(rows_table(h, lang), lang) if h.rows else tr(lang, "stats.no_rows"))
    return "\n".join(parts) + "\n"


def _md(table: list[list[Cell]], lang: str) -> str:
    def line(cells: list[Cell]) -> str:
        texts = (_text(c, lang).replace("|", "\\|") for c in cells)
        return "| " + " | ".join(texts) + " |"

    head, *body = table
    return "\n".join([line(head), "|" + "---|" * len(head), *map(line, body)])


def to_csv(h: Harmonisation, lang: str) -> str:
    def texts(table: list[list[Cell]]) -> list[list[str]]:
        # A commission or a row as typed may start like a formula: shown as text.
        return [
            [csv_text(c) if isinstance(c, str) else _text(c, lang) for c in row] for row in table
        ]

    return csv_document(texts(group_table(h, lang, seconds=True)), texts(rows_table(h, lang)))


def to_xlsx(h: Harmonisation, lang: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has its sheet
    tables = [
        (tr(lang, "stats.sheet.marks"), group_table(h, lang, seconds=True)),
        (tr(lang, "stats.sheet.rows"), rows_table(h, lang)),
    ]
    for i, (title, table) in enumerate(tables):
        sheet = first if i == 0 else book.create_sheet()
        sheet.title = title
        for r, row in enumerate(table, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                if isinstance(value, str):
                    cell.value = value
                    cell.data_type = "s"  # a text is never a formula, whatever it starts with
                elif value is not None:
                    cell.value = value
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
