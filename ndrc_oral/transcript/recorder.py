"""The headless API: create, drive, reload and resume sessions bound to transcripts.

    from ndrc_oral.session.identity import SessionIdentity
    from ndrc_oral.transcript import Store, new_session, resume_session, load_session
    store = Store(Path("data"))
    who = SessionIdentity(candidate="Ada Lovelace", number="0421")
    live = new_session(store, exam, SystemClock(), who)
    live.session.start()
    live.session.note("Bonne accroche", criterion="qualite-diagnostic")
    live.session.rate("qualite-diagnostic", "S")
    ...
    live.close()

    again = resume_session(store, live.session_id, SystemClock())   # after a crash
    loaded = load_session(store.resolve("20260602-0800"))           # read-only

Every operation of ``live.session`` returns only once its event is fsynced;
``SaveError`` means it is not saved (and the session's state did not change).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from ndrc_oral.errors import NdrcError
from ndrc_oral.exams.models import Exam, stored_exam
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.session.engine import Session
from ndrc_oral.session.epreuve import Continuation
from ndrc_oral.session.events import Event
from ndrc_oral.session.identity import SessionIdentity
from ndrc_oral.session.state import SessionState, fold
from ndrc_oral.transcript import moves
from ndrc_oral.transcript.directory import Store, new_session_id, seen_until
from ndrc_oral.transcript.quiet_gc import collector_paused
from ndrc_oral.transcript.reader import Integrity, Transcript, TranscriptError, read_transcript
from ndrc_oral.transcript.writer import SaveError, TranscriptWriter


@dataclass
class LiveSession:
    """A session whose every event goes to its transcript file first."""

    session: Session
    store: Store
    writer: TranscriptWriter

    @property
    def session_id(self) -> str:
        return self.session.session_id

    @property
    def path(self) -> Path:
        return self.writer.path

    def heartbeat(self) -> None:
        """Note that the session is alive now (call about once a second while it runs)."""
        if not self.session.state.finished:
            self.store.heartbeat(self.session_id, self.session.now(), self.session.clock.wall())

    def close(self) -> None:
        """Release the file. An unfinished session stays resumable."""
        if self.session.state.finished:
            self.store.forget_heartbeat(self.session_id)
        self.writer.close()

    def redirect(self, directory: Path) -> Path:
        """Keep the session going in another directory (the data directory failed).

        The events recorded so far are written afresh, chained as before, to a
        new file there; later events go to it too. Returns the new path.
        """
        target = Store(directory)
        target.ensure()
        path = target.path_for(self.session_id)
        writer = TranscriptWriter(path)
        if path.exists():
            raise SaveError(t("store.exists", path=path))
        try:
            for event in self.session.events:
                writer.append(event)
        except BaseException:
            writer.close()
            raise
        # The original stays where it was (its disk failed, and may come back):
        # it must not list as a session to resume beside the copy.
        moves.note_moved(self.writer.path, path)
        self.writer.close()
        self.writer = writer
        self.store = target
        self.session.set_sink(writer.append)
        return path


def new_session(
    store: Store,
    exam: Exam,
    clock: Clock,
    identity: SessionIdentity,
    *,
    continues: Continuation | None = None,
    fsync: bool = True,
) -> LiveSession:
    """Create a session and its transcript (the ``created`` event is saved first).

    A later CCF situation ``continues`` the one before (``transcript.epreuve``).
    """
    store.ensure()
    if store.machine and not identity.machine:
        identity = replace(identity, machine=store.machine)
    session_id = _free_id(store, clock)
    path = store.path_for(session_id)
    writer = TranscriptWriter(path, fsync=fsync)
    # The writer makes the file with its header and this first event at once:
    # a creation that fails leaves no file behind.
    session = Session.create(
        exam, clock, writer.append, session_id=session_id, identity=identity, continues=continues
    )
    return LiveSession(session, store, writer)


def _free_id(store: Store, clock: Clock) -> str:
    """A session id whose file does not exist yet: two sessions never share a file.

    Sessions created in the same second (E5: three candidates at once) get
    different random suffixes; should two suffixes ever match, a counter follows.
    """
    base = new_session_id(clock.wall())
    session_id, n = base, 1
    while store.path_for(session_id).exists():
        n += 1
        session_id = f"{base}-{n}"
    return session_id


@dataclass(frozen=True)
class LoadedSession:
    """A saved session, read-only: what review, exports and ``logs`` use."""

    transcript: Transcript
    exam: Exam
    state: SessionState
    seen_t: float = 0.0
    """The session time it reached: the last event, or a later heartbeat (interrupted)."""

    @property
    def id(self) -> str:
        """The session id (the file name when the creation event lacks one)."""
        return self.state.session_id or self.transcript.path.stem

    @property
    def events(self) -> list[Event]:
        return self.transcript.events


def exam_of(transcript: Transcript) -> Exam:
    """The exam definition the session was run with (it travels in the ``created`` event)."""
    created = transcript.created
    if created is None:
        if transcript.problems:  # what broke the file says more than "no creation"
            raise TranscriptError(f"{transcript.path}: {transcript.problems[0]}")
        raise TranscriptError(t("store.no_creation", path=transcript.path))
    try:
        return stored_exam(created.data.get("exam_def"))
    except ValidationError as exc:
        raise TranscriptError(
            t("store.bad_exam", path=transcript.path, count=exc.error_count())
        ) from exc


def load_session(path: Path) -> LoadedSession:
    """Read a transcript and fold it (``TranscriptError`` if nothing usable is in it)."""
    with collector_paused():
        return loaded_of(path, read_transcript(path))


def loaded_of(path: Path, transcript: Transcript) -> LoadedSession:
    """A transcript already read, folded (``TranscriptError`` if its exam is unusable)."""
    exam = exam_of(transcript)
    state = fold(exam, transcript.events)
    return LoadedSession(transcript, exam, state, seen_until(path, state.last_t, state.finished))


def try_load_session(path: Path) -> LoadedSession | None:
    """``load_session``, or ``None`` when nothing usable is in the file (a list keeps its row)."""
    try:
        return load_session(path)
    except (NdrcError, ValueError, KeyError, TypeError, IndexError):
        return None


def resume_session(store: Store, target: str, clock: Clock, *, fsync: bool = True) -> LiveSession:
    """Reopen an interrupted session: its time goes on where it stopped, the downtime is an incident.

    ``TranscriptBusy`` when another kiosk holds it (then nothing is opened),
    ``TranscriptError`` when it is damaged or was moved elsewhere by F9.
    """
    opened = _open_saved(store, target, fsync=fsync)
    try:
        return _resumed(store, opened, clock)
    except BaseException:
        opened.writer.close()
        raise


def _resumed(store: Store, opened: _Opened, clock: Clock) -> LiveSession:
    path, transcript, events = opened.path, opened.transcript, opened.transcript.events
    seen = store.last_seen(path.stem)
    # The downtime runs from the last sign of life: the heartbeat, or a later
    # event (no beat comes between two phases: an older beat would count the
    # time the kiosk was up, and an earlier downtime, as down).
    alive = [seen[1]] if seen is not None else []
    with contextlib.suppress(ValueError, TypeError):
        alive.append(datetime.fromisoformat(events[-1].at))
    downtime = None
    with contextlib.suppress(TypeError):  # a label without a time zone, by hand
        downtime = (clock.wall() - max(alive)).total_seconds() if alive else None
    reason = (
        "interruption" if transcript.integrity is Integrity.INTACT else "interruption-torn-write"
    )
    session = Session.restore(
        opened.exam,
        clock,
        opened.writer.append,
        events,
        last_seen_t=_last_seen_t(store, path, events),
        downtime_s=downtime,
        reason=reason,
    )
    return LiveSession(session, store, opened.writer)


def reopen_session(store: Store, target: str, clock: Clock, *, fsync: bool = True) -> LiveSession:
    """Reopen a saved session no kiosk is running, to append one decision about it.

    The one way to write into a session from outside the kiosk that runs it: a
    correction, a settlement, a cancellation (``exam_room.requests.amend_session``).
    Unlike ``resume_session``, reopening records nothing: no incident, no pause.
    """
    opened = _open_saved(store, target, fsync=fsync)
    events = opened.transcript.events
    try:
        session = Session.reopen(
            opened.exam,
            clock,
            opened.writer.append,
            events,
            last_seen_t=_last_seen_t(store, opened.path, events),
        )
    except BaseException:
        opened.writer.close()
        raise
    return LiveSession(session, store, opened.writer)


@dataclass(frozen=True)
class _Opened:
    path: Path
    transcript: Transcript
    exam: Exam
    writer: TranscriptWriter


def _open_saved(store: Store, target: str, *, fsync: bool) -> _Opened:
    """A saved transcript taken to append to: held by this process, whole (a torn tail
    cut off), its writer.

    ``TranscriptBusy`` when another kiosk holds it (then nothing is opened),
    ``TranscriptError`` when it is damaged or was moved elsewhere by F9.
    """
    path = store.resolve(target)
    moved = moves.moved_to(path)
    if moved is not None:
        raise TranscriptError(t("store.moved", path=path, to=moved))
    # The lock first: no other writer can change the file while it is read.
    writer = TranscriptWriter.take(path, fsync=fsync)
    try:
        transcript = read_transcript(path)
        if transcript.integrity is Integrity.DAMAGED:
            raise TranscriptError(
                t("store.cannot_resume", path=path, problems="; ".join(transcript.problems))
            )
        exam = exam_of(transcript)
        # A half-written event was never reported saved: it is cut off so the
        # chain goes on from the last good event (a resume's recovery event says so).
        writer.go_on_after(transcript.last_hash, transcript.valid_bytes, transcript.format)
    except BaseException:
        writer.close()
        raise
    return _Opened(path, transcript, exam, writer)


def _last_seen_t(store: Store, path: Path, events: list[Event]) -> float:
    """The session time it was last seen alive at: its last event, or a later heartbeat."""
    last_t = events[-1].t
    seen = store.last_seen(path.stem)
    return max(last_t, seen[0]) if seen else last_t
