"""Transcripts written by version 0.1 stay readable, verifiable and resumable.

The files under ``fixtures/transcripts/v1`` were made by the engine of commit
9974592, before any model or format change; ``expected.json`` holds what the
reader found then, hashes included (computed once, by that version).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fixture_sets import exports_pdfs, resumed_kinds, through_the_cli

from ndrc_oral.exams.models import stored_exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Integrity, Store, load_session, read_transcript, resume_session

V1 = Path(__file__).parent / "fixtures" / "transcripts" / "v1"
EXPECTED: dict[str, dict[str, Any]] = json.loads((V1 / "expected.json").read_text())
LATE = Path(__file__).parent / "fixtures" / "transcripts" / "v1-0.1-late"
LATE_EXPECTED: dict[str, dict[str, Any]] = json.loads((LATE / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_v1_reads_as_it_did(name: str) -> None:
    expected = EXPECTED[name]
    transcript = read_transcript(V1 / f"{name}.toml")
    assert str(transcript.integrity) == expected["integrity"]
    assert len(transcript.events) == expected["events"]
    assert transcript.last_hash == expected["last_hash"]


@pytest.mark.parametrize("name", sorted(LATE_EXPECTED))
def test_the_last_format_1_files_read_as_they_did(name: str) -> None:
    expected = LATE_EXPECTED[name]
    transcript = read_transcript(LATE / f"{name}.toml")
    assert transcript.format == 1
    assert str(transcript.integrity) == expected["integrity"]
    assert len(transcript.events) == expected["events"]
    assert transcript.first_bad_seq == expected["first_bad_seq"]
    assert transcript.last_hash == expected["last_hash"]


def test_a_format_1_mark_edited_by_hand_still_reads_as_a_torn_write() -> None:
    # What format 1 cannot see, and why format 2 seals its events (README).
    assert LATE_EXPECTED["e6-mark-edited"]["integrity"] == "torn-tail"
    assert LATE_EXPECTED["e6-ccf-a-mark"]["events"] == LATE_EXPECTED["e6-mark-edited"]["events"] + 1


@pytest.mark.parametrize(("name", "events_before"), [("e4-interrupted", 3), ("e4-torn-tail", 2)])
def test_a_resumed_format_1_file_goes_on_in_format_1(
    tmp_path: Path, name: str, events_before: int
) -> None:
    store = Store(tmp_path / "data")
    store.ensure()
    session_id = read_transcript(LATE / f"{name}.toml").events[0].data["id"]
    shutil.copyfile(LATE / f"{name}.toml", store.path_for(session_id))
    live = resume_session(store, session_id, FakeClock())
    try:
        live.session.note("après la reprise")
    finally:
        live.close()
    path = store.path_for(session_id)
    again = read_transcript(path)
    assert (again.integrity, again.format) == (Integrity.INTACT, 1)
    assert [e.kind for e in again.events[events_before:]] == ["recovered", "note"]
    assert "# sealed" not in path.read_text(encoding="utf-8")  # one format per file


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n != "e5-torn-tail"))
def test_v1_loads(name: str) -> None:
    loaded = load_session(V1 / f"{name}.toml")
    assert loaded.id == EXPECTED[name]["id"]
    assert loaded.state.created


def test_v1_values() -> None:
    mark = load_session(V1 / "e6-ccf-a-mark.toml").state
    assert (mark.identity.candidate, mark.identity.number) == ("Zoé Œuvre", "0421")
    assert mark.result is not None and mark.result["mark"] == 14.5
    assert [n.text for n in mark.notes][1] == "Note générale\nsur deux lignes"
    assert mark.ratings == {
        mark.exam.criterion_ids()[0]: "S",
        mark.exam.criterion_ids()[1]: "S",
        mark.exam.criterion_ids()[2]: "I",
    }
    reserved = load_session(V1 / "e4-ponctuel-reservee.toml").state
    assert reserved.result is not None and reserved.result["outcome"] == "reservee"
    assert reserved.identity.extra_time == "1/3"
    nv = load_session(V1 / "e6-ponctuel-recovered-nv.toml").state
    assert nv.result is not None and nv.result["outcome"] == "nv"
    assert nv.incidents and nv.incidents[0]["downtime_s"] == 95.0


@pytest.mark.parametrize(
    ("name", "events_before"),
    [("e5-group-bob-interrupted", 3), ("e5-torn-tail", 2)],
)
def test_v1_resumes(tmp_path: Path, name: str, events_before: int) -> None:
    integrity, kinds = resumed_kinds(V1 / f"{name}.toml", EXPECTED[name]["id"], tmp_path)
    assert integrity is Integrity.INTACT
    assert kinds[events_before:] == ["recovered", "note"]


def test_v1_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``logs list|show|export|verify`` over a data directory of version-0.1 files."""
    from ndrc_oral.cli import main

    data, out = through_the_cli(V1, EXPECTED, tmp_path, capsys)
    for who in ("Zoé Œuvre", "Jean-Luc Dupont", "Alice", "Bob", "Chloé", "Absent Candidat"):
        assert who in out
    assert "ENDOMMAG" not in out
    session_id = EXPECTED["e6-ccf-a-mark"]["id"]
    assert main(["logs", "export", "--data-dir", str(data), session_id, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["candidate"]["name"] == "Zoé Œuvre"
    assert main(["logs", "export", "--data-dir", str(data), "--format", "csv"]) == 0
    csv_text = capsys.readouterr().out
    assert "14,5" in csv_text and "Jean-Luc Dupont" in csv_text
    exports_pdfs(data, session_id, tmp_path)


def _holds(new: Any, old: Any, where: str = "exam_def") -> None:
    """``new`` says all that ``old`` said, the same way (it may add fields: their defaults)."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            assert key in new, f"{where}.{key} is gone"
            _holds(new[key], value, f"{where}.{key}")
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), where
        for i, (n, o) in enumerate(zip(new, old, strict=True)):
            _holds(n, o, f"{where}[{i}]")
    else:
        assert new == old, f"{where}: {old!r} read as {new!r}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_v1_exam_definitions_validate_with_todays_models(name: str) -> None:
    """The ``exam_def`` each v1 transcript carries is read by today's models as it was written."""
    created = read_transcript(V1 / f"{name}.toml").events[0]
    stored = created.data["exam_def"]
    exam = stored_exam(stored)
    assert exam.id == created.data["exam"]
    assert [(p.id, p.duration_s, p.warnings_s, p.auto_start, p.auto_end) for p in exam.phases] == [
        (
            p["id"],
            p["duration_s"],
            p.get("warnings_s", [120, 30]),
            p.get("auto_start", True),
            p.get("auto_end", False),
        )
        for p in stored["phases"]
    ]
    assert exam.criterion_ids() == [
        c["id"] for comp in stored["competences"] for c in comp["criteria"]
    ]
    assert [c.label.fr for comp in exam.competences for c in comp.criteria] == [
        c["label"]["fr"] for comp in stored["competences"] for c in comp["criteria"]
    ]
    # And nothing else is lost or changed: the dump of today's model holds every value.
    _holds(exam.model_dump(mode="json", exclude_none=True), stored)


def test_the_last_format_1_files_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``logs list|show|export|verify`` over the intact ones (they were only read before)."""
    ids = {
        name: {"id": read_transcript(LATE / f"{name}.toml").events[0].data["id"]}
        for name in LATE_EXPECTED
    }
    damaged = frozenset({"e4-torn-tail", "e6-mark-edited"})
    _, listed = through_the_cli(LATE, ids, tmp_path, capsys, left_out=damaged)
    assert ids["e4-interrupted"]["id"] in listed and ids["e6-ccf-a-mark"]["id"] in listed
    assert "interrompue" in listed and "ENDOMMAG" not in listed
