"""The data directory: one transcript file per session (heartbeats: in the cache).

Each file is named after the session id (time + random suffix), never after
a candidate; files 0600, a directory the program makes 0700 (one that exists
keeps its mode: ``readable_by_others`` says when it is open to others).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import stat
import time
from datetime import datetime
from pathlib import Path

from ndrc_oral.errors import describe_os_error
from ndrc_oral.files import private_dir, readable_by_others
from ndrc_oral.i18n import t
from ndrc_oral.transcript.cache import SessionCache
from ndrc_oral.transcript.reader import TranscriptError
from ndrc_oral.transcript.writer import SaveError

SUFFIX = ".toml"
LEGACY_LIVE = ".live"
"""Where versions before 0.2 wrote heartbeats (read as a fallback, never written)."""
STALE_CREATION_S = 60
DAY_PREFIX = "day-"
"""A commission's day (``day-<id>.toml``) lives beside the transcripts, never listed as one."""


def is_day_name(name: str) -> bool:
    """Whether a file name in the data directory is a commission's day."""
    return name.endswith(SUFFIX) and name.startswith(DAY_PREFIX) and not sync_leftover(name)


def new_session_id(now: datetime) -> str:
    """Time + random suffix: sortable, unique, and never derived from a name."""
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


class Store:
    """The data directory: where transcripts are made, found and listed."""

    def __init__(self, root: Path, machine: str = "") -> None:
        self.root = root
        self.machine = machine
        """Recorded in each new session's identity ("": none, as in the tests)."""
        self._cache: SessionCache | None = None
        self._cache_root = root

    def ensure(self) -> None:
        """Create the directory (0700, and its missing parents) if needed; ``SaveError``
        when impossible. An existing directory keeps its mode."""
        try:
            private_dir(self.root)
        except OSError as exc:
            raise SaveError(
                t("store.data_dir", path=self.root, why=describe_os_error(exc)), exc.errno
            ) from exc

    @property
    def readable_by_others(self) -> bool:
        """Whether other users have access to the directory (worth a warning: names, marks)."""
        return readable_by_others(self.root)

    def path_for(self, session_id: str) -> Path:
        """The transcript file of a session id."""
        if not session_id or "/" in session_id or session_id.startswith("."):
            raise TranscriptError(t("store.not_id", id=session_id))
        return self.root / f"{session_id}{SUFFIX}"

    def paths(self) -> list[Path]:
        """Every transcript file, oldest first (ids sort by time)."""
        try:
            entries = [
                Path(e.path)
                for e in os.scandir(self.root)
                if is_transcript_name(e.name) and e.is_file()
            ]
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise TranscriptError(
                t("store.read_dir", path=self.root, why=describe_os_error(exc))
            ) from exc
        return sorted(entries)

    def day_path(self, day_id: str) -> Path:
        """The file of a commission's day."""
        if not day_id or "/" in day_id or day_id.startswith("."):
            raise TranscriptError(t("store.not_id", id=day_id))
        return self.root / f"{DAY_PREFIX}{day_id}{SUFFIX}"

    def day_paths(self) -> list[Path]:
        """Every day's file, oldest first."""
        try:
            found = [Path(e.path) for e in os.scandir(self.root) if is_day_name(e.name)]
        except OSError:
            return []
        return sorted(p for p in found if p.is_file())

    def resolve(self, target: str) -> Path:
        """A path, a session id, or a unique prefix of one: the transcript file."""
        try:
            return self._resolve(target)
        except OSError as exc:  # a name too long for the system, a loop of links...
            raise TranscriptError(
                t("store.unreadable", path=target, why=describe_os_error(exc))
            ) from None

    def _resolve(self, target: str) -> Path:
        candidate = Path(target)
        if candidate.suffix == SUFFIX or os.sep in target:
            if candidate.exists():
                return candidate
            raise TranscriptError(t("store.no_file", path=target))
        exact = self.root / f"{target}{SUFFIX}"
        if exact.exists() and "/" not in target:
            return exact
        matches = [p for p in self.paths() if p.stem.startswith(target)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise TranscriptError(t("store.no_session", id=target, path=self.root))
        ids = ", ".join(p.stem for p in matches[:5]) + (" ..." if len(matches) > 5 else "")
        raise TranscriptError(t("store.ambiguous", id=target, count=len(matches), ids=ids))

    # --- heartbeats ------------------------------------------------------------
    # A running kiosk notes, about once a second, the session time it has
    # reached. After a crash this says when the session stopped: the time
    # between the last event and the crash was the candidate's, the time after
    # is downtime. It is not the transcript: it lives in the cache database of
    # the user cache directory (``cache.py``), never in the data directory.
    # Versions before 0.2 wrote ``DATA_DIR/.live/<id>``: read, never written,
    # so a session they left interrupted still resumes with its heartbeat.

    @property
    def cache(self) -> SessionCache:
        """The cache database of this data directory (its heartbeats' connection kept)."""
        if self._cache is None or self._cache_root != self.root:
            self._cache, self._cache_root = SessionCache(self.root), self.root
        return self._cache

    def heartbeat(self, session_id: str, session_t: float, wall: datetime) -> None:
        """Record that the session was alive at ``session_t`` (best effort, never raises)."""
        self.cache.beat(session_id, session_t, wall.isoformat())

    def last_seen(self, session_id: str) -> tuple[float, datetime] | None:
        """The last heartbeat of a session, if any (the old location as a fallback)."""
        try:
            beat = self.cache.last_beat(session_id)
            if beat is not None:
                return beat[0], datetime.fromisoformat(beat[1])
            t_text, wall_text = (self.root / LEGACY_LIVE / session_id).read_text().split()
            return float(t_text), datetime.fromisoformat(wall_text)
        except (OSError, ValueError):
            return None

    def forget_heartbeat(self, session_id: str) -> None:
        """The session ended cleanly: no heartbeat to keep (the old file is not ours to remove)."""
        self.cache.forget_beat(session_id)

    def heartbeat_times(self) -> dict[str, int]:
        """Session id -> ``time_ns`` of its last heartbeat, for every one kept (one query;
        the old ``.live/`` files' mtimes where the cache has none)."""
        times: dict[str, int] = {}
        with contextlib.suppress(OSError), os.scandir(self.root / LEGACY_LIVE) as entries:
            times = {e.name: e.stat().st_mtime_ns for e in entries if e.is_file()}
        times.update(self.cache.beat_times())
        return times

    # --- what a creation leaves --------------------------------------------------------

    def remove_stale_creations(self, now: float | None = None) -> list[Path]:
        """Remove the hidden copies (``.<id>.toml.new``) that creations killed before their
        rename left: unlocked and older than ``STALE_CREATION_S``. The removed paths."""
        removed: list[Path] = []
        horizon = (time.time() if now is None else now) - STALE_CREATION_S
        try:
            entries = [e for e in os.scandir(self.root) if _creation_copy(e.name)]
        except OSError:
            return removed
        for entry in entries:
            with contextlib.suppress(OSError):
                if not entry.is_file(follow_symlinks=False) or entry.stat().st_mtime > horizon:
                    continue
                if _unlock_free(Path(entry.path)):
                    removed.append(Path(entry.path))
        return removed

    def remove_old_index(self) -> bool:
        """Remove ``.index.json``, the listing's cache of the versions before issue 14
        (every session's summary: names, marks), which nothing reads now and a sync
        carries to every machine. Only a regular file that starts as that version wrote
        it goes (``.live/``, their heartbeats, is still read: it stays). Whether it went."""
        index = self.root / OLD_INDEX
        try:
            fd = os.open(index, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            try:
                ours = stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, 64).startswith(
                    _OLD_INDEX_START
                )
            finally:
                os.close(fd)
            if ours:
                index.unlink()
            return ours
        except OSError:
            return False


OLD_INDEX = ".index.json"
"""The listing's cache of the versions before issue 14: every session's summary (names,
marks), in the data directory, carried by a sync to every machine."""
_OLD_INDEX_START = b'{"format":"ndrc-oral session index '


def _creation_copy(name: str) -> bool:
    return name.startswith(".") and name.endswith(f"{SUFFIX}.new")


def _unlock_free(path: Path) -> bool:
    """Remove ``path`` if no process holds its lock (a creation under way holds it)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:
            pass  # no locks on this file system: its age alone says it is stale
        path.unlink()
        return True
    finally:
        os.close(fd)


# --- names that are no transcript ---------------------------------------------------------

SYNC_CONFLICT = ".sync-conflict-"


def sync_leftover(name: str) -> bool:
    """A Syncthing conflict copy (``*.sync-conflict-*``) or temporary file
    (``.syncthing.*.tmp``, ``~syncthing~*.tmp``): never a session, worth a warning."""
    if SYNC_CONFLICT in name:
        return True
    temporary = name.startswith((".syncthing.", "~syncthing~"))
    return temporary and name.endswith(".tmp")


def is_transcript_name(name: str) -> bool:
    """Whether a file name in the data directory is a session's transcript (not a day's,
    not a hidden file, not a Syncthing leftover)."""
    return (
        name.endswith(SUFFIX) and not name.startswith((".", DAY_PREFIX)) and not sync_leftover(name)
    )


def seen_until(path: Path, events_until: float, finished: bool) -> float:
    """The session time an unfinished session reached: its last heartbeat when later than
    its last event (a kill between two events), else the last event's time."""
    if finished:
        return events_until
    seen = Store(path.parent).last_seen(path.stem)
    return max(events_until, seen[0]) if seen is not None else events_until
