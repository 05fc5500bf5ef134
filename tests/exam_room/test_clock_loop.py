"""The clock and bell of the run screen, without a screen: sessions on a FakeClock, read by hand."""

from __future__ import annotations

import pytest
from sessions import who

from ndrc_oral.exam_room.clock_loop import (
    HEARTBEAT_S,
    LATE_S,
    AlertKind,
    ClockLoop,
    CueId,
    Reading,
)
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session
from ndrc_oral.session.events import Kind


def session(catalog: Catalog, clock: FakeClock, exam: str = "e6-ccf-a") -> Session:
    return Session.create(catalog.get(exam), clock, lambda e: None, session_id=exam, identity=who())


def read(s: Session, key: str = "ada") -> Reading:
    """What the screen reads at a repaint (ticking first, as it does)."""
    ended = any(e.kind == Kind.PHASE_ENDED for e in s.tick())
    paused = 0.0
    state = s.state
    if state.is_paused and state.current is not None:
        paused = s.now() - state.phases[state.current].pauses[-1].start
    snap = s.snapshot()
    index = snap.phase_index
    warnings = tuple(s.exam.phases[index].warnings_s) if index is not None else ()
    return Reading(key, snap, paused_for=paused, auto_ended=ended, warnings_s=warnings)


def test_a_ready_session_sleeps_until_a_key_is_pressed(catalog: Catalog, clock: FakeClock) -> None:
    loop, s = ClockLoop(), session(catalog, clock)
    plan = loop.step([read(s)])
    assert plan.repaint == {"ada"}  # first reading: paint it
    assert (plan.ring, plan.beat, plan.wake_in) == (False, (), None)
    clock.advance(30)
    plan = loop.step([read(s)])
    assert plan.repaint == set() and plan.wake_in is None  # nothing shown moved


def test_a_running_phase_wakes_at_the_next_shown_second_and_beats(
    catalog: Catalog, clock: FakeClock
) -> None:
    loop, s = ClockLoop(), session(catalog, clock)
    s.start()
    clock.advance(0.3)
    plan = loop.step([read(s)])
    assert plan.beat == ("ada",)
    assert plan.wake_in == pytest.approx(0.7 + LATE_S)
    clock.advance(0.2)  # woken early (another candidate's second): nothing to repaint
    assert loop.step([read(s)]).repaint == set()
    clock.advance(0.5)
    assert loop.step([read(s)]).repaint == {"ada"}


def test_a_pause_repaints_its_counter_each_second_and_beats(
    catalog: Catalog, clock: FakeClock
) -> None:
    loop, s = ClockLoop(), session(catalog, clock)
    s.start()
    s.pause("incident")
    loop.step([read(s)])
    clock.advance(1)
    plan = loop.step([read(s)])
    assert plan.repaint == {"ada"}  # "en pause depuis 00:01"
    assert plan.beat == ("ada",) and plan.wake_in == pytest.approx(HEARTBEAT_S + LATE_S)


def test_the_bell_rings_once_at_each_threshold_and_at_the_end(
    catalog: Catalog, clock: FakeClock
) -> None:
    loop, s = ClockLoop(), session(catalog, clock)  # exposé 10:00, warnings at 2:00 and 0:30
    s.start()
    assert not loop.step([read(s)]).ring  # the start is the baseline
    rung: list[tuple[float, AlertKind]] = []
    for _ in range(610):
        clock.advance(1)
        plan = loop.step([read(s)])
        rung.extend((round(s.now()), a.kind) for a in plan.alerts)
        assert plan.ring == bool(plan.alerts)
    assert rung == [(480, AlertKind.WARNING), (570, AlertKind.WARNING), (600, AlertKind.END)]


def test_a_late_reading_rings_once_for_what_it_missed(catalog: Catalog, clock: FakeClock) -> None:
    loop, s = ClockLoop(), session(catalog, clock)
    s.start()
    loop.step([read(s)])
    clock.advance(605)  # both warnings and the end passed while nothing was read
    plan = loop.step([read(s)])
    assert [a.kind for a in plan.alerts] == [AlertKind.END]


def test_an_extension_lets_the_bell_ring_again(catalog: Catalog, clock: FakeClock) -> None:
    loop, s = ClockLoop(), session(catalog, clock)
    s.start()
    loop.step([read(s)])
    clock.advance(575)  # the 2:00 and 0:30 warnings
    assert loop.step([read(s)]).ring
    s.extend(120, "incident")
    assert not loop.step([read(s)]).ring  # back above both thresholds: no bell
    clock.advance(90)  # 0:30 left again
    assert [a.kind for a in loop.step([read(s)]).alerts] == [AlertKind.WARNING]


def test_a_phase_that_ends_by_itself_rings_for_that_candidate(
    catalog: Catalog, clock: FakeClock
) -> None:
    loop = ClockLoop()
    ada, bob = session(catalog, clock, "e4-ponctuel"), session(catalog, clock)
    ada.start()
    bob.start()
    loop.step([read(ada, "ada"), read(bob, "bob")])
    clock.advance(2401)  # Ada's 40-minute preparation ends by itself; Bob is in overtime
    plan = loop.step([read(ada, "ada"), read(bob, "bob")])
    assert {(a.key, a.kind) for a in plan.alerts} == {
        ("ada", AlertKind.AUTO_END),
        ("bob", AlertKind.END),
    }
    assert plan.repaint == {"ada", "bob"}
    assert plan.beat == ("bob",)  # Ada waits between phases: no heartbeat


def test_a_candidate_who_leaves_is_forgotten(catalog: Catalog, clock: FakeClock) -> None:
    loop, s = ClockLoop(), session(catalog, clock)
    loop.step([read(s)])
    loop.forget("ada")
    assert loop.step([read(s)]).repaint == {"ada"}  # back: a new baseline, painted


# --- what is due next, so that it can be played on time (alerts.alarm) --------------------------


def test_the_next_alert_is_announced_with_the_id_it_will_have(
    catalog: Catalog, clock: FakeClock
) -> None:
    loop, s = ClockLoop(), session(catalog, clock)  # exposé 10:00, warnings at 2:00 and 0:30
    s.start()
    clock.advance(0.4)
    [ahead] = loop.step([read(s)]).upcoming
    assert (ahead.kind, ahead.in_s) == (AlertKind.WARNING, pytest.approx(479.6))
    announced: set[CueId] = {ahead.cue}
    crossed = []
    for _ in range(1300):
        clock.advance(0.5)
        plan = loop.step([read(s)])
        crossed.extend(a.cue for a in plan.alerts)
        announced.update(u.cue for u in plan.upcoming)
    assert [c.step for c in crossed] == [1, 2, 3]  # 2:00, 0:30, the planned end
    assert set(crossed) <= announced  # played ahead or found crossed: the same id, once
    assert len(set(crossed)) == 3


def test_upcoming_says_when_the_end_comes_and_nothing_when_paused(
    catalog: Catalog, clock: FakeClock
) -> None:
    loop, s = ClockLoop(), session(catalog, clock)
    s.start()
    loop.step([read(s)])
    clock.advance(580)
    [ahead] = loop.step([read(s)]).upcoming
    assert (ahead.kind, ahead.cue.step, ahead.in_s) == (AlertKind.END, 3, pytest.approx(20))
    s.pause("incident")
    assert loop.step([read(s)]).upcoming == ()
    clock.advance(60)
    s.resume()
    plan = loop.step([read(s)])
    assert plan.alerts == ()  # the thresholds passed before the pause do not ring again
    [again] = plan.upcoming
    assert again.cue == ahead.cue and again.in_s == pytest.approx(20)


def test_an_automatic_end_is_announced_with_its_id(catalog: Catalog, clock: FakeClock) -> None:
    loop, s = ClockLoop(), session(catalog, clock, "e4-ponctuel")  # a 40-min preparation
    s.start()
    loop.step([read(s)])
    clock.advance(2390)
    [ahead] = loop.step([read(s)]).upcoming
    clock.advance(11)
    [alert] = loop.step([read(s)]).alerts
    assert alert.kind is AlertKind.AUTO_END and alert.cue == ahead.cue


def test_an_extension_gives_the_thresholds_new_ids(catalog: Catalog, clock: FakeClock) -> None:
    loop, s = ClockLoop(), session(catalog, clock)
    s.start()
    loop.step([read(s)])
    clock.advance(485)  # 1:55 left: the 2:00 warning
    [first] = loop.step([read(s)]).alerts
    s.extend(60, "incident")  # 2:55 left
    loop.step([read(s)])
    clock.advance(60)  # 1:55 left again
    [second] = loop.step([read(s)]).alerts
    assert second.cue.step == first.cue.step == 1 and second.cue != first.cue  # rings again
