"""A commission's day on a FakeClock: roster, preparation in parallel, absent and NV, a crash."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from ndrc_oral.exam_room.day import DayError, DayRoom, open_room
from ndrc_oral.exam_room.roster import read_roster
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.day import SlotState
from ndrc_oral.transcript.day_log import open_day, read_day
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.export_day import day_entries, day_summary, emargement_pdf
from ndrc_oral.transcript.exports import render_many
from ndrc_oral.transcript.index import list_sessions
from ndrc_oral.transcript.reader import Integrity, read_transcript
from tests.day.roster_files import e4_rows, write_csv


def _room(tmp_path: Path, catalog: Catalog, clock: FakeClock, n: int = 24) -> DayRoom:
    roster = write_csv(tmp_path / "liste.csv", e4_rows(n))
    return open_room(
        Store(tmp_path / "data"), catalog, clock, roster.name, read_roster(roster, catalog.ids())
    )


def _events(path: Path, kind: str) -> list[dict[str, object]]:
    return [{"t": e.t, **e.data} for e in read_transcript(path).events if e.kind == kind]


def test_24_candidates_imported_into_24_slots_and_no_listing_takes_the_day_for_a_session(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    room = _room(tmp_path, catalog, clock)
    again = read_day(room.log.path).state
    assert [s.number for s in again.in_order()] == list(range(1, 25))
    assert {s.state for s in again.slots} == {SlotState.EXPECTED}
    assert list_sessions(tmp_path / "data").sessions == []
    assert room.store.paths() == []
    assert read_transcript(room.log.path).integrity is Integrity.DAMAGED  # not a session's


def test_e4_preparation_ends_by_itself_at_40_while_the_previous_oral_runs(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    room = _room(tmp_path, catalog, clock, n=3)
    first = room.hand_over(1, "7")
    clock.advance(2400)
    room.observe()
    assert room.state.slot(1).state is SlotState.WAITING
    second = room.hand_over(2, "12")  # 08:40: N+1 starts preparing as N is called in
    clock.advance(30)
    oral = room.call(1)
    assert oral is first
    oral.session.start()  # the commission's start key: phase 1
    for step in (600, 900, 900):
        clock.advance(step)
        oral.session.end_phase()
    assert room.plan().late_s is not None
    clock.advance(5)
    room.observe()  # N+1's 40 minutes ended by themselves meanwhile, stamped at 40:00
    [ended] = _events(second.path, "phase_ended")
    assert ended["phase"] == "preparation" and ended["t"] == 2400.0 and ended["auto"] is True
    assert room.state.slot(2).state is SlotState.WAITING
    oral.session.set_result(mark=14.0, members=())
    oral.session.finish()
    room.observe()
    done = room.state.slot(1)
    assert (done.state, done.mark, done.waited_s) == (SlotState.DONE, 14.0, 30.0)
    first_events = [e.kind for e in read_transcript(first.path).events]
    assert first_events[:4] == ["created", "phase_started", "phase_ended", "phase_started"]
    assert read_transcript(first.path).integrity is Integrity.INTACT
    # N+1 is called 35 s after their preparation (30 s of the call before N's oral, then
    # the 5 s after it): recorded in the day and, up to the start key, in their session.
    room.call(2).session.start()
    assert room.state.slot(2).waited_s == 35.0
    started = _events(second.path, "phase_started")
    assert [s["phase"] for s in started] == ["preparation", "p1-ciblage"]
    assert started[1]["t"] - ended["t"] == 35.0  # type: ignore[operator]


def test_absent_and_nv_without_a_timer_and_a_new_slot(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    room = _room(tmp_path, catalog, clock, n=4)
    room.sign_in(1)
    room.absent(2)
    nv_id = room.nv(3, "pas-de-dossier")
    nv = read_transcript(room.store.resolve(nv_id))
    assert not any(e.kind == "phase_started" for e in nv.events) and nv.finished
    with pytest.raises(DayError, match="déjà"):
        room.absent(3)
    from datetime import date, time

    room.new_slot(2, date(2026, 6, 2), time(16, 0))
    order = [s.number for s in room.state.in_order()]
    assert order == [1, 3, 4, 2]
    assert room.state.slot(2).state is SlotState.EXPECTED
    summary = day_summary(room.store, room.state)
    assert (summary.convoked, summary.nv, summary.absent, summary.pending) == (4, 1, 0, 3)
    with pytest.raises(DayError, match="fiche-sujet"):
        room.call(1)  # E4 ponctuel: the preparation comes first


def test_a_kill_while_one_prepares_and_another_is_examined_both_resume_with_their_times(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    room = _room(tmp_path, catalog, clock, n=3)
    room.hand_over(1, "1")
    clock.advance(2400)
    room.hand_over(2, "2")
    oral = room.call(1)
    oral.session.start()
    clock.advance(300)
    oral.session.note("bonne accroche")
    oral.heartbeat()
    room.preparing[2].heartbeat()
    # kill -9: nothing more is written, and the process's files close with it (so do
    # their locks: the system releases them); a new kiosk opens the day from its file.
    for held in (oral.writer, room.preparing[2].writer, room.log):
        held.close()
    clock.advance(60)
    again = DayRoom(open_day(room.store, None, clock), room.store, catalog, clock)
    examined, problems = again.resume()
    assert problems == []
    assert [live.session_id for live in examined] == [oral.session_id]
    preparing = again.preparing[2]
    oral_snap = examined[0].session.snapshot()
    prep_snap = preparing.session.snapshot()
    assert oral_snap.phase_index == 1 and round(oral_snap.elapsed_s) == 300
    assert prep_snap.phase_index == 0 and round(prep_snap.elapsed_s) == 300
    examined[0].session.resume()
    preparing.session.resume()
    clock.advance(2100)
    preparing.session.tick()
    assert preparing.session.snapshot().phase_index == 1  # ended by itself at its 40:00
    # 300 s before the kill, 2100 after; the 60 s the kiosk was down count for neither.
    assert round(examined[0].session.snapshot().elapsed_s) == 2400
    assert any(e.kind == "recovered" for e in read_transcript(preparing.path).events)


def test_the_sign_in_sheet_lists_the_names_in_slot_order_and_the_results_are_the_days(
    tmp_path: Path, catalog: Catalog, clock: FakeClock
) -> None:
    room = _room(tmp_path, catalog, clock, n=20)
    from datetime import date, time

    room.absent(1)
    room.new_slot(1, date(2026, 6, 2), time(23, 59))  # moved to the end
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(emargement_pdf(room.state))).pages
    )
    names = [f"NOM{i:02d}" for i in [*range(2, 21), 1]]
    positions = [text.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Liste d'émargement" in text and "Signature" in text
    room.nv(2, "hors-delai")
    csv_text = render_many(day_entries(room.store, room.state), "csv").decode("utf-8-sig")
    assert "02140002" in csv_text and "02140003" not in csv_text
