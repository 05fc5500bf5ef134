"""Transcripts written after issue 8 (identity with member roles) stay readable and resumable.

The files under ``fixtures/transcripts/v2`` were made by the engine of commit
591562b, before the models of issue 9; ``expected.json`` holds what the reader
found then, hashes included (computed once, by that version).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import Role
from ndrc_oral.transcript import Integrity, Store, load_session, read_transcript, resume_session

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
    store = Store(tmp_path / "data")
    store.ensure()
    session_id = EXPECTED[name]["id"]
    shutil.copyfile(V2 / f"{name}.toml", store.path_for(session_id))
    live = resume_session(store, session_id, FakeClock())
    try:
        live.session.note("après la reprise")
    finally:
        live.close()
    again = read_transcript(store.path_for(session_id))
    assert again.integrity is Integrity.INTACT
    assert [e.kind for e in again.events[events_before:]] == ["recovered", "note"]


def test_v2_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``logs list|show|export|verify`` over a data directory of these files."""
    from ndrc_oral.cli import main

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    for name, expected in EXPECTED.items():
        if name != "e5-torn-tail":
            shutil.copyfile(V2 / f"{name}.toml", data / f"{expected['id']}.toml")
    assert main(["logs", "list", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    for who in ("Zoé Œuvre", "Jean-Luc Dupont", "Alice", "Bob", "Chloé", "Absent Candidat"):
        assert who in out
    assert "ENDOMMAG" not in out
    for name, expected in EXPECTED.items():
        if name == "e5-torn-tail":
            continue
        args = ["--data-dir", str(data), expected["id"]]
        assert main(["logs", "verify", *args]) == 0
        assert main(["logs", "show", *args]) == 0
        capsys.readouterr()
        assert main(["logs", "export", *args, "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["id"] == expected["id"]
    session_id = EXPECTED["e6-ccf-a-roles-mark"]["id"]
    assert main(["logs", "show", "--data-dir", str(data), session_id]) == 0
    shown = capsys.readouterr().out
    assert "M. Martin" in shown and "Mme Durand" in shown
    assert main(["logs", "export", "--data-dir", str(data), "--format", "csv"]) == 0
    csv_text = capsys.readouterr().out
    assert "15" in csv_text and "16,5" in csv_text and "Jean-Luc Dupont" in csv_text
    for kind in ("pdf-fiche", "pdf-grille"):
        target = tmp_path / f"{kind}.pdf"
        args = ["logs", "export", "--data-dir", str(data), session_id, "--format", kind]
        assert main([*args, "-o", str(target)]) == 0
        assert target.read_bytes().startswith(b"%PDF")
