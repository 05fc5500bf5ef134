"""A CCF épreuve on disk: its situations' transcripts, the links between them, checked.

Each situation is its own transcript in the data directory; a later one's
``created`` event links to the one before (``session.epreuve.Link``: its id,
event count and last hash when the later one was created) and carries its
grid and fiche block. Here:

* ``continuation_of(loaded)``: what a new situation records about ``loaded``;
* ``check_link(root, link)``: whether the situation before is still what the
  later one saw: found, whole up to that event, with the same hash there. An
  edit of it after the later one was created (even one that recomputed every
  hash of its chain) changes that hash;
* ``later_links(root, session_id)``: the situations that link to a session;
* ``epreuve_sessions(loaded)``: every situation of an épreuve found beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.session.epreuve import Carried, CarriedNote, CarriedSituation, Continuation, Link
from ndrc_oral.transcript import codec
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.transcript.recorder import LoadedSession, try_load_session


class LinkStatus(StrEnum):
    INTACT = "intact"
    """The situation before is whole and unchanged up to what the later one saw."""
    DAMAGED = "damaged"
    """It was changed (or cut) after the later situation was created."""
    MISSING = "missing"
    """It is not in the data directory (copied elsewhere, deleted): nothing to check."""


@dataclass(frozen=True, slots=True)
class LinkCheck:
    """What ``check_link`` found."""

    link: Link
    status: LinkStatus
    problem: str = ""
    """Why it is not intact (""), in the user's language."""
    later_events: int = 0
    """Events the situation before has beyond those the later one saw (not damage)."""


def continuation_of(loaded: LoadedSession) -> Continuation:
    """What the next situation records about ``loaded`` (a situation done, whole)."""
    state = loaded.state
    situation = state.run.situation_id or ""
    own_notes = tuple(
        CarriedNote(situation, n.at, n.phase, n.offset_s, n.criterion, n.text) for n in state.notes
    )
    created = loaded.transcript.created
    own = CarriedSituation(
        situation=situation,
        session=loaded.id,
        at=created.at if created is not None else "",
        result=dict(state.result or {}),
    )
    return Continuation(
        link=Link(loaded.id, len(loaded.events), loaded.transcript.last_hash),
        carried=Carried(
            ratings=dict(state.ratings),
            notes=(*state.earlier_notes, *own_notes),
            situations=(*state.earlier_situations, own),
        ),
    )


def hash_at(events_path: Path, count: int) -> tuple[str | None, int]:
    """The hash of event ``count - 1`` of a transcript (``None`` when it has fewer trusted
    events), and how many trusted events it has."""
    transcript = read_transcript(events_path)
    events = transcript.events
    if len(events) < count:
        return None, len(events)
    prev = codec.GENESIS
    for event in events[:count]:
        prev = codec.event_hash(event, prev)
    return prev, len(events)


def check_link(root: Path, link: Link) -> LinkCheck:
    """Whether the situation ``link`` names is, in ``root``, still what it was."""
    try:
        path = Store(root).path_for(link.session)
    except NdrcError as exc:
        return LinkCheck(link, LinkStatus.DAMAGED, str(exc))
    if not path.is_file():
        return LinkCheck(link, LinkStatus.MISSING, t("epreuve.missing", id=link.session, dir=root))
    try:
        digest, count = hash_at(path, link.events)
    except NdrcError as exc:
        return LinkCheck(link, LinkStatus.DAMAGED, str(exc))
    if digest is None:
        problem = t("epreuve.cut", id=link.session, found=count, expected=link.events)
        return LinkCheck(link, LinkStatus.DAMAGED, problem)
    if digest != link.hash:
        problem = t("epreuve.changed", id=link.session, seq=link.events - 1)
        return LinkCheck(link, LinkStatus.DAMAGED, problem)
    return LinkCheck(link, LinkStatus.INTACT, later_events=count - link.events)


def later_links(root: Path, session_id: str) -> list[tuple[str, Link]]:
    """The sessions of ``root`` that continue ``session_id`` (their id and their link)."""
    from ndrc_oral.transcript.index import list_sessions

    found: list[tuple[str, Link]] = []
    for summary in list_sessions(root).sessions:
        if summary.link_session != session_id:
            continue
        loaded = try_load_session(Path(summary.path))
        if loaded is not None and loaded.state.link is not None:
            found.append((loaded.id, loaded.state.link))
    return found


def epreuve_sessions(loaded: LoadedSession) -> list[LoadedSession]:
    """Every situation of ``loaded``'s épreuve in its data directory, in situation order
    (then by date); ``[loaded]`` for a session outside any CCF épreuve."""
    from ndrc_oral.transcript.index import list_sessions

    epreuve_id = loaded.state.identity.epreuve_id
    if not epreuve_id:
        return [loaded]
    root = loaded.transcript.path.parent
    order = [s.id for s in loaded.exam.situations]
    found: dict[str, LoadedSession] = {loaded.id: loaded}
    for summary in list_sessions(root).sessions:
        if summary.epreuve_id == epreuve_id and summary.id not in found:
            other = try_load_session(Path(summary.path))
            if other is not None:
                found[other.id] = other

    def key(s: LoadedSession) -> tuple[int, str]:
        situation = s.state.run.situation_id or ""
        rank = order.index(situation) if situation in order else len(order)
        return rank, s.events[0].at if s.events else ""

    return sorted(found.values(), key=key)
