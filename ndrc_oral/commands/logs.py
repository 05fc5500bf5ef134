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

from ndrc_oral.commands.output import say, send
from ndrc_oral.errors import NdrcError
from ndrc_oral.formatting import clock_time, day_and_time, elapsed, mark_out_of
from ndrc_oral.i18n import language, t
from ndrc_oral.paths import data_dir
from ndrc_oral.transcript import codec, index, moves
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, Transcript, read_transcript
from ndrc_oral.transcript.recorder import LoadedSession, load_session, try_load_session
from ndrc_oral.transcript.report import outcome_text
from ndrc_oral.transcript.summary import SessionSummary, summarize_loaded

_FILTERS = ("exam", "text", "since", "until", "mode")
INDEXING_NOTICE_FROM = 200


# --- list ---------------------------------------------------------------------------------


def list_sessions(args: argparse.Namespace) -> int:
    """A table of the saved sessions (JSON with ``--json``); damaged ones flagged."""
    criteria = _filter(args)
    sessions = index.filter_sessions(_all_sessions(args), criteria)
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
    rows = [head]
    for s in sessions:
        name = _cut(s.candidate_name, 28)
        if s.candidate_number:
            name += f" ({s.candidate_number})"
        rows.append(
            [
                s.id,
                day_and_time(s.started_at) or s.date,
                s.exam_id,
                name,
                _cut(s.commission, 10),
                t("logs.mode.short_rehearsal") if s.mode == "rehearsal" else "",
                _result(s, lang),
                elapsed(s.time_used_s) if s.exam_id else "",
                _state(s),
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _result(s: SessionSummary, lang: str) -> str:
    if s.mark is not None:
        return mark_out_of(s.mark, lang)
    if s.outcome is not None:
        return outcome_text(s.outcome, lang)
    return ""


def _state(s: SessionSummary) -> str:
    if s.integrity == Integrity.DAMAGED:
        return t("logs.state.damaged")
    if s.moved_to:
        return t("logs.state.moved", to=s.moved_to)
    text = t("logs.state.finished") if s.finished else t("logs.state.interrupted")
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
        write_atomic,
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
        loaded = _load(_store(args).resolve(args.id))
        data = render(loaded, fmt.key, lang)
        name = default_name(loaded.id, fmt.key)
    output: str | None = args.output
    if output == "-" or (output is None and not fmt.binary):
        send(data)
        return 0
    target = Path(output) if output is not None else Path.cwd() / name
    replaced = write_atomic(target, data)
    key = "logs.export.replaced" if replaced else "logs.export.written"
    _write(t(key, path=target) + "\n")
    return 0


def _many_keys() -> str:
    from ndrc_oral.transcript.exports import Scope, formats

    return ", ".join(f.key for f in formats(Scope.SESSIONS))


def _many(args: argparse.Namespace, key: str, lang: str) -> bytes:
    """The sessions named by the ID, or by the filters (all when none), in format ``key``."""
    from ndrc_oral.transcript.exports import Entry, render_many

    entries: list[Entry] = []
    if args.id is not None:
        given = _given_filters(args)
        if given:
            raise NdrcError(t("logs.error.id_or_filters", options=", ".join(given)), code=2)
        loaded = _load(_store(args).resolve(args.id))
        entries.append((summarize_loaded(loaded), loaded))
    else:
        criteria = _filter(args)
        for summary in index.filter_sessions(_all_sessions(args), criteria):
            entries.append((summary, try_load_session(Path(summary.path))))
    return render_many(entries, key, lang)


# --- verify -------------------------------------------------------------------------------


def verify(args: argparse.Namespace) -> int:
    """Check a transcript's chain: 0 when intact, 1 naming the first bad event otherwise.

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


# --- shared -------------------------------------------------------------------------------


def _root(args: argparse.Namespace) -> Path:
    return data_dir(getattr(args, "data_dir", None))


def _store(args: argparse.Namespace) -> Store:
    return Store(_root(args))


def _all_sessions(args: argparse.Namespace) -> list[SessionSummary]:
    return index.list_sessions(_root(args), on_read=_indexing).sessions


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


def _given_filters(args: argparse.Namespace) -> list[str]:
    """The filter options given on the command line, as typed."""
    return [f"--{f}" for f in _FILTERS if getattr(args, f, None)]


def _load(path: Path) -> LoadedSession:
    """The session, or one clear error saying why it cannot be shown at all."""
    try:
        return load_session(path)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise NdrcError(t("logs.error.unusable", path=path, problem=exc)) from None


def _write(text: str) -> None:
    """Print ``text`` (names and notes with their control characters written out)."""
    say(text)
