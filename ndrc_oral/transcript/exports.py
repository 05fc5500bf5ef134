"""Exports in one place: the formats, rendering, the file's name, writing it safely.

``FORMATS`` is the registry: one row per format, read by the command line
(``logs export --format`` choices and help), by ``logs export`` (a binary
format is written to a file, not to the terminal) and by the review screens
(their export keys). A new format is a row here, its renderer module and
its two i18n labels; nothing else names it.

    fmt = export_format("pdf-fiche")
    data = render(loaded, "pdf-fiche", lang="fr")          # bytes
    path = default_name(session_stem(loaded), "pdf-fiche")  # "Ada-Lovelace_e6-ccf-a_2026-06-02_0800-fiche.pdf"
    replaced = write_atomic(Path.cwd() / path, data)

A format of one session renders a ``LoadedSession``; a format of many
sessions (``csv``) renders the summaries of the sessions listed (what the
list's index holds: it reads a file again only for what a summary lacks). Renderers are imported on first use: the command line
reads this table without loading fpdf2.

``write_atomic`` writes a temporary file next to the target, fsyncs it and
renames it over the target: a reader never sees half a file, and a failure
leaves the previous file untouched. It writes only to a new path or over a
regular file: a device, a FIFO or a symbolic link is refused, not replaced. Exports hold personal data, so the file
is created readable by its owner only (0600), like the transcripts.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import stat
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t

if TYPE_CHECKING:  # the command line reads FORMATS without loading the transcript layer
    from ndrc_oral.transcript.recorder import LoadedSession
    from ndrc_oral.transcript.summary import SessionSummary


class Scope(StrEnum):
    """What a format renders."""

    SESSION = "session"
    """One session, one file (named after the session's id)."""
    SESSIONS = "sessions"
    """The sessions listed (by ``logs export``'s filters or the review's), one file."""


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: a row of ``FORMATS``."""

    key: str
    """What ``--format`` takes and the review's action names: ``pdf-fiche``."""
    suffix: str
    """What follows the session's id (or the list's stem) in the file name: ``-fiche.pdf``."""
    binary: bool
    """Bytes a terminal must not receive unasked (``logs export`` writes a file by default);
    otherwise UTF-8 text, which goes to standard output unless ``-o`` says where."""
    label: str
    """The i18n key of the format in words (``Fiche d'évaluation PDF``): help, notifications."""
    key_label: str
    """The i18n key of the review footer's short label (``Fiche PDF``)."""
    review_key: str
    """The key that exports it in the review (the session's screen, or the list for many)."""
    binding_id: str
    """The id of that key's binding, for a keymap (``KioskApp(keymap=...)``)."""
    scope: Scope
    renderer: str
    """``module:function``; returns ``str`` for a text format, ``bytes`` for a binary one.
    A session format's takes ``(loaded, lang)``; a many-session format's ``(summaries, lang)``."""
    notes: bool = True
    """Whether it prints the notes; a session format that does not is rendered from
    ``skim.fiche_session`` (a big session's checked read without its notes, cached)."""


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        key="md",
        suffix=".md",
        binary=False,
        label="export.format.md",
        key_label="export.key.md",
        review_key="m",
        binding_id="ndrc.review.export.md",
        scope=Scope.SESSION,
        renderer="ndrc_oral.transcript.export_md:session_markdown",
    ),
    ExportFormat(
        key="json",
        suffix=".json",
        binary=False,
        label="export.format.json",
        key_label="export.key.json",
        review_key="j",
        binding_id="ndrc.review.export.json",
        scope=Scope.SESSION,
        renderer="ndrc_oral.transcript.export_json:session_json",
    ),
    ExportFormat(
        key="csv",
        suffix=".csv",
        binary=False,
        label="export.format.csv",
        key_label="export.key.csv",
        review_key="f6",
        binding_id="ndrc.review.csv",
        scope=Scope.SESSIONS,
        renderer="ndrc_oral.transcript.export_csv:results_csv",
    ),
    ExportFormat(
        key="xlsx",
        suffix=".xlsx",
        binary=True,
        label="export.format.xlsx",
        key_label="export.key.xlsx",
        review_key="f9",
        binding_id="ndrc.review.xlsx",
        scope=Scope.SESSIONS,
        renderer="ndrc_oral.transcript.export_xlsx:results_xlsx",
    ),
    ExportFormat(
        key="pdf-fiche",
        suffix="-fiche.pdf",
        binary=True,
        label="export.format.fiche",
        key_label="export.key.fiche",
        review_key="f",
        binding_id="ndrc.review.export.fiche",
        scope=Scope.SESSION,
        renderer="ndrc_oral.transcript.export_pdf:fiche_pdf",
        notes=False,
    ),
    ExportFormat(
        key="pdf-grille",
        suffix="-grille.pdf",
        binary=True,
        label="export.format.grille",
        key_label="export.key.grille",
        review_key="g",
        binding_id="ndrc.review.export.grille",
        scope=Scope.SESSION,
        renderer="ndrc_oral.transcript.export_pdf:grille_pdf",
    ),
)
"""Every export format, in the order the help and the review's footers list them."""


EMARGEMENT = "pdf-emargement"
"""A day's sign-in sheet (``ndrc-oral day export``): a day's own format, not a session's."""


def day_formats() -> list[str]:
    """What ``day export --format`` takes: the sign-in sheet, and the many-session formats
    (the day's results restricted to its sessions)."""
    return [EMARGEMENT, *(f.key for f in formats(Scope.SESSIONS))]


def export_format(key: str) -> ExportFormat:
    """The row of ``key``; ``ValueError`` when there is none."""
    for fmt in FORMATS:
        if fmt.key == key:
            return fmt
    raise ValueError(f"not an export format: {key!r}")


def formats(scope: Scope | None = None) -> list[ExportFormat]:
    """The formats of ``scope`` (all of them when ``None``), in the registry's order."""
    return [f for f in FORMATS if scope is None or f.scope is scope]


def render(loaded: LoadedSession, key: str, lang: str = "fr") -> bytes:
    """One session in format ``key`` (a session format), as the bytes of the file."""
    return _run(key, Scope.SESSION, loaded, lang)


def render_many(sessions: Sequence[SessionSummary], key: str, lang: str = "fr") -> bytes:
    """The sessions ``sessions`` (their summaries) in format ``key`` (a many-session format)."""
    return _run(key, Scope.SESSIONS, sessions, lang)


def _run(key: str, scope: Scope, what: object, lang: str) -> bytes:
    fmt = export_format(key)
    if fmt.scope is not scope:
        raise ValueError(f"{key!r} is a format of {fmt.scope}, not of {scope}")
    module, name = fmt.renderer.split(":")
    renderer = cast(
        Callable[[object, str], str | bytes], getattr(importlib.import_module(module), name)
    )
    data = renderer(what, lang)
    if fmt.binary and isinstance(data, bytes):
        return data
    if not fmt.binary and isinstance(data, str):
        return data.encode("utf-8")
    raise TypeError(f"the {key} renderer returned {type(data).__name__}")


def default_name(stem: str, key: str) -> str:
    """``<stem>.json``, ``<stem>.md``, ``<stem>-fiche.pdf``, ``<stem>-grille.pdf`` (a session's
    ``session_stem``), ``results.csv``, ``results.xlsx``."""
    return f"{stem}{export_format(key).suffix}"


def _replaceable(path: Path) -> bool:
    """Whether ``path`` is a regular file (``False``: nothing there yet); ``NdrcError``
    when it is anything else, which a rename would replace by a file: a device
    (``/dev/full`` as root), a FIFO, a symbolic link (the link itself, not its
    target), a directory."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise NdrcError(t("logs.error.write", path=path, detail=exc.strerror or exc)) from None
    if stat.S_ISDIR(mode):
        raise NdrcError(t("logs.error.output_dir", path=path))
    if not stat.S_ISREG(mode):
        raise NdrcError(t("logs.error.output_special", path=path))
    return True


def named_stem(candidate: str, exam_id: str, session_id: str) -> str:
    """A session's file stem a person recognises in a folder: ``Ada-Lovelace_e6-ccf-a_2026-06-02_0800``
    (the candidate, the exam, the day and time of the session, from its id). Only letters,
    digits, ``-`` and ``_`` (no ``/``, ``..`` or space from a name typed on the form)."""
    day = _slug(session_id)
    if len(session_id) >= 13 and session_id[:8].isdigit() and session_id[9:13].isdigit():
        day = f"{session_id[:4]}-{session_id[4:6]}-{session_id[6:8]}_{session_id[9:13]}"
    parts = [_slug(candidate)[:60].strip("-"), _slug(exam_id), day]
    return "_".join(part for part in parts if part) or "session"


def session_stem(loaded: LoadedSession) -> str:
    """``named_stem`` of a loaded session: what the review and ``logs export`` name its files."""
    return named_stem(loaded.state.identity.candidate, loaded.exam.id, loaded.id)


def _slug(text: str) -> str:
    kept = "".join(c if c.isalnum() or c in "-_" else "-" for c in text)
    return "-".join(part for part in kept.replace("_", "-").split("-") if part)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` all at once; ``True`` when it replaced an existing file.

    Only a new path or a regular file is written. Raises ``NdrcError`` with one
    clear line when it cannot (a device, a FIFO, a link, a directory, no such
    directory, read-only, disk full...).
    """
    return write_atomic_with(path, lambda f: f.write(data))


def write_atomic_with(path: Path, fill: Callable[[BinaryIO], object]) -> bool:
    """``write_atomic`` of what ``fill`` writes into the file it is given (a bundle
    of thousands of sessions is written as it is made, never held in memory)."""
    existed = _replaceable(path)
    parent = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise NdrcError(t("logs.error.write", path=path, detail=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "w+b") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise NdrcError(t("logs.error.write", path=path, detail=exc.strerror or exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return existed
