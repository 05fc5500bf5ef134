"""The CSV of results, parsed back with the csv module as a spreadsheet would read it."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from sessions import who
from test_logs_support import Plan, drive, shipped

from ndrc_oral.cli import main
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Store, load_session, new_session
from ndrc_oral.transcript.export_csv import Entry, results_csv
from ndrc_oral.transcript.summary import summarize_loaded


def _entries(store: Store, *plans: Plan) -> list[Entry]:
    out: list[Entry] = []
    for plan in plans:
        loaded = load_session(drive(store, plan).path)
        out.append((summarize_loaded(loaded), loaded))
    return out


def _parse(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # the BOM: French Excel then reads UTF-8
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_one_row_per_session_with_accents_bom_and_semicolons(store: Store) -> None:
    text = results_csv(
        _entries(store, Plan(), Plan(candidate="Éloïse Çelik-Bœuf", number="0777", mark=8))
    )
    header = text[1:].splitlines()[0]
    assert header.split(";")[:5] == ["session", "épreuve", "E", "n° candidat", "nom"]
    rows = _parse(text)
    assert [r["nom"] for r in rows] == ["Zoé Lefèvre-Œuvray", "Éloïse Çelik-Bœuf"]
    assert rows[0]["n° candidat"] == "0421"
    assert rows[0]["note /20"] == "13,5"  # decimal comma: a number in a French spreadsheet
    assert rows[1]["note /20"] == "8"
    assert rows[0]["date"] == "2026-06-02"
    assert rows[0]["durée (s)"] == "1020"
    assert rows[0]["dépassement (s)"] == "60"
    assert rows[0]["intégrité"] == "intact"


def test_criterion_columns_cover_every_exam_present(store: Store) -> None:
    e4 = shipped("e4-ccf-b")
    clock = FakeClock(wall=datetime(2026, 6, 3, 9, 0).astimezone())
    live = new_session(store, e4, clock, who("Marc"), fsync=False)
    live.session.start()
    clock.advance(1000)
    live.session.rate(e4.criterion_ids()[1], "TS")
    live.session.finish()
    live.close()
    e4_loaded = load_session(live.path)
    entries = [*_entries(store, Plan()), (summarize_loaded(e4_loaded), e4_loaded)]
    rows = _parse(results_csv(entries))
    e6_ids = shipped("e6-ccf-a").criterion_ids()
    assert list(rows[0])[-len(e6_ids) - len(e4.criterion_ids()) :] == e6_ids + e4.criterion_ids()
    assert rows[0]["qualite-diagnostic"] == "S"
    assert rows[0]["dynamisation-reseau"] == "TI"
    assert rows[0]["suivi-referencement"] == ""  # not rated
    assert rows[0][e4.criterion_ids()[1]] == ""  # not in that session's exam
    assert rows[1][e4.criterion_ids()[1]] == "TS"
    assert rows[1]["qualite-diagnostic"] == ""
    assert rows[1]["note /20"] == "" and rows[1]["terminée"] == "oui"


def test_a_cell_that_looks_like_a_formula_is_neutralised(store: Store) -> None:
    rows = _parse(results_csv(_entries(store, Plan(candidate='=HYPERLINK("x")'))))
    assert rows[0]["nom"] == '\'=HYPERLINK("x")'


def test_an_outcome_fills_its_own_column(store: Store) -> None:
    rows = _parse(results_csv(_entries(store, Plan(mark=None, outcome="absent"))))
    assert rows[0]["note /20"] == "" and rows[0]["statut"] == "absent"


def test_cli_csv_takes_the_filters_and_lists_damaged_files(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    drive(store, Plan(candidate="Zoé", day=2))
    drive(store, Plan(candidate="Marc", day=3, mode="rehearsal"))
    (store.root / "20260604-100000-000000.toml").write_text("garbage", encoding="utf-8")
    assert main(["logs", "export", "--format", "csv"]) == 0
    rows = _parse(capsys.readouterr().out)
    assert [r["nom"] for r in rows] == ["Zoé", "Marc", ""]
    assert rows[2]["intégrité"] == "damaged"
    assert (
        main(["logs", "export", "--format", "csv", "--since", "2026-06-03", "--mode", "rehearsal"])
        == 0
    )
    assert [r["nom"] for r in _parse(capsys.readouterr().out)] == ["Marc"]
