"""What every kiosk screen shares: the app, typed; and the keys as the footer shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from ndrc_oral.tui.app import KioskApp

ResultT = TypeVar("ResultT")


class KioskScreen(Screen[ResultT]):
    """A screen of ``KioskApp``."""

    @property
    def kiosk(self) -> KioskApp:
        """The app, typed (a screen is only ever pushed by ``KioskApp``)."""
        return cast("KioskApp", self.app)

    def key_of(self, binding: Binding) -> str:
        """How the footer shows this binding's key (a keymap may have changed it)."""
        for active in self.active_bindings.values():
            if active.binding.id == binding.id:
                return self.app.get_key_display(active.binding)
        return self.app.get_key_display(binding)
