"""A small helper of the tests: a session's identity from plain keywords.

``who("Ada", number="0421", members=["M. Martin"], mode="rehearsal")`` is the
``SessionIdentity`` that the engine and ``new_session`` take; members may be
given as names and the mode as text, as a test writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ndrc_oral.session.identity import Member, Mode, SessionIdentity


def who(
    candidate: str = "Ada Lovelace",
    *,
    members: Sequence[str | Member] = (),
    mode: str | Mode = Mode.LIVE,
    **kw: Any,
) -> SessionIdentity:
    """The identity of a test's session (``SessionIdentity``'s fields as keywords)."""
    people = tuple(m if isinstance(m, Member) else Member(m) for m in members)
    return SessionIdentity(candidate=candidate, members=people, mode=Mode(mode), **kw)
