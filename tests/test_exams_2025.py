"""The session-2025 set (circulaire nationale d'organisation), beside the 2018 one.

Figures, row labels and fiche fields as ``shared/domain.md`` gives them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ndrc_oral.cli import main
from ndrc_oral.exams import Exam, load_catalog
from ndrc_oral.exams.models import FieldKind
from ndrc_oral.exams.sources import grouped
from ndrc_oral.i18n import set_language

E4_ROWS = {
    "Cibler et prospecter la clientèle": [
        ("Analyser un portefeuille client", 2),
        ("Identifier des cibles de clientèle", 1),
        ("Mettre en œuvre et évaluer une démarche de prospection", 1),
        ("Développer des réseaux professionnels", 1),
    ],
    "Négocier et accompagner la relation-client": [
        ("Négocier et vendre une solution adaptée au client", 3),
        ("Créer et maintenir une relation client durable", 4),
    ],
    "Organiser et animer un évènement commercial": [
        ("Organiser un évènement commercial", 2),
        ("Animer un évènement commercial", 1),
        ("Exploiter un évènement commercial", 2),
    ],
    "Exploiter et mutualiser l'information commerciale": [
        ("Remonter, valoriser et partager l'information commerciale", 2),
        ("Collaborer à l'interne en vue de développer l'expertise commerciale", 1),
    ],
}
E6_ROWS = {
    "Implanter et promouvoir l'offre chez les distributeurs": [
        ("Valoriser l'offre sur le lieu de vente", 2),
        ("Développer la présence dans le réseau de distributeurs", 3),
    ],
    "Développer et piloter un réseau de partenaires": [
        ("Participer au développement d'un réseau de partenaires", 1),
        ("Mobiliser un réseau de partenaires et évaluer les performances", 1),
    ],
    "Créer et animer un réseau de vente directe": [
        ("Prospecter, organiser des rencontres et vendre en réunion", 2),
        ("Recruter et former des vendeurs à domicile", 1),
        ("Impulser une dynamique de réseau", 2),
    ],
}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("NDRC_ORAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("NDRC_ORAL_CONFIG_DIR", raising=False)
    yield
    set_language("fr")


@pytest.fixture(scope="module")
def cat() -> dict[str, Exam]:
    catalog = load_catalog(None)
    return {i: catalog.get(i) for i in catalog}


def _rows(exam: Exam) -> dict[str, list[tuple[str, int]]]:
    return {
        (c.label.fr if c.label else ""): [(r.label.fr, len(r.covers)) for r in c.criteria]
        for c in exam.competences
    }


def test_every_2025_exam_says_it_follows_the_2025_circular(cat: dict[str, Exam]) -> None:
    ids = [i for i in cat if i.endswith("-2025")]
    assert len(ids) == 6
    for i in ids:
        source = cat[i].source
        assert source is not None and source.in_force and source.first_session == 2025
        assert "session 2025" in source.text.fr and source.text.en


def test_e6_ccf_two_situations_of_15_minutes_one_grid_of_7_rows(cat: dict[str, Exam]) -> None:
    e6 = cat["e6-ccf-2025"]
    assert e6.ccf and not e6.phases and e6.total_cap_s is None
    assert [(s.id, s.cap_s, [p.duration_s for p in s.phases]) for s in e6.situations] == [
        ("a", 900, [900]),
        ("b", 900, [900]),
    ]
    for s in e6.situations:  # one maximum for exposé and entretien: a milestone, no split
        assert [m.id for m in s.phases[0].milestones] == ["entretien"]
    assert _rows(e6) == E6_ROWS
    assert len(e6.criterion_ids()) == 7
    first = e6.competences[0].criteria[0]
    assert [c.fr for c in first.covers] == [
        "Rigueur dans le suivi de l'application des accords de référencement",
        "utilisation pertinente des techniques d'implantation et de valorisation des produits",
    ]
    blocks = e6.fiche_blocks()
    assert [(b.scope, b.id) for b in blocks] == [
        ("situation", "a"),
        ("situation", "b"),
        ("exam", None),
    ]
    network = blocks[1].fields[1]
    assert network.kind is FieldKind.CHOICES and len(network.choices) == 3
    assert [f.kind for f in blocks[0].fields] == [FieldKind.TEXT, FieldKind.CHOICES, FieldKind.TEXT]


def test_e6_ponctuel_two_phases_of_15_minutes(cat: dict[str, Exam]) -> None:
    e6 = cat["e6-ponctuel-2025"]
    assert [p.duration_s for p in e6.phases] == [900, 900] and e6.total_cap_s == 1800
    assert all(p.milestones for p in e6.phases)
    assert _rows(e6) == E6_ROWS
    per_phase = [b for b in e6.fiche_blocks() if b.scope == "phase"]
    assert [len(b.fields) for b in per_phase] == [3, 3]  # fiche n°, network type(s), appreciation


def test_e4_ccf_untimed_a_then_a_15_minute_simulation(cat: dict[str, Exam]) -> None:
    e4 = cat["e4-ccf-2025"]
    a, b = e4.situations
    assert (a.cap_s, a.phases) == (0, [])
    assert not e4.run("a").timed and e4.run("b").timed
    assert [(p.id, p.duration_s) for p in b.phases] == [("b-simulation", 900)]
    assert _rows(e4) == E4_ROWS and len(e4.criterion_ids()) == 11
    fields_a = [f.kind for f in e4.run("a").fiche_fields()]
    assert fields_a == [FieldKind.DATE, FieldKind.TEXT]  # its date and appreciation
    activity = next(f for f in e4.run("b").fiche_fields() if f.kind is FieldKind.CHOICE)
    assert [c.label.fr for c in activity.choices] == [
        "Négociation Vente et Accompagnement de la Relation Client",
        "Organisation et Animation d'un Évènement commercial",
    ]
    assert not e4.run("a").last and e4.run("b").last


def test_e4_ponctuel_preparation_then_10_15_15(cat: dict[str, Exam]) -> None:
    e4 = cat["e4-ponctuel-2025"]
    prep, *oral = e4.phases
    assert prep.preparation and prep.duration_s == 2400
    assert prep.remark is not None and "2018" in prep.remark.fr and "2025" in prep.remark.fr
    assert [p.duration_s for p in oral] == [600, 900, 900] and e4.total_cap_s == 2400
    assert len(e4.criterion_ids()) == 11
    appreciations = [f.id for f in e4.run().fiche_fields() if f.id.startswith("appreciation")]
    assert appreciations == ["appreciation-p1", "appreciation-p2", "appreciation-p3"]


def test_e5_2025_and_ef2(cat: dict[str, Exam]) -> None:
    e5 = cat["e5-pratique-2025"]
    assert [p.duration_s for p in e5.phases] == [2400] and e5.max_candidates == 3
    assert e5.cms_choices == ["WordPress", "PrestaShop"] and e5.subject_grid
    assert len(e5.criterion_ids()) == 16  # the Bloc 2 criteria by default
    ef2 = cat["ef2-engagement-2025"]
    assert ef2.epreuve == "EF2" and [p.duration_s for p in ef2.phases] == [1200]
    assert len(ef2.competences) == 1 and ef2.competences[0].label is None  # no groups
    assert len(ef2.criterion_ids()) == 9
    assert [f.id for f in ef2.run().fiche_fields()] == [
        "organisation",
        "activites",
        "questions",
        "appreciation",
    ]


def test_the_2025_set_comes_first_and_a_later_set_leads_when_in_force(tmp_path: Path) -> None:
    centre = tmp_path / "defs"
    centre.mkdir()
    text = (Path(__file__).parent.parent / "config" / "ef2-engagement-2025.toml").read_text()
    text = text.replace('id = "ef2-engagement-2025"', 'id = "ef2-engagement-2027"')
    text = text.replace("first_session = 2025", "first_session = 2027")
    (centre / "ef2-2027.toml").write_text(text.replace("session 2025", "session 2027"))
    catalog = load_catalog(centre)
    groups = grouped(
        catalog.values(), lambda e: e.source.model_dump() if e.source is not None else None
    )
    firsts = [(g[0] or {}).get("first_session") for g in groups]
    assert firsts == [2027, 2025, 2020]
    assert [e.id for e in groups[0][1]] == ["ef2-engagement-2027"]


def test_exams_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exams", "--json"]) == 0
    exams = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in exams][:6] == sorted(e["id"] for e in exams if "2025" in e["id"])
    for exam in exams:
        assert exam["source"]["text"] and exam["source"]["first_session"] in (2020, 2025)
        for comp in exam["competences"]:
            for row in comp["criteria"]:
                assert set(row) == {"id", "label", "covers"}
        if exam["ccf"]:
            assert "phases" not in exam and "total_cap_s" not in exam
            for s in exam["situations"]:
                assert {"id", "label", "cap_s", "phases", "fiche"} <= set(s)
        else:
            assert "situations" not in exam and {"phases", "total_cap_s"} <= set(exam)
    e4 = next(e for e in exams if e["id"] == "e4-ccf-2025")
    assert [(s["id"], s["cap_s"], len(s["phases"])) for s in e4["situations"]] == [
        ("a", 0, 0),
        ("b", 900, 1),
    ]
    row = e4["competences"][0]["criteria"][0]
    assert row["label"] == "Analyser un portefeuille client"
    assert row["covers"] == [
        "Pertinence de l'analyse du portefeuille clients",
        "qualification pertinente des prospects",
    ]
    e6 = next(e for e in exams if e["id"] == "e6-ccf-2025")
    assert e6["situations"][0]["phases"][0]["milestones"][0]["id"] == "entretien"


def test_a_subjects_grid_on_the_command_line_is_checked_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``run --grid FILE``: a grid that is none, or an exam that takes none, is one line."""
    data = ["--data-dir", str(tmp_path / "data")]
    bad = tmp_path / "sujet.toml"
    bad.write_text("[[competences]]\nid = 'q1'\ncriteria = []\n")
    args = ["run", "e5-pratique-2025", "--candidate", "Léa", "--cms", "WordPress", *data]
    assert main([*args, "--grid", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "sujet.toml" in err and "criteria" in err and len(err.strip().splitlines()) == 1
    good = tmp_path / "ok.toml"
    good.write_text("[[competences]]\nid = 'q1'\ncriteria = [{ id = 'a', label = { fr = 'A' } }]\n")
    args = ["run", "e6-ponctuel-2025", "--candidate", "Léa", *data, "--grid", str(good)]
    assert main(args) == 1
    assert "subject_grid" in capsys.readouterr().err
    assert not (tmp_path / "data").exists() or not list((tmp_path / "data").glob("*.toml"))
