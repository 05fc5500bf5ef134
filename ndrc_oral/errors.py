"""The one base class of every failure a user can act on.

Each layer raises its own subclass (``ConfigError``, ``TranscriptError``,
``SaveError``...); the entry point prints it as one clear message and exits
with ``code``. Anything else is a bug.
"""

from __future__ import annotations

import errno

from ndrc_oral.i18n import t


class NdrcError(Exception):
    """A failure the user can act on: shown as one message, exit code ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def describe_os_error(exc: OSError) -> str:
    """What went wrong, in the user's words (disk full, read-only, denied, gone)."""
    if exc.errno == errno.ENOSPC:
        return t("store.os.full")
    if exc.errno in (errno.EROFS,):
        return t("store.os.readonly")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return t("store.os.denied")
    if exc.errno == errno.ENOENT:
        return t("store.os.gone")
    if exc.errno == errno.ENAMETOOLONG:
        return t("store.os.name_too_long")
    return exc.strerror or str(exc)
