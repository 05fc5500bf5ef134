"""Reading a transcript without the cyclic garbage collector running meanwhile.

A read allocates tens of thousands of containers (a dict per event, its data,
its ``Event``) that all stay alive and form no cycle: every 700 allocations
the collector starts and finds nothing, and now and then a full collection
walks the whole heap, which in the kiosk is large. Opening a session of
20,000 notes in the review took 1.4-2.1 s with it, 0.7-1.4 s without (load 5).
Reference counting still frees everything else meanwhile; the collector runs
again once the last read under way ends (reads may overlap, in threads).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_readers = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off for the block (and any block overlapping it)."""
    global _readers, _was_enabled
    with _lock:
        if _readers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _readers += 1
    try:
        yield
    finally:
        with _lock:
            _readers -= 1
            if _readers == 0 and _was_enabled:
                gc.enable()
