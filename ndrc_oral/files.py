"""Files and directories the program makes: its owner's only, and never half written.

Everything the program writes holds personal data or says who held what
(a candidate's name, a session's id, a machine's name): a new file is 0600,
a new directory 0700. A directory that exists already keeps its mode: the
program was pointed at it (``--data-dir /srv/partage``) and changing it would
change what others may do there; ``readable_by_others`` lets the caller warn.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def private_dir(path: Path) -> None:
    """Make ``path`` and whichever of its parents are missing, each new one 0700.

    An existing directory is left as it is (``OSError`` when one cannot be made).
    """
    missing: list[Path] = []
    here = path
    while not here.is_dir() and here != here.parent:
        missing.append(here)
        here = here.parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, 0o700)
        except FileExistsError:
            if not directory.is_dir():  # a file where the directory should be
                raise
            # Made meanwhile by someone else: not ours to change.


def readable_by_others(path: Path) -> bool:
    """Whether users other than the owner have any access to the directory ``path``."""
    try:
        return bool(stat.S_IMODE(path.stat().st_mode) & 0o077)
    except OSError:
        return False


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once, readable by its owner only.

    A temporary file next to it (0600 from its creation) is renamed over it: a
    reader sees the old content or the new one, never a mix. Not synced: what
    goes through here can be lost in a crash without harm (a cache, a note of
    who holds a session). ``OSError`` when it cannot be written.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
