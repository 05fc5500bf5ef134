"""``ndrc-oral logs``: list, show, export and verify saved sessions (transcripts).

Every failure a user can cause (an unknown id, an unreadable file, a bad date,
an output path that cannot be written) is an ``NdrcError``: the entry point
prints it as one line and exits non-zero (2 for a usage error).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ndrc_oral.commands.output import deliver, say
from ndrc_oral.errors import NdrcError
from ndrc_oral.formatting import clock_time, day_and_time, elapsed, mark_out_of
from ndrc_oral.i18n import language, t
from ndrc_oral.paths import data_dir
from ndrc_oral.printable import printable
from ndrc_oral.transcript import codec, index, moves
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, Transcript, read_transcript
from ndrc_oral.transcript.summary import SessionSummary, summarize_loaded

if TYPE_CHECKING:
    from ndrc_oral.exam_room.entry import ResultEntry
    from ndrc_oral.transcript.recorder import LoadedSession

# The recorder and the report (the engine, pydantic) are imported where a session is
# loaded: `logs list` reads the cached listing and starts without them.

_FILTERS = ("exam", "text", "since", "until", "mode")
INDEXING_NOTICE_FROM = 200


# --- list ---------------------------------------------------------------------------------


def list_sessions(args: argparse.Namespace) -> int:
    """A table of the saved sessions (JSON with ``--json``); damaged ones flagged."""
    criteria = _filter(args)
    every = _all_sessions(args)
    _check_exam(args, criteria, every)
    # A CCF épreuve is one row, with its situations (``index.merge_epreuves``).
    sessions = index.merge_epreuves(index.filter_sessions(every, criteria))
    if args.json:
        _write(json.dumps([s.to_dict() for s in sessions], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not sessions:
        _write(t("logs.list.empty") + "\n")
        return 0
    _write(_table(sessions))
    damaged = sum(1 for s in sessions if s.damaged)
    footer = t("logs.list.count", count=len(sessions))
    if damaged:
        footer += " " + t("logs.list.damaged_count", count=damaged)
    _write(footer + "\n")
    return 0


def _table(sessions: list[SessionSummary]) -> str:
    lang = language()
    head = [
        t("logs.col.session"),
        t("logs.col.date"),
        t("logs.col.exam"),
        t("logs.col.candidate"),
        t("logs.col.commission"),
        t("logs.col.mode"),
        t("logs.col.result"),
        t("logs.col.used"),
        t("logs.col.state"),
    ]
    # The machine's column once a centre has gathered sessions that say it
    # (files made before it was recorded: "?").
    machines = any(s.machine for s in sessions)
    if machines:
        head.insert(5, t("logs.col.machine"))
    rows = [head]
    for s in sessions:
        name = _cut(s.candidate_name, 28)
        if s.candidate_number:
            name += f" ({s.candidate_number})"
        row = [
            s.id,
            day_and_time(s.started_at) or s.date,
            _exam_cell(s),
            name,
            _cut(s.commission, 10),
            t("logs.mode.short_rehearsal") if s.mode == "rehearsal" else "",
            _result(s, lang),
            elapsed(s.time_used_s) if s.exam_id else "",
            _state(s),
        ]
        if machines:
            row.insert(5, _cut(s.machine, 16) or "?")
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _exam_cell(s: SessionSummary) -> str:
    """The exam, and a CCF situation's letter or an épreuve's situations with their dates."""
    if s.situations:
        parts = [f"{x['situation'].upper()} {_day(str(x['date']))}" for x in s.situations]
        return f"{s.exam_id} ({', '.join(parts)})"
    if s.situation:
        return f"{s.exam_id} ({s.situation.upper()})"
    return s.exam_id


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}" if len(iso) >= 10 else iso


def _result(s: SessionSummary, lang: str) -> str:
    if s.mark is not None:
        return mark_out_of(s.mark, lang)
    if s.outcome is not None:
        from ndrc_oral.transcript.report import outcome_text

        return outcome_text(s.outcome, lang)
    if s.status == "situation":
        return t("logs.list.situation_done")
    return ""


def _state(s: SessionSummary) -> str:
    if s.integrity == Integrity.DAMAGED:
        return t("logs.state.damaged")
    if s.moved_to:
        return t("logs.state.moved", to=s.moved_to)
    if s.cancelled:
        text = t("logs.state.cancelled")
    else:
        text = t("logs.state.finished") if s.finished else t("logs.state.interrupted")
    if s.corrections:
        text += " " + t("logs.state.corrected", count=s.corrections)
    if s.integrity == Integrity.TORN_TAIL:
        text += " " + t("logs.state.torn")
    return text


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- show ---------------------------------------------------------------------------------


def show(args: argparse.Namespace) -> int:
    """The transcript of one session as readable text (a damaged one: warning first)."""
    from ndrc_oral.transcript.export_md import session_markdown

    loaded = _load(_store(args).resolve(args.id))
    _write(session_markdown(loaded, language()))
    return 0


# --- export -------------------------------------------------------------------------------


def export(args: argparse.Namespace) -> int:
    """One session in a session format (json, md, PDF); the sessions listed in csv."""
    from ndrc_oral.transcript.exports import (
        Scope,
        default_name,
        export_format,
        render,
        session_stem,
    )

    fmt = export_format(args.format)
    lang = language()
    if fmt.scope is Scope.SESSIONS:
        data = _many(args, fmt.key, lang)
        name = default_name("results", fmt.key)
    else:
        many = _many_keys()
        if args.id is None:
            raise NdrcError(t("logs.error.id_needed", format=fmt.key, formats=many), code=2)
        given = _given_filters(args)
        if given:
            options = ", ".join(given)
            raise NdrcError(t("logs.error.filters_csv_only", options=options, formats=many), code=2)
        loaded = _load(_store(args).resolve(args.id), notes=fmt.notes)
        data = render(loaded, fmt.key, lang)
        name = default_name(session_stem(loaded), fmt.key)
    return deliver(data, args.output, Path.cwd() / name, to_stdout=not fmt.binary)


def _many_keys() -> str:
    from ndrc_oral.transcript.exports import Scope, formats

    return ", ".join(f.key for f in formats(Scope.SESSIONS))


def _many(args: argparse.Namespace, key: str, lang: str) -> bytes:
    """The sessions named by the ID, or by the filters (all when none), in format ``key``."""
    from ndrc_oral.transcript.exports import render_many

    if args.id is not None:
        given = _given_filters(args)
        if given:
            raise NdrcError(t("logs.error.id_or_filters", options=", ".join(given)), code=2)
        loaded = _load(_store(args).resolve(args.id))
        return render_many([summarize_loaded(loaded)], key, lang)
    criteria = _filter(args)
    every = _all_sessions(args)
    _check_exam(args, criteria, every)
    # The summaries the list holds (cached): the files are not read again.
    return render_many(index.filter_sessions(every, criteria), key, lang)


# --- verify -------------------------------------------------------------------------------


def verify(args: argparse.Namespace) -> int:
    """Check a transcript's chain: 0 when intact, 1 naming the first bad event otherwise.

    A CCF situation's links are checked too: the situation it continues is
    still what it saw, and every situation that continues it saw it as it is.

    The fingerprint (the last event's hash, as every PDF prints it) follows;
    ``--empreinte CODE`` says whether the transcript is the one a sheet
    printing ``CODE`` was made from (1 when no event has that fingerprint:
    the transcript was changed since, or it is another session's).
    """
    code: str | None = getattr(args, "empreinte", None)
    digits = codec.fingerprint_digits(code) if code is not None else None
    if code is not None and digits is None:
        raise NdrcError(t("logs.verify.bad_code", code=code), code=2)
    path = _store(args).resolve(args.target)
    transcript = read_transcript(path)
    count = len(transcript.events)
    status = 0
    if transcript.integrity is Integrity.INTACT:
        _write(t("logs.verify.intact", path=path, count=count) + "\n")
    else:
        seq = transcript.first_bad_seq
        key = "torn" if transcript.integrity is Integrity.TORN_TAIL else "damaged"
        _write(t(f"logs.verify.{key}", path=path, seq=seq, count=count) + "\n")
        for problem in transcript.problems:
            _write(t("logs.verify.detail", problem=problem) + "\n")
        status = 1
    if count:
        _write(t("logs.verify.fingerprint", fingerprint=transcript.fingerprint, count=count) + "\n")
    if transcript.integrity is Integrity.INTACT and not transcript.finished:
        _write(t("logs.verify.unfinished") + "\n")
    moved = moves.moved_to(path)
    if moved is not None:
        _write(t("logs.verify.moved", to=moved) + "\n")
    if transcript.integrity is Integrity.INTACT:
        status = _verify_epreuve(args, path)
    if digits is not None and not _printed_from(transcript, digits):
        status = 1
    return status


def _printed_from(transcript: Transcript, digits: str) -> bool:
    """Say whether ``transcript`` holds the event a sheet's fingerprint names."""
    fingerprint = codec.fingerprint(digits)
    seq = transcript.event_with_fingerprint(digits)
    if seq is None:
        _write(t("logs.verify.code_changed", fingerprint=fingerprint) + "\n")
        return False
    later = len(transcript.events) - 1 - seq
    if later == 0:
        _write(t("logs.verify.code_last", fingerprint=fingerprint, seq=seq) + "\n")
    else:
        last = transcript.events[-1]
        when = clock_time(last.at)
        _write(
            t("logs.verify.code_later", fingerprint=fingerprint, seq=seq, later=later, when=when)
            + "\n"
        )
    return True


def _verify_epreuve(args: argparse.Namespace, path: Path) -> int:
    """The links of a CCF situation, both ways (0: none, or all intact)."""
    from ndrc_oral.transcript.epreuve import LinkStatus, check_link, later_links
    from ndrc_oral.transcript.recorder import try_load_session

    loaded = try_load_session(path)
    if loaded is None or not loaded.state.identity.epreuve_id:
        return 0
    epreuve = loaded.state.identity.epreuve_id
    # The situations of an épreuve live together: beside this file, else in the data dir.
    roots = [path.parent] + ([_root(args)] if _root(args) != path.parent else [])
    status = 0
    link = loaded.state.link
    if link is not None:
        root = next((r for r in roots if (r / f"{link.session}.toml").exists()), roots[-1])
        check = check_link(root, link)
        if check.status is LinkStatus.INTACT:
            _write(t("logs.verify.link_ok", epreuve=epreuve, id=link.session) + "\n")
        else:
            key = "epreuve_unchecked" if check.status is LinkStatus.MISSING else "epreuve_damaged"
            _write(t(f"logs.verify.{key}", problem=check.problem) + "\n")
            status = 1
    seen: set[str] = set()
    for root in roots:
        for later_id, later in later_links(root, loaded.id):
            if later_id in seen:
                continue
            seen.add(later_id)
            check = check_link(path.parent, later)
            if check.status is LinkStatus.INTACT:
                _write(t("logs.verify.later_ok", epreuve=epreuve, id=later_id) + "\n")
                if check.later_events:
                    count = check.later_events
                    _write(t("logs.verify.later_events", count=count, id=later_id) + "\n")
            else:
                problem = t("logs.verify.later_changed", id=later_id)
                _write(t("logs.verify.epreuve_damaged", problem=problem) + "\n")
                _write(t("logs.verify.detail", problem=check.problem) + "\n")
                status = 1
    return status


# --- settle ---------------------------------------------------------------------------------


def settle(args: argparse.Namespace) -> int:
    """A reserved mark after its check: ``--release`` it as given, or ``--nv REASON``.

    The decision is a new event (``reservation_lifted``) at the end of the
    session's transcript; the mark given stays in the log.
    """
    from ndrc_oral.exam_room.requests import settle_reservation
    from ndrc_oral.session.clock import SystemClock
    from ndrc_oral.session.verdict import NV_REASONS
    from ndrc_oral.transcript.report import result_text

    store = _store(args)
    path = store.resolve(args.id)
    if args.nv is not None and args.nv not in NV_REASONS:
        raise NdrcError(t("engine.nv_reason", choices=", ".join(NV_REASONS)), code=2)
    decision = "nv" if args.nv is not None else "released"
    verdict = settle_reservation(store, str(path), SystemClock(), decision, args.nv)
    _write(t("logs.settle.done", path=path, result=result_text(verdict, language())) + "\n")
    return 0


# --- correct, cancel ------------------------------------------------------------------------


def correct(args: argparse.Namespace) -> int:
    """Correct a closed session's saved result: what the options name changes, the rest
    stays as saved; a new event with the reason (``--reason``), the old result kept."""
    from ndrc_oral.exam_room.requests import correct_result
    from ndrc_oral.session.clock import SystemClock
    from ndrc_oral.transcript.report import correction_rows, correction_text

    store = _store(args)
    path = store.resolve(args.id)
    loaded = _load(path)
    verdict = loaded.state.verdict
    if verdict is None or not loaded.state.finished:
        raise NdrcError(t("logs.correct.unfinished", path=path))
    entry = corrected_entry(loaded, args)
    state = correct_result(store, str(path), SystemClock(), entry, args.reason)
    lang = language()
    last = correction_rows(state, lang)[-1]
    _write(t("logs.correct.done", path=path, correction=correction_text(last, lang)) + "\n")
    return 0


def corrected_entry(loaded: LoadedSession, args: argparse.Namespace) -> ResultEntry:
    """The saved result, with what ``logs correct``'s options change (``NdrcError``: a bad
    mark, date or option, code 2)."""
    from dataclasses import replace

    from ndrc_oral.exam_room.entry import ResultEntry
    from ndrc_oral.exam_room.requests import MEMBER_ROLES
    from ndrc_oral.exam_room.view import parse_date, parse_mark
    from ndrc_oral.exams.models import FieldKind
    from ndrc_oral.session.identity import Member
    from ndrc_oral.session.verdict import NV_REASONS

    assert loaded.state.verdict is not None
    entry = ResultEntry.from_verdict(loaded.state.verdict)
    declared = {f.id: f for f in loaded.state.run.fiche_fields()}
    try:
        if args.mark is not None:
            entry = replace(entry, mark=parse_mark(args.mark), outcome=None, nv_reason=None)
        if args.nv is not None:
            if args.nv not in NV_REASONS:
                raise ValueError(t("engine.nv_reason", choices=", ".join(NV_REASONS)))
            entry = replace(entry, mark=None, reserved=False, outcome="nv", nv_reason=args.nv)
        if args.absent:
            entry = replace(entry, mark=None, reserved=False, outcome="absent", nv_reason=None)
        if args.reserved is not None:
            entry = replace(entry, reserved=args.reserved)
        fields = dict(entry.fields)
        for given in args.field:
            field_id, sep, value = given.partition("=")
            if not sep:
                raise ValueError(t("logs.correct.bad_field", found=given))
            spec = declared.get(field_id.strip())
            if spec is not None and spec.kind is FieldKind.CHOICES:
                fields[field_id.strip()] = [v for v in value.split(",") if v.strip()]
            elif spec is not None and spec.kind is FieldKind.DATE:
                fields[field_id.strip()] = parse_date(value)
            else:
                fields[field_id.strip()] = value
        entry = replace(entry, fields=fields)
    except ValueError as exc:
        raise NdrcError(str(exc), code=2) from None
    if args.member:
        if len(args.member) > len(MEMBER_ROLES):
            raise NdrcError(t("logs.correct.members", max=len(MEMBER_ROLES)), code=2)
        members = [Member(n, role) for n, role in zip(args.member, MEMBER_ROLES, strict=False)]
        entry = replace(entry, members=members)
    return entry


def cancel(args: argparse.Namespace) -> int:
    """Cancel a session started by mistake (``--reason``): it stays on disk, leaves the
    resumable list, and is listed as cancelled."""
    from ndrc_oral.exam_room.requests import cancel_session
    from ndrc_oral.session.clock import SystemClock

    store = _store(args)
    path = store.resolve(args.id)
    cancel_session(store, str(path), SystemClock(), args.reason)
    _write(t("logs.cancel.done", path=path, reason=args.reason.strip()) + "\n")
    return 0


# --- shared -------------------------------------------------------------------------------


def _root(args: argparse.Namespace) -> Path:
    """The data directory; one given with ``--data-dir`` must exist (a typo says so)."""
    given = getattr(args, "data_dir", None)
    root = data_dir(given)
    if given and not root.is_dir():
        raise NdrcError(t("logs.error.no_data_dir", path=root))
    return root


def _store(args: argparse.Namespace) -> Store:
    return Store(_root(args))


def _all_sessions(args: argparse.Namespace) -> list[SessionSummary]:
    listing = index.list_sessions(_root(args), on_read=_indexing)
    if listing.pool_problem:
        print(t("logs.list.one_core", detail=listing.pool_problem), file=sys.stderr, flush=True)
    if listing.ignored:
        names = ", ".join(listing.ignored[:5]) + (" ..." if len(listing.ignored) > 5 else "")
        warning = t("logs.list.ignored", count=len(listing.ignored), names=names)
        print(t("cli.warning", message=printable(warning)), file=sys.stderr)
    return listing.sessions


def _indexing(count: int) -> None:
    # Reading thousands of transcripts takes a while, once: say so rather than hang.
    if count >= INDEXING_NOTICE_FROM:
        print(t("logs.list.indexing", count=count), file=sys.stderr, flush=True)


def _filter(args: argparse.Namespace) -> index.SessionFilter:
    return index.make_filter(
        text=getattr(args, "text", None),
        exam=getattr(args, "exam", None),
        since=getattr(args, "since", None),
        until=getattr(args, "until", None),
        mode=getattr(args, "mode", None),
    )


def _check_exam(
    args: argparse.Namespace, criteria: index.SessionFilter, sessions: list[SessionSummary]
) -> None:
    """``--exam`` names an exam or an épreuve that exists (in a session or the catalog):
    a typo (``E9``) says so instead of listing nothing."""
    wanted = criteria.exam
    if wanted is None:
        return
    known = {s.exam_id for s in sessions} | {s.epreuve for s in sessions}
    if _folded(wanted) in {_folded(k) for k in known if k}:
        return
    from ndrc_oral.exams.loader import load_catalog
    from ndrc_oral.paths import config_dir

    catalog = load_catalog(config_dir(getattr(args, "config_dir", None)))
    known |= set(catalog.ids()) | {e.epreuve for e in catalog.values()}
    if _folded(wanted) not in {_folded(k) for k in known if k}:
        names = ", ".join(sorted((k for k in known if k), key=lambda k: (k[0].islower(), k)))
        raise NdrcError(t("logs.error.unknown_exam", found=wanted, known=names))


def _folded(text: str) -> str:
    return text.strip().casefold()


def _given_filters(args: argparse.Namespace) -> list[str]:
    """The filter options given on the command line, as typed."""
    return [f"--{f}" for f in _FILTERS if getattr(args, f, None)]


def _load(path: Path, *, notes: bool = True) -> LoadedSession:
    """The session, or one clear error saying why it cannot be shown at all; without
    ``notes``, a big session's notes are left out (``skim.fiche_session``)."""
    from ndrc_oral.transcript.skim import checked_session, fiche_session

    try:
        return checked_session(path) if notes else fiche_session(path)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise NdrcError(t("logs.error.unusable", path=path, problem=exc)) from None


def _write(text: str) -> None:
    """Print ``text`` (names and notes with their control characters written out)."""
    say(text)
