"""What every kiosk screen shares: the app, typed; and the keys as the footer shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.binding import Binding
from textual.screen import Screen

from ndrc_oral.tui.compositor import SpanCompositor

if TYPE_CHECKING:
    from ndrc_oral.tui.app import KioskApp

ResultT = TypeVar("ResultT")


class KioskScreen(Screen[ResultT]):
    """A screen of ``KioskApp``."""

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self._compositor = SpanCompositor()  # a second repaints its changed rows only

    @property
    def kiosk(self) -> KioskApp:
        """The app, typed (a screen is only ever pushed by ``KioskApp``)."""
        return cast("KioskApp", self.app)

    def key_of(self, binding: Binding) -> str:
        """How the footer shows this binding's key (a keymap may have changed it), also
        while the screen does not offer it (one candidate: no switching yet)."""
        for active in self.active_bindings.values():
            if active.binding.id == binding.id:
                return self.app.get_key_display(active.binding)
        keys = getattr(self.app, "remapped", {}).get(binding.id or "")
        if keys:
            binding = binding.with_key(keys.split(",")[0].strip())
        return self.app.get_key_display(binding)
