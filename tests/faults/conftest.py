"""Fixtures of the fault tests: the kiosk's own (FakeClock, temporary data directory, app).

They are the fixtures of ``tests/tui`` (re-exported here, so that both suites
drive the kiosk the same way), plus ``slow_figures``: long checks print their
figures with ``-s``.
"""

from __future__ import annotations

from tui.conftest import _quick_pilot, bells, store

__all__ = ["_quick_pilot", "bells", "store"]
