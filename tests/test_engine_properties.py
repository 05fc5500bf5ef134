"""Property tests: random operations, clock moves and restarts never break the
timing rules, the state rebuilt from the saved transcript is the live state,
and a reference model of the timer says what every snapshot must show."""

from __future__ import annotations

import copy
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from engine_support import create_session, restore_session
from hypothesis import HealthCheck, event, given, settings
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


def _check_snapshot(snap: Snapshot, exam: Exam) -> None:
    oral = [v for v, p in zip(snap.phases, exam.phases, strict=True) if not p.preparation]
    assert abs(sum(v.elapsed_s for v in oral) - snap.total_elapsed_s) < TOLERANCE
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
            _check_snapshot(after, exam)
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
        # A preparation defined to carry over: it never does, and the totals leave it out.
        {
            "id": "a",
            "label": {"fr": "A"},
            "duration_s": 30,
            "warnings_s": [10],
            "auto_end": True,
            "preparation": True,
            "carry_over": True,
        },
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


# --- against a reference model ------------------------------------------------------------
#
# The tests above check relative things (live == reloaded, elapsed never goes
# back). Here a small model of the timer, written from the rules and not from
# the engine's code, says what every snapshot must show, after every step.


@dataclass
class RefPhase:
    """One phase as the rules describe it."""

    base: float
    auto_end: bool
    auto_start: bool
    carry_over: bool
    warnings: list[int]
    preparation: bool = False
    """Alone "en loge": its time never carries over and is not the oral's total."""
    extended: float = 0.0
    carried_in: float = 0.0
    carried_out: float = 0.0
    elapsed: float = 0.0
    """Time it has run: grows only while it runs and is not paused."""
    pauses: int = 0
    started: bool = False
    ended: bool = False
    skipped: bool = False

    @property
    def planned(self) -> float:
        return self.base + self.extended + self.carried_in


class Reference:
    """The timer: phases in order; the start key starts the next; a phase that ends
    by itself does so the moment its time is up (pauses excluded), and the next
    starts then if it starts by itself; time left over goes to the next phase
    when carried; finishing skips what never ran. Refused operations return False."""

    def __init__(self, exam: Exam) -> None:
        self.phases = [
            RefPhase(
                p.duration_s,
                p.auto_end,
                p.auto_start,
                p.carry_over,
                list(p.warnings_s),
                p.preparation,
            )
            for p in exam.phases
        ]
        self.status = Status.READY
        self.current: int | None = None
        self.next = 0
        self.reason: str | None = None

    def advance(self, dt: float) -> None:
        while dt > 0 and self.status is Status.RUNNING:
            assert self.current is not None
            run = self.phases[self.current]
            left = run.planned - run.elapsed
            if not run.auto_end or left > dt:
                run.elapsed += dt
                return
            run.elapsed += left
            dt -= left
            self._end(carry=False)

    def start(self) -> bool:
        if self.status not in (Status.READY, Status.BETWEEN):
            return False
        self._start(self.next)
        return True

    def _start(self, index: int) -> None:
        self.phases[index].started = True
        self.current, self.next, self.status = index, index + 1, Status.RUNNING

    def pause(self, reason: str) -> bool:
        if self.status is not Status.RUNNING:
            return False
        assert self.current is not None
        self.phases[self.current].pauses += 1
        self.status, self.reason = Status.PAUSED, reason
        return True

    def resume(self) -> bool:
        if self.status is not Status.PAUSED:
            return False
        self.status, self.reason = Status.RUNNING, None
        return True

    def give_reason(self, reason: str) -> bool:
        """The reason of the latest pause, given after it started (shown while it lasts)."""
        if not any(p.pauses for p in self.phases):
            return False
        if self.status is Status.PAUSED:
            self.reason = reason
        return True

    def end(self, carry: bool | None) -> bool:
        if self.current is None:
            return False
        self._end(self.phases[self.current].carry_over if carry is None else carry)
        return True

    def _end(self, carry: bool) -> None:
        assert self.current is not None
        index, run = self.current, self.phases[self.current]
        left = run.planned - run.elapsed
        run.ended, self.current, self.reason = True, None, None
        has_next = index + 1 < len(self.phases)
        if carry and has_next and left > 0 and not run.preparation:
            run.carried_out = left
            self.phases[index + 1].carried_in += left
        if has_next and self.phases[index + 1].auto_start:
            self._start(index + 1)
        else:
            self.status = Status.BETWEEN if has_next else Status.OVER

    def extend(self, seconds: float) -> bool:
        index = self.current if self.current is not None else self.next
        if not 0 < seconds <= 4 * 3600 or self.status is Status.FINISHED:
            return False
        if index >= len(self.phases):
            return False
        self.phases[index].extended += seconds
        return True

    def finish(self) -> bool:
        if self.status is Status.FINISHED:
            return False
        if self.current is not None:
            self.phases[self.current].ended = True
        for run in self.phases[self.next :]:
            run.skipped = True
        self.current, self.next, self.status, self.reason = (
            None,
            len(self.phases),
            Status.FINISHED,
            None,
        )
        return True

    def restart(self) -> None:
        """The program stopped and came back: a running phase waits, paused, for the commission."""
        self.pause("interruption")

    def _state(self, index: int) -> str:
        run = self.phases[index]
        if run.skipped:
            return "skipped"
        if index == self.current:
            return "running"  # paused too: it is the phase on screen
        return "done" if run.ended else "pending"

    def expected(self) -> tuple[Any, ...]:
        """What the snapshot must say, in the order of ``_observed``."""
        index = self.current if self.current is not None else self.next
        elapsed = remaining = overtime = 0.0
        warning = 0
        if index < len(self.phases):
            run = self.phases[index]
            elapsed, remaining = run.elapsed, run.planned - run.elapsed
            overtime = max(0.0, -remaining)
            warning = sum(remaining <= w for w in run.warnings) if run.started else 0
        views = tuple(
            (p.planned, p.elapsed, max(0.0, p.elapsed - p.planned), self._state(i))
            for i, p in enumerate(self.phases)
        )
        return (
            self.status,
            index if index < len(self.phases) else None,
            elapsed,
            remaining,
            overtime,
            warning,
            self.reason,
            sum(p.elapsed for p in self.phases if not p.preparation),
            sum(p.planned for p in self.phases if not p.skipped and not p.preparation)
            - sum(p.carried_out for p in self.phases if not p.preparation),
            views,
        )


def _observed(snap: Snapshot) -> tuple[Any, ...]:
    views = tuple((v.planned_s, v.elapsed_s, v.overtime_s, v.state) for v in snap.phases)
    return (
        snap.status,
        snap.phase_index,
        snap.elapsed_s,
        snap.remaining_s,
        snap.overtime_s,
        snap.warning,
        snap.pause_reason,
        snap.total_elapsed_s,
        snap.total_planned_s,
        views,
    )


# Clock moves are halves of a second: exact in binary, so the engine's
# millisecond rounding never differs from the model's sums.
_ARGS: dict[str, st.SearchStrategy[Any]] = {
    "advance": st.sampled_from([0.5, 1.0, 4.5, 10.0, 19.5, 30.0, 45.0]),
    "end": st.sampled_from([None, True, False]),
    "extend": st.sampled_from([0.0, 0.5, 5.0, 30.0, 4 * 3600.0, 4 * 3600 + 0.5]),
}
_NAMES = [
    *["advance"] * 6,
    *["start"] * 4,
    *["end"] * 3,
    *["pause"] * 3,
    *["resume"] * 3,
    "reason",
    "extend",
    "tick",
    "note",
    "crash",
    "jump_wall",
]
REFERENCE_OPS = st.lists(
    st.sampled_from(_NAMES).flatmap(lambda n: st.tuples(st.just(n), _ARGS.get(n, st.none()))),
    min_size=20,
    max_size=80,
).map(lambda ops: [*ops, ("finish", None)])  # every session ends finished

CASES = (
    *(f"status {s}" for s in Status),
    "two pauses in one phase",
    "resumed after a second pause",
    "overtime",
    "carried time",
    "every phase ended",
    "automatic end",
    "restart",
    "a reason given later",
)


def _repainted(session: Session) -> Snapshot:
    """What a repaint shows now (an automatic end due is applied), ``session`` untouched."""
    # Shared, not copied: what a tick never changes (the exam, the saved events, the identity).
    keep: list[object] = [session.exam, session.state.identity, *session.events]
    clone = copy.deepcopy(session, {id(o): o for o in keep})
    clone.set_sink(lambda event: None)
    clone.tick()
    return clone.snapshot()


def _against_reference(ops: list[tuple[str, Any]], repaint: bool) -> set[str]:
    """Run ``ops`` on the engine and the model; compare at every step; the cases met."""
    exam = Exam.model_validate(SMALL_EXAM)  # a ends by itself, b carries, c waits, d ends
    clock = FakeClock()
    session, _ = create_session(exam, clock)
    model = Reference(exam)
    reached: set[str] = set()
    for step, (name, arg) in enumerate(ops):
        if name == "advance":
            clock.advance(arg)
            model.advance(arg)
        elif name == "jump_wall":
            clock.jump_wall(-3600)
        elif name == "crash":
            clock = FakeClock(start=10_000.0 + step)
            session, _ = restore_session(exam, clock, session.events, last_seen_t=session.now())
            model.restart()
            reached.add("restart")
        else:
            accepted = model_accepts = _model_op(model, name, arg, step)
            try:
                _engine_op(session, name, arg, step)
            except SessionError:
                accepted = False
            assert accepted == model_accepts, (step, name, arg)
            pauses = model.phases[model.current].pauses if model.current is not None else 0
            if name == "resume" and accepted and pauses >= 2:
                reached.add("resumed after a second pause")
            if name == "reason" and accepted:
                reached.add("a reason given later")
        if repaint:
            session.tick()
            snap = session.snapshot()
        else:
            snap = _repainted(session)
        assert _observed(snap) == model.expected(), (step, name, arg)
        reached.add(f"status {snap.status}")
        if snap.overtime_s > 0:
            reached.add("overtime")
        if any(p.pauses >= 2 for p in model.phases):
            reached.add("two pauses in one phase")
        if any(p.carried_out > 0 for p in model.phases):
            reached.add("carried time")
        if all(p.ended for p in model.phases):
            reached.add("every phase ended")
    if any(e.data.get("auto") for e in session.events):
        reached.add("automatic end")
    assert fold(exam, session.events) == session.state
    return reached


def _model_op(model: Reference, name: str, arg: Any, step: int) -> bool:
    if name == "start":
        return model.start()
    if name == "pause":
        return model.pause(f"incident {step}")
    if name == "resume":
        return model.resume()
    if name == "reason":
        return model.give_reason(f"motif {step}")
    if name == "end":
        return model.end(arg)
    if name == "extend":
        return model.extend(arg)
    if name == "finish":
        return model.finish()
    return True  # tick, note: no change of the timer


def _engine_op(session: Session, name: str, arg: Any, step: int) -> None:
    if name == "start":
        session.start()
    elif name == "pause":
        session.pause(f"incident {step}")
    elif name == "resume":
        session.resume()
    elif name == "reason":
        session.give_pause_reason(f"motif {step}")
    elif name == "end":
        session.end_phase(arg)
    elif name == "extend":
        session.extend(arg, "raison")
    elif name == "finish":
        session.finish()
    elif name == "tick":
        session.tick()
    elif name == "note":
        session.note(f"note {step}")


def test_the_engine_agrees_with_a_reference_model_at_every_step() -> None:
    reached: Counter[str] = Counter()

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(ops=REFERENCE_OPS, repaint=st.booleans())
    def check(ops: list[tuple[str, Any]], repaint: bool) -> None:
        cases = _against_reference(ops, repaint)
        for case in sorted(cases):
            event(case)
        reached.update(cases)

    check()
    # The generator must reach what it is for, not just pass.
    assert [c for c in CASES if reached[c] < 10] == [], reached
