"""Property tests: random operations, clock moves and restarts never break the
timing rules, and the state rebuilt from the saved transcript is the live state."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sessions import who

from ndrc_oral.exams import load_catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session import FakeClock, Session, SessionError, Snapshot, Status, fold
from ndrc_oral.transcript import (
    Integrity,
    Store,
    load_session,
    new_session,
    read_transcript,
    resume_session,
)

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Op:
    name: str
    arg: Any = None


def _ops(max_advance: float) -> st.SearchStrategy[list[Op]]:
    advance = st.builds(
        Op,
        st.just("advance"),
        st.one_of(
            st.floats(min_value=0, max_value=max_advance, allow_nan=False),
            st.sampled_from([0.0, 0.0004, 0.0005, 0.0006, 0.999, 1.0, 29.9995, 60.0]),
            # Often far enough to cross a phase's end between two operations.
            st.just(max_advance),
        ),
    )
    simple = st.builds(
        Op,
        st.sampled_from(
            ["start", "start", "pause", "resume", "finish", "tick", "note", "rate", "result"]
        ),
    )
    end = st.builds(Op, st.just("end_phase"), st.sampled_from([None, True, False]))
    extend = st.builds(Op, st.just("extend"), st.floats(min_value=0.5, max_value=600))
    wall = st.builds(Op, st.just("jump_wall"), st.sampled_from([3600.0, -3600.0, -86400.0]))
    crash = st.builds(Op, st.just("crash"), st.sampled_from([0.0, 45.0, 7200.0, -3600.0]))
    return st.lists(
        st.one_of(advance, simple, advance, simple, end, extend, wall, crash),
        min_size=3,
        max_size=40,
    )


def _apply(session: Session, clock: FakeClock, op: Op, step: int) -> None:
    exam = session.exam
    try:
        if op.name == "advance":
            clock.advance(op.arg)
        elif op.name == "jump_wall":
            clock.jump_wall(op.arg)
        elif op.name == "start":
            session.start()
        elif op.name == "pause":
            session.pause(f"incident {step}")
        elif op.name == "resume":
            session.resume()
        elif op.name == "end_phase":
            session.end_phase(op.arg)
        elif op.name == "extend":
            session.extend(op.arg, "raison")
        elif op.name == "note":
            session.note(f"note {step}", criterion=exam.criterion_ids()[step % 3])
        elif op.name == "rate":
            levels = [*exam.level_codes(), None]
            session.rate(exam.criterion_ids()[step % 2], levels[step % len(levels)])
        elif op.name == "result":
            session.set_result(mark=(step % 41) / 2)
        elif op.name == "finish":
            session.finish()
        elif op.name == "tick":
            session.tick()
    except SessionError:
        pass  # refused: the invariants below must hold all the same


def _check_snapshot(snap: Snapshot) -> None:
    assert abs(sum(p.elapsed_s for p in snap.phases) - snap.total_elapsed_s) < TOLERANCE
    for view in snap.phases:
        assert view.elapsed_s >= 0
        # Overtime only after the planned end, and then exactly the excess.
        assert abs(view.overtime_s - max(0.0, view.elapsed_s - view.planned_s)) < TOLERANCE
    if snap.overtime_s > 0:
        assert snap.remaining_s < 0 and snap.status in (Status.RUNNING, Status.PAUSED)
    if snap.status is Status.READY:
        assert snap.total_elapsed_s == 0


def _run(exam: Exam, ops: list[Op], repaint_every_step: bool) -> None:
    """Apply ``ops``; check the snapshot at each repaint (``tick`` then ``snapshot``).

    ``repaint_every_step``: the kiosk repaints between any two operations;
    otherwise only at the ``tick`` operations, so operations also meet a phase
    that has passed its automatic end without being told. A ``crash`` stops
    the program (after its last heartbeat) and resumes the session on a new
    clock, ``arg`` seconds later on the wall.
    """
    clock = FakeClock()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        live = new_session(store, exam, clock, who("Ada"), fsync=False)  # speed: tests only
        session = live.session
        before = session.snapshot()
        for step, op in enumerate(ops):
            was_paused = session.status is Status.PAUSED
            if op.name == "crash":
                live.heartbeat()
                live.writer.close()
                clock = FakeClock(start=5.0 * step, wall=clock.wall() + timedelta(seconds=op.arg))
                live = resume_session(store, live.session_id, clock, fsync=False)
                session = live.session
            else:
                _apply(session, clock, op, step)
            if not (repaint_every_step or op.name == "tick"):
                continue
            session.tick()  # what the kiosk does when it repaints
            after = session.snapshot()
            _check_snapshot(after)
            # Elapsed never goes back, phase by phase.
            for old, new in zip(before.phases, after.phases, strict=True):
                assert new.elapsed_s >= old.elapsed_s - TOLERANCE, (op, old, new)
            if op.name == "advance" and was_paused and repaint_every_step:
                # Paused time never counts.
                assert abs(after.total_elapsed_s - before.total_elapsed_s) < TOLERANCE
            if op.name == "jump_wall" and repaint_every_step:
                assert after == before  # the wall clock moves no timer
            if op.name == "crash" and repaint_every_step:
                # A restart after the last heartbeat moves no timer either.
                assert abs(after.total_elapsed_s - before.total_elapsed_s) < TOLERANCE
            before = after
        live.close()

        # The log is in order and complete.
        assert [e.seq for e in session.events] == list(range(len(session.events)))
        times = [e.t for e in session.events]
        assert times == sorted(times)

        # Rebuilt from the file, the state and the snapshot are the live ones.
        transcript = read_transcript(live.path)
        assert transcript.integrity is Integrity.INTACT
        assert transcript.events == session.events
        loaded = load_session(live.path)
        assert loaded.state == session.state
        assert loaded.state.snapshot(session.now()) == session.snapshot()
        clock.advance(123.4)
        assert fold(exam, transcript.events).snapshot(session.now()) == session.snapshot()


SMALL_EXAM: dict[str, Any] = {
    "id": "small",
    "title": {"fr": "Petite épreuve"},
    "epreuve": "E6",
    "phases": [
        {"id": "a", "label": {"fr": "A"}, "duration_s": 30, "warnings_s": [10], "auto_end": True},
        {"id": "b", "label": {"fr": "B"}, "duration_s": 20, "warnings_s": [5], "carry_over": True},
        {"id": "c", "label": {"fr": "C"}, "duration_s": 25, "auto_start": False, "warnings_s": [5]},
        {"id": "d", "label": {"fr": "D"}, "duration_s": 10, "warnings_s": [2], "auto_end": True},
    ],
    "competences": [
        {
            "id": "k",
            "label": {"fr": "K"},
            "criteria": [
                {"id": "x", "label": {"fr": "X"}},
                {"id": "y", "label": {"fr": "Y"}},
                {"id": "z", "label": {"fr": "Z"}},
            ],
        }
    ],
}

PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(ops=_ops(max_advance=35), repaint=st.booleans())
def test_random_sessions_on_a_small_exam(ops: list[Op], repaint: bool) -> None:
    _run(Exam.model_validate(SMALL_EXAM), ops, repaint)


@pytest.fixture(scope="module")
def e4() -> Exam:
    return load_catalog(None).get("e4-ponctuel")


@PROPERTY_SETTINGS
@given(ops=_ops(max_advance=2500), repaint=st.booleans())
def test_random_sessions_on_the_shipped_e4(e4: Exam, ops: list[Op], repaint: bool) -> None:
    _run(e4, ops, repaint)
