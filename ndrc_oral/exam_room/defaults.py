"""What the home form starts with: the last commission's settings, kept between candidates."""

from __future__ import annotations

from dataclasses import dataclass, field

from ndrc_oral.exam_room.requests import SessionRequest
from ndrc_oral.session.identity import SessionIdentity


@dataclass(frozen=True)
class HomeDefaults:
    """What the form starts with: the last commission's settings, kept between candidates."""

    exam_id: str | None = None
    identity: SessionIdentity = field(default_factory=SessionIdentity)
    """The fields kept for the next candidate (``SessionIdentity.next_candidate``)."""

    @classmethod
    def after(cls, exam_id: str, identity: SessionIdentity) -> HomeDefaults:
        """The form for the next candidate after a session of ``identity``."""
        return cls(exam_id, identity.next_candidate())

    @classmethod
    def from_request(cls, request: SessionRequest) -> HomeDefaults:
        return cls.after(request.exam_id, request.identity)
