"""The sessions that stopped before their end and can be resumed. No Textual here.

Read from the transcript layer's cached session index (``list_sessions``):
a session is interrupted when it is not finished and not damaged. The home
screen calls this in a worker thread, so a large data directory never delays
the first screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import language
from ndrc_oral.session.identity import SessionIdentity
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.index import list_sessions
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.transcript.recorder import LiveSession

MAX_LISTED = 50
"""The most recent interrupted sessions shown; older ones stay resumable by id."""


@dataclass(frozen=True, slots=True)
class Interrupted:
    """One resumable session, as the home screen lists it."""

    session_id: str
    path: Path
    candidate: str
    number: str
    exam_id: str
    exam_title: str
    mode: str
    started_at: str
    """Wall time (ISO 8601) of the session's creation."""


def find_interrupted(store: Store) -> list[Interrupted]:
    """Unfinished, undamaged sessions, the most recent first (none if the directory fails)."""
    try:
        sessions = list_sessions(store.root).sessions
    except NdrcError:
        return []
    english = language() == "en"
    found = [
        Interrupted(
            session_id=s.id,
            path=Path(s.path),
            candidate=s.candidate_name,
            number=s.candidate_number,
            exam_id=s.exam_id,
            exam_title=(s.exam_title_en if english and s.exam_title_en else s.exam_title),
            mode=s.mode,
            started_at=s.started_at,
        )
        for s in reversed(sessions)
        if s.interrupted
    ]
    return found[:MAX_LISTED]


def group_mates(store: Store, live: LiveSession) -> list[str]:
    """The other interrupted sessions of ``live``'s group (E5 candidates assessed together).

    Only sessions of the same exam are read (their ``created`` event holds the
    group); at most the exam's ``max_candidates - 1``. Empty without a group.
    """
    group = live.session.identity.group
    exam_id = live.session.exam.id
    if not group:
        return []
    wanted = live.session.exam.max_candidates - 1
    mates: list[str] = []
    for item in find_interrupted(store):
        if len(mates) >= wanted:
            break
        if item.session_id == live.session_id or item.exam_id != exam_id:
            continue
        try:
            created = read_transcript(item.path).created
        except NdrcError:
            continue
        if created is not None and SessionIdentity.from_created(created.data).group == group:
            mates.append(item.session_id)
    return mates
