"""The engine where the other tests did not look: a second pause, the OVER state, the
exact limits and fields, an operation meeting a missed automatic end, a restore.

The demo exam (``tests/conftest.py``): prep 60 s (ends by itself) · exposé 600 s
(carry-over, waits for the start key) · entretien 300 s (starts by itself) ·
bilan 120 s (waits).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from engine_support import CANDIDATE, create_session, restore_session, to_expose

from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import t
from ndrc_oral.session import FakeClock, Session, SessionError, Status


def refused(message: str) -> Any:
    """``pytest.raises`` of a ``SessionError`` saying exactly ``message``."""
    return pytest.raises(SessionError, match=f"^{re.escape(message)}$")


# --- several pauses in one phase ---------------------------------------------------


def test_a_second_pause_in_a_phase_stops_and_resumes_the_clock(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(100)
    session.pause("porte")
    fake_clock.advance(20)
    session.resume()
    fake_clock.advance(50)
    assert session.snapshot().elapsed_s == 150
    session.pause("alarme incendie")
    fake_clock.advance(40)
    snap = session.snapshot()
    assert (snap.status, snap.pause_reason, snap.elapsed_s) == (
        Status.PAUSED,
        "alarme incendie",
        150,
    )
    assert session.state.phase_end_t() is None
    session.resume()
    snap = session.snapshot()
    assert (snap.status, snap.pause_reason) == (Status.RUNNING, None)
    fake_clock.advance(10)
    snap = session.snapshot()
    # The total is the oral's: the 60 s preparation aside.
    assert (snap.elapsed_s, snap.remaining_s, snap.total_elapsed_s) == (160, 440, 160)
    # Both pauses (20 s and 40 s) push the planned end back: 60 + 600 + 60.
    assert session.state.phase_end_t() == 720
    assert session.state.phases[1].paused_s == 60
    # A third pause, ended by the end of the phase: its time does not count either.
    session.pause("téléphone")
    fake_clock.advance(30)
    session.end_phase(carry_over=False)
    assert session.snapshot().phases[1].elapsed_s == 160
    assert [p.end for p in session.state.phases[1].pauses] == [180, 270, 310]


def test_an_automatic_end_waits_for_every_pause(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    session.start()
    for _ in range(2):
        fake_clock.advance(10)
        session.pause("bruit")
        fake_clock.advance(5)
        session.resume()
    fake_clock.advance(39.999)  # 59.999 s of preparation, 10 s paused
    assert session.tick() == []
    fake_clock.advance(0.001)
    [ended] = session.tick()
    assert (ended.t, ended.data) == (70.0, {"phase": "prep", "early": False, "auto": True})


def test_pausing_twice_or_resuming_twice_is_refused(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    session.pause("porte")
    count = len(saved)
    with refused(t("engine.nothing_to_pause", status=Status.PAUSED)):
        session.pause("encore")
    session.resume()
    with refused(t("engine.not_paused")):
        session.resume()
    assert len(saved) == count + 1


# --- every phase ended: OVER ----------------------------------------------------------


def over(session: Session, clock: FakeClock) -> None:
    """Every phase run; the bilan ended 10 s into its overtime."""
    to_expose(session, clock)
    clock.advance(100)
    session.end_phase()  # 500 s carried to the entretien, which starts by itself
    clock.advance(50)
    session.end_phase()
    session.start()
    clock.advance(130)
    assert session.snapshot().warning == 1 and session.snapshot().overtime_s == 10
    session.end_phase()


def test_over_shows_no_phase_no_warning_no_overtime(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    over(session, fake_clock)
    fake_clock.advance(60)
    snap = session.snapshot()
    assert snap.status is Status.OVER
    assert (snap.phase_index, snap.elapsed_s, snap.remaining_s, snap.overtime_s) == (
        None,
        0,
        0,
        0,
    )
    assert (snap.warning, snap.pause_reason) == (0, None)
    assert [p.state for p in snap.phases] == ["done"] * 4
    assert [p.elapsed_s for p in snap.phases] == [60, 100, 50, 130]
    assert snap.phases[3].overtime_s == 10
    assert (snap.total_elapsed_s, snap.total_planned_s) == (280, 1020)  # preparation aside


def test_over_refuses_what_needs_a_phase(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    over(session, fake_clock)
    count = len(saved)
    with refused(t("engine.no_phase_to_extend")):
        session.extend(60, "trop tard")
    with refused(t("engine.nothing_to_start", status=Status.OVER)):
        session.start()
    with refused(t("engine.nothing_to_pause", status=Status.OVER)):
        session.pause("porte")
    with refused(t("engine.no_phase_to_end", status=Status.OVER)):
        session.end_phase()
    with refused(t("engine.not_paused")):
        session.resume()
    assert len(saved) == count
    # The commission still notes, rates, gives the result and finishes.
    fake_clock.advance(5)
    assert session.note("délibération").data == {"text": "délibération", "offset_s": 345.0}
    assert session.rate("c1", "TS").data == {"criterion": "c1", "level": "TS"}
    session.set_result(mark=15)
    session.finish()
    assert session.status is Status.FINISHED
    assert [p.state for p in session.snapshot().phases] == ["done"] * 4


def test_between_phases_no_warning_until_the_next_starts(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(100)
    session.end_phase()
    fake_clock.advance(795)  # the entretien (800 s with the carried 500) nearly over
    session.end_phase()
    fake_clock.advance(1000)
    snap = session.snapshot()
    assert (snap.status, snap.phase_index, snap.warning) == (Status.BETWEEN, 3, 0)
    assert (snap.elapsed_s, snap.remaining_s) == (0, 120)


# --- an operation meets an automatic end that no repaint applied ------------------------


def test_rate_applies_a_pending_automatic_end_first(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(70)
    rated = session.rate("c1", "S")
    assert [(e.kind, e.t) for e in saved[-2:]] == [("phase_ended", 60), ("rated", 70)]
    assert rated.data == {"criterion": "c1", "level": "S"}  # no phase: it had ended


def test_start_applies_a_pending_automatic_end_first(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(70)
    session.start()  # the prep ended at 60 s: the start key starts the exposé
    assert [(e.kind, e.t, e.data.get("phase")) for e in saved[-2:]] == [
        ("phase_ended", 60, "prep"),
        ("phase_started", 70, "expose"),
    ]
    assert session.snapshot().elapsed_s == 0


def test_pause_extend_end_and_finish_apply_a_pending_automatic_end_first(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(70)
    with refused(t("engine.nothing_to_pause", status=Status.BETWEEN)):
        session.pause("porte")
    assert [(e.kind, e.t) for e in saved[-1:]] == [("phase_ended", 60)]
    assert session.snapshot().phases[0].elapsed_s == 60

    session, saved = create_session(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(70)
    assert session.extend(30, "aménagement").data["phase"] == "expose"  # the next phase

    session, saved = create_session(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(70)
    with refused(t("engine.no_phase_to_end", status=Status.BETWEEN)):
        session.end_phase()

    session, saved = create_session(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(70)
    session.finish()
    assert [(e.kind, e.t) for e in saved[-2:]] == [("phase_ended", 60), ("finished", 70)]
    assert saved[-2].data["auto"] is True


# --- what a new session records -----------------------------------------------------------


def test_created_records_exactly_who_and_how(demo_exam: Exam, fake_clock: FakeClock) -> None:
    _, saved = create_session(
        demo_exam,
        fake_clock,
        session_id="20260602-080000-abcdef",
        candidate="  Zoé Œuvre ",
        number=" 0421 ",
        commission=" C12 ",
        members=[" M. Martin ", " ", "Mme Durand"],
        mode="rehearsal",
        extra_time=" 1/3 ",
        extra_time_reason="PAP",
        group="g-1",
    )
    [created] = saved
    assert (created.seq, created.kind, created.t) == (0, "created", 0.0)
    assert created.data == {
        "id": "20260602-080000-abcdef",
        "exam": "demo",
        "exam_title": "Épreuve de démonstration",
        "exam_def": demo_exam.model_dump(mode="json", exclude_none=True),
        "candidate": {"name": "Zoé Œuvre", "number": "0421"},
        "commission": "C12",
        "members": ["M. Martin", "Mme Durand"],
        "mode": "rehearsal",
        "extra_time": "1/3",
        "extra_time_reason": "PAP",
        "group": "g-1",
    }


def test_created_with_the_candidate_alone(demo_exam: Exam, fake_clock: FakeClock) -> None:
    _, saved = create_session(demo_exam, fake_clock)
    data = dict(saved[0].data)
    assert Exam.model_validate(data.pop("exam_def")) == demo_exam
    assert data == {
        "id": "test",
        "exam": "demo",
        "exam_title": "Épreuve de démonstration",
        "candidate": {"name": CANDIDATE, "number": ""},
        "commission": "",
        "members": [],
        "mode": "live",
    }


def test_a_bad_mode_or_an_empty_name_creates_nothing(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    with refused(t("engine.mode", found="exam")):
        create_session(demo_exam, fake_clock, mode="exam")
    with refused(t("engine.no_candidate")):
        create_session(demo_exam, fake_clock, candidate=" \t ")


@pytest.fixture
def cms_exam(demo_exam_data: dict[str, Any]) -> Exam:
    demo_exam_data["cms_choices"] = ["WordPress", "PrestaShop"]
    return Exam.model_validate(demo_exam_data)


def test_the_cms_must_be_one_the_exam_offers(cms_exam: Exam, fake_clock: FakeClock) -> None:
    with refused(t("engine.cms", choices="WordPress, PrestaShop", found="Joomla")):
        create_session(cms_exam, fake_clock, cms="Joomla")
    _, saved = create_session(cms_exam, fake_clock, cms="PrestaShop")
    assert saved[0].data["cms"] == "PrestaShop"
    _, saved = create_session(cms_exam, fake_clock)
    assert "cms" not in saved[0].data


def test_any_cms_when_the_exam_offers_none(demo_exam: Exam, fake_clock: FakeClock) -> None:
    _, saved = create_session(demo_exam, fake_clock, cms="Joomla")
    assert saved[0].data["cms"] == "Joomla"


# --- the limits of an extension -------------------------------------------------------


def test_an_extension_is_more_than_nothing_and_at_most_four_hours(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    for bad in (0, -0.001, 4 * 3600 + 0.001):
        with refused(t("engine.extension_range", found=bad)):
            session.extend(bad, "non")
    session.extend(0.001, "une milliseconde")
    session.extend(4 * 3600, "quatre heures")
    assert [e.data["seconds"] for e in saved[-2:]] == [0.001, 14400.0]
    assert session.snapshot().phases[1].planned_s == pytest.approx(600 + 0.001 + 14400)


def test_extending_a_finished_session_is_refused(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    session.finish()
    with refused(t("engine.no_phase_to_extend")):
        session.extend(60, "après coup")


# --- restore -------------------------------------------------------------------------------


def a_stopped_session(exam: Exam) -> Session:
    """A session stopped 30 s into the preparation (its last event, a note, at 30 s)."""
    clock = FakeClock()
    session, _ = create_session(exam, clock)
    session.start()
    clock.advance(30)
    session.note("le candidat lit le sujet")
    return session


def test_restore_without_a_heartbeat_resumes_at_the_last_event(demo_exam: Exam) -> None:
    events = a_stopped_session(demo_exam).events
    clock = FakeClock(start=5000.0)  # another process: another monotonic origin
    session, saved = restore_session(demo_exam, clock, events)
    assert session.now() == 30.0
    [recovered] = saved
    assert (recovered.seq, recovered.kind, recovered.t, recovered.data) == (
        3,
        "recovered",
        30.0,
        {"reason": "interruption"},
    )
    assert session.status is Status.PAUSED  # until the commission resumes
    clock.advance(100)
    assert session.snapshot().elapsed_s == 30
    session.resume()
    clock.advance(10)
    assert session.snapshot().elapsed_s == 40


def test_restore_of_a_session_that_never_started(demo_exam: Exam) -> None:
    _, created = create_session(demo_exam, FakeClock())
    session, saved = restore_session(demo_exam, FakeClock(start=7.0), created)
    assert session.now() == 0.0
    assert [(e.kind, e.t) for e in saved] == [("recovered", 0.0)]
    assert session.status is Status.READY  # no phase to pause


def test_restore_from_a_heartbeat(demo_exam: Exam) -> None:
    events = a_stopped_session(demo_exam).events
    session, saved = restore_session(
        demo_exam, FakeClock(), events, last_seen_t=45.5, downtime_s=12.34567, reason="coupure"
    )
    assert session.now() == 45.5
    assert (saved[0].t, saved[0].data) == (45.5, {"reason": "coupure", "downtime_s": 12.346})
    snap = session.snapshot()
    assert (snap.elapsed_s, snap.pause_reason) == (45.5, "coupure")
    # The incident, as the exports list it.
    assert session.state.incidents == [
        {"reason": "coupure", "downtime_s": 12.346, "t": 45.5, "at": saved[0].at}
    ]
    # A heartbeat older than the last event, and a negative downtime (a clock set back).
    session, saved = restore_session(
        demo_exam, FakeClock(), events, last_seen_t=10.0, downtime_s=-3.0
    )
    assert session.now() == 30.0
    assert saved[0].data == {"reason": "interruption", "downtime_s": 0.0}


def test_restore_after_the_automatic_end_was_due(demo_exam: Exam) -> None:
    events = a_stopped_session(demo_exam).events
    session, saved = restore_session(demo_exam, FakeClock(), events, last_seen_t=75.0)
    assert [(e.kind, e.t) for e in saved] == [("phase_ended", 60.0), ("recovered", 75.0)]
    assert session.status is Status.BETWEEN  # nothing to pause: the prep had ended


def test_restore_of_a_finished_session_records_nothing(demo_exam: Exam) -> None:
    stopped = a_stopped_session(demo_exam)
    stopped.finish()
    session, saved = restore_session(demo_exam, FakeClock(), stopped.events)
    assert saved == [] and session.status is Status.FINISHED


# --- what the fold keeps ----------------------------------------------------------------


def test_the_words_exports_write_for_statuses_and_phase_states(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    # The JSON export and the index write these words: old files and scripts read them.
    session, _ = create_session(demo_exam, fake_clock)
    statuses = [str(session.status)]
    states = [p.state for p in session.snapshot().phases]
    session.start()
    statuses.append(str(session.status))
    states += [p.state for p in session.snapshot().phases]
    session.pause("porte")
    statuses.append(str(session.status))
    session.resume()
    fake_clock.advance(60)
    session.tick()
    statuses.append(str(session.status))
    states += [p.state for p in session.snapshot().phases]
    session.start()
    session.end_phase()  # the entretien starts by itself
    session.end_phase()
    session.start()
    session.end_phase()
    statuses.append(str(session.status))
    session.finish()
    statuses.append(str(session.status))
    assert statuses == ["ready", "running", "paused", "between", "over", "finished"]
    assert states == [
        *["pending"] * 4,
        "running",
        *["pending"] * 3,
        "done",
        *["pending"] * 3,
    ]


def test_a_phase_ended_early_or_on_time(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(60)
    session.tick()
    assert session.state.phases[0].early is False
    session.start()
    fake_clock.advance(599.5)  # half a second left is not early: the display shows 0:00
    session.end_phase()
    assert (saved[-2].data["early"], session.state.phases[1].early) == (False, False)
    fake_clock.advance(299.4)
    session.end_phase()  # the entretien (300 s + the 0.5 s carried), 0.6 s left
    assert (saved[-1].data["early"], session.state.phases[2].early) == (True, True)


def test_a_phase_ended_exactly_at_its_end_carries_nothing(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(600)
    session.end_phase()
    assert "carried_s" not in saved[-2].data
    assert session.snapshot().phases[2].planned_s == 300


def test_the_fold_marks_creation_and_phases_a_log_jumped_over(demo_exam: Exam) -> None:
    from ndrc_oral.session import Event, fold

    assert fold(demo_exam, []).created is False
    _, created = create_session(demo_exam, FakeClock())
    assert fold(demo_exam, created).created is True
    # A log that starts the entretien directly (no engine does; a later one may).
    jumped = [*created, Event(1, "phase_started", 5.0, created[0].at, {"phase": "entretien"})]
    state = fold(demo_exam, jumped)
    assert [p.state for p in state.snapshot(10.0).phases] == [
        "skipped",
        "skipped",
        "running",
        "pending",
    ]
    assert state.next_index == 3


def test_a_broken_character_from_the_terminal_is_saved_as_a_question_mark(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    # A lone surrogate (half an emoji from a terminal that cut it) cannot be
    # written as UTF-8: it becomes "?" rather than a failed save.
    session, _ = create_session(demo_exam, fake_clock)
    note = session.note("bravo \udcff fin")
    assert note.data["text"] == "bravo ? fin"
    assert note.data["text"].encode("utf-8")


def test_a_phase_cut_by_the_finish_is_not_an_early_end(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    # "Ended early" is the commission's end key before the planned end; a finish
    # (the candidate left, the session is closed) records no such end.
    session, saved = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(100)
    session.finish()
    assert saved[-1].data == {}
    assert session.state.phases[1].early is False
    assert session.snapshot().phases[1].state == "done"


def test_the_fold_keeps_extensions_with_their_reason_and_no_early_end_unseen(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    from ndrc_oral.session import fold

    session, saved = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    session.extend(60, "vidéoprojecteur en panne")
    fake_clock.advance(30)
    session.note("reprise")  # the last event, at 90 s
    state = fold(demo_exam, saved)
    assert state.phases[1].extensions == [(60.0, "vidéoprojecteur en panne")]
    # The JSON export writes "early" for every phase: none that has not ended.
    assert [p.early for p in state.phases] == [False] * 4
    # A snapshot asked for before the last event shows the time of that event.
    assert state.snapshot(0.0) == state.snapshot(90.0)
    assert state.snapshot(0.0).elapsed_s == 30


def test_refusals_name_what_is_allowed(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    with refused(t("engine.level", levels="TI, I, S, TS", found="B")):
        session.rate("c1", "B")
    with refused(t("engine.outcome", choices="nv, absent")):  # réservée is a mark since 2025
        session.set_result(outcome="excuse")
    reasons = "pas-de-dossier, hors-delai, stage-insuffisant, pas-d-attestation, non-signes"
    with refused(t("engine.nv_reason", choices=reasons)):
        session.set_result(outcome="nv")


def test_a_note_of_the_longest_length_is_kept(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    assert len(session.note("x" * 20_000).data["text"]) == 20_000
    with refused(t("engine.note_long", max=20_000)):
        session.note("x" * 20_001)


def test_extra_time_without_a_reason_records_an_empty_one(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    _, saved = create_session(demo_exam, fake_clock, extra_time="1/4")
    assert (saved[0].data["extra_time"], saved[0].data["extra_time_reason"]) == ("1/4", "")


def test_an_automatic_end_is_stamped_to_the_millisecond(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    session.start()
    session.extend(0.0004, "moins d'une milliseconde")  # an odd amount, through the API
    fake_clock.advance(61)
    [ended] = session.tick()
    assert ended.t == 60.0
    session.start()
    session.extend(0.0004, "de même")
    fake_clock.advance(100)
    session.end_phase()
    assert session.events[-2].data["carried_s"] == 500.0  # to the millisecond too
