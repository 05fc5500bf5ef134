"""The one base class of every failure a user can act on.

Each layer raises its own subclass (``ConfigError``, ``TranscriptError``,
``SaveError``...); the entry point prints it as one clear message and exits
with ``code``. Anything else is a bug.
"""

from __future__ import annotations


class NdrcError(Exception):
    """A failure the user can act on: shown as one message, exit code ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code
