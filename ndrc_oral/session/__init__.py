"""The live session: clock, events, the pure fold, and the operations that emit events.

Knows nothing of Textual or of the file system (``tests/test_layers.py``).
"""

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
