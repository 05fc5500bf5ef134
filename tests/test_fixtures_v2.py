"""Transcripts written after issue 8 (identity with member roles) stay readable and resumable.

The files under ``fixtures/transcripts/v2`` were made by the engine of commit
591562b, before the models of issue 9; ``expected.json`` holds what the reader
found then, hashes included (computed once, by that version).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixture_sets import exports_pdfs, resumed_kinds, through_the_cli

from ndrc_oral.session.identity import Role
from ndrc_oral.transcript import Integrity, load_session, read_transcript

V2 = Path(__file__).parent / "fixtures" / "transcripts" / "v2"
EXPECTED: dict[str, dict[str, Any]] = json.loads((V2 / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_v2_reads_as_it_did(name: str) -> None:
    expected = EXPECTED[name]
    transcript = read_transcript(V2 / f"{name}.toml")
    assert str(transcript.integrity) == expected["integrity"]
    assert len(transcript.events) == expected["events"]
    assert transcript.last_hash == expected["last_hash"]


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n != "e5-torn-tail"))
def test_v2_loads(name: str) -> None:
    loaded = load_session(V2 / f"{name}.toml")
    assert loaded.id == EXPECTED[name]["id"]
    assert loaded.state.created


def test_v2_values() -> None:
    mark = load_session(V2 / "e6-ccf-a-roles-mark.toml").state
    who = mark.identity
    assert (who.candidate, who.number) == ("Zoé Œuvre", "0421")
    assert [(m.name, m.role) for m in who.members] == [
        ("M. Martin", Role.ENSEIGNANT),
        ("Mme Durand", Role.PROFESSIONNEL),
    ]
    assert mark.result is not None and mark.result["mark"] == 15.0
    ids = mark.exam.criterion_ids()
    assert mark.ratings == {ids[0]: "S", ids[1]: "S", ids[2]: "I"}
    reserved = load_session(V2 / "e4-ponctuel-reservee.toml").state
    assert reserved.result is not None and reserved.result["outcome"] == "reservee"
    assert reserved.identity.extra_time == "1/3"
    group = [load_session(V2 / f"e5-group-{n}.toml").state for n in ("alice", "bob-interrupted")]
    assert {s.identity.group for s in group} == {"20260617-140000-aaaaaa"}
    assert {s.identity.cms for s in group} == {"PrestaShop"}
    nv = load_session(V2 / "e6-ponctuel-recovered-nv.toml").state
    assert nv.result is not None and nv.result["outcome"] == "nv"
    assert nv.incidents and nv.incidents[0]["downtime_s"] == 95.0


@pytest.mark.parametrize(
    ("name", "events_before"),
    [("e5-group-bob-interrupted", 3), ("e5-torn-tail", 2)],
)
def test_v2_resumes(tmp_path: Path, name: str, events_before: int) -> None:
    integrity, kinds = resumed_kinds(V2 / f"{name}.toml", EXPECTED[name]["id"], tmp_path)
    assert integrity is Integrity.INTACT
    assert kinds[events_before:] == ["recovered", "note"]


def test_v2_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``logs list|show|export|verify`` over a data directory of these files."""
    from ndrc_oral.cli import main

    data, out = through_the_cli(V2, EXPECTED, tmp_path, capsys)
    for who in ("Zoé Œuvre", "Jean-Luc Dupont", "Alice", "Bob", "Chloé", "Absent Candidat"):
        assert who in out
    assert "ENDOMMAG" not in out
    session_id = EXPECTED["e6-ccf-a-roles-mark"]["id"]
    assert main(["logs", "show", "--data-dir", str(data), session_id]) == 0
    shown = capsys.readouterr().out
    assert "M. Martin (enseignant)" in shown and "Mme Durand (professionnel)" in shown
    assert main(["logs", "export", "--data-dir", str(data), "--format", "csv"]) == 0
    csv_text = capsys.readouterr().out
    assert "15" in csv_text and "16,5" in csv_text and "Jean-Luc Dupont" in csv_text
    exports_pdfs(data, session_id, tmp_path)


def test_the_old_result_keys_read_into_the_fiche_fields() -> None:
    """``appreciation``, ``fiches``, ``network`` and ``outcome = "reservee"`` (v1 and v2)."""
    from ndrc_oral.session.verdict import Status

    v1 = Path(__file__).parent / "fixtures" / "transcripts" / "v1"
    for path, mark in ((v1 / "e6-ccf-a-mark.toml", 14.5), (V2 / "e6-ccf-a-roles-mark.toml", 15.0)):
        verdict = load_session(path).state.verdict
        assert verdict is not None and verdict.status is Status.MARK and verdict.mark == mark
        assert set(verdict.fields) == {"appreciation", "fiches", "network"}
        assert (verdict.text("fiches"), verdict.text("network")) == ("1, 2", "distributeurs")
    for path in (v1 / "e4-ponctuel-reservee.toml", V2 / "e4-ponctuel-reservee.toml"):
        verdict = load_session(path).state.verdict
        assert verdict is not None and verdict.status is Status.RESERVED and verdict.mark is None
        assert verdict.text("appreciation") == "Doute sur l'attestation de stage."
