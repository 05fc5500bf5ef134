"""The roster as the centre sends it: French Excel's CSV, XLSX, and the one line of a bad row."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from openpyxl import Workbook

from ndrc_oral.exam_room.roster import RosterError, read_roster
from ndrc_oral.exams.loader import Catalog
from tests.day.roster_files import HEADER, e4_rows, write_csv


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_french_excel_csv_in_any_of_its_encodings(
    tmp_path: Path, catalog: Catalog, encoding: str
) -> None:
    path = write_csv(tmp_path / "liste.csv", e4_rows(24), encoding=encoding)
    rows = read_roster(path, catalog.ids())
    assert len(rows) == 24
    assert rows[1].name == "NOM02 Prénom2" and rows[1].number == "02140002"
    assert rows[23].at == time(23, 20) and rows[0].day == date(2026, 6, 2)


def test_headers_in_any_order_case_and_accents(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "l.csv"
    path.write_text(
        "HEURE;prenom;NOM;numero candidat;epreuve;date;AMÉNAGEMENT;motif\n"
        "8h30;Léa;ROUX;77;e4-ponctuel-2025;2026-06-03;oui;dyslexie\n",
        encoding="utf-8",
    )
    [row] = read_roster(path, catalog.ids())
    assert (row.name, row.number, row.at, row.extra_time, row.extra_time_reason) == (
        "ROUX Léa",
        "77",
        time(8, 30),
        "1/3",
        "dyslexie",
    )


def test_a_bad_row_names_the_file_the_row_and_the_column(tmp_path: Path, catalog: Catalog) -> None:
    rows = e4_rows(5)
    rows[3] = rows[3].replace("02/06/2026", "31/02/2026")
    path = write_csv(tmp_path / "liste.csv", rows)
    with pytest.raises(RosterError) as caught:
        read_roster(path, catalog.ids())
    message = str(caught.value)
    assert "liste.csv" in message and "ligne 5" in message and "« Date »" in message
    assert "\n" not in message


def test_an_unknown_exam_and_a_number_twice(tmp_path: Path, catalog: Catalog) -> None:
    rows = e4_rows(3, exam="e9-inconnue")
    with pytest.raises(RosterError, match=r"ligne 2, colonne « Épreuve »"):
        read_roster(write_csv(tmp_path / "a.csv", rows), catalog.ids())
    twice = e4_rows(3)
    twice[2] = twice[2].replace("02140003", "02140001")
    with pytest.raises(RosterError, match=r"ligne 4, colonne « N° candidat ».*ligne 2"):
        read_roster(write_csv(tmp_path / "b.csv", twice), catalog.ids())


def test_files_that_are_no_roster(tmp_path: Path, catalog: Catalog) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "dir.csv").mkdir()
    (tmp_path / "head.csv").write_text(HEADER + "\n")
    for name, words in [
        ("empty.csv", "vide"),
        ("notes.txt", "type inconnu"),
        ("dir.csv", "pas un fichier"),
        ("head.csv", "aucun candidat"),
        ("missing.csv", "pas un fichier"),
    ]:
        with pytest.raises(RosterError, match=words):
            read_roster(tmp_path / name, catalog.ids())


def test_xlsx_with_typed_cells(tmp_path: Path, catalog: Catalog) -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Nom", "Prénom", "N° candidat", "Épreuve", "Date", "Heure"])
    sheet.append(["DUPONT", "Marie", 421, "e4-ponctuel-2025", datetime(2026, 6, 2), time(8, 0)])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["MARTIN", "Léo", 422, "e4-ponctuel-2025", "02/06/2026", "08:40"])
    path = tmp_path / "liste.xlsx"
    book.save(path)
    rows = read_roster(path, catalog.ids())
    assert [(r.name, r.number, r.at, r.row) for r in rows] == [
        ("DUPONT Marie", "421", time(8, 0), 2),
        ("MARTIN Léo", "422", time(8, 40), 4),
    ]
