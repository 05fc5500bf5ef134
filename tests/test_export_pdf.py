"""The two PDFs, read back with pypdf: the fiche never shows the grid or the notes."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from test_logs_support import ACCENTS, Plan, drive, flat, shipped

from ndrc_oral.transcript import LoadedSession, Store, load_session
from ndrc_oral.transcript.export_pdf import fiche_pdf, grille_pdf

NOTES = (
    ("Accroche « réseau » très claire, l’exposé démarre bien", "qualite-diagnostic"),
    ("Remarque générale : voix posée, ça reste fluide", None),
    ("Réponse vague sur la rentabilité", "dynamisation-reseau"),
)
APPRECIATION = f"Candidat à l’aise, présentation « franchise » réussie. Accents : {ACCENTS}"


@pytest.fixture
def loaded(store: Store) -> LoadedSession:
    return load_session(drive(store, Plan(notes=NOTES, appreciation=APPRECIATION)).path)


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, flat("\n".join(page.extract_text() for page in reader.pages))


def _criterion_labels() -> list[str]:
    exam = shipped("e6-ccf-a")
    return [c.label.fr for comp in exam.competences for c in comp.criteria]


def test_both_are_a4(loaded: LoadedSession) -> None:
    for pdf in (fiche_pdf(loaded), grille_pdf(loaded)):
        assert pdf.startswith(b"%PDF-")
        reader, _ = _text(pdf)
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_the_fiche_has_identity_mark_appreciation_and_members(loaded: LoadedSession) -> None:
    _, text = _text(fiche_pdf(loaded))
    assert "FICHE D'ÉVALUATION" in text
    assert "Zoé Lefèvre-Œuvray" in text
    assert "0421" in text
    assert "02/06/2026" in text
    assert "Situation A" in text
    assert "13,5 / 20" in text
    assert flat(APPRECIATION) in text
    assert "Mme Dupré" in text and "M. François" in text
    assert "Signature" in text
    assert "Fiche 1 : Leclerc" in text and "franchise" in text


def test_the_fiche_has_no_criterion_no_level_and_no_note(loaded: LoadedSession) -> None:
    _, fiche = _text(fiche_pdf(loaded))
    _, grille = _text(grille_pdf(loaded))
    for label in _criterion_labels():
        assert flat(label) in grille  # the check finds them where they are...
        assert flat(label) not in fiche  # ...so their absence here means something
    for note, _ in NOTES:
        assert flat(note) in grille
        assert flat(note) not in fiche
    assert "très insuffisant" in grille and "très insuffisant" not in fiche
    assert "Accroche" not in fiche and "rentabilité" not in fiche


def test_the_grille_is_marked_for_the_commission_on_every_page(store: Store) -> None:
    many = tuple((f"Observation {i} : l’argument « prix » est repris", None) for i in range(150))
    loaded = load_session(drive(store, Plan(notes=many)).path)
    reader, _ = _text(grille_pdf(loaded))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert "RÉSERVÉ À LA COMMISSION" in page.extract_text()
    _, text = _text(grille_pdf(loaded))
    assert "Observation 149" in text  # nothing lost at a page break


def test_the_grille_has_levels_notes_with_stamps_and_general_notes(loaded: LoadedSession) -> None:
    _, text = _text(grille_pdf(loaded))
    assert "GRILLE D'AIDE À L'ÉVALUATION" in text
    assert "08:01:00 · Exposé du candidat +01:00" in text  # stamp of the first note
    assert "Notes générales" in text
    general = text[text.index("Notes générales") :]
    assert "Remarque générale" in general and "Accroche" not in general
    for competence in ("Implanter et promouvoir", "Développer et piloter", "Créer et animer"):
        assert competence in text


def test_accents_survive_in_both(loaded: LoadedSession) -> None:
    _, fiche = _text(fiche_pdf(loaded))
    assert ACCENTS in fiche
    for ch in ACCENTS.split():
        assert ch in fiche


def test_a_rehearsal_says_so_and_a_result_not_entered_too(store: Store) -> None:
    loaded = load_session(drive(store, Plan(mode="rehearsal", mark=None)).path)
    _, text = _text(fiche_pdf(loaded))
    assert "RÉPÉTITION" in text
    assert "non saisi" in text


def test_an_outcome_and_english(store: Store) -> None:
    loaded = load_session(drive(store, Plan(mark=None, outcome="absent")).path)
    _, fr = _text(fiche_pdf(loaded))
    assert "absent" in fr
    _, en = _text(fiche_pdf(loaded, lang="en"))
    assert "EVALUATION SHEET" in en and "absent" in en
    # NV prints as the notification of non-validity, its reason ticked.
    loaded = load_session(drive(store, Plan(mark=None, outcome="nv")).path)
    _, fr = _text(fiche_pdf(loaded))
    assert "NOTIFICATION DE NON-VALIDITÉ" in fr and "NV (non valide)" in fr
    assert "☒ absence de dépôt du dossier" in fr and fr.count("☐") == 4
    _, en = _text(fiche_pdf(loaded, lang="en"))
    assert "NOTIFICATION OF NON-VALIDITY" in en and "NV (not valid)" in en


def test_unprintable_characters_do_not_break_the_export(store: Store) -> None:
    notes = (("tab\there, bell \x07, CJK 漢字, emoji 🙂", None),)
    loaded = load_session(drive(store, Plan(notes=notes, candidate="Zoé\tZ")).path)
    _, text = _text(grille_pdf(loaded))
    assert "tab here" in text and "??" in text
