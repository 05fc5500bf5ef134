"""How the engine tests create and restore sessions: one place to call the engine.

``Session.create`` takes a typed ``SessionIdentity``; the tests below give its
fields as keywords and reach the engine only through ``create_session``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sessions import who

from ndrc_oral.exams.models import Exam
from ndrc_oral.session import Event, FakeClock, Session

CANDIDATE = "Ada Lovelace"

TINY_EXAM = Exam.model_validate(
    {
        "id": "tiny",
        "title": {"fr": "Mini"},
        "epreuve": "E6",
        "phases": [
            {"id": "a", "label": {"fr": "A"}, "duration_s": 60, "warnings_s": [10]},
            {"id": "b", "label": {"fr": "B"}, "duration_s": 60, "warnings_s": [10]},
        ],
        "competences": [
            {"id": "k", "label": {"fr": "K"}, "criteria": [{"id": "x", "label": {"fr": "X"}}]}
        ],
    }
)
"""Two one-minute phases and one criterion: the smallest real transcript (reader tests)."""


def create_session(
    exam: Exam, clock: FakeClock, *, session_id: str = "test", **details: Any
) -> tuple[Session, list[Event]]:
    """A new session of ``CANDIDATE`` (unless ``candidate`` is given) whose sink keeps
    the saved events in the returned list."""
    saved: list[Event] = []
    details.setdefault("candidate", CANDIDATE)
    mode = details.pop("mode", None)
    identity = who(details.pop("candidate"), **details)
    if mode is not None:  # as given, even a mode the engine must refuse
        identity = dataclasses.replace(identity, mode=mode)
    session = Session.create(exam, clock, saved.append, session_id=session_id, identity=identity)
    return session, saved


def to_expose(session: Session, clock: FakeClock) -> None:
    """The demo exam's 60 s preparation run to its end, the exposé started at 60 s."""
    session.start()
    clock.advance(60)
    session.tick()
    session.start()
    assert session.current_phase_id() == "expose"


def restore_session(
    exam: Exam, clock: FakeClock, events: Sequence[Event], **options: Any
) -> tuple[Session, list[Event]]:
    """``events`` reopened on ``clock`` after a stop; the list receives the new events."""
    saved: list[Event] = []
    session = Session.restore(exam, clock, saved.append, events, **options)
    return session, saved
