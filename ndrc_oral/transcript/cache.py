"""What the program derives from a data directory, kept in the user cache directory: SQLite.

One database per data directory (``$NDRC_ORAL_CACHE_DIR/sessions/<key>.sqlite3``,
the key a hash of the directory's resolved path), never in the data
directory itself: that one holds only what is worth carrying to another
machine (Syncthing, a USB bundle), and a cache or a heartbeat is not.

* ``summaries``: one row per transcript file, keyed by its name, size,
  ``mtime_ns`` and the last hash written in it (``tail_hash``), so a changed
  file is read again. The summary itself is a JSON column; the columns beside
  it (commission, exam, mode, marks, times, the suggested range) and the
  ``ratings`` table (one row per rated grid row) are what the harmonisation
  (``stats.py``) queries.
* ``checked``: for a session of many notes, what a checked read of one file state
  found but its notes (``skim.py``: the fiche), keyed as the summaries are.
* ``heartbeats``: the session time a running kiosk last reached (``directory.py``).

WAL mode and a ``busy_timeout``: several kiosks and a review on one machine
read and write it at once. Everything here is derived: a database that cannot
be opened, is corrupt or of another version is deleted and made again, and
when even that fails the program works without it (every file read again).
The database and its WAL files are 0600 (SQLite gives them the main file's mode).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ndrc_oral.files import private_dir
from ndrc_oral.paths import cache_dir

VERSION = 4
"""``PRAGMA user_version`` of the schema below; another one is dropped and made again
(2: summaries carry their grid, the CSV's columns; 3: the ``checked`` table; 4: a summary's
times are the oral's, an E4's preparation aside)."""
BUSY_MS = 5000
TAIL_BYTES = 4096

_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    tail TEXT NOT NULL,
    data TEXT NOT NULL,
    id TEXT NOT NULL,
    exam_id TEXT NOT NULL,
    epreuve TEXT NOT NULL,
    commission TEXT NOT NULL,
    machine TEXT NOT NULL,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    integrity TEXT NOT NULL,
    finished INTEGER NOT NULL,
    mark REAL,
    mark_given REAL,
    time_used_s REAL NOT NULL,
    planned_s REAL NOT NULL,
    suggested_low REAL,
    suggested_high REAL
);
CREATE TABLE IF NOT EXISTS ratings (
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    criterion TEXT NOT NULL,
    level TEXT NOT NULL,
    PRIMARY KEY (name, criterion)
);
CREATE TABLE IF NOT EXISTS checked (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    tail TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS heartbeats (
    session_id TEXT PRIMARY KEY,
    t REAL NOT NULL,
    wall TEXT NOT NULL,
    at_ns INTEGER NOT NULL
);
"""

COLUMNS = (
    "id",
    "exam_id",
    "epreuve",
    "commission",
    "machine",
    "mode",
    "status",
    "integrity",
    "finished",
    "mark",
    "mark_given",
    "time_used_s",
    "planned_s",
    "suggested_low",
    "suggested_high",
)
"""The summary's fields kept as columns (what ``stats.py`` queries)."""

_HEX64 = re.compile(rb"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class Row:
    """A summary as the cache keeps it."""

    name: str
    size: int
    mtime_ns: int
    tail: str
    data: str
    """The summary as JSON (no path: the data directory may move)."""
    columns: tuple[object, ...]
    """The values of ``COLUMNS``, in that order."""
    ratings: tuple[tuple[str, str], ...]


def database_path(root: Path) -> Path:
    """The database of the data directory ``root``."""
    key = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:16]
    return cache_dir() / "sessions" / f"{key}.sqlite3"


def tail_hash(path: str | os.PathLike[str], size: int) -> str:
    """The last hash written in the file's last bytes ("" when none is there)."""
    try:
        with open(path, "rb") as f:
            if size > TAIL_BYTES:
                f.seek(size - TAIL_BYTES)
            tail = f.read(TAIL_BYTES)
    except OSError:
        return ""
    return tail_hash_of(tail)


def tail_hash_of(data: bytes) -> str:
    """``tail_hash`` of a file whose bytes are ``data`` (its last ``TAIL_BYTES`` are read)."""
    tail = data[-TAIL_BYTES:]
    # rfind runs in C: 10,000 files a listing. A format-2 file ends with its seal.
    best = ""
    at = -1
    for marker in (b"# sealed ", b'hash = "'):
        i = tail.rfind(marker)
        digest = tail[i + len(marker) : i + len(marker) + 64] if i >= 0 else b""
        if i > at and _HEX64.fullmatch(digest):
            at, best = i, digest.decode("ascii")
    return best


class SessionCache:
    """The cache of one data directory; every method is best effort (never raises)."""

    def __init__(self, root: Path) -> None:
        self.path = database_path(root)
        self._beats: sqlite3.Connection | None = None
        """Kept open for the heartbeats (one a second while a session runs)."""
        self._beats_lock = threading.Lock()

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection | None]:
        db = self._open()
        try:
            yield db
        finally:
            if db is not None:
                db.close()

    def delete(self) -> None:
        """Remove the database (nothing is lost: the next listing reads every file)."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.path}{suffix}")

    def size(self) -> int:
        """The database's bytes on disk (its WAL included)."""
        total = 0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                total += os.stat(f"{self.path}{suffix}").st_size
        return total

    def _open(self, *, shared: bool = False) -> sqlite3.Connection | None:
        for attempt in range(2):
            try:
                return self._connect(shared)
            except (sqlite3.Error, OSError):
                if attempt == 0:  # corrupt, foreign, half made: start again
                    self.delete()
        return None

    def _connect(self, shared: bool = False) -> sqlite3.Connection:
        private_dir(self.path.parent)
        # Made 0600 before SQLite opens it: its -wal and -shm files take its mode.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        db = sqlite3.connect(
            self.path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=not shared
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            if db.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                raise sqlite3.OperationalError("no WAL")
            # Derived data: a commit need not reach the disk (a crash loses a cache row).
            db.execute("PRAGMA synchronous = NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != VERSION:  # new, or made by another version: made again
                drops = "".join(
                    f"DROP TABLE IF EXISTS {table};"
                    for table in ("summaries", "ratings", "checked", "heartbeats")
                )
                db.executescript(
                    f"BEGIN IMMEDIATE;{drops}{_SCHEMA}PRAGMA user_version = {VERSION};COMMIT;"
                )
            db.execute("SELECT count(*) FROM summaries").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    # --- summaries -------------------------------------------------------------------------

    def load(self) -> dict[str, tuple[int, int, str, str]]:
        """name -> (size, mtime_ns, tail, summary JSON) of every cached file."""
        with self._connection() as db:
            if db is None:
                return {}
            try:
                rows = db.execute("SELECT name, size, mtime_ns, tail, data FROM summaries")
                return {name: (size, mtime, tail, data) for name, size, mtime, tail, data in rows}
            except sqlite3.Error:
                return {}

    def save(self, rows: Sequence[Row], gone: Iterable[str]) -> None:
        """Add or replace ``rows``, forget the files ``gone``: one transaction."""
        gone = list(gone)
        if not rows and not gone:
            return
        marks = ", ".join("?" * (5 + len(COLUMNS)))
        with self._connection() as db:
            if db is None:
                return
            try:
                db.execute("BEGIN IMMEDIATE")
                names = [(r.name,) for r in rows] + [(name,) for name in gone]
                db.executemany("DELETE FROM ratings WHERE name = ?", names)
                db.executemany("DELETE FROM summaries WHERE name = ?", [(n,) for n in gone])
                db.executemany("DELETE FROM checked WHERE name = ?", [(n,) for n in gone])
                db.executemany(
                    f"INSERT OR REPLACE INTO summaries (name, size, mtime_ns, tail, data, "
                    f"{', '.join(COLUMNS)}) VALUES ({marks})",
                    [(r.name, r.size, r.mtime_ns, r.tail, r.data, *r.columns) for r in rows],
                )
                db.executemany(
                    "INSERT INTO ratings (name, position, criterion, level) VALUES (?, ?, ?, ?)",
                    [
                        (r.name, i, criterion, level)
                        for r in rows
                        for i, (criterion, level) in enumerate(r.ratings)
                    ],
                )
                db.execute("COMMIT")
            except sqlite3.Error:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")

    @contextlib.contextmanager
    def query(self, names: Iterable[str]) -> Iterator[sqlite3.Connection | None]:
        """A connection whose temporary table ``chosen(name)`` holds ``names``
        (the sessions a filter kept), for a query joined on it."""
        with self._connection() as db:
            if db is None:
                yield None
                return
            db.execute("CREATE TEMP TABLE chosen (name TEXT PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO chosen VALUES (?)", [(n,) for n in names])
            yield db

    # --- checked reads ---------------------------------------------------------------------

    def checked(self, name: str, size: int, mtime_ns: int, tail: str) -> str | None:
        """What a checked read of ``name`` found when it had this size, mtime and tail
        (JSON, ``skim.py``), or ``None``: never read so, or changed since."""
        with self._connection() as db, contextlib.suppress(sqlite3.Error):
            if db is not None:
                row = db.execute(
                    "SELECT data FROM checked WHERE name = ? AND size = ? AND mtime_ns = ? "
                    "AND tail = ?",
                    (name, size, mtime_ns, tail),
                ).fetchone()
                return str(row[0]) if row else None
        return None

    def save_checked(self, name: str, size: int, mtime_ns: int, tail: str, data: str) -> None:
        """Keep what a checked read of ``name`` in that state found (replacing the last)."""
        with self._connection() as db, contextlib.suppress(sqlite3.Error):
            if db is not None:
                db.execute(
                    "INSERT OR REPLACE INTO checked VALUES (?, ?, ?, ?, ?)",
                    (name, size, mtime_ns, tail, data),
                )

    # --- heartbeats ------------------------------------------------------------------------

    def beat(self, session_id: str, session_t: float, wall: str) -> None:
        with self._beats_lock, contextlib.suppress(sqlite3.Error):
            if self._beats is None:
                self._beats = self._open(shared=True)
            if self._beats is not None:
                self._beats.execute(
                    "INSERT OR REPLACE INTO heartbeats VALUES (?, ?, ?, ?)",
                    (session_id, session_t, wall, time.time_ns()),
                )

    def last_beat(self, session_id: str) -> tuple[float, str] | None:
        with self._connection() as db, contextlib.suppress(sqlite3.Error):
            if db is not None:
                row = db.execute(
                    "SELECT t, wall FROM heartbeats WHERE session_id = ?", (session_id,)
                ).fetchone()
                return (float(row[0]), str(row[1])) if row else None
        return None

    def beat_times(self) -> dict[str, int]:
        """Session id -> ``time_ns`` of its last heartbeat (the listing reads a session
        whose heartbeat is newer than its file again: its time used ran on)."""
        with self._connection() as db, contextlib.suppress(sqlite3.Error):
            if db is not None:
                rows = db.execute("SELECT session_id, at_ns FROM heartbeats")
                return {str(sid): int(at) for sid, at in rows}
        return {}

    def forget_beat(self, session_id: str) -> None:
        with self._connection() as db, contextlib.suppress(sqlite3.Error):
            if db is not None:
                db.execute("DELETE FROM heartbeats WHERE session_id = ?", (session_id,))

    def close(self) -> None:
        """Close the heartbeats' connection (a new beat opens it again)."""
        with self._beats_lock:
            if self._beats is not None:
                self._beats.close()
                self._beats = None
