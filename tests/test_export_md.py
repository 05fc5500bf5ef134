"""The Markdown transcript: what a reader sees, in French by default and in English."""

from __future__ import annotations

from test_logs_support import Plan, chunks, drive, write_chunks

from ndrc_oral.transcript import Store, load_session
from ndrc_oral.transcript.export_md import session_markdown


def _md(store: Store, plan: Plan | None = None, lang: str = "fr") -> str:
    return session_markdown(load_session(drive(store, plan).path), lang)


def _section(text: str, title: str) -> str:
    """The body of the ``## title`` section."""
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_french_header_with_candidate_commission_date_and_mode(store: Store) -> None:
    md = _md(store, Plan(mode="rehearsal"))
    assert md.startswith("# Procès-verbal — E6 – Relation client et animation de réseaux")
    assert "| Candidat(e) | Zoé Lefèvre-Œuvray (n° 0421) |" in md
    assert "| Commission | 12 — Mme Dupré, M. François |" in md
    assert "| Date | 2026-06-02 08:00 |" in md
    assert "| Mode | répétition |" in md


def test_phases_table_shows_planned_actual_pause_extension_and_overtime(store: Store) -> None:
    phases = _section(_md(store), "Phases : prévu et réel")
    expose = next(line for line in phases.splitlines() if line.startswith("| Exposé du candidat"))
    assert "| 10:00 | 08:20 | — |" in expose  # 600 s planned, 500 s used
    assert "pause 00:45 (alarme incendie)" in expose
    assert "fin anticipée" in expose and "01:40 reporté" in expose
    entretien = next(line for line in phases.splitlines() if line.startswith("| Entretien"))
    assert "| 07:40 | 08:40 | 01:00 |" in entretien  # 460 s planned, 520 s used, 60 s over
    assert "prolongation +01:00 (question reformulée)" in entretien
    assert "**17:00**" in phases  # total used


def test_notes_in_time_order_then_by_criterion(store: Store) -> None:
    notes = (
        ("Première remarque", "qualite-diagnostic"),
        ("Deuxième remarque", None),
        ("Troisième remarque", "qualite-diagnostic"),
    )
    md = _md(store, Plan(notes=notes))
    in_order = _section(md, "Notes, dans l'ordre")
    assert in_order.index("Première") < in_order.index("Deuxième") < in_order.index("Troisième")
    assert "**08:01:00 · Exposé du candidat +01:00** — [Qualité du diagnostic" in in_order
    by_criterion = _section(md, "Notes par critère")
    block = by_criterion[by_criterion.index("**Qualité du diagnostic") :]
    block = block[: block.index("###")]
    assert "— S" in block.splitlines()[0]
    assert "Première" in block and "Troisième" in block and "Deuxième" not in block
    general = by_criterion[by_criterion.index("### Notes générales") :]
    assert "Deuxième remarque" in general and "Première" not in general


def test_grid_lists_every_criterion_with_its_level(store: Store) -> None:
    grid = _section(_md(store), "Grille d'aide à l'évaluation")
    rows = [line for line in grid.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 12  # header + the 12 criteria of the Bloc 3 grid
    assert any("Qualité du diagnostic" in r and "**S** (satisfaisant)" in r for r in rows)
    assert any("dynamisation du réseau" in r and "**TI** (très insuffisant)" in r for r in rows)
    assert "2 critère(s) évalué(s) sur 12." in grid


def test_result_and_integrity(store: Store) -> None:
    md = _md(store)
    result = _section(md, "Résultat")
    assert "Note : **13,5 / 20**" in result
    assert "Fiche(s) présentée(s) : Fiche 1 : Leclerc" in result
    assert "**intact**" in _section(md, "Intégrité")


def test_english(store: Store) -> None:
    md = _md(store, lang="en")
    assert md.startswith("# Session transcript — E6 – Customer relationship")
    assert "| Candidate | Zoé Lefèvre-Œuvray (no. 0421) |" in md
    assert "## Notes by criterion" in md
    assert "Mark: **13.5 / 20**" in md
    assert "Procès-verbal" not in md


def test_text_that_looks_like_markdown_is_shown_as_typed(store: Store) -> None:
    md = _md(store, Plan(notes=(("a | b *c* <d>\nsecond line", None),)))
    assert r"a \| b \*c\* \<d\>" in md
    assert "\n  second line" in md  # continuation stays inside its list item


def test_a_damaged_transcript_starts_with_a_warning(store: Store) -> None:
    live = drive(store)
    header, parts = chunks(live.path)
    parts[2] = parts[2].replace("Accroche", "Accroché")
    write_chunks(live.path, header, parts)
    md = session_markdown(load_session(live.path))
    first_lines = md.splitlines()[:3]
    assert any("ENDOMMAGÉ" in line and "événement 2" in line for line in first_lines)
    assert "**endommagé**" in _section(md, "Intégrité")
