"""Helpers shared by the transcript-reading tests (logs, index, exports). No tests here.

Every session is driven through the engine (``new_session`` + ``FakeClock``):
the tests never write a transcript by hand. Damaged files are made by
editing an engine-made file, as a person or a crash would.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sessions import who

from ndrc_oral.exams.loader import load_catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript import LiveSession, Store, new_session

ACCENTS = "é è à ç œ «» ’"
"""French characters every export must keep intact."""


def shipped(exam_id: str) -> Exam:
    """One of the six shipped exams (real French labels, accents included)."""
    return load_catalog().get(exam_id)


@dataclass
class Plan:
    """What happens in a scripted session of e6-ccf-a (exposé 600 s carry-over, entretien 300 s)."""

    candidate: str = "Zoé Lefèvre-Œuvray"
    number: str = "0421"
    commission: str = "12"
    members: Sequence[str] = ("Mme Dupré", "M. François")
    mode: str = "live"
    day: int = 2
    extra_time: str | None = None
    notes: Sequence[tuple[str, str | None]] = (
        ("Accroche « réseau » très claire, l’exposé démarre bien", "qualite-diagnostic"),
        ("Général : voix posée, ça reste fluide", None),
    )
    ratings: dict[str, str] = field(
        default_factory=lambda: {"qualite-diagnostic": "S", "dynamisation-reseau": "TI"}
    )
    mark: float | None = 13.5
    reserved: bool = False
    outcome: str | None = None
    nv_reason: str = "pas-de-dossier"
    appreciation: str = "Candidat à l’aise ; présentation « franchise » réussie, œuvre à poursuivre"
    finish: bool = True


def drive(store: Store, plan: Plan | None = None, exam: Exam | None = None) -> LiveSession:
    """Run a whole e6-ccf-a session through the engine and close it.

    Timeline: exposé starts at 0; the first note at 60 s; a 45 s pause at 90 s;
    the second note at 150 s; the exposé ends at 545 s (500 s used: 100 s
    carried to the entretien); the entretien gets a 60 s extension and runs
    520 s (60 s over its 460 s); then ratings, the result and the end.
    """
    plan = plan or Plan()
    exam = exam or shipped("e6-ccf-a")
    clock = FakeClock(wall=datetime(2026, 6, plan.day, 8, 0, 0).astimezone())
    live = new_session(
        store,
        exam,
        clock,
        who(
            plan.candidate,
            number=plan.number,
            commission=plan.commission,
            members=plan.members,
            mode=plan.mode,
            extra_time=plan.extra_time,
        ),
        fsync=False,
    )
    s = live.session
    s.start()
    clock.advance(60)
    if plan.notes:
        s.note(plan.notes[0][0], criterion=plan.notes[0][1])
    clock.advance(30)
    s.pause("alarme incendie")
    clock.advance(45)
    s.resume()
    clock.advance(15)
    for text, criterion in plan.notes[1:]:
        s.note(text, criterion=criterion)
    clock.advance(395)
    s.end_phase(carry_over=True)
    s.extend(60, "question reformulée")
    clock.advance(520)
    for criterion, level in plan.ratings.items():
        s.rate(criterion, level)
    if plan.finish:
        s.end_phase()
        if plan.mark is not None or plan.outcome is not None:
            s.set_result(
                mark=plan.mark,
                reserved=plan.reserved,
                outcome=plan.outcome,
                nv_reason=plan.nv_reason if plan.outcome == "nv" else None,
                appreciation=plan.appreciation,
                members=list(plan.members),
                fields={"fiches": "Fiche 1 : Leclerc", "network": "franchise"},
            )
        s.finish()
    live.close()
    return live


def age(path: Path, seconds: float = 60.0) -> None:
    """Move a file's mtime into the past (so the index may trust and cache it)."""
    when = time.time() - seconds
    os.utime(path, (when, when))


def chunks(path: Path) -> tuple[str, list[str]]:
    """The header and the ``[[event]]`` chunks of a transcript file."""
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"(?m)^(?=\[\[event\]\]$)", text)
    return parts[0], parts[1:]


def write_chunks(path: Path, header: str, parts: list[str]) -> None:
    path.write_text(header + "".join(parts), encoding="utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed: a label wrapped over two PDF lines still matches."""
    return " ".join(text.split())
