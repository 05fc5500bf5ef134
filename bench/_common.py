"""Shared helpers of the engine/store benchmarks: a realistic session, percentiles, timing."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence

from ndrc_oral.exams.loader import load_catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session import Event, FakeClock, Session, SessionError, Sink
from ndrc_oral.session.identity import SessionIdentity

NOTES = [
    "Bonne accroche, l’exposé est structuré",
    "Reformulation « prix » efficace",
    "Ça manque de chiffres sur la zone de prospection",
    "Réponse hésitante à la question sur le réseau",
    "Très à l’aise face à l’objection 🎓",
]


def e4() -> Exam:
    """The shipped E4 ponctuel: 6 phases, 20 criteria (the largest grid)."""
    return load_catalog(None).get("e4-ponctuel")


def drive(session: Session, clock: FakeClock, count: int, seed: int = 1) -> None:
    """Add events to ``session`` until it holds ``count``: a commission at work.

    Mostly notes and ratings, with pauses, extensions, results and a few
    phase changes; the clock moves under a second between operations.
    """
    rng = random.Random(seed)
    criteria = session.exam.criterion_ids()
    levels = [*session.exam.level_codes(), None]
    while len(session.events) < count:
        clock.advance(rng.uniform(0.1, 1.0))
        roll = rng.random()
        try:
            if roll < 0.60:
                session.note(rng.choice(NOTES), criterion=rng.choice([None, *criteria]))
            elif roll < 0.90:
                session.rate(rng.choice(criteria), rng.choice(levels))
            elif roll < 0.96:
                if session.status == "paused":
                    session.resume()
                else:
                    session.pause("incident")
            elif roll < 0.98:
                session.extend(rng.randint(10, 120), "aménagement")
            elif roll < 0.999:
                session.set_result(mark=rng.randint(0, 40) / 2)
            elif session.status in ("ready", "between"):
                session.start()
            else:
                session.end_phase()
        except SessionError:
            pass


def session_of(count: int, sink: Sink | None = None) -> tuple[Session, FakeClock]:
    """A session of E4 with ``count`` events, saved through ``sink`` (a list by default)."""
    clock = FakeClock()
    saved: list[Event] = []
    who = SessionIdentity("Zoé Lefèvre")
    session = Session.create(e4(), clock, sink or saved.append, session_id="bench", identity=who)
    drive(session, clock, count)
    return session, clock


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest of ``runs`` timings of ``work()``, in seconds."""
    best = math.inf
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"
