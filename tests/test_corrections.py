"""Correcting a saved result, cancelling a session started by mistake: the engine, the one
door that appends to a saved transcript, the list of sessions, ``logs correct|cancel``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sessions import who

from ndrc_oral.cli import main
from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room import requests
from ndrc_oral.exam_room.entry import ResultEntry
from ndrc_oral.exam_room.epreuves import open_epreuves
from ndrc_oral.exam_room.interrupted import find_interrupted
from ndrc_oral.exam_room.requests import (
    SessionRequest,
    cancel_session,
    correct_result,
    create_session,
    settle_reservation,
)
from ndrc_oral.exams import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import SessionError
from ndrc_oral.session.identity import Member, Role
from ndrc_oral.session.verdict import Status
from ndrc_oral.transcript import Store, read_transcript
from ndrc_oral.transcript.index import list_sessions
from ndrc_oral.transcript.recorder import LiveSession, load_session, reopen_session
from ndrc_oral.transcript.summary import summarize

PARIS = timezone(timedelta(hours=1))
EXAM = "e6-ponctuel-2025"
MEMBERS = (Member("M. Martin", Role.ENSEIGNANT), Member("Mme Durnad", Role.PROFESSIONNEL))


def clock_on(day: int, hour: int = 9) -> FakeClock:
    return FakeClock(start=100.0, wall=datetime(2027, 6, day, hour, 0, tzinfo=PARIS))


def started(
    store: Store, catalog: Catalog, clock: FakeClock, name: str = "Yann Le Goff"
) -> LiveSession:
    exam = catalog.get(EXAM)
    request = SessionRequest(exam.id, who(name, number="0042", commission="3", members=MEMBERS))
    return create_session(store, exam, clock, request)


def marked(
    store: Store, catalog: Catalog, mark: float = 13.0, *, reserved: bool = False
) -> LiveSession:
    """An E6 ponctuel 2025 session run for 20 minutes and marked, on 2 June 2027."""
    clock = clock_on(2)
    live = started(store, catalog, clock)
    live.session.start()
    clock.advance(900)
    live.session.end_phase()
    live.session.start()
    clock.advance(300)
    live.session.end_phase()
    live.session.set_result(
        mark=mark, reserved=reserved, fields={"appreciation-p1": "Solide."}, members=MEMBERS
    )
    live.session.finish()
    live.close()
    return live


def fixed_members() -> tuple[Member, ...]:
    return (MEMBERS[0], Member("Mme Durand", Role.PROFESSIONNEL))


# --- the engine ---------------------------------------------------------------------------------


def test_a_correction_is_a_new_result_event_with_its_reason_and_the_old_one_stays(
    store: Store, catalog: Catalog
) -> None:
    live = marked(store, catalog, 13.0)
    state = correct_result(
        store,
        live.session_id,
        clock_on(3),
        ResultEntry(mark=15.0, fields={"appreciation-p1": "Solide."}, members=fixed_members()),
        "faute de frappe sur la note",
    )
    events = read_transcript(live.path).events
    results = [e for e in events if e.kind == "result"]
    assert [r.data["mark"] for r in results] == [13.0, 15.0]  # never an edit
    assert results[1].data["corrects"] == results[0].seq
    assert results[1].data["reason"] == "faute de frappe sur la note"
    assert events[-1].kind == "result" and events[-1].at.startswith("2027-06-03")
    assert state.verdict is not None and state.verdict.mark == 15.0
    [correction] = load_session(live.path).state.corrections
    assert (correction.before.mark, correction.after.mark) == (13.0, 15.0)
    assert correction.after.members[1].name == "Mme Durand"
    assert correction.reason == "faute de frappe sur la note"
    assert main(["logs", "verify", "--data-dir", str(store.root), live.session_id]) == 0


def test_a_correction_needs_a_reason_and_a_change_and_a_saved_result(
    store: Store, catalog: Catalog
) -> None:
    live = marked(store, catalog, 13.0)
    same = ResultEntry.from_verdict(load_session(live.path).state.verdict)  # type: ignore[arg-type]
    with pytest.raises(NdrcError, match="motif"):
        correct_result(store, live.session_id, clock_on(3), ResultEntry(mark=14.0), "  ")
    with pytest.raises(NdrcError, match="ne change rien"):
        correct_result(store, live.session_id, clock_on(3), same, "relu")
    with pytest.raises(NdrcError, match="demi-points"):
        correct_result(store, live.session_id, clock_on(3), ResultEntry(mark=14.3), "relu")
    open_one = started(store, catalog, clock_on(4), "Inès Petit")
    open_one.close()
    with pytest.raises(NdrcError, match="pas close"):
        correct_result(store, open_one.session_id, clock_on(4), ResultEntry(mark=14.0), "relu")
    assert [e.kind for e in read_transcript(live.path).events].count("result") == 1


def test_a_closed_result_is_changed_only_by_a_correction(store: Store, catalog: Catalog) -> None:
    live = marked(store, catalog, 13.0)
    reopened = reopen_session(store, live.session_id, clock_on(3))
    try:
        with pytest.raises(SessionError, match="le corriger"):
            reopened.session.set_result(mark=15.0)
    finally:
        reopened.close()


def test_a_corrected_reserved_mark_keeps_its_settlement(store: Store, catalog: Catalog) -> None:
    live = marked(store, catalog, 13.5, reserved=True)
    settle_reservation(store, live.session_id, clock_on(3), "nv", "non-signes")
    entry = ResultEntry(
        mark=13.5, reserved=True, fields={"appreciation-p1": "Solide."}, members=fixed_members()
    )
    state = correct_result(store, live.session_id, clock_on(4), entry, "nom du membre")
    verdict = state.verdict
    assert verdict is not None and verdict.status is Status.NV and verdict.reason == "non-signes"
    assert verdict.members[1].name == "Mme Durand"


def test_cancelling_closes_the_session_and_nothing_follows(store: Store, catalog: Catalog) -> None:
    clock = clock_on(2)
    live = started(store, catalog, clock, "Ada Lovlace")
    live.session.start()
    clock.advance(47)
    event = live.session.cancel("nom mal orthographié")
    state = live.session.state
    assert event.kind == "cancelled" and event.data == {"reason": "nom mal orthographié"}
    assert state.finished and state.cancelled is not None
    assert state.cancelled.reason == "nom mal orthographié"
    assert state.snapshot(state.last_t).total_elapsed_s == pytest.approx(47)
    for later in (
        lambda: live.session.note("x"),
        lambda: live.session.rate("valoriser-offre", "S"),
    ):
        with pytest.raises(SessionError, match="annulée"):
            later()
    for later in (live.session.start, live.session.resume, live.session.finish):
        with pytest.raises(SessionError):
            later()
    assert read_transcript(live.path).events[-1].kind == "cancelled"
    with pytest.raises(SessionError, match="motif"):
        started(store, catalog, clock, "Bob").session.cancel("")
    live.close()
    assert read_transcript(live.path).events[-1].kind == "cancelled"


def test_a_cancelled_session_leaves_the_resumable_list_and_is_listed_as_cancelled(
    store: Store, catalog: Catalog
) -> None:
    clock = clock_on(2)
    live = started(store, catalog, clock, "Ada Lovlace")
    live.session.start()
    clock.advance(30)
    live.heartbeat()
    live.close()  # the kiosk stopped: interrupted, last seen alive 30 s into the phase
    assert [i.session_id for i in find_interrupted(store)] == [live.session_id]
    count = len(read_transcript(live.path).events)
    cancel_session(store, live.session_id, clock_on(2, 10), "mauvaise épreuve choisie")
    events = read_transcript(live.path).events
    assert [e.kind for e in events[count:]] == ["cancelled"]  # no recovery, no pause
    assert find_interrupted(store) == []
    assert live.path.exists()
    row = summarize(live.path)
    assert row.status == "cancelled" and not row.interrupted and row.finished
    assert row.mark is None and row.time_used_s == pytest.approx(30)
    [listed] = list_sessions(store.root).sessions
    assert listed.status == "cancelled"
    with pytest.raises(NdrcError, match="annulée"):
        cancel_session(store, live.session_id, clock_on(2, 11), "encore")


def test_a_cancelled_result_no_longer_counts(store: Store, catalog: Catalog) -> None:
    live = marked(store, catalog, 13.0)
    cancel_session(store, live.session_id, clock_on(3), "mauvais candidat")
    row = summarize(live.path)
    assert (row.status, row.mark, row.outcome) == ("cancelled", None, None)
    assert row.mark_given == 13.0  # what was given stays on record
    with pytest.raises(NdrcError, match="annulée"):
        correct_result(store, live.session_id, clock_on(4), ResultEntry(mark=14.0), "relu")


def test_settle_correct_and_cancel_all_go_through_one_reopening(
    store: Store, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one function that appends to a saved transcript: the lock that guards a
    transcript's one writer (issue 13) guards all three through it."""
    opened: list[str] = []
    real = requests.reopen_session

    def spy(store: Store, target: str, clock: FakeClock) -> LiveSession:
        opened.append(Path(target).stem)
        return real(store, target, clock)

    monkeypatch.setattr(requests, "reopen_session", spy)
    live = marked(store, catalog, 13.5, reserved=True)
    settle_reservation(store, live.session_id, clock_on(3), "released")
    entry = ResultEntry(mark=14.0, fields={"appreciation-p1": "Solide."}, members=MEMBERS)
    correct_result(store, live.session_id, clock_on(3), entry, "relu")
    cancel_session(store, live.session_id, clock_on(3), "erreur")
    assert opened == [live.session_id] * 3


def test_a_situation_that_a_later_one_continues_cannot_be_corrected_or_cancelled(
    store: Store, catalog: Catalog
) -> None:
    from test_epreuve import day, situation, situation_a

    a = situation_a(store, catalog)
    b = situation(store, catalog, day(3, 2))
    b.close()
    entry = ResultEntry(situation_done=True, fields={"appreciation-a": "Très clair."})
    with pytest.raises(NdrcError, match="continue celle-ci"):
        correct_result(store, a.session_id, day(3, 3), entry, "relu")
    with pytest.raises(NdrcError, match="continue celle-ci"):
        cancel_session(store, a.session_id, day(3, 3), "erreur")
    cancel_session(store, b.session_id, day(3, 3), "mauvais jour")  # the later one: yes
    assert [e.next_situation for e in open_epreuves(store)] == ["b"]  # B can be run again


# --- the command line and every export ------------------------------------------------------------


def _pdf_text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _csv_rows(store: Store, capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    import csv
    import io

    assert main(["logs", "export", "--data-dir", str(store.root), "--format", "csv"]) == 0
    text = capsys.readouterr().out.lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_logs_correct_changes_what_it_names_and_every_export_shows_the_history(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ndrc_oral.transcript.export_pdf import fiche_pdf, grille_pdf

    live = marked(store, catalog, 13.0)
    data = ["--data-dir", str(store.root)]
    argv = [
        "logs",
        "correct",
        *data,
        live.session_id,
        "--mark",
        "15",
        "--reason",
        "faute de frappe",
    ]
    assert main([*argv, "--member", "M. Martin", "--member", "Mme Durand"]) == 0
    said = capsys.readouterr().out
    assert "résultat corrigé" in said and "13 / 20 → 15 / 20" in said
    assert "Mme Durnad (professionnel) → M. Martin (enseignant), Mme Durand" in said

    loaded = load_session(live.path)
    verdict = loaded.state.verdict
    assert verdict is not None and verdict.mark == 15.0
    assert verdict.text("appreciation-p1") == "Solide."  # what the options did not name stays

    assert main(["logs", "show", *data, live.session_id]) == 0
    shown = capsys.readouterr().out
    assert "- Note : **15 / 20**" in shown
    assert "### Corrections du résultat" in shown and "faute de frappe" in shown
    assert "Note : 13 / 20 → **15 / 20**" in shown

    assert main(["logs", "export", *data, live.session_id, "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["result"]["mark"] == 15.0 and exported["cancelled"] is None
    [correction] = exported["corrections"]
    assert correction["reason"] == "faute de frappe"
    changed = {c["id"]: (c["before"], c["after"]) for c in correction["changes"]}
    assert changed["result"] == ("13 / 20", "15 / 20")
    assert set(changed) == {"result", "members"}

    [row] = _csv_rows(store, capsys)
    assert (row["note /20"], row["statut"]) == ("15", "")
    assert "faute de frappe" in row["corrections"] and "13 / 20 → 15 / 20" in row["corrections"]

    for pdf in (fiche_pdf(loaded), grille_pdf(loaded)):
        text = _pdf_text(pdf)
        assert "15 / 20" in text and "Corrections du résultat" in text
        assert "faute de frappe" in text and "Note : 13 / 20 → 15 / 20" in text

    assert main(["logs", "list", *data]) == 0
    assert "terminée (corrigée 1 fois)" in capsys.readouterr().out


def test_logs_correct_refuses_what_is_not_a_correction(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    live = marked(store, catalog, 13.0)
    data = ["--data-dir", str(store.root), live.session_id]
    with pytest.raises(SystemExit) as usage:  # the reason is required
        main(["logs", "correct", *data, "--mark", "15"])
    assert usage.value.code == 2 and "--reason" in capsys.readouterr().err
    assert main(["logs", "correct", *data, "--mark", "21", "--reason", "x"]) == 2
    assert "Note invalide" in capsys.readouterr().err
    assert main(["logs", "correct", *data, "--field", "x", "--reason", "x"]) == 2
    assert "CHAMP=VALEUR" in capsys.readouterr().err
    assert main(["logs", "correct", *data, "--field", "nope=1", "--reason", "x"]) == 1
    assert "champ de fiche inconnu" in capsys.readouterr().err
    assert main(["logs", "correct", *data, "--mark", "13", "--reason", "x"]) == 1
    assert "ne change rien" in capsys.readouterr().err
    assert [e.kind for e in read_transcript(live.path).events].count("result") == 1


def test_logs_cancel_and_every_export_say_cancelled(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from ndrc_oral.transcript.export_pdf import fiche_pdf, grille_pdf

    clock = clock_on(5)
    live = started(store, catalog, clock, "Ada Lovlace")
    live.session.start()
    live.close()
    data = ["--data-dir", str(store.root)]
    with pytest.raises(SystemExit) as usage:  # the reason is required
        main(["logs", "cancel", *data, live.session_id])
    assert usage.value.code == 2 and "--reason" in capsys.readouterr().err
    assert main(["logs", "cancel", *data, live.session_id, "--reason", "nom mal orthographié"]) == 0
    assert "session annulée — nom mal orthographié" in capsys.readouterr().out
    assert live.path.exists()

    assert main(["logs", "list", *data]) == 0
    listed = capsys.readouterr().out
    assert "annulée" in listed and "interrompue" not in listed
    assert main(["logs", "show", *data, live.session_id]) == 0
    shown = capsys.readouterr().out
    assert "SESSION ANNULÉE" in shown and "nom mal orthographié" in shown
    assert "| État | annulée |" in shown
    assert main(["logs", "export", *data, live.session_id, "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["cancelled"]["reason"] == "nom mal orthographié"
    [row] = _csv_rows(store, capsys)
    assert (row["statut"], row["annulation"]) == ("annulee", "nom mal orthographié")
    loaded = load_session(live.path)
    for pdf in (fiche_pdf(loaded), grille_pdf(loaded)):
        text = _pdf_text(pdf)
        assert "SESSION ANNULÉE" in text and "nom mal orthographié" in text
    assert main(["logs", "verify", *data, live.session_id]) == 0
    assert "non terminée" not in capsys.readouterr().out


def test_a_cancelled_mark_is_not_in_the_results(
    store: Store, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    from ndrc_oral.transcript.export_pdf import fiche_pdf

    live = marked(store, catalog, 13.0)
    cancel_session(store, live.session_id, clock_on(3), "mauvais candidat")
    [row] = _csv_rows(store, capsys)
    assert (row["note /20"], row["statut"]) == ("", "annulee")
    text = _pdf_text(fiche_pdf(load_session(live.path)))
    assert "session annulée : aucun résultat" in text and "13 / 20" not in text
    assert "Signature" not in text
