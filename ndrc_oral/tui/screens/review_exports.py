"""Where the review screens write their exports (``dialogs.export_dir`` changes it).

The renderers and the atomic write are the transcript layer's
(``transcript.exports``); this module only chooses the directory and turns
every failure into one line for a notification.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App

from ndrc_oral.errors import NdrcError
from ndrc_oral.files import private_dir
from ndrc_oral.i18n import t
from ndrc_oral.transcript.exports import write_atomic
from ndrc_oral.tui.worker_results import tell


def default_export_dir() -> Path:
    """The current directory when it can be written to, else the user's home."""
    here = Path.cwd()
    if os.access(here, os.W_OK | os.X_OK):
        return here
    return Path.home()


@dataclass
class ExportPlace:
    """The directory exports go to; shared by the list and the screens opened from it."""

    directory: Path

    def write(self, name: str, data: bytes) -> tuple[Path, bool]:
        """Write ``name`` there; the full path and whether a file was replaced.

        ``NdrcError`` (one line) when it cannot be written.
        """
        # Not made again when it vanished since it was chosen: a pulled USB key's mount
        # point would become a folder on the kiosk's disk.
        if not self.directory.is_dir():
            raise NdrcError(t("tui.review.export.gone", path=self.directory))
        path = self.directory / name
        return path, write_atomic(path, data)

    def export(
        self,
        app: App[Any],
        name: str,
        produce: Callable[[], bytes],
        said: Callable[[Path, bool], str],
    ) -> None:
        """From a worker thread: make the bytes, write them, tell the user where (or why not)."""
        try:
            path, replaced = self.write(name, produce())
        except NdrcError as exc:
            tell(app, str(exc), error=True)
            return
        except Exception as exc:  # a renderer's surprise is one line, not a traceback
            tell(app, t("tui.review.export.failed", detail=exc), error=True)
            return
        tell(app, said(path, replaced))


def check_directory(text: str) -> tuple[Path | None, str]:
    """The directory typed in the dialog, or the reason it cannot take exports."""
    if not text.strip():
        return None, t("tui.review.export.dir_empty")
    path = Path(text.strip()).expanduser()
    if not path.is_absolute():
        path = Path.cwd() / path
    problem = ensure_directory(path)
    if problem:
        return None, problem
    if not os.access(path, os.W_OK | os.X_OK):
        return None, t("tui.review.export.read_only", path=path)
    return path, ""


def ensure_directory(path: Path) -> str:
    """Make ``path`` (and its parents) when missing: an export folder typed for the day
    need not exist yet. The reason it cannot be one, or ``""``."""
    if path.is_dir():
        return ""
    if path.exists():
        return t("tui.review.export.no_dir", path=path)
    try:
        private_dir(path)  # exports hold personal data: a folder made for them is 0700
    except OSError as exc:
        return t("tui.review.export.cannot_make", path=path, detail=exc.strerror or exc)
    return ""
