"""What a new session needs, checked before anything is written. No Textual here.

The command line (``ndrc-oral run``) and the home screen fill the same
``SessionRequest`` and get the same messages, in the user's language, one per
problem: the CLI prints the first and exits 1, the home screen shows them all
next to the form.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.entry import ResultEntry
from ndrc_oral.exam_room.epreuves import OpenEpreuve, Placement, open_epreuves, place
from ndrc_oral.exams.fraction import parse_extra_time
from ndrc_oral.exams.loader import Catalog, ConfigError, with_subject_grid
from ndrc_oral.exams.models import Exam
from ndrc_oral.i18n import t
from ndrc_oral.session.clock import Clock
from ndrc_oral.session.engine import Session, SessionError
from ndrc_oral.session.identity import Member, Role, SessionIdentity
from ndrc_oral.session.state import SessionState
from ndrc_oral.session.verdict import Status, Verdict
from ndrc_oral.transcript import (
    Integrity,
    LiveSession,
    LoadedSession,
    Store,
    load_session,
    new_session,
    read_transcript,
    reopen_session,
)
from ndrc_oral.transcript.directory import new_session_id
from ndrc_oral.transcript.epreuve import continuation_of

TIERS_TEMPS = "1/3"
"""The usual exam adjustment: one third more time."""

MAX_FIELD = 200
"""Longest name, number or reason accepted (a transcript is no place for a pasted page)."""

MEMBER_ROLES = (Role.ENSEIGNANT, Role.PROFESSIONNEL)
"""The commission's seats on the forms, in order: a teacher, then a professional."""


def member_slots(members: Sequence[Member]) -> list[str]:
    """The names to put in the forms' member fields (one per ``MEMBER_ROLES``).

    A member whose role is recorded goes to that role's field; the others (files
    made before roles, ``--member``) fill the fields left, in the order entered.
    """
    slots: list[str | None] = [None] * len(MEMBER_ROLES)
    unplaced: list[str] = []
    for member in members:
        seat = MEMBER_ROLES.index(member.role) if member.role in MEMBER_ROLES else None
        if seat is not None and slots[seat] is None:
            slots[seat] = member.name
        else:
            unplaced.append(member.name)
    for i, slot in enumerate(slots):
        if slot is None and unplaced:
            slots[i] = unplaced.pop(0)
    return [slot or "" for slot in slots]


@dataclass(frozen=True)
class SessionRequest:
    """A session to create, as the home screen or ``ndrc-oral run`` describes it."""

    exam_id: str
    identity: SessionIdentity
    continues: str | None = None
    """A CCF situation after the first: the session of the situation before (its identity
    names its ``situation`` and ``epreuve_id``)."""
    grid_file: str | None = None
    """A subject's own grid to rate instead of the definition's (an exam with
    ``subject_grid``: E5); its file name is recorded as the identity's ``grid``."""

    def placed(self, placement: Placement | None) -> SessionRequest:
        """The request with a CCF placement (its situation, épreuve and the one before)."""
        if placement is None:
            return self
        who = replace(self.identity, situation=placement.situation, epreuve_id=placement.epreuve_id)
        return replace(self, identity=who, continues=placement.continues)


@dataclass
class Checked:
    """The outcome of ``check_request``: the exam when found, and every problem found."""

    exam: Exam | None
    errors: list[str] = field(default_factory=list)


def check_request(catalog: Catalog, request: SessionRequest) -> Checked:
    """Every problem with ``request``, in the user's language (empty when it can start)."""
    errors: list[str] = []
    exam: Exam | None
    try:
        exam = catalog.get(request.exam_id)
        if request.grid_file:
            exam = with_subject_grid(exam, request.grid_file)
    except ConfigError as exc:
        exam = None
        errors.append(exc.message)
    identity = request.identity
    if not identity.candidate.strip():
        errors.append(t("tui.setup.error.candidate"))
    if any(len(x) > MAX_FIELD for x in identity.texts()):
        errors.append(t("tui.setup.error.too_long", max=MAX_FIELD))
    if identity.extra_time is not None:
        try:
            parse_extra_time(identity.extra_time)
        except ValueError as exc:
            errors.append(str(exc))
    if exam is not None:
        if exam.cms_choices and identity.cms not in exam.cms_choices:
            errors.append(
                t(
                    "tui.setup.error.cms",
                    found=identity.cms or "—",
                    choices=", ".join(exam.cms_choices),
                )
            )
        elif not exam.cms_choices and identity.cms:
            errors.append(t("tui.setup.error.no_cms", exam=exam.id))
    return Checked(exam, errors)


def check_requests(catalog: Catalog, requests: Sequence[SessionRequest]) -> Checked:
    """``check_request`` for each candidate, and what concerns them together (E5).

    The exam must take that many candidates at once, and no candidate may be
    entered twice (same name and number). Each message is given once.
    """
    if not requests:
        return Checked(None, [t("tui.setup.error.candidate")])
    first = check_request(catalog, requests[0])
    errors = list(first.errors)
    for request in requests[1:]:
        errors.extend(e for e in check_request(catalog, request).errors if e not in errors)
    exam = first.exam
    if exam is not None and len(requests) > exam.max_candidates:
        errors.append(
            t(
                "tui.setup.error.too_many",
                exam=exam.id,
                max=exam.max_candidates,
                found=len(requests),
            )
        )
    seen: set[tuple[str, str]] = set()
    for request in requests:
        who = request.identity
        key = (who.candidate.strip().casefold(), who.number.strip())
        if key[0] and key in seen:
            errors.append(t("tui.setup.error.twice", name=who.candidate.strip()))
        seen.add(key)
    return Checked(exam, errors)


def place_requests(
    store: Store,
    exam: Exam,
    clock: Clock,
    requests: Sequence[SessionRequest],
    known: Sequence[OpenEpreuve] | None = None,
) -> list[SessionRequest]:
    """A CCF exam's requests, each placed in its candidate's épreuve (the next situation of
    an open one, or the first of a new one); the others as they are. ``known``: the open
    épreuves already read (the home screen's list), else they are read now."""
    if not exam.ccf:
        return list(requests)
    found = list(known) if known is not None else open_epreuves(store)
    placed = []
    for request in requests:
        if request.identity.situation is not None:  # placed already (the home screen's pick)
            placed.append(request)
            continue
        who = request.identity
        placement = place(exam, who.candidate, who.number, clock, found, str(who.mode))
        placed.append(request.placed(placement))
    return placed


def new_group_id(clock: Clock) -> str:
    """A fresh group id (same form as a session id: time and a random suffix)."""
    return new_session_id(clock.wall())


def check_data_dir(store: Store) -> None:
    """Raise a ``SaveError``/``NdrcError`` unless transcripts can be written in ``store``."""
    store.ensure()
    try:
        fd, name = tempfile.mkstemp(prefix=".probe-", dir=store.root)
    except OSError as exc:
        raise NdrcError(
            t("tui.setup.error.data_dir", path=store.root, detail=exc.strerror or exc)
        ) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        Path(name).unlink()


def create_session(store: Store, exam: Exam, clock: Clock, request: SessionRequest) -> LiveSession:
    """The new session and its transcript (``created`` saved); a ``NdrcError`` if it cannot be.

    A later CCF situation reads the one it continues first: it must be whole and done.
    """
    continues = None
    if request.continues is not None:
        continues = continuation_of(previous_situation(store, request.continues))
    return new_session(store, exam, clock, request.identity, continues=continues)


def previous_situation(store: Store, session_id: str) -> LoadedSession:
    """The situation a new one continues; ``NdrcError`` unless it is intact and done."""
    loaded = load_session(store.resolve(session_id))
    verdict = loaded.state.verdict
    if loaded.transcript.integrity is not Integrity.INTACT:
        raise NdrcError(t("tui.setup.error.previous_damaged", id=session_id))
    if verdict is None or verdict.status is not Status.SITUATION:
        raise NdrcError(t("tui.setup.error.previous_not_done", id=session_id))
    return loaded


def create_sessions(
    store: Store, exam: Exam, clock: Clock, requests: Sequence[SessionRequest]
) -> list[LiveSession]:
    """One session per candidate, in order. An exam that takes several candidates at
    once gives them one group (so they can be resumed together), even when one
    candidate starts alone: others may join later.

    If one cannot be created, those already created are released (they stay on
    disk, resumable) and the ``NdrcError`` is raised.
    """
    group = requests[0].identity.group if requests else None
    if group is None and exam.max_candidates > 1:
        group = new_group_id(clock)
    lives: list[LiveSession] = []
    try:
        for request in requests:
            who = replace(request.identity, group=group)
            lives.append(create_session(store, exam, clock, replace(request, identity=who)))
    except BaseException:
        for live in lives:
            live.close()
        raise
    return lives


def record_nv(
    store: Store, exam: Exam, clock: Clock, request: SessionRequest, reason: str
) -> LiveSession:
    """NV for a candidate, without a timer: the conformity check failed before the oral.

    The session is created (a CCF one in its place), its result is NV with
    the notification's reason, and it is finished: no phase runs. A
    ``NdrcError`` (an unknown reason, a disk that fails) says why not.
    """
    from ndrc_oral.session.verdict import NV_REASONS

    if reason not in NV_REASONS:
        raise NdrcError(t("engine.nv_reason", choices=", ".join(NV_REASONS)))
    live = create_session(store, exam, clock, request)
    try:
        live.session.set_result(outcome="nv", nv_reason=reason, members=request.identity.members)
        live.session.finish()
    except SessionError as exc:
        raise NdrcError(str(exc)) from None
    finally:
        live.close()
    return live


def amend_session(
    store: Store,
    target: str,
    clock: Clock,
    change: Callable[[Session], object],
    *,
    closed: str | None = None,
) -> SessionState:
    """Append one decision to a saved session that no kiosk runs, and give its new state.

    The one function that writes into a saved transcript from outside the kiosk
    running it (a correction, a settlement, a cancellation, from the command line
    or the review): it reopens the file (``reopen_session``), lets ``change`` call
    the engine, and releases the file. A CCF situation that a later situation
    continues is refused: the later one carries it as it stood. ``closed``: the
    session must be closed (finished or cancelled) first, else the message of this
    i18n key. A ``NdrcError`` says why not.
    """
    from ndrc_oral.transcript.epreuve import later_links

    path = store.resolve(target)
    transcript = read_transcript(path)
    if closed is not None and not transcript.finished:
        raise NdrcError(t(closed, path=path))
    later = later_links(path.parent, path.stem) if transcript.created is not None else []
    if later:
        raise NdrcError(t("logs.amend.continued", path=path, id=later[0][0]))
    live = reopen_session(store, str(path), clock)
    try:
        change(live.session)
    except SessionError as exc:
        raise NdrcError(str(exc)) from None
    finally:
        live.close()
    return live.session.state


def settle_reservation(
    store: Store, target: str, clock: Clock, decision: str, reason: str | None = None
) -> Verdict:
    """Settle a finished session's reserved mark: ``released`` or ``nv`` (with its reason).

    The decision is a new event at the end of its transcript; the mark given
    stays in the log. A ``NdrcError`` says why not (unfinished, not reserved...).
    """
    state = amend_session(
        store,
        target,
        clock,
        lambda s: s.settle_reservation(decision, reason),
        closed="logs.settle.unfinished",
    )
    assert state.verdict is not None  # settling needs one
    return state.verdict


def correct_result(
    store: Store, target: str, clock: Clock, entry: ResultEntry, reason: str
) -> SessionState:
    """Correct a closed session's saved result: ``entry`` is the whole result as it should
    read, ``reason`` why; a new event, the result it replaces stays in the log."""
    return amend_session(
        store,
        target,
        clock,
        lambda s: s.correct_result(reason, **entry.engine_args()),
        closed="logs.correct.unfinished",
    )


def cancel_session(store: Store, target: str, clock: Clock, reason: str) -> SessionState:
    """Cancel a saved session (interrupted, or closed) started by mistake, with why."""
    return amend_session(store, target, clock, lambda s: s.cancel(reason))
