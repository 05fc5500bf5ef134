"""Exports in one place: render a session in a format, name the file, write it safely.

The review screen and ``logs export`` both go through here:

    data = render(loaded, "pdf-fiche", lang="fr")        # bytes
    path = default_name(loaded.id, "pdf-fiche")          # "<id>-fiche.pdf"
    replaced = write_atomic(Path.cwd() / path, data)

``write_atomic`` writes a temporary file next to the target, fsyncs it and
renames it over the target: a reader never sees half a file, and a failure
leaves the previous file untouched. Exports hold personal data, so the file
is created readable by its owner only (0600), like the transcripts.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.transcript.recorder import LoadedSession

SESSION_FORMATS = ("json", "md", "pdf-fiche", "pdf-grille")
"""The formats of one session (``csv`` covers many: ``export_csv.results_csv``)."""
TEXT_FORMATS = ("json", "md", "csv")

_EXTENSIONS = {
    "json": ".json",
    "md": ".md",
    "csv": ".csv",
    "pdf-fiche": "-fiche.pdf",
    "pdf-grille": "-grille.pdf",
}


def render(loaded: LoadedSession, fmt: str, lang: str = "fr") -> bytes:
    """One session in ``fmt`` (one of ``SESSION_FORMATS``), as the bytes of the file."""
    if fmt == "json":
        from ndrc_oral.transcript.export_json import session_json

        return session_json(loaded, lang).encode("utf-8")
    if fmt == "md":
        from ndrc_oral.transcript.export_md import session_markdown

        return session_markdown(loaded, lang).encode("utf-8")
    if fmt == "pdf-fiche":
        from ndrc_oral.transcript.export_pdf import fiche_pdf

        return fiche_pdf(loaded, lang)
    if fmt == "pdf-grille":
        from ndrc_oral.transcript.export_pdf import grille_pdf

        return grille_pdf(loaded, lang)
    raise ValueError(f"not a session format: {fmt!r}")


def default_name(session_id: str, fmt: str) -> str:
    """``<id>.json``, ``<id>.md``, ``<id>-fiche.pdf``, ``<id>-grille.pdf``, ``<id>.csv``."""
    return f"{session_id}{_EXTENSIONS[fmt]}"


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` all at once; ``True`` when it replaced an existing file.

    Raises ``NdrcError`` with one clear line when it cannot (a directory, no
    such directory, read-only, disk full...).
    """
    if path.is_dir():
        raise NdrcError(t("logs.error.output_dir", path=path))
    parent = path.parent
    existed = path.exists()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise NdrcError(t("logs.error.write", path=path, detail=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise NdrcError(t("logs.error.write", path=path, detail=exc.strerror or exc)) from None
    return existed
