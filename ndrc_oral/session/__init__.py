"""The live session: clock, events, the pure fold, and the operations that emit events.

Knows nothing of Textual or of the file system (``tests/test_layers.py``).
"""

from typing import TYPE_CHECKING

from ndrc_oral.lazy import exports

if TYPE_CHECKING:
    from ndrc_oral.session.clock import Clock, FakeClock, SystemClock
    from ndrc_oral.session.engine import Session, SessionError, Sink
    from ndrc_oral.session.events import Event, Kind
    from ndrc_oral.session.identity import Member, Mode, Role, SessionIdentity
    from ndrc_oral.session.state import (
        Note,
        PhaseView,
        SessionState,
        Snapshot,
        Status,
        fold,
    )
    from ndrc_oral.session.verdict import NV_REASONS, OUTCOMES, Verdict

__all__ = [
    "NV_REASONS",
    "OUTCOMES",
    "Clock",
    "Event",
    "FakeClock",
    "Kind",
    "Member",
    "Mode",
    "Note",
    "PhaseView",
    "Role",
    "Session",
    "SessionError",
    "SessionIdentity",
    "SessionState",
    "Sink",
    "Snapshot",
    "Status",
    "SystemClock",
    "Verdict",
    "fold",
]

__getattr__ = exports(
    __name__,
    {
        "Clock": "clock",
        "FakeClock": "clock",
        "SystemClock": "clock",
        "Session": "engine",
        "SessionError": "engine",
        "Sink": "engine",
        "Event": "events",
        "Kind": "events",
        "Member": "identity",
        "Mode": "identity",
        "Role": "identity",
        "SessionIdentity": "identity",
        "Note": "state",
        "PhaseView": "state",
        "SessionState": "state",
        "Snapshot": "state",
        "Status": "state",
        "fold": "state",
        "NV_REASONS": "verdict",
        "OUTCOMES": "verdict",
        "Verdict": "verdict",
    },
)
