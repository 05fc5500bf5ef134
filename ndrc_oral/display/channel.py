"""Where the kiosk leaves its display records, and which one a display follows.

One directory per data directory, in the user cache directory (never in the
data directory, which holds transcripts only): ``CACHE/display/<key>/``, the
key a hash of the data directory's resolved path. One file per live session,
``<session id>.json``, rewritten whole and atomically (a temporary file, then
``os.replace``): a reader never sees half a record. The kiosk removes a
session's file when it closes the session; a file left behind by a crash
keeps its last beat, which is how a display knows the kiosk stopped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from pathlib import Path

from ndrc_oral.display.record import DisplayRecord, parse_record
from ndrc_oral.files import private_dir, write_private
from ndrc_oral.paths import cache_dir

SUFFIX = ".json"

STALE_AFTER_S = 12 * 3600
"""A record not rewritten for this long (wall time, its mtime) is left over from a crash."""


def channel_dir(data_dir: Path, cache: Path | None = None) -> Path:
    """The directory of the records of the sessions of ``data_dir``."""
    key = hashlib.sha256(str(data_dir.expanduser().resolve()).encode()).hexdigest()[:16]
    return (cache or cache_dir()) / "display" / key


class Channel:
    """The records of one data directory: written by the kiosk, read by displays."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path_for(self, session_id: str) -> Path:
        return self.directory / f"{session_id}{SUFFIX}"

    def write(self, record: DisplayRecord) -> bool:
        """Replace the session's record (best effort: a display is no reason to stop a kiosk)."""
        try:
            # 0600 like everything the program writes (issue 13), from its creation.
            private_dir(self.directory)
            write_private(self.path_for(record.session), record.to_json().encode("utf-8"))
        except OSError:
            return False
        return True

    def remove(self, session_id: str) -> None:
        with contextlib.suppress(OSError):
            self.path_for(session_id).unlink()

    def prune(self, now_wall: float | None = None) -> None:
        """Remove records left over from crashes long ago."""
        now_wall = time.time() if now_wall is None else now_wall
        for path in self._files():
            with contextlib.suppress(OSError):
                if now_wall - path.stat().st_mtime > STALE_AFTER_S:
                    path.unlink()

    def read(self, session_id: str) -> DisplayRecord | None:
        return _read(self.path_for(session_id))

    def records(self) -> list[DisplayRecord]:
        """Every readable record, oldest session first (ids sort by time)."""
        found = [_read(p) for p in self._files()]
        return sorted((r for r in found if r is not None), key=lambda r: r.session)

    def pick(
        self, session_id: str | None, now: float, *, lost_after: float
    ) -> DisplayRecord | None:
        """The record to show: that session's; else the newest live one; else the newest.

        "Live" is a record whose beat is younger than ``lost_after`` at ``now``
        (monotonic). A newer session that starts takes over from an older one.
        """
        if session_id is not None:
            return self.read(session_id)
        records = self.records()
        live = [r for r in records if now - r.mono <= lost_after]
        if live:
            return live[-1]
        return records[-1] if records else None

    def _files(self) -> list[Path]:
        try:
            return [
                Path(e.path)
                for e in os.scandir(self.directory)
                if e.name.endswith(SUFFIX) and not e.name.startswith(".")
            ]
        except OSError:
            return []


def _read(path: Path) -> DisplayRecord | None:
    try:
        return parse_record(path.read_bytes())
    except OSError:
        return None
