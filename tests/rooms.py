"""Sessions made by the engine as the rooms of an exam centre would make them.

``make_room(root, room, count)`` fills the data directory ``root`` with
``count`` finished sessions of the shipped exams that stand alone (no CCF
situation), recorded on the machine ``salle-<room>`` by commission
``<room>`` (and a second one, ``<room>b``): times varied, grid rows rated,
every kind of result (a mark, a reserved mark, NV, absent), a rehearsal now
and then. Deterministic for given arguments.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from ndrc_oral.exams.loader import load_catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import Mode, SessionIdentity, members
from ndrc_oral.transcript import Store, new_session


def standalone_exams() -> list[Exam]:
    """The shipped exams a session sits alone (the CCF situations come in pairs)."""
    return [e for e in load_catalog().values() if not e.situations]


def make_room(root: Path, room: int, count: int, *, rehearsal_every: int = 9) -> list[str]:
    """``count`` sessions in ``root``; their ids."""
    exams = standalone_exams()
    store = Store(root, machine=f"salle-{room}")
    ids = []
    for i in range(count):
        rng = random.Random(room * 1000 + i)
        exam = exams[i % len(exams)]
        wall = datetime(2027, 6, 2, 8, 0).astimezone() + timedelta(minutes=room * 7 + i * 41)
        clock = FakeClock(wall=wall)
        rehearsal = rehearsal_every and i % rehearsal_every == rehearsal_every - 1
        live = new_session(
            store,
            exam,
            clock,
            SessionIdentity(
                candidate=f"Candidat {room}-{i}",
                number=f"{room:02d}{i:03d}",
                commission=f"{room}" if i % 3 else f"{room}b",
                members=members("Mme Dupré", "M. François"),
                mode=Mode.REHEARSAL if rehearsal else Mode.LIVE,
            ),
            fsync=False,
        )
        s = live.session
        for phase in exam.phases:
            if s.status.value in ("ready", "between"):
                s.start()
            clock.advance(phase.duration_s * rng.uniform(0.6, 1.2))
            s.tick()
            if s.status.value in ("running", "paused"):
                s.end_phase()
        criteria = exam.criterion_ids()
        for criterion in rng.sample(criteria, k=min(len(criteria), 5)):
            s.rate(criterion, rng.choice(exam.level_codes()))
        kind = i % 10
        if kind == 4:
            s.set_result(mark=rng.randint(0, 40) / 2, reserved=True)
        elif kind == 6:
            s.set_result(outcome="nv", nv_reason="hors-delai")
        elif kind == 8:
            s.set_result(outcome="absent")
        else:
            s.set_result(mark=rng.randint(0, 40) / 2)
        s.finish()
        live.close()
        ids.append(live.session_id)
    return ids
