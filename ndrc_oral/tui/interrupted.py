"""The sessions that stopped before their end and can be resumed. No Textual here.

A stopgap until the transcript layer's session index lands: it reads every
transcript of the store (``Store.paths`` + ``read_transcript``) and keeps those
that are not finished and not damaged. The home screen calls it in a worker
thread, so a large data directory never delays the first screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.transcript.store import Integrity, Store, read_transcript

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
    last_at: str
    """Wall time (ISO 8601) of the last event saved."""


def find_interrupted(store: Store) -> list[Interrupted]:
    """Unfinished, undamaged sessions, the most recent first."""
    found: list[Interrupted] = []
    try:
        paths = store.paths()
    except NdrcError:
        return []
    for path in reversed(paths):
        if len(found) >= MAX_LISTED:
            break
        try:
            transcript = read_transcript(path)
        except NdrcError:
            continue
        if transcript.integrity is Integrity.DAMAGED or transcript.finished:
            continue
        created = transcript.created
        if created is None:
            continue
        data = created.data
        candidate = data.get("candidate", {})
        if not isinstance(candidate, dict):
            candidate = {}
        found.append(
            Interrupted(
                session_id=str(data.get("id", path.stem)),
                path=path,
                candidate=str(candidate.get("name", "")),
                number=str(candidate.get("number", "")),
                exam_id=str(data.get("exam", "")),
                exam_title=str(data.get("exam_title", "")),
                mode=str(data.get("mode", "live")),
                last_at=transcript.events[-1].at,
            )
        )
    return found
