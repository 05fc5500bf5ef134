"""What the commands that open a screen share: the settings file, with the options over it."""

from __future__ import annotations

import argparse

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import t
from ndrc_oral.settings import Settings, Theme, load_settings, settings_path


def screen_settings(args: argparse.Namespace) -> Settings:
    """The settings file (one clear line if it is bad), ``--theme`` over its theme."""
    settings = load_settings()
    check_keys(settings)
    theme = getattr(args, "theme", None)
    if theme:
        settings = settings.model_copy(update={"theme": Theme(theme)})
    return settings


def check_keys(settings: Settings) -> None:
    """A ``[keys]`` line naming no binding, or no key, stops here: one line, file and key."""
    from ndrc_oral.tui.bindings import keymap_problem  # Textual's key names: screens only

    problem = keymap_problem(settings.keys.root)
    if problem is not None:
        binding_id, why = problem
        found = repr(settings.keys.root[binding_id])
        raise NdrcError(t(why, path=settings_path(), key=f"keys.{binding_id}", found=found))
