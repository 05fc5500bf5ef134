"""Sealed transcripts and a sealed day (format 2) made by the version of the last landing.

``fixtures/transcripts/v3-sealed`` and ``fixtures/days/v2-sealed`` were written by
commit 96e80b0's own engine, writer and day room (see their READMEs); every file
read since by today's code (the fast TOML subset, the review's unchecked note
reader) must find what that version found, and go on in format 2.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fixture_sets import TORN, exports_pdfs, resumed_kinds, through_the_cli

from ndrc_oral.cli import main
from ndrc_oral.exam_room.day import DayRoom
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.day import SlotState
from ndrc_oral.session.verdict import Status
from ndrc_oral.transcript import Integrity, codec, load_session, read_transcript
from ndrc_oral.transcript.day_log import DAY_HEADERS, open_day, read_day
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.skim import Skim
from ndrc_oral.transcript.summary import summarize

V3 = Path(__file__).parent / "fixtures" / "transcripts" / "v3-sealed"
EXPECTED: dict[str, dict[str, Any]] = json.loads((V3 / "expected.json").read_text())
DAYS = Path(__file__).parent / "fixtures" / "days" / "v2-sealed"
DAY_EXPECTED: dict[str, dict[str, Any]] = json.loads((DAYS / "expected.json").read_text())
EDITED = "e6-mark-edited"
DAMAGED = frozenset({TORN, EDITED})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_v3_reads_as_it_did(name: str) -> None:
    expected = EXPECTED[name]
    transcript = read_transcript(V3 / f"{name}.toml")
    assert str(transcript.integrity) == expected["integrity"]
    assert len(transcript.events) == expected["events"]
    assert transcript.last_hash == expected["last_hash"]
    assert transcript.format == expected["format"] == 2
    if "first_bad_seq" in expected:
        assert transcript.first_bad_seq == expected["first_bad_seq"]


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - DAMAGED))
def test_v3_read_unchecked_gives_the_checked_events(name: str) -> None:
    skim = Skim.read(V3 / f"{name}.toml")
    assert skim is not None and skim.format == 2
    unchecked = skim.preview(all_notes=True)
    assert unchecked is not None
    assert unchecked.events == load_session(V3 / f"{name}.toml").events


def test_v3_values() -> None:
    corrected = load_session(V3 / "e6-ccf-a-corrected.toml").state
    assert corrected.verdict is not None and corrected.verdict.mark == 16.0
    assert [c.reason for c in corrected.corrections] == ["erreur de saisie"]
    notes = [n.text for n in corrected.notes]
    assert notes == ['Bonne accroche « prix » "cité"', "Note générale\nsur deux lignes \\ fin"]
    lifted = load_session(V3 / "e4-ponctuel-2025-reserved-lifted.toml").state
    assert lifted.verdict is not None and lifted.verdict.status is Status.MARK
    assert lifted.verdict.settlement is not None  # released: the mark of 13 counts
    listed = summarize(V3 / "e4-ponctuel-2025-reserved-lifted.toml")
    assert (listed.mark, listed.outcome) == (13.0, None)
    assert load_session(V3 / "e6-ponctuel-cancelled.toml").state.cancelled is not None


@pytest.mark.parametrize(("name", "events_before"), [("e5-interrupted", 4), (TORN, 3)])
def test_v3_resumes_and_goes_on_sealed(tmp_path: Path, name: str, events_before: int) -> None:
    integrity, kinds = resumed_kinds(V3 / f"{name}.toml", EXPECTED[name]["id"], tmp_path)
    assert integrity is Integrity.INTACT
    assert kinds[events_before:] == ["recovered", "note"]
    [again] = (tmp_path / "data").glob("*.toml")
    assert read_transcript(again).format == 2
    assert again.read_text().count(codec.SEAL) == events_before + 2


def test_v3_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, listed = through_the_cli(V3, EXPECTED, tmp_path, capsys, left_out=DAMAGED)
    for who in ("Zoé Œuvre", "Jean-Luc Dupont", "Erreur Nom", "Bob"):
        assert who in listed
    assert "annulée" in listed and "ENDOMMAG" not in listed
    exports_pdfs(data, EXPECTED["e6-ccf-a-corrected"]["id"], tmp_path)
    # The edited mark: verify says so, and exits 1.
    edited = tmp_path / "edited"
    edited.mkdir(mode=0o700)
    shutil.copyfile(V3 / f"{EDITED}.toml", edited / f"{EXPECTED[EDITED]['id']}.toml")
    assert main(["logs", "verify", "--data-dir", str(edited), EXPECTED[EDITED]["id"]]) == 1
    assert "ENDOMMAG" in capsys.readouterr().out


def copied_day(tmp_path: Path) -> Store:
    root = tmp_path / "data"
    shutil.copytree(DAYS, root, ignore=shutil.ignore_patterns("*.md", "*.json"))
    root.chmod(0o700)
    return Store(root)


def test_the_sealed_day_reads_resumes_and_goes_on_sealed(tmp_path: Path, catalog: Catalog) -> None:
    store = copied_day(tmp_path)
    expected = DAY_EXPECTED["day"]
    path = store.root / expected["file"]
    day = read_day(path)
    assert (str(day.transcript.integrity), len(day.transcript.events)) == (
        expected["integrity"],
        expected["events"],
    )
    assert day.transcript.last_hash == expected["last_hash"]
    assert day.transcript.format == 2
    clock = FakeClock(wall=datetime(2026, 6, 18, 9, 0).astimezone())
    room = DayRoom(open_day(store, None, clock, fsync=False), store, catalog, clock)
    assert [room.state.slot(n).state for n in (1, 2, 3)] == [
        SlotState.SIGNED_IN,
        SlotState.EXPECTED,
        SlotState.NV,
    ]
    room.absent(2)
    room.close()
    again = read_transcript(path, headers=DAY_HEADERS, first="day_opened")
    assert again.integrity is Integrity.INTACT and again.format == 2
    assert path.read_text().count(codec.SEAL) == expected["events"] + 1


def test_the_sealed_day_is_listed_as_a_day_and_its_session_as_a_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = copied_day(tmp_path)
    nv = DAY_EXPECTED["day-nv-session"]["id"]
    assert main(["logs", "list", "--data-dir", str(store.root)]) == 0
    listed = capsys.readouterr().out
    assert nv in listed and DAY_EXPECTED["day"]["id"] not in listed
    assert main(["logs", "verify", "--data-dir", str(store.root), nv]) == 0
    assert main(["day", "list", "--data-dir", str(store.root)]) == 0
    assert DAY_EXPECTED["day"]["id"] in capsys.readouterr().out
