"""The session engine, operation by operation, on a fake clock (no test sleeps)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from engine_support import to_expose
from sessions import who

from ndrc_oral.exams import load_catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session import Event, FakeClock, Kind, Session, SessionError, Status
from ndrc_oral.session.verdict import Status as ResultStatus
from ndrc_oral.transcript import SaveError


def make(exam: Exam, clock: FakeClock, **kwargs: Any) -> tuple[Session, list[Event]]:
    """A session whose sink keeps the saved events in a list."""
    saved: list[Event] = []
    session = Session.create(
        exam, clock, saved.append, session_id="test", identity=who("Ada Lovelace", **kwargs)
    )
    return session, saved


def variant(data: dict[str, Any], **phase_changes: dict[str, Any]) -> Exam:
    """The demo exam with some fields of some phases changed."""
    for phase in data["phases"]:
        phase.update(phase_changes.get(phase["id"], {}))
    return Exam.model_validate(data)


# --- start, warnings, overtime ---------------------------------------------------


def test_start_runs_the_first_phase(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock)
    assert session.snapshot().status is Status.READY
    fake_clock.advance(30)  # waiting for the candidate does not count
    session.start()
    assert session.snapshot().status is Status.RUNNING
    fake_clock.advance(20)
    snap = session.snapshot()
    assert (snap.phase_index, snap.elapsed_s, snap.remaining_s) == (0, 20.0, 40.0)
    assert [e.kind for e in saved] == ["created", "phase_started"]
    with pytest.raises(SessionError):
        session.start()


def test_warnings_count_the_thresholds_passed(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)  # warnings at 120 s and 30 s before the end of 600 s
    assert session.snapshot().warning == 0
    fake_clock.advance(479.9)
    assert session.snapshot().warning == 0
    fake_clock.advance(0.1)
    assert session.snapshot().warning == 1
    fake_clock.advance(89.9)
    assert session.snapshot().warning == 1
    fake_clock.advance(0.1)
    assert session.snapshot().warning == 2
    fake_clock.advance(100)
    assert session.snapshot().warning == 2


def test_no_warning_before_the_phase_starts(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    fake_clock.advance(10_000)
    assert session.snapshot().warning == 0
    assert session.snapshot().remaining_s == 60


def test_overtime_only_after_the_planned_end(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(599)
    assert session.snapshot().overtime_s == 0
    fake_clock.advance(1)
    snap = session.snapshot()
    assert (snap.remaining_s, snap.overtime_s) == (0, 0)
    fake_clock.advance(75)
    snap = session.snapshot()
    assert (snap.remaining_s, snap.overtime_s, snap.status) == (-75, 75, Status.RUNNING)
    assert snap.phases[1].overtime_s == 75
    session.tick()  # the exposé has no auto_end: it runs over until the commission ends it
    assert session.current_phase_id() == "expose"


# --- pause ------------------------------------------------------------------------------


def test_paused_time_never_counts(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(100)
    session.pause("alarme incendie")
    assert saved[-1].data == {"reason": "alarme incendie"}
    snap = session.snapshot()
    assert (snap.status, snap.pause_reason, snap.elapsed_s) == (
        Status.PAUSED,
        "alarme incendie",
        100,
    )
    fake_clock.advance(900)  # longer than the whole phase
    assert session.snapshot().elapsed_s == 100
    assert session.tick() == []
    with pytest.raises(SessionError):
        session.pause("twice")
    session.resume()
    fake_clock.advance(10)
    snap = session.snapshot()
    assert (snap.status, snap.pause_reason, snap.elapsed_s, snap.remaining_s) == (
        Status.RUNNING,
        None,
        110,
        490,
    )
    with pytest.raises(SessionError):
        session.resume()


def test_an_auto_end_phase_does_not_end_while_paused(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, _ = make(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(50)
    session.pause("le candidat est souffrant")
    fake_clock.advance(600)
    assert session.tick() == []
    session.resume()
    fake_clock.advance(9)
    assert session.tick() == []
    fake_clock.advance(5)
    [ended] = session.tick()
    assert ended.t == 60 + 600  # 50 s, the pause, then 10 s more
    assert session.snapshot().phases[0].elapsed_s == 60


def test_pause_before_any_phase_is_refused(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock)
    with pytest.raises(SessionError):
        session.pause("trop tôt")
    assert len(saved) == 1


# --- ending a phase early, carry-over -------------------------------------------------


def test_early_end_carries_over_by_default_when_defined(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, saved = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(500)
    events = session.end_phase()  # the exposé carries over by definition
    assert [e.kind for e in events] == ["phase_ended", "phase_started"]
    assert events[0].data == {"phase": "expose", "early": True, "carried_s": 100.0}
    snap = session.snapshot()
    assert (session.current_phase_id(), snap.remaining_s) == ("entretien", 400)
    assert snap.phases[1].state == "done"
    assert saved[-2:] == events


def test_the_commission_can_refuse_the_carry_over(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(500)
    [ended, _started] = session.end_phase(carry_over=False)
    assert "carried_s" not in ended.data and ended.data["early"] is True
    assert session.snapshot().remaining_s == 300


def test_no_carry_over_by_default_unless_the_commission_says(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    for carry, bilan_planned in ((None, 120), (True, 120 + 200)):
        clock = FakeClock()
        session, _ = make(demo_exam, clock)
        to_expose(session, clock)
        clock.advance(600)
        session.end_phase()  # on time: nothing to carry; the entretien starts by itself
        clock.advance(100)
        session.end_phase(carry_over=carry)  # 200 s left; the entretien does not carry by default
        assert session.status is Status.BETWEEN  # the bilan waits for the start key
        assert session.snapshot().remaining_s == bilan_planned
        clock.advance(1000)
        assert session.snapshot().remaining_s == bilan_planned  # not started: nothing runs
        session.start()
        clock.advance(20)
        assert session.snapshot().remaining_s == bilan_planned - 20


def test_ending_in_overtime_carries_nothing(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(650)
    [ended, _] = session.end_phase(carry_over=True)
    assert ended.data["early"] is False and "carried_s" not in ended.data
    assert session.snapshot().remaining_s == 300
    assert session.snapshot().phases[1].overtime_s == 50


def test_ending_a_paused_phase_closes_the_pause(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(100)
    session.pause("incident")
    fake_clock.advance(50)
    [ended, _] = session.end_phase(carry_over=True)
    assert ended.data["carried_s"] == 500
    assert session.snapshot().phases[1].elapsed_s == 100


def test_nothing_to_end_before_the_start(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    with pytest.raises(SessionError):
        session.end_phase()


# --- extension and extra time ---------------------------------------------------------


def test_extend_with_a_reason(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(590)
    session.extend(60, "coupure du vidéoprojecteur")
    assert saved[-1].data == {
        "phase": "expose",
        "seconds": 60.0,
        "reason": "coupure du vidéoprojecteur",
    }
    snap = session.snapshot()
    assert (snap.remaining_s, snap.phases[1].planned_s) == (70, 660)
    for bad in (0, -5, 5 * 3600):
        with pytest.raises(SessionError):
            session.extend(bad, "non")


def test_extend_the_next_phase_while_waiting(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(60)
    session.tick()
    session.extend(30, "aménagement")
    assert session.snapshot().phases[1].planned_s == 630


def test_extra_time_applies_only_to_its_phases(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock, extra_time="1/3", extra_time_reason="PAP")
    assert saved[0].data["extra_time"] == "1/3" and saved[0].data["extra_time_reason"] == "PAP"
    planned = {p.id: p.planned_s for p in session.snapshot().phases}
    assert planned == {"prep": 60, "expose": 800, "entretien": 400, "bilan": 120}
    to_expose(session, fake_clock)  # the prep still ends after 60 s
    fake_clock.advance(700)
    assert session.snapshot().remaining_s == 100


def test_extra_time_on_every_phase_when_the_exam_does_not_say(
    demo_exam_data: dict[str, Any], fake_clock: FakeClock
) -> None:
    del demo_exam_data["extra_time_phases"]
    session, _ = make(Exam.model_validate(demo_exam_data), fake_clock, extra_time="1/3")
    assert [p.planned_s for p in session.snapshot().phases] == [80, 800, 400, 160]


def test_bad_extra_time_is_refused(demo_exam: Exam, fake_clock: FakeClock) -> None:
    for bad in ("beaucoup", "0", "-1/3", "3"):
        with pytest.raises(SessionError):
            make(demo_exam, fake_clock, extra_time=bad)


# --- phases that end and start by themselves -------------------------------------------


def test_auto_end_is_stamped_at_the_planned_end(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(59.9)
    assert session.tick() == []
    fake_clock.advance(15.1)  # the kiosk repaints late
    [ended] = session.tick()
    assert (ended.kind, ended.t, ended.data) == (
        "phase_ended",
        60.0,
        {"phase": "prep", "early": False, "auto": True},
    )
    assert datetime.fromisoformat(ended.at) == fake_clock.wall() - timedelta(seconds=15)
    snap = session.snapshot()
    assert snap.status is Status.BETWEEN  # the exposé waits for the commission
    assert (snap.phases[0].elapsed_s, snap.phases[0].overtime_s) == (60, 0)
    assert session.tick() == []
    assert saved[-1] == ended


def test_auto_start_follows_an_auto_end(
    demo_exam_data: dict[str, Any], fake_clock: FakeClock
) -> None:
    exam = variant(demo_exam_data, expose={"auto_start": True})
    session, _ = make(exam, fake_clock)
    session.start()
    fake_clock.advance(75)
    ended, started = session.tick()
    assert (ended.t, started.kind, started.t, started.data) == (
        60.0,
        "phase_started",
        60.0,
        {"phase": "expose"},
    )
    assert session.snapshot().elapsed_s == 15  # the exposé has run since 60 s


def test_chained_auto_ends_each_at_its_own_end(
    demo_exam_data: dict[str, Any], fake_clock: FakeClock
) -> None:
    exam = variant(
        demo_exam_data,
        expose={"auto_start": True, "auto_end": True},
        entretien={"auto_end": True},
    )
    session, _ = make(exam, fake_clock)
    session.start()
    fake_clock.advance(5000)
    events = session.tick()
    assert [(e.kind, e.t) for e in events] == [
        ("phase_ended", 60),
        ("phase_started", 60),
        ("phase_ended", 660),
        ("phase_started", 660),
        ("phase_ended", 960),
    ]
    assert session.status is Status.BETWEEN


def test_operations_apply_a_pending_auto_end_first(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(70)
    note = session.note("arrive en salle")  # no tick before: the note still follows the end
    assert [e.kind for e in saved[-2:]] == ["phase_ended", "note"]
    assert "phase" not in note.data


def test_a_result_after_a_missed_auto_end_comes_after_it(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, saved = make(demo_exam, fake_clock)
    session.start()
    fake_clock.advance(70)
    session.set_result(outcome="absent")  # the candidate left during the preparation
    assert [(e.kind, e.t) for e in saved[-2:]] == [("phase_ended", 60), ("result", 70)]


def test_e4_preparation_ends_alone_and_the_oral_waits(fake_clock: FakeClock) -> None:
    exam = load_catalog(None).get("e4-ponctuel")
    session, _ = make(exam, fake_clock)
    session.start()
    fake_clock.advance(2400 - 601)
    assert session.snapshot().warning == 0
    fake_clock.advance(1)
    assert session.snapshot().warning == 1  # 10 minutes left
    fake_clock.advance(900)
    [ended] = session.tick()
    assert (ended.t, session.status) == (2400, Status.BETWEEN)
    session.start()
    assert session.current_phase_id() == "p1-expose"
    fake_clock.advance(400)
    session.end_phase()  # the exposé carries its 200 s left over to the entretien
    assert (session.current_phase_id(), session.snapshot().remaining_s) == ("p1-entretien", 800)


# --- notes, ratings, result ---------------------------------------------------------


def test_notes_are_stamped_with_phase_and_offset(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    fake_clock.advance(5)
    before = session.note("  Candidat en avance  ")
    assert before.data == {"text": "Candidat en avance", "offset_s": 5.0}
    to_expose(session, fake_clock)
    fake_clock.advance(42)
    session.pause("porte")
    fake_clock.advance(30)  # the pause does not move the offset
    during = session.note("Bonne reformulation", criterion="c2")
    assert during.data == {
        "text": "Bonne reformulation",
        "phase": "expose",
        "offset_s": 42.0,
        "criterion": "c2",
    }
    notes = session.state.notes
    assert [(n.phase, n.offset_s, n.criterion, n.text) for n in notes] == [
        (None, 5.0, None, "Candidat en avance"),
        ("expose", 42.0, "c2", "Bonne reformulation"),
    ]
    for text, criterion in (("   ", None), ("ok", "c9"), ("x" * 20_001, None)):
        with pytest.raises(SessionError):
            session.note(text, criterion)
    assert len(session.state.notes) == 2


def test_a_later_rating_replaces_and_none_clears(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock)
    session.rate("c1", "S")
    session.rate("c3", "TI")
    session.rate("c1", "TS")
    assert session.state.ratings == {"c1": "TS", "c3": "TI"}
    session.rate("c3", None)
    assert session.state.ratings == {"c1": "TS"}
    count = len(saved)
    with pytest.raises(SessionError):
        session.rate("c9", "S")
    with pytest.raises(SessionError):
        session.rate("c1", "B")
    with pytest.raises(SessionError):
        session.rate("c1", "ts")
    assert len(saved) == count and session.state.ratings == {"c1": "TS"}


def test_rating_is_stamped_with_the_phase(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    assert session.rate("c1", "S").data == {"criterion": "c1", "level": "S", "phase": "expose"}


@pytest.mark.parametrize("mark", [0, 0.5, 12.5, 14, 20])
def test_marks_in_half_points(demo_exam: Exam, fake_clock: FakeClock, mark: float) -> None:
    session, _ = make(demo_exam, fake_clock)
    session.set_result(mark=mark, appreciation=" Solide ", members=["M. A", " ", "Mme B"])
    assert session.state.result == {
        "mark": float(mark),
        "fields": {"appreciation": "Solide"},
        "members": ["M. A", "Mme B"],
    }


@pytest.mark.parametrize("mark", [14.25, 21, -0.5, 20.5, float("nan"), float("inf")])
def test_impossible_marks_are_refused(demo_exam: Exam, fake_clock: FakeClock, mark: float) -> None:
    session, saved = make(demo_exam, fake_clock)
    with pytest.raises(SessionError):
        session.set_result(mark=mark)
    assert session.state.result is None and len(saved) == 1


def test_outcomes_and_a_later_result_replaces(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = make(demo_exam, fake_clock)
    session.set_result(outcome="nv", nv_reason="hors-delai")
    assert session.state.result == {
        "outcome": "nv",
        "nv_reason": "hors-delai",
        "fields": {},
        "members": [],
    }
    session.set_result(outcome="absent")
    assert session.state.result is not None and session.state.result["outcome"] == "absent"
    session.set_result(mark=12.5, reserved=True)
    verdict = session.state.verdict
    assert verdict is not None and verdict.status is ResultStatus.RESERVED and verdict.mark == 12.5
    session.set_result(mark=11, appreciation="fiches 1 et 2, réseau de franchise")
    assert session.state.result == {
        "mark": 11.0,
        "fields": {"appreciation": "fiches 1 et 2, réseau de franchise"},
        "members": [],
    }
    assert [e.kind for e in saved].count("result") == 4  # every one stays in the log
    with pytest.raises(SessionError):
        session.set_result(outcome="excuse")
    with pytest.raises(SessionError):
        session.set_result(outcome="reservee")  # réservée is a mark with ``reserved`` now
    with pytest.raises(SessionError):
        session.set_result(outcome="nv")  # NV goes with the notification's reason
    with pytest.raises(SessionError):
        session.set_result(mark=10, outcome="nv")
    with pytest.raises(SessionError):
        session.set_result(mark=10, fields={"fiches": "1"})  # no such field in this exam
    with pytest.raises(SessionError):
        session.set_result()


# --- finishing ------------------------------------------------------------------------


def test_finish_marks_the_phases_not_run_as_skipped(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(200)
    session.finish()
    snap = session.snapshot()
    assert snap.status is Status.FINISHED
    assert [p.state for p in snap.phases] == ["done", "done", "skipped", "skipped"]
    assert snap.phases[1].elapsed_s == 200
    # The skipped phases are not planned any more (nor is the preparation: the oral only).
    assert snap.total_planned_s == 600
    fake_clock.advance(100)
    assert session.snapshot().total_elapsed_s == 200
    for op in (session.finish, session.start, session.end_phase, lambda: session.extend(5, "x")):
        with pytest.raises(SessionError):
            op()


def test_finish_before_the_start(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = make(demo_exam, fake_clock)
    session.set_result(outcome="absent")
    session.finish()
    assert [p.state for p in session.snapshot().phases] == ["skipped"] * 4


# --- the wall clock --------------------------------------------------------------------


@pytest.mark.parametrize("jump", [3600, -3600])
def test_a_wall_clock_jump_never_moves_the_timer(
    demo_exam: Exam, fake_clock: FakeClock, jump: float
) -> None:
    session, _ = make(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(100)
    before = session.snapshot()
    fake_clock.jump_wall(jump)
    assert session.snapshot() == before
    fake_clock.advance(10)
    after = session.snapshot()
    assert after.remaining_s == before.remaining_s - 10
    note = session.note("après le changement d'heure")
    assert note.data["offset_s"] == 110


# --- nothing is applied that was not saved ----------------------------------------------


class FlakyDisk:
    """A sink that fails while ``full`` is set, as a full disk does."""

    def __init__(self) -> None:
        self.full = False
        self.saved: list[Event] = []

    def __call__(self, event: Event) -> None:
        if self.full:
            raise SaveError("the disk is full")
        self.saved.append(event)


OPERATIONS: dict[str, Callable[[Session], object]] = {
    "start": lambda s: s.start(),
    "pause": lambda s: s.pause("bruit"),
    "end_phase": lambda s: s.end_phase(),
    "extend": lambda s: s.extend(30, "raison"),
    "note": lambda s: s.note("texte", criterion="c1"),
    "rate": lambda s: s.rate("c2", "S"),
    "result": lambda s: s.set_result(mark=12),
    "finish": lambda s: s.finish(),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_a_refused_save_leaves_the_state_unchanged(
    demo_exam: Exam, fake_clock: FakeClock, name: str
) -> None:
    disk = FlakyDisk()
    session = Session.create(demo_exam, fake_clock, disk, session_id="x", identity=who("Ada"))
    if name != "start":
        to_expose(session, fake_clock)
    fake_clock.advance(30)
    state, events = copy.deepcopy(session.state), list(session.events)
    disk.full = True
    with pytest.raises(SaveError):
        OPERATIONS[name](session)
    assert session.state == state and session.events == events
    assert session.snapshot().elapsed_s == (0 if name == "start" else 30)
    disk.full = False  # space freed: the same operation now goes through, with no gap
    OPERATIONS[name](session)
    assert [e.seq for e in disk.saved] == list(range(len(disk.saved)))
    assert disk.saved == session.events


def test_a_failed_auto_start_leaves_the_phase_waiting(
    demo_exam_data: dict[str, Any], fake_clock: FakeClock
) -> None:
    exam = variant(demo_exam_data, expose={"auto_start": True})
    disk = FlakyDisk()
    session = Session.create(exam, fake_clock, disk, session_id="x", identity=who("Ada"))
    session.start()
    fake_clock.advance(60)

    real = disk.__call__

    def second_fails(event: Event) -> None:
        if event.kind == Kind.PHASE_STARTED:
            raise SaveError("the disk is full")
        real(event)

    session.set_sink(second_fails)
    with pytest.raises(SaveError):
        session.tick()
    assert session.status is Status.BETWEEN  # what was saved: the prep ended, nothing more
    assert disk.saved[-1].kind == "phase_ended"
    session.set_sink(disk)
    session.start()
    assert session.current_phase_id() == "expose"


def test_carried_time_is_planned_once_in_the_total(fake_clock: FakeClock) -> None:
    # A 10' exposé ended at 7' gives 3' to the 5' entretien: still 15' planned in all.
    exam = Exam.model_validate(
        {
            "id": "carry",
            "title": {"fr": "Report"},
            "epreuve": "E6",
            "phases": [
                {"id": "expose", "label": {"fr": "Exposé"}, "duration_s": 600, "carry_over": True},
                {"id": "entretien", "label": {"fr": "Entretien"}, "duration_s": 300},
            ],
            "competences": [
                {"id": "c", "label": {"fr": "C"}, "criteria": [{"id": "k", "label": {"fr": "K"}}]}
            ],
        }
    )
    session = Session.create(exam, fake_clock, lambda e: None, session_id="s", identity=who("A"))
    session.start()
    fake_clock.advance(420)
    session.end_phase()
    snap = session.snapshot()
    assert snap.phases[1].planned_s == 480
    assert snap.total_planned_s == 900
