"""The downtime a resume records: from the last sign of life, never counted twice.

The kiosk beats (notes the session time and the wall time) only while a phase
runs or is paused. Between two phases, after a crash, the heartbeat on disk
may be older than the last events: the downtime must then run from the last
event, else it counts the time the kiosk was up (and an earlier downtime,
already recorded) as down. Found by the 50-kill run (25 minutes too much).
"""

from __future__ import annotations

import pytest
from sessions import who

from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript import Store, new_session, read_transcript, resume_session


def downtimes(path: object) -> list[float]:
    from pathlib import Path

    assert isinstance(path, Path)
    return [e.data["downtime_s"] for e in read_transcript(path).events if e.kind == "recovered"]


def test_a_crash_between_phases_records_the_downtime_since_the_last_event(
    store: Store, demo_exam: Exam, fake_clock: FakeClock
) -> None:
    clock = fake_clock
    live = new_session(store, demo_exam, clock, who("Ada"))
    live.session.start()  # the preparation (60 s, ends by itself)
    clock.advance(30)
    live.heartbeat()  # the last beat: the phase runs
    clock.advance(40)
    live.session.tick()  # the preparation ended at 60 s; the exposé waits for its start
    assert live.session.status is Status.BETWEEN
    live.writer.close()  # the kiosk dies, between two phases

    clock.advance(600)  # down ten minutes
    again = resume_session(store, live.session_id, clock)
    assert downtimes(live.path) == [pytest.approx(600 + 10)]  # since the automatic end
    again.session.note("la commission reprend")
    clock.advance(300)  # up five minutes, between phases: no heartbeat
    again.writer.close()  # dies again

    clock.advance(60)
    resume_session(store, live.session_id, clock).close()
    # From the note (the last sign of life): 300 s up without a beat + 60 s down.
    # Never from the old heartbeat, which would count the first 600 s again.
    assert downtimes(live.path)[-1] == pytest.approx(360)
