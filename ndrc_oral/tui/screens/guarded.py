"""A screen that changes sessions: its save guard, its banner, and the rescue (F9).

The run and result screens both derive from ``GuardedScreen``: every engine
operation they make goes through ``self.guard`` (``exam_room.guard``), which
shows a failure here at once, loudly (banner, bell), and keeps it until saving
works again or F9 moves the sessions to another directory. The rescue is
written here once for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ndrc_oral.exam_room.guard import GuardedSession, SaveGuard
from ndrc_oral.exam_room.rescue import default_rescue_dir, redirect_all
from ndrc_oral.i18n import t
from ndrc_oral.tui import bindings
from ndrc_oral.tui.dialogs import RedirectDialog
from ndrc_oral.tui.screens.base import KioskScreen
from ndrc_oral.tui.widgets.banner import SaveBanner


class GuardedScreen(KioskScreen[None]):
    """Holds a ``SaveGuard`` whose host it is; F9 (``action_redirect``) moves its sessions."""

    def __init__(self) -> None:
        super().__init__()
        self.guard = SaveGuard(self)

    @property
    def failure(self) -> str | None:
        """The save failure on screen, while it is not resolved."""
        return self.guard.failure

    def rescued(self) -> Sequence[GuardedSession]:
        """The sessions F9 moves to another directory."""
        raise NotImplementedError

    # --- what the screen shows (a screen adds its own line of status) -------------------

    def show_saved(self, what: str, at: datetime) -> None:
        """``what`` is saved: say so where the screen says it."""

    def show_not_saved(self, what: str) -> None:
        """``what`` could not be saved: say so beside what was typed."""

    def show_refused(self, message: str) -> None:
        self.notify(message, severity="warning")

    def after_rescue(self) -> None:
        """The sessions moved: what the screen clears besides the banner."""

    # --- SaveHost ----------------------------------------------------------------------------

    def on_saved(self, what: str, at: datetime) -> None:
        self.show_saved(what, at)

    def on_save_failed(self, failure: str, what: str) -> None:
        hint = t("tui.save.failed_hint", key=self.key_of(bindings.REDIRECT))
        self.query_one(SaveBanner).alert(f"{failure}\n{hint}")
        self.show_not_saved(what)
        self.app.bell()
        self.refresh_bindings()

    def on_recovered(self) -> None:
        self.query_one(SaveBanner).clear()
        self.notify(t("tui.save.recovered"), timeout=8)
        self.refresh_bindings()

    def on_refused(self, message: str) -> None:
        self.show_refused(message)

    def on_operation_done(self) -> None:
        """After each operation (the run screen repaints)."""

    # --- the rescue ----------------------------------------------------------------------------

    def action_redirect(self) -> None:
        failure = self.failure
        if failure is None:
            return

        def attempt(directory: Path) -> str | None:
            return redirect_all(self.rescued(), directory)

        def moved(directory: Path | None) -> None:
            if directory is None:
                return
            self.guard.resolved()
            self.query_one(SaveBanner).clear()
            self.after_rescue()
            self.kiosk.data_moved(directory)
            self.notify(t("tui.redirect.done", path=directory), timeout=8)
            self.refresh_bindings()

        self.app.push_screen(RedirectDialog(failure, default_rescue_dir(), attempt), moved)
