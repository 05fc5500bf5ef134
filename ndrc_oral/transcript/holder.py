"""Who holds a transcript: a note in the user cache directory, for a refused kiosk to read.

The lock itself is the operating system's (``writer.py``); this note only says
who took it: the machine's name, the process, since when. It is written once
the lock is taken, removed when the writer lets go, and lives in the user
cache directory (``$NDRC_ORAL_CACHE_DIR``), never beside the transcripts. A
kiosk that died leaves its note behind, but then the lock is free and the
next writer writes its own. Best effort throughout: a note that cannot be
written or read only makes the refusal say less.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ndrc_oral.files import private_dir, write_private
from ndrc_oral.formatting import clock_time, date
from ndrc_oral.i18n import t
from ndrc_oral.paths import cache_dir


@dataclass(frozen=True, slots=True)
class Holder:
    """The writer that holds a transcript."""

    host: str
    pid: int
    since: str
    """Wall time (ISO 8601) at which it took the lock."""


def note_file(path: Path) -> Path:
    """Where the note on ``path`` goes: keyed by the session id and its directory (a copy
    saved elsewhere with F9 has the same id)."""
    where = hashlib.sha256(os.fsencode(os.path.abspath(path.parent))).hexdigest()[:12]
    return cache_dir() / "holders" / f"{path.stem}-{where}.json"


def note(path: Path) -> None:
    """Say that this process holds ``path`` from now on."""
    mine = {
        "path": os.path.abspath(path),
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    target = note_file(path)
    with contextlib.suppress(OSError):
        private_dir(target.parent)
        write_private(target, json.dumps(mine, ensure_ascii=False).encode("utf-8"))


def read(path: Path) -> Holder | None:
    """Who noted holding ``path`` (``None`` when no usable note is there)."""
    try:
        data = json.loads(note_file(path).read_bytes())
        who = Holder(host=data["host"], pid=data["pid"], since=data["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    valid = isinstance(who.host, str) and isinstance(who.since, str)
    return who if valid and type(who.pid) is int else None


def forget(path: Path) -> None:
    """This process lets go of ``path``: remove its note (not a later holder's)."""
    target = note_file(path)
    who = read(path)
    if who is not None and who.pid == os.getpid() and who.host == socket.gethostname():
        with contextlib.suppress(OSError):
            target.unlink()


def describe(path: Path, who: Holder | None) -> str:
    """The one line a refused kiosk shows (a commission's day is named as a day)."""
    # Imported here: the directory's module imports the writer, which imports this one.
    from ndrc_oral.transcript.directory import DAY_PREFIX, is_day_name

    day = is_day_name(path.name)
    key, name = (
        ("store.busy_day", path.stem.removeprefix(DAY_PREFIX)) if day else ("store.busy", path.stem)
    )
    if who is None:
        return t(f"{key}_unknown", id=name)
    return t(
        key,
        id=name,
        host=who.host,
        pid=who.pid,
        day=date(who.since),
        time=clock_time(who.since),
    )
