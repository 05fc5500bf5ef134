"""The JSON export, read back and checked against a session driven by the engine."""

from __future__ import annotations

import itertools
import json
import tomllib
from typing import Any

import pytest
from sessions import who
from test_logs_support import Plan, chunks, drive, shipped, write_chunks

from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import Store, load_session, new_session, resume_session
from ndrc_oral.transcript.export_json import session_json


def _export(store: Store, plan: Plan | None = None) -> tuple[dict[str, Any], str]:
    live = drive(store, plan)
    data = json.loads(session_json(load_session(live.path)))
    return data, live.path.read_text(encoding="utf-8")


def test_identity_and_mode(store: Store) -> None:
    data, _ = _export(store, Plan(mode="rehearsal", extra_time="1/3"))
    assert data["exam"]["id"] == "e6-ccf-a"
    assert (
        data["exam"]["title"] == "E6 – Relation client et animation de réseaux (CCF, situation A)"
    )
    assert data["candidate"] == {"name": "Zoé Lefèvre-Œuvray", "number": "0421"}
    assert data["commission"] == "12"
    assert data["members"] == ["Mme Dupré", "M. François"]
    assert data["mode"] == "rehearsal"
    assert data["extra_time"] == "1/3"
    assert data["finished"] is True
    assert data["id"].startswith("20260602-080000-")


def test_phases_planned_versus_actual(store: Store) -> None:
    data, _ = _export(store)
    expose, entretien = data["phases"]
    assert expose["id"] == "expose" and expose["label"] == "Exposé du candidat"
    assert expose["planned_s"] == 600
    assert expose["elapsed_s"] == pytest.approx(500)  # the 45 s pause is not counted
    assert expose["early"] is True
    assert expose["carried_s"] == pytest.approx(100)
    assert expose["overtime_s"] == 0
    assert expose["pauses"] == [{"start_s": 90.0, "end_s": 135.0, "reason": "alarme incendie"}]
    assert entretien["carried_in_s"] == pytest.approx(100)
    assert entretien["extensions"] == [{"seconds": 60.0, "reason": "question reformulée"}]
    assert entretien["planned_s"] == pytest.approx(460)  # 300 + 100 carried + 60 extension
    assert entretien["elapsed_s"] == pytest.approx(520)
    assert entretien["overtime_s"] == pytest.approx(60)
    assert entretien["early"] is False
    assert data["time_used_s"] == pytest.approx(1020)
    assert data["overtime_s"] == pytest.approx(60)


def test_notes_ratings_and_result(store: Store) -> None:
    data, _ = _export(store)
    first, second = data["notes"]
    assert first["text"] == "Accroche « réseau » très claire, l’exposé démarre bien"
    assert first["criterion"] == "qualite-diagnostic"
    assert first["phase"] == "expose"
    assert first["offset_s"] == pytest.approx(60)
    assert first["at"].startswith("2026-06-02T08:01:00")
    assert second["criterion"] is None
    assert second["offset_s"] == pytest.approx(105)  # 150 s in, 45 s of it paused
    assert data["ratings"] == {"qualite-diagnostic": "S", "dynamisation-reseau": "TI"}
    assert data["result"]["mark"] == 13.5
    assert "outcome" not in data["result"]
    assert data["result"]["appreciation"].startswith("Candidat à l’aise")
    assert data["result"]["members"] == ["Mme Dupré", "M. François"]
    assert data["result"]["fiches"] == "Fiche 1 : Leclerc"
    assert data["result"]["network"] == "franchise"


def test_an_outcome_instead_of_a_mark_and_no_result(store: Store) -> None:
    data, _ = _export(store, Plan(mark=None, outcome="absent"))
    assert data["result"]["outcome"] == "absent" and "mark" not in data["result"]
    data, _ = _export(store, Plan(mark=12.5, reserved=True))  # réservée keeps the mark
    assert data["result"]["status"] == "reserved" and data["result"]["mark"] == 12.5
    assert data["result"]["reserved"] is True and "outcome" not in data["result"]
    data, _ = _export(store, Plan(finish=False))
    assert data["result"] is None
    assert data["finished"] is False
    assert data["phases"][1]["state"] == "running"


def test_events_are_the_raw_log_as_in_the_file(store: Store) -> None:
    data, text = _export(store)
    in_file = tomllib.loads(text)["event"]
    assert data["events"] == in_file
    assert data["events"][0]["prev"] == ""
    assert all(e["prev"] == p["hash"] for p, e in itertools.pairwise(in_file))
    assert data["integrity"] == {"status": "intact", "problems": [], "first_bad_seq": None}


def test_a_recovery_is_an_incident_with_its_downtime(store: Store) -> None:
    exam = shipped("e6-ccf-a")
    clock = FakeClock()
    live = new_session(store, exam, clock, who("Ada"), fsync=False)
    live.session.start()
    clock.advance(120)
    live.session.note("avant la panne")
    live.close()  # the kiosk dies here
    clock.advance(300)
    again = resume_session(store, live.session_id, clock, fsync=False)
    again.close()
    data = json.loads(session_json(load_session(again.path)))
    (incident,) = data["incidents"]
    assert incident["reason"] == "interruption"
    assert incident["downtime_s"] == pytest.approx(300)
    assert incident["at"] == clock.wall().isoformat(timespec="milliseconds")


def test_a_torn_tail_is_reported_in_integrity(store: Store) -> None:
    live = drive(store)
    header, parts = chunks(live.path)
    parts[-1] = parts[-1][: len(parts[-1]) // 2]  # the last write was cut short
    write_chunks(live.path, header, parts)
    data = json.loads(session_json(load_session(live.path)))
    assert data["integrity"]["status"] == "torn-tail"
    assert data["integrity"]["first_bad_seq"] == len(parts) - 1
    assert data["integrity"]["problems"]
    assert len(data["events"]) == len(parts) - 1
    assert data["finished"] is False  # the "finished" event was the torn one


def test_json_keeps_accents_unescaped(store: Store) -> None:
    live = drive(store)
    text = session_json(load_session(live.path))
    assert "Zoé Lefèvre-Œuvray" in text and "\\u00e9" not in text
