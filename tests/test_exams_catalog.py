"""The shipped 2018 exams match the référentiel (arrêté du 19 février 2018, annexe II d).

The session-2025 set beside them is checked in ``test_exams_2025.py``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from ndrc_oral.exams import Criterion, Exam, load_catalog, shipped_config_dir

# The grids as the référentiel words them: competence -> its criteria, in order.
BLOC3 = {
    "Implanter et promouvoir l'offre chez des distributeurs": [
        "rigueur dans le suivi de l'application des accords de référencement",
        "utilisation pertinente des techniques d'implantation et de valorisation des produits",
        "repérage des opportunités de référencement",
        "qualité du diagnostic (rayon, réseau et zone de prospection)",
        "pertinence des propositions et des actions pour développer la présence de la "
        "marque/produit",
    ],
    "Développer et piloter un réseau de partenaires": [
        "pertinence de la sélection de partenaires",
        "efficience et rentabilité des actions de dynamisation du réseau",
    ],
    "Créer et animer un réseau de vente directe": [
        "développement du fichier des conseillers",
        "professionnalisme et efficacité commerciale lors des ventes en réunion",
        "pertinence et efficacité des actions de recrutement et de formation",
        "cohérence de l'animation réseau avec les orientations commerciales",
        "respect de la réglementation et de l'éthique",
    ],
}
BLOC2 = {
    "Maîtriser la relation client omnicanale": [
        "utilisation efficace et pertinente des techniques et outils de communication à distance",
        "qualité d'appropriation du dossier client",
        "rapidité, agilité et proactivité dans la relation client à distance",
        "rigueur du reporting dans la data client",
        "évaluation synthétique de la performance commerciale",
        "rigueur dans l'organisation de l'activité de l'équipe",
        "évaluation de la performance collective et individuelle des téléacteurs",
        "efficacité dans la mobilisation et la régulation de l'équipe",
    ],
    "Animer la relation client digitale": [
        "qualité et pertinence des contenus publiés",
        "suivi rigoureux et optimisation du référencement",
        "cohérence entre les techniques, les outils mobilisés, les contenus et les moyens de "
        "diffusion",
        "rythme adapté d'actualisation des contenus",
        "suivi des publications et contrôle de l'image",
    ],
    "Développer la relation client en e-commerce": [
        "pertinence des choix et des actions menées pour développer les ventes et créer de la "
        "valeur",
        "qualité de l'assistance et prise en compte des risques et de la réglementation",
        "pertinence des indicateurs utilisés pour l'analyse des résultats",
    ],
}
BLOC1 = {
    "Cibler et prospecter la clientèle": [
        "pertinence de l'analyse du portefeuille clients",
        "qualification pertinente des prospects",
        "cohérence entre le ciblage et la démarche de prospection",
        "efficacité des choix opérés",
        "activation pertinente des réseaux professionnels",
    ],
    "Négocier et accompagner la relation client": [
        "maîtrise de la relation interpersonnelle",
        "efficacité de la négociation commerciale",
        "pertinence de la solution proposée",
        "personnalisation de la relation client",
        "qualité du diagnostic et de l'accompagnement client",
        "respect des engagements",
        "évolutivité et enrichissement de la relation client",
    ],
    "Organiser et animer un évènement commercial": [
        "pertinence du choix de l'évènement commercial",
        "efficacité de l'organisation au regard des contraintes logistiques, financières, "
        "commerciales",
        "qualité et efficacité de l'animation",
        "précision du bilan quantitatif et qualitatif de l'évènement commercial",
        "rigueur dans le suivi des contacts et des opportunités d'affaires",
    ],
    "Exploiter et mutualiser l'information commerciale": [
        "pertinence et qualité des informations collectées",
        "sélection et hiérarchisation de l'information diffusée",
        "qualité des analyses commerciales et des propositions",
    ],
}

# id -> (épreuve, phase durations in seconds, total cap, grid)
EXPECTED = {
    "e6-ccf-a": ("E6", [600, 300], 900, BLOC3),
    "e6-ccf-b": ("E6", [1200, 300], 1500, BLOC3),
    "e6-ponctuel": ("E6", [600, 300, 1200, 300], 2400, BLOC3),
    "e5-pratique": ("E5", [2400], 2400, BLOC2),
    "e4-ponctuel": ("E4", [2400, 600, 600, 1200, 600, 600], 3600, BLOC1),
    "e4-ccf-b": ("E4", [1200], 1200, BLOC1),
}


SET_2025 = {
    "e4-ccf-2025",
    "e4-ponctuel-2025",
    "e5-pratique-2025",
    "e6-ccf-2025",
    "e6-ponctuel-2025",
    "ef2-engagement-2025",
}


@pytest.fixture(scope="module")
def everything() -> dict[str, Exam]:
    cat = load_catalog(None)
    return {i: cat.get(i) for i in cat}


@pytest.fixture(scope="module")
def catalog(everything: dict[str, Exam]) -> dict[str, Exam]:
    """The référentiel-2018 set (the one these tests pin down)."""
    return {i: e for i, e in everything.items() if e.source and e.source.first_session == 2020}


def test_the_six_shipped_exams(everything: dict[str, Exam], catalog: dict[str, Exam]) -> None:
    assert sorted(catalog) == sorted(EXPECTED)
    assert sorted(everything) == sorted(set(EXPECTED) | SET_2025)
    for exam in catalog.values():
        assert exam.source is not None and not exam.source.in_force
        assert "19 février 2018" in exam.source.text.fr


@pytest.mark.parametrize("exam_id", sorted(EXPECTED))
def test_phase_durations_and_cap(catalog: dict[str, Exam], exam_id: str) -> None:
    epreuve, durations, cap, _ = EXPECTED[exam_id]
    exam = catalog[exam_id]
    assert exam.epreuve == epreuve
    assert [p.duration_s for p in exam.phases] == durations
    assert exam.total_cap_s == cap


@pytest.mark.parametrize("exam_id", sorted(EXPECTED))
def test_grid_matches_the_referentiel(catalog: dict[str, Exam], exam_id: str) -> None:
    grid = EXPECTED[exam_id][3]
    exam = catalog[exam_id]
    found = {c.label.fr: [cr.label.fr for cr in c.criteria] for c in exam.competences}
    assert list(found) == list(grid)
    for competence, criteria in grid.items():
        got = found[competence]
        assert [g[0].lower() + g[1:] for g in got] == criteria
        assert all(g[0].isupper() for g in got)  # a capital first letter
    # every criterion has an English label, ids are unique kebab-case
    ids = exam.criterion_ids()
    assert len(ids) == len(set(ids))
    assert all(c.id.replace("-", "").isalnum() and "_" not in c.id for c in _criteria(exam))
    assert all(c.label.en for c in _criteria(exam))


def _criteria(exam: Exam) -> list[Criterion]:
    return [cr for c in exam.competences for cr in c.criteria]


def test_criteria_counts(catalog: dict[str, Exam]) -> None:
    counts = {i: len(e.criterion_ids()) for i, e in catalog.items()}
    assert counts == {
        "e6-ccf-a": 12,
        "e6-ccf-b": 12,
        "e6-ponctuel": 12,
        "e5-pratique": 16,
        "e4-ponctuel": 20,
        "e4-ccf-b": 20,
    }


def test_scale_is_ti_i_s_ts(everything: dict[str, Exam]) -> None:
    for exam in everything.values():
        assert exam.level_codes() == ["TI", "I", "S", "TS"]


def test_e6_situations(catalog: dict[str, Exam]) -> None:
    a = catalog["e6-ccf-a"]
    assert a.situation == "Situation A"
    assert [p.speaker for p in a.phases] == ["candidate", "commission"]
    assert a.phases[0].carry_over  # the exposé's unused time goes to the entretien
    assert catalog["e6-ccf-b"].situation == "Situation B"


def test_e5_practical(catalog: dict[str, Exam]) -> None:
    e5 = catalog["e5-pratique"]
    assert e5.max_candidates == 3
    assert e5.cms_choices == ["WordPress", "PrestaShop"]
    assert [p.speaker for p in e5.phases] == ["both"]


def test_e4_preparation_then_oral(catalog: dict[str, Exam]) -> None:
    e4 = catalog["e4-ponctuel"]
    prep, first, *rest = e4.phases
    assert prep.preparation and prep.auto_end and prep.speaker == "candidate"
    assert prep.warnings_s == [600, 300, 60]
    # The candidate comes in from the preparation room: the commission starts the oral.
    assert first.auto_start is False
    assert all(p.auto_start for p in rest)
    assert not any(p.preparation for p in [first, *rest])
    assert sum(p.duration_s for p in [first, *rest]) == e4.total_cap_s == 3600
    assert e4.phases[3].speaker == "both"  # the simulation


def test_every_phase_has_its_warnings_before_the_end(everything: dict[str, Exam]) -> None:
    for exam in everything.values():
        for p in exam.all_phases():
            assert p.warnings_s and max(p.warnings_s) < p.duration_s


def test_each_shipped_file_cites_its_source() -> None:
    files = sorted(shipped_config_dir().glob("*.toml"))
    files += sorted((shipped_config_dir() / "grids").glob("*.toml"))
    assert len(files) == 9 + 9  # the 2018 set and its grids; the 2025 set and its grids
    for f in files:
        head = f.read_text("utf-8").splitlines()[:3]
        cited = "session 2025" if "2025" in f.stem else "19 février 2018"
        assert head[0].startswith("#") and cited in " ".join(head), f


def test_listing_does_not_import_textual_nor_sessions() -> None:
    code = (
        "import sys; import ndrc_oral.exams.loader, ndrc_oral.exams, ndrc_oral.commands.exams;"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual'"
        " or m.startswith(('ndrc_oral.session', 'ndrc_oral.transcript', 'ndrc_oral.tui'))];"
        "print(bad); print('pydantic' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[0] == "[]"
    # The listing command's modules do not pay for pydantic until a file is validated.
    assert out[1] == "False"
