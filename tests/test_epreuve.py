"""A CCF épreuve over two situations on two dates: linked, carried, checked, one result."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sessions import who

from ndrc_oral.cli import main
from ndrc_oral.exam_room.epreuves import open_epreuves, place
from ndrc_oral.exam_room.requests import SessionRequest, create_session
from ndrc_oral.exams import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import Member, Role
from ndrc_oral.transcript import Store, codec, read_transcript
from ndrc_oral.transcript.index import list_sessions, merge_epreuves
from ndrc_oral.transcript.recorder import LiveSession, load_session

PARIS = timezone(timedelta(hours=1))
TEACHER = Member("Mme Durand", Role.ENSEIGNANT)


def day(month: int, d: int) -> FakeClock:
    return FakeClock(start=100.0, wall=datetime(2027, month, d, 9, 0, tzinfo=PARIS))


def situation(
    store: Store, catalog: Catalog, clock: FakeClock, name: str = "Zoé Martin"
) -> LiveSession:
    """A new session of e6-ccf-2025 for the candidate, placed in their épreuve."""
    exam = catalog.get("e6-ccf-2025")
    placement = place(exam, name, "0421", clock, open_epreuves(store))
    request = SessionRequest(exam.id, who(name, number="0421", members=[TEACHER]))
    return create_session(store, exam, clock, request.placed(placement))


def situation_a(store: Store, catalog: Catalog) -> LiveSession:
    clock = day(1, 12)
    live = situation(store, catalog, clock)
    s = live.session
    assert s.run.situation_id == "a" and s.identity.epreuve_id
    s.start()
    clock.advance(420.4)
    s.note("Expérience bien située", criterion="valoriser-offre")
    s.rate("valoriser-offre", "S")
    s.milestone("entretien")
    clock.advance(300)
    s.rate("developper-partenaires", "I")
    s.end_phase()
    s.set_result(
        situation_done=True,
        fields={"fiche-a": "1", "reseau-a": ["distributeurs"], "appreciation-a": "Clair."},
        members=[TEACHER],
    )
    s.finish()
    live.close()
    return live


def test_situation_b_weeks_later_continues_a_with_its_grid_and_one_result(
    store: Store, catalog: Catalog
) -> None:
    a = situation_a(store, catalog)
    [opened] = open_epreuves(store)
    assert (opened.previous, opened.next_situation) == (a.session_id, "b")

    clock = day(3, 2)  # seven weeks later, another day's clock
    b = situation(store, catalog, clock)
    s = b.session
    assert s.run.situation_id == "b"
    assert s.identity.epreuve_id == a.session.identity.epreuve_id
    assert s.state.ratings == {"valoriser-offre": "S", "developper-partenaires": "I"}
    assert [n.text for n in s.state.earlier_notes] == ["Expérience bien située"]
    link = s.state.link
    assert link is not None and link.session == a.session_id
    assert link.events == len(read_transcript(a.path).events)
    assert link.hash == read_transcript(a.path).last_hash
    assert open_epreuves(store) == []  # under way: resumed from the interrupted list
    s.start()
    clock.advance(600)
    s.rate("developper-partenaires", "S")
    s.end_phase()
    s.set_result(
        mark=14.5, fields={"reseau-b": ["partenaires", "vente-directe"]}, members=[TEACHER]
    )
    s.finish()
    b.close()

    assert open_epreuves(store) == []  # the épreuve has its one mark
    loaded = load_session(b.path)
    assert loaded.state.ratings == {"valoriser-offre": "S", "developper-partenaires": "S"}
    created = read_transcript(b.path).events[0]
    assert created.at.startswith("2027-03-02")
    sessions = list_sessions(store.root).sessions
    [row] = merge_epreuves(sessions)  # logs list and the review: one row with its situations
    assert [x["situation"] for x in row.situations] == ["a", "b"]
    assert [x["date"] for x in row.situations] == ["2027-01-12", "2027-03-02"]
    assert row.mark == 14.5 and row.status == "mark"


def test_the_json_of_the_epreuve_holds_both_situations_and_its_one_result(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    a = situation_a(store, catalog)
    clock = day(3, 2)
    b = situation(store, catalog, clock)
    b.session.start()
    clock.advance(60)
    b.session.finish()
    b.session.set_result(mark=12, reserved=True)
    b.close()
    args = ["logs", "export", "--data-dir", str(store.root), b.session_id, "--format", "json"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "ndrc-oral/epreuve/1"
    assert [x["id"] for x in doc["situations"]] == [a.session_id, b.session_id]
    assert [x["situation"] for x in doc["situations"]] == ["a", "b"]
    assert doc["ratings"] == {"valoriser-offre": "S", "developper-partenaires": "I"}
    assert doc["result"]["status"] == "reserved" and doc["result"]["mark"] == 12.0
    assert doc["links"] == [
        {"session": b.session_id, "to": a.session_id, "status": "intact", "problem": ""}
    ]
    fiche = {block["situation"]: block for block in doc["fiche"] if block["situation"]}
    assert fiche["a"]["session"] == a.session_id
    assert fiche["a"]["fields"][1]["ticked"] == ["Réseau de distributeurs"]
    # The same export from situation A gives the same épreuve.
    assert main([*args[:4], a.session_id, "--format", "json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["ratings"] == doc["ratings"] and again["result"] == doc["result"]


def _rewrite(path: Path, old: str, new: str) -> None:
    """Edit an event and recompute every hash after it: a chain that verifies alone."""
    transcript = read_transcript(path)
    events = [
        type(e)(
            e.seq,
            e.kind,
            e.t,
            e.at,
            json.loads(json.dumps(e.data, ensure_ascii=False).replace(old, new)),
        )
        for e in transcript.events
    ]
    text, prev = codec.HEADER, codec.GENESIS
    for event in events:
        payload, prev = codec.encode(event, prev)
        text += payload.decode()
    assert old not in text and new in text
    path.write_text(text)


def test_an_edit_of_a_after_b_is_seen_by_verify(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    a = situation_a(store, catalog)
    b = situation(store, catalog, day(3, 2))
    b.session.finish()
    b.close()
    data = ["--data-dir", str(store.root)]
    assert main(["logs", "verify", *data, b.session_id]) == 0
    assert "inchangée" in capsys.readouterr().out
    assert main(["logs", "verify", *data, a.session_id]) == 0
    assert b.session_id in capsys.readouterr().out

    _rewrite(a.path, "Expérience bien située", "Expérience remarquable")
    assert main(["logs", "verify", *data, a.session_id]) == 1  # its own chain is whole...
    out = capsys.readouterr().out
    assert "intact" in out and "ÉPREUVE ENDOMMAGÉE" in out  # ...but B saw another A
    assert main(["logs", "verify", *data, b.session_id]) == 1
    out = capsys.readouterr().out
    assert "ÉPREUVE ENDOMMAGÉE" in out and re.search(r"événement \d+", out)

    a.path.unlink()
    assert main(["logs", "verify", *data, b.session_id]) == 1
    assert "NON VÉRIFIABLE" in capsys.readouterr().out


def test_absent_in_a_opens_nothing_and_a_result_in_a_is_refused(
    store: Store, catalog: Catalog
) -> None:
    from ndrc_oral.session.engine import SessionError

    live = situation(store, catalog, day(1, 12))
    with pytest.raises(SessionError):
        live.session.set_result(mark=12)  # the mark comes after the last situation
    live.session.set_result(outcome="absent")
    live.session.finish()
    live.close()
    assert open_epreuves(store) == []
    again = situation(store, catalog, day(2, 2))  # called again: situation A again
    assert again.session.run.situation_id == "a"
    again.close()
