"""What the commands that open a screen share: the settings file, with the options over it."""

from __future__ import annotations

import argparse

from ndrc_oral.settings import Settings, Theme, load_settings


def screen_settings(args: argparse.Namespace) -> Settings:
    """The settings file (one clear line if it is bad), ``--theme`` over its theme. Its
    ``[keys]`` are checked by the screen's command (``tui.app.check_keys``)."""
    settings = load_settings()
    theme = getattr(args, "theme", None)
    if theme:
        settings = settings.model_copy(update={"theme": Theme(theme)})
    return settings
