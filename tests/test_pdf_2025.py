"""The PDFs of the session-2025 exams, read back: the fiche as printed, the grille with its rows.

The fiche holds each field its definition declares (per phase or situation,
boxes ticked, signature lines, NOTE sur 20, the sentence on communicating it)
and no row, no criterion, no note; the grille holds every row with its
bracketed criteria, the TI / I / S / TS columns, NOTE sur 20 and the sentence
on its exclusive use.
"""

from __future__ import annotations

import io

from pypdf import PdfReader
from sessions import who

from ndrc_oral.exam_room.epreuves import open_epreuves
from ndrc_oral.exam_room.requests import SessionRequest, create_session, place_requests
from ndrc_oral.exams import Catalog, Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import Member, Role
from ndrc_oral.transcript import Store
from ndrc_oral.transcript.export_pdf import fiche_pdf, grille_pdf
from ndrc_oral.transcript.recorder import LiveSession, load_session

MEMBERS = [Member("Mme Durand", Role.ENSEIGNANT), Member("M. Petit", Role.PROFESSIONNEL)]
NOTE_A = "Expérience réelle bien située dans le réseau"
NOTE_B = "Recrutement des vendeuses à domicile détaillé"


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def _session(store: Store, exam: Exam, clock: FakeClock) -> LiveSession:
    request = SessionRequest(
        exam.id, who("Zoé Martin", number="0421", commission="7", members=MEMBERS)
    )
    [placed] = place_requests(store, exam, clock, [request], open_epreuves(store))
    live = create_session(store, exam, clock, placed)
    live.session.start()
    clock.advance(900)
    return live


def epreuve(store: Store, catalog: Catalog, finish_b: bool = True) -> LiveSession:
    exam = catalog.get("e6-ccf-2025")
    a = _session(store, exam, FakeClock())
    a.session.note(NOTE_A, criterion="valoriser-offre")
    a.session.rate("valoriser-offre", "S")
    a.session.set_result(
        situation_done=True,
        fields={"fiche-a": "1", "reseau-a": ["distributeurs"], "appreciation-a": "Bien mené."},
        members=MEMBERS[:1],
    )
    a.session.finish()
    a.close()
    clock = FakeClock(start=5000, wall=FakeClock().wall().replace(month=7))
    b = _session(store, exam, clock)
    b.session.note(NOTE_B, criterion="recruter-former")
    b.session.rate("recruter-former", "TS")
    if finish_b:
        b.session.end_phase()
        b.session.set_result(
            mark=15.5,
            fields={"fiches-b": "2/3", "reseau-b": ["partenaires", "vente-directe"]},
            members=MEMBERS[1:],
        )
        b.session.finish()
    b.close()
    return b


def test_the_fiche_of_the_epreuve_holds_every_field_and_no_row_nor_note(
    store: Store, catalog: Catalog
) -> None:
    b = epreuve(store, catalog)
    text = _text(fiche_pdf(load_session(b.path)))
    exam = catalog.get("e6-ccf-2025")
    for block in exam.fiche_blocks():
        if block.title is not None:
            assert block.title.fr in text
        for field in block.fields:
            assert field.label.fr in text, field.id
    assert "☒ Réseau de distributeurs ☐ Réseau de partenaires ☐ Réseau de vente directe" in text
    assert "☐ Réseau de distributeurs ☒ Réseau de partenaires ☒ Réseau de vente directe" in text
    assert "Bien mené." in text and "2/3" in text
    assert "Mme Durand (enseignant)" in text and "M. Petit (professionnel)" in text
    assert text.count("Signature") == 2  # one line per situation's member
    assert "NOTE sur 20" in text and "15,5 / 20" in text
    assert (
        "Ce document d'évaluation peut être communiqué au candidat, à sa demande, après délibération du jury."
        in text
    )
    assert "Circulaire nationale d'organisation, session 2025" in text
    for comp in exam.competences:  # no grid: no row, no criterion, no level
        for row in comp.criteria:
            assert row.label.fr not in text
            assert all(c.fr not in text for c in row.covers)
    assert NOTE_A not in text and NOTE_B not in text
    assert " TS " not in f" {text} "


def test_the_grille_holds_every_row_its_criteria_and_both_situations_notes(
    store: Store, catalog: Catalog
) -> None:
    b = epreuve(store, catalog)
    text = _text(grille_pdf(load_session(b.path)))
    for comp in catalog.get("e6-ccf-2025").competences:
        for row in comp.criteria:
            assert row.label.fr in text
            assert "(" + ", ".join(c.fr for c in row.covers) + ")" in text
    assert "TI I S TS" in text
    assert NOTE_A in text and NOTE_B in text and "situation A" in text
    assert "NOTE sur 20" in text and "15,5 / 20" in text
    assert (
        "Ce document d'aide à l'évaluation est à usage exclusif de la commission "
        "d'interrogation, il ne doit pas être communiqué au candidat." in text
    )
    assert "DOCUMENT RÉSERVÉ À LA COMMISSION" in text
    assert "Situation A" in text and "Situation B" in text  # Dates : Situation A … B …


def test_an_unfinished_fiche_says_so_and_offers_no_signature(
    store: Store, catalog: Catalog
) -> None:
    b = epreuve(store, catalog, finish_b=False)
    text = _text(fiche_pdf(load_session(b.path)))
    assert "SESSION NON TERMINÉE" in text
    assert "Signature" not in text


def test_the_e4_ponctuel_and_e5_fiches(store: Store, catalog: Catalog) -> None:
    e4 = catalog.get("e4-ponctuel-2025")
    live = _session(store, e4, FakeClock())
    live.session.finish()
    live.session.set_result(
        mark=12,
        reserved=True,
        fields={"appreciation-p1": "Un", "appreciation-p2": "Deux", "titre": "Salon"},
    )
    live.close()
    text = _text(fiche_pdf(load_session(live.path)))
    for phase in e4.phases[1:]:
        assert phase.label.fr in text  # a block per phase
    assert "Un" in text and "Deux" in text and "Salon" in text
    assert "note réservée dans l'attente d'une vérification" in text and "12 / 20" not in text

    e5 = catalog.get("e5-pratique-2025")
    request = SessionRequest(e5.id, who("Léa", cms="PrestaShop", subject="C"))
    live = create_session(store, e5, FakeClock(), request)
    live.session.finish()
    live.session.set_result(mark=14, fields={"appreciation": "Très bien."})
    live.close()
    text = _text(fiche_pdf(load_session(live.path)))
    assert "☐ WordPress ☒ PrestaShop" in text and "Lettre du sujet C" in text
    assert "Appréciation globale" in text and "Très bien." in text
