"""Sessions that F9 (save elsewhere) moved to another directory: where each one went.

When the data directory fails, F9 writes the whole session afresh in another
directory and goes on there. The original file stays where it was (the disk
that failed may come back), and would list as an interrupted session,
resumable, under the id of the copy: a second life of one session that would
part from the first. A note in the user cache directory (never beside the
transcripts, whose directory has just failed) says that it moved, and where:
listings show it moved and not resumable, and a resume says where to go.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from datetime import datetime
from pathlib import Path

from ndrc_oral.files import private_dir, write_private
from ndrc_oral.paths import cache_dir


def _moves_dir() -> Path:
    return cache_dir() / "moved"


def note_moved(original: Path, copy: Path) -> None:
    """Record that the session of ``original`` goes on in ``copy`` (best effort)."""
    source = os.path.abspath(original)
    key = hashlib.sha256(os.fsencode(source)).hexdigest()[:16]
    note = {
        "from": source,
        "to": os.path.abspath(copy),
        "at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):
        private_dir(_moves_dir())
        write_private(_moves_dir() / f"{key}.json", json.dumps(note, ensure_ascii=False).encode())


def moved() -> dict[str, str]:
    """Absolute path of each moved original -> absolute path of its copy."""
    found: dict[str, str] = {}
    try:
        notes = [e.path for e in os.scandir(_moves_dir()) if e.name.endswith(".json")]
    except OSError:
        return found
    for note in notes:
        try:
            with open(note, "rb") as f:
                data = json.loads(f.read())
            source, copy = data["from"], data["to"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if isinstance(source, str) and isinstance(copy, str):
            found[source] = copy
    return found


def moved_to(path: Path) -> str | None:
    """Where the session of ``path`` went, if F9 moved it."""
    return moved().get(os.path.abspath(path))
