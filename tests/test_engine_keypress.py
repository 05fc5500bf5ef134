"""What a key does takes effect at the key press, whatever the question asked after it
(issue 10): a pause starts at once and its reason comes later; an early end and a
finish are stamped at the key press; a preparation never carries its time over; the
total counts the oral only, as the cap does. On a fake clock."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import create_session, to_expose

from ndrc_oral.exams import load_catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session import FakeClock, SessionError, Status, fold


def test_a_pause_starts_at_once_and_its_reason_comes_later(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(100)
    session.pause()  # the key press: no reason yet
    assert session.status is Status.PAUSED
    started = session.state.phases[1].pauses[-1].start
    fake_clock.advance(14)  # the commission types the reason
    reason = session.give_pause_reason("  Alarme incendie ")
    assert reason.kind == "pause_reason"
    assert reason.data == {"phase": "expose", "start_s": started, "reason": "Alarme incendie"}
    pause = session.state.phases[1].pauses[-1]
    assert (pause.start, pause.reason) == (started, "Alarme incendie")
    assert session.snapshot().elapsed_s == 100  # the 14 s went to no one
    assert session.snapshot().pause_reason == "Alarme incendie"
    assert fold(demo_exam, saved) == session.state  # read back: the same reason


def test_the_reason_of_an_ended_pause_can_be_given(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, saved = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    session.pause()
    fake_clock.advance(5)
    session.resume()
    session.give_pause_reason("Bruit")
    assert session.state.phases[1].pauses[-1].reason == "Bruit"
    assert fold(demo_exam, saved).phases[1].pauses[-1].reason == "Bruit"


def test_no_reason_without_a_pause_and_never_empty(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    with pytest.raises(SessionError):
        session.give_pause_reason("Bruit")
    session.pause()
    with pytest.raises(SessionError):
        session.give_pause_reason("   ")


def test_an_early_end_is_stamped_at_the_key_press(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(600 - 523)  # 08:43 left at the key press
    pressed = session.now()
    fake_clock.advance(10)  # the commission reads the question
    [ended, started] = session.end_phase(carry_over=True, at=pressed)
    assert ended.t == started.t == pressed
    assert ended.data["carried_s"] == 523  # what the question said, not 08:33
    assert session.state.phases[2].carried_in_s == 523
    assert session.snapshot().remaining_s == 300 + 523 - 10


def test_a_finish_is_stamped_at_the_key_press(demo_exam: Exam, fake_clock: FakeClock) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    fake_clock.advance(200)
    pressed = session.now()
    fake_clock.advance(30)
    finished = session.finish(at=pressed)
    assert finished.t == pressed
    assert session.state.phases[1].ended == pressed
    assert session.snapshot().phases[1].elapsed_s == 200


def test_a_key_press_time_is_never_before_the_last_event_nor_after_now(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    to_expose(session, fake_clock)
    last = session.state.last_t
    [ended, _] = session.end_phase(at=last - 50)
    assert ended.t == last
    fake_clock.advance(5)
    assert session.finish(at=session.now() + 60).t == session.now()


def test_an_auto_end_after_the_key_press_does_not_come_first(
    demo_exam: Exam, fake_clock: FakeClock
) -> None:
    session, _ = create_session(demo_exam, fake_clock)
    session.start()  # the 60 s preparation, which ends by itself
    fake_clock.advance(50)
    pressed = session.now()
    fake_clock.advance(20)  # its end passed while the question was open
    [ended] = session.end_phase(at=pressed)
    assert (ended.t, ended.data.get("auto")) == (pressed, None)


def test_a_preparation_never_carries_into_the_oral(fake_clock: FakeClock) -> None:
    exam = load_catalog(None).get("e4-ponctuel")
    session, _ = create_session(exam, fake_clock)
    session.start()
    fake_clock.advance(3)
    [ended] = session.end_phase(carry_over=True)
    assert "carried_s" not in ended.data and ended.data["early"] is True
    session.start()
    assert session.snapshot().remaining_s == 600  # the exposé's own ten minutes


def test_a_preparation_defined_to_carry_over_does_not(
    demo_exam_data: dict[str, Any], fake_clock: FakeClock
) -> None:
    demo_exam_data["phases"][0]["carry_over"] = True
    session, _ = create_session(Exam.model_validate(demo_exam_data), fake_clock)
    session.start()
    fake_clock.advance(10)
    [ended] = session.end_phase()
    assert "carried_s" not in ended.data


def test_the_total_counts_the_oral_only_as_the_cap_does(fake_clock: FakeClock) -> None:
    exam = load_catalog(None).get("e4-ponctuel")
    session, _ = create_session(exam, fake_clock)
    session.start()
    fake_clock.advance(2400)
    session.tick()
    snap = session.snapshot()
    assert (snap.total_elapsed_s, snap.total_planned_s) == (0, exam.total_cap_s)
    session.start()
    fake_clock.advance(90)
    assert session.snapshot().total_elapsed_s == 90
