"""Keep going when the data directory fails: move the open sessions to another directory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t


class Movable(Protocol):
    """A session whose transcript can go on in another directory."""

    @property
    def path(self) -> Path: ...

    def redirect(self, directory: Path) -> Path: ...


def default_rescue_dir() -> Path:
    """Where the kiosk offers to write when the data directory fails."""
    return Path.home() / "ndrc-oral-secours"


def redirect_all(lives: Sequence[Movable], directory: Path) -> str | None:
    """Move every session's transcript to ``directory``; the error message, or None."""
    try:
        if any(live.path.parent.resolve() == directory.resolve() for live in lives):
            return t("tui.redirect.error.same", path=directory)
        for live in lives:
            live.redirect(directory)
    except NdrcError as exc:
        return str(exc)
    except OSError as exc:  # a path that cannot even be resolved
        return f"{directory}: {exc.strerror or exc}"
    return None
