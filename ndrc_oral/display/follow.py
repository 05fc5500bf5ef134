"""Hearing a channel change: file notifications (watchfiles, inotify on Linux), else polling.

``Watcher`` runs in a thread of its own and calls ``changed`` whenever a file
of the directory is written or replaced. Notifications do not work on every
file system (NFS, SMB, some overlays): with ``poll`` set, or when watching
fails, it calls ``changed`` every ``interval`` seconds instead, and says once
that it fell back (``on_fallback``). A display reads its record again at each
call, and at least once a second anyway (the next second shown).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path


class Watcher:
    """Calls ``changed`` (from its own thread) when the directory changes."""

    def __init__(
        self,
        directory: Path,
        changed: Callable[[], None],
        *,
        poll: bool = False,
        interval: float = 0.25,
        on_fallback: Callable[[], None] | None = None,
    ) -> None:
        self.directory = directory
        self._changed = changed
        self.polling = poll
        self._interval = interval
        self._on_fallback = on_fallback
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ndrc-display-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)

    def _run(self) -> None:
        if not self.polling:
            try:
                self._notify()
            except Exception:  # no inotify here (a limit reached, an odd file system): poll
                if self._stop.is_set():
                    return
                self.polling = True
                if self._on_fallback is not None:
                    self._on_fallback()
        while not self._stop.wait(self._interval):
            self._changed()

    def _notify(self) -> None:
        import watchfiles  # a compiled library: loaded only by a display that watches

        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for _changes in watchfiles.watch(
            self.directory,
            stop_event=self._stop,
            debounce=0,  # a record is one rename: no burst to wait for
            step=200,
            rust_timeout=500,
            yield_on_timeout=False,
            watch_filter=None,
            raise_interrupt=False,
        ):
            self._changed()
