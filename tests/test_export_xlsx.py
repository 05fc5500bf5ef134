"""The XLSX of results, read back with openpyxl: each cell keeps its type (issue 10: a
spreadsheet turned candidate "0421" into 421 from the CSV)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_export_csv import _entries
from test_logs_support import Plan, drive

from ndrc_oral.cli import main
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.transcript import Store
from ndrc_oral.transcript.exports import render_many


def _sheet(data: bytes) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_cells_are_typed_and_headers_french(store: Store) -> None:
    data = render_many(
        _entries(store, Plan(), Plan(candidate='=HYPERLINK("x")', number="0077", mark=8)), "xlsx"
    )
    rows = _sheet(data)
    assert rows[0]["n° candidat"] == "0421"  # text: the leading zero stays
    assert rows[1]["n° candidat"] == "0077"
    assert rows[0]["note /20"] == 13.5 and rows[1]["note /20"] == 8
    assert rows[0]["date"] == datetime(2026, 6, 2)  # a date cell (openpyxl reads a datetime)
    assert rows[0]["durée (s)"] == 1020 and rows[0]["dépassement (s)"] == 60
    assert isinstance(rows[0]["session"], str) and rows[0]["terminée"] == "oui"
    assert rows[1]["nom"] == '=HYPERLINK("x")'  # text, never a formula
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["D2"].data_type == "s" and sheet["D2"].number_format == "@"
    assert sheet["E3"].data_type == "s"
    assert sheet["G2"].is_date and sheet["G2"].number_format == "DD/MM/YYYY"
    assert sheet["I2"].data_type == "n"


def test_an_outcome_leaves_the_mark_empty(store: Store) -> None:
    rows = _sheet(render_many(_entries(store, Plan(mark=None, outcome="absent")), "xlsx"))
    assert rows[0]["note /20"] is None and rows[0]["statut"] == "absent"


def test_cli_writes_the_xlsx_to_a_file(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drive(store, Plan(candidate="Zoé", day=2))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "résultats.xlsx"
    assert main(["logs", "export", "--format", "xlsx", "-o", str(out)]) == 0
    assert [r["nom"] for r in _sheet(out.read_bytes())] == ["Zoé"]


def test_corrections_and_a_cancellation_read_as_in_the_csv_without_its_quote(
    store: Store, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The current mark after a correction, the history, the cancellation and its reason;
    a reason starting with ``=`` is a text cell, never prefixed with the CSV's ``'``."""
    from test_corrections import clock_on, marked

    from ndrc_oral.exam_room.requests import cancel_session

    corrected = marked(store, catalog, 13.0)
    data = ["--data-dir", str(store.root)]
    argv = ["logs", "correct", *data, corrected.session_id, "--mark", "15"]
    assert main([*argv, "--reason", "=faute de frappe"]) == 0
    cancelled = marked(store, catalog, 11.0)
    cancel_session(store, cancelled.session_id, clock_on(3), "=mauvais candidat")
    capsys.readouterr()
    out = tmp_path / "résultats.xlsx"
    assert main(["logs", "export", *data, "--format", "xlsx", "-o", str(out)]) == 0
    rows = {str(r["session"]): r for r in _sheet(out.read_bytes())}
    fixed, gone = rows[corrected.session_id], rows[cancelled.session_id]
    assert fixed["note /20"] == 15 and not fixed["statut"]
    history = str(fixed["corrections"])
    assert "13 / 20 → 15 / 20" in history
    assert "=faute de frappe" in history and "'=" not in history
    assert gone["note /20"] is None and gone["statut"] == "annulee"
    assert gone["annulation"] == "=mauvais candidat"

    assert main(["logs", "export", *data, "--format", "csv"]) == 0  # the CSV keeps its guard
    assert ";'=mauvais candidat" in capsys.readouterr().out
