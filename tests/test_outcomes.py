"""NV and note réservée as the texts define them: recorded, settled, printed, listed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sessions import who

from ndrc_oral.cli import main
from ndrc_oral.exam_room.requests import SessionRequest, create_session, record_nv
from ndrc_oral.exams import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.verdict import Status
from ndrc_oral.transcript import Store, read_transcript
from ndrc_oral.transcript.export_pdf import fiche_pdf
from ndrc_oral.transcript.recorder import LiveSession, load_session


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def reserved(store: Store, catalog: Catalog) -> LiveSession:
    """An E6 ponctuel 2025 session run and marked 13,5 réservée."""
    clock = FakeClock()
    exam = catalog.get("e6-ponctuel-2025")
    request = SessionRequest(exam.id, who("Yann Le Goff", number="0042", commission="3"))
    live = create_session(store, exam, clock, request)
    live.session.start()
    clock.advance(900)
    live.session.end_phase()
    live.session.start()
    clock.advance(880)
    live.session.end_phase()
    live.session.set_result(mark=13.5, reserved=True, fields={"appreciation-p1": "Solide."})
    live.session.finish()
    live.close()
    return live


def _csv(store: Store, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    assert main(["logs", "export", "--data-dir", str(store.root), "--format", "csv"]) == 0
    rows = list(
        csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")), delimiter=";")
    )
    assert len(rows) == 1
    return rows[0]


def test_nv_without_a_timer_and_its_pdf_is_the_notification(store: Store, catalog: Catalog) -> None:
    exam = catalog.get("e4-ponctuel-2025")
    request = SessionRequest(exam.id, who("Inès Petit", number="0077", commission="4"))
    live = record_nv(store, exam, FakeClock(), request, "stage-insuffisant")
    events = read_transcript(live.path).events
    assert [e.kind for e in events] == ["created", "result", "finished"]  # no phase ran
    loaded = load_session(live.path)
    assert loaded.state.verdict is not None and loaded.state.verdict.status is Status.NV
    text = _text(fiche_pdf(loaded))
    assert "NOTIFICATION DE NON-VALIDITÉ" in text
    assert "☒ durée de stage inférieure à celle requise par la réglementation de l'examen" in text
    assert text.count("☐") == 4 and "Inès Petit" in text and "0077" in text


def test_reserved_keeps_the_mark_then_released(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    live = reserved(store, catalog)
    loaded = load_session(live.path)
    verdict = loaded.state.verdict
    assert verdict is not None and verdict.pending and verdict.mark == 13.5
    fiche = _text(fiche_pdf(loaded))
    assert "note réservée dans l'attente d'une vérification" in fiche and "13,5" not in fiche
    row = _csv(store, capsys)
    assert (row["note /20"], row["statut"]) == ("13,5", "reservee")

    data = ["--data-dir", str(store.root)]
    assert main(["logs", "settle", *data, live.session_id, "--release"]) == 0
    assert "libérée" in capsys.readouterr().out
    loaded = load_session(live.path)
    assert loaded.state.verdict is not None and loaded.state.verdict.status is Status.MARK
    assert read_transcript(live.path).events[-1].kind == "reservation_lifted"
    assert "13,5 / 20" in _text(fiche_pdf(loaded))
    row = _csv(store, capsys)
    assert (row["note /20"], row["statut"]) == ("13,5", "")
    assert main(["logs", "settle", *data, live.session_id, "--release"]) == 1  # settled already
    assert "aucune note réservée" in capsys.readouterr().err
    assert main(["logs", "verify", *data, live.session_id]) == 0


def test_reserved_then_nv_after_the_check(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    live = reserved(store, catalog)
    data = ["--data-dir", str(store.root)]
    assert main(["logs", "settle", *data, live.session_id, "--nv", "excuse"]) == 2
    assert "pas-de-dossier" in capsys.readouterr().err  # the reasons are listed
    assert main(["logs", "settle", *data, live.session_id, "--nv", "non-signes"]) == 0
    capsys.readouterr()
    loaded = load_session(live.path)
    verdict = loaded.state.verdict
    assert verdict is not None and verdict.status is Status.NV
    assert verdict.mark == 13.5 and verdict.reason == "non-signes"  # the mark given is kept
    row = _csv(store, capsys)
    assert (row["note /20"], row["statut"]) == ("", "nv")
    text = _text(fiche_pdf(loaded))
    assert "☒ documents constituant le dossier non visés ou non signés" in text
    assert main(["logs", "show", *data, live.session_id]) == 0
    assert "note réservée : 13,5" in capsys.readouterr().out


def test_an_unfinished_session_cannot_be_settled(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    exam = catalog.get("e6-ponctuel-2025")
    live = create_session(store, exam, FakeClock(), SessionRequest(exam.id, who("X")))
    live.close()
    assert (
        main(["logs", "settle", "--data-dir", str(store.root), live.session_id, "--release"]) == 1
    )
    assert "pas terminée" in capsys.readouterr().err
