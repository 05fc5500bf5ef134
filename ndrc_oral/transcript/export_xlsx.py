"""The results of many sessions as an XLSX workbook, with typed cells.

The same table as the CSV (``export_csv.results_table``'s columns, French
headers), but each cell has the type a spreadsheet must keep: a CSV cell is
guessed at by the spreadsheet, and LibreOffice turned candidate ``0421`` into
the number 421. Here the candidate number, the session id and every word are
text cells (``@`` format), the mark a number (``12.5``, shown ``12,5`` in a
French spreadsheet), durations whole seconds as numbers, the date a date
(``JJ/MM/AAAA``). A text cell is always written as text, so a name starting
with ``=`` is never a formula (openpyxl would otherwise take it for one).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from ndrc_oral.transcript.export_csv import Cell, typed_table
from ndrc_oral.transcript.exports import Entry

DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"
MARK_FORMAT = "0.0#"


def results_xlsx(entries: Sequence[Entry], lang: str = "fr") -> bytes:
    """The workbook's bytes: one sheet, a header row, one row per session."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = "NDRC"
    table = typed_table(entries, lang)
    for r, row in enumerate(table, start=1):
        for c, value in enumerate(row, start=1):
            _put(sheet.cell(row=r, column=c), value, mark=(r > 1 and c == MARK_COLUMN))
    sheet.freeze_panes = "A2"  # the French headers stay in sight
    for c, head in enumerate(table[0], start=1):
        sheet.column_dimensions[get_column_letter(c)].width = max(10, len(str(head)) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MARK_COLUMN = 9
"""The ``note /20`` column, 1-based (after session, exam, E, number, name, commission,
date, mode)."""


def _put(cell: XlCell | MergedCell, value: Cell, *, mark: bool) -> None:
    assert isinstance(cell, XlCell)  # nothing is merged on this sheet
    if value is None:
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text starts with
        cell.number_format = TEXT_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value
        if mark:
            cell.number_format = MARK_FORMAT
