"""What the kiosk and the candidate's display share: the settings, the theme, the palette;
the heap frozen after start-up.

Both read ``app.tcss``; the palette's variables (``palette.tcss``) are given to
every stylesheet, with the high-contrast theme's values when it is chosen.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping

from textual.app import App
from textual.driver import Driver
from textual.screen import Screen

from ndrc_oral.settings import Settings, Theme
from ndrc_oral.tui.palette import css_variables
from ndrc_oral.tui.themes import HIGH_CONTRAST_NAME, high_contrast_theme

FREEZE_AFTER_S = 3.0
"""When the start-up objects are moved out of the collector's way."""


def freeze_heap() -> None:
    """Move everything alive after start-up out of the garbage collector's generations.

    Otherwise a full collection of the ~80,000 objects Textual and pydantic
    leave behind runs every minute or so, takes 30-40 ms, and delays the timer's
    repaint at the second boundary it lands on (bench_timer_accuracy.py real).
    The collector is then turned on: the command line keeps it off from the
    start (``cli.SCREENS``), the collection here being the first.
    """
    gc.collect()
    gc.freeze()
    gc.enable()


class ThemedApp(App[None]):
    """An app of ndrc-oral: its colours come from the settings' theme and the palette."""

    CSS_PATH = "app.tcss"

    def __init__(self, settings: Settings | None = None) -> None:
        # Before the app's own set-up: its stylesheet asks for the theme's variables.
        self.settings = settings or Settings()
        """The user's settings file (alerts, theme...), read once at start."""
        self.remapped: dict[str, str] = {}
        super().__init__()
        if self.settings.keys.root:  # ``[keys]``, checked by the command that opened us
            self.set_keymap(dict(self.settings.keys.root))
        if self.high_contrast:
            self.register_theme(high_contrast_theme())
            self.theme = HIGH_CONTRAST_NAME

    def set_keymap(self, keymap: Mapping[str, str]) -> None:
        super().set_keymap(keymap)
        self.remapped = dict(keymap)
        """The keymap in force (binding id -> keys): what a key shown for a binding the
        screen does not offer now (``KioskScreen.key_of``) must say."""

    def get_driver_class(self) -> type[Driver]:
        """Textual's, but on Linux and macOS an input thread that wakes for input only
        (``driver.py``); a driver named in ``TEXTUAL_DRIVER`` is used as it is."""
        driver = super().get_driver_class()
        if driver.__module__ == "textual.drivers.linux_driver" and driver.__name__ == "LinuxDriver":
            from ndrc_oral.tui.driver import QuietDriver  # imports termios: not on Windows

            return QuietDriver
        return driver

    @property
    def _background_screens(self) -> list[Screen[object]]:
        """The screens seen through the top one: none when the top one is opaque.

        Textual's own list always holds the screen just below, whatever covers it,
        and a background screen with anything to redraw marks itself for a full
        repaint at its next wake-up, which it passes to the top screen. Under the
        candidate's view (F6) the run screen, waking each second, so redrew the
        whole big clock every second (10 kB/s to the terminal).
        """
        if self._screen_stack and self.screen.styles.background.a == 1:
            return []
        return super()._background_screens

    @property
    def high_contrast(self) -> bool:
        return self.settings.theme is Theme.HIGH_CONTRAST

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables and the palette's (``palette.tcss``), for every stylesheet."""
        variables = super().get_css_variables()
        palette = css_variables(variables, high_contrast=self.high_contrast)
        variables = {**variables, **palette}
        self.theme_variables = variables
        return variables
