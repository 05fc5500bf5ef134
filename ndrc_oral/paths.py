"""Where things live: the data directory (transcripts), the user's exam definitions, the cache.

Defaults come from platformdirs; an environment variable overrides each one
(the tests use them), and a command-line option overrides the variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ndrc-oral"
DATA_DIR_ENV = "NDRC_ORAL_DATA_DIR"
CONFIG_DIR_ENV = "NDRC_ORAL_CONFIG_DIR"
CACHE_DIR_ENV = "NDRC_ORAL_CACHE_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The directory of transcripts: the option, else ``$NDRC_ORAL_DATA_DIR``, else the platform's."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir(override: str | os.PathLike[str] | None = None) -> Path | None:
    """The user's exam definitions: the option, else ``$NDRC_ORAL_CONFIG_DIR``, else none."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return None


def cache_dir() -> Path:
    """What the program keeps for itself, never a transcript: ``$NDRC_ORAL_CACHE_DIR``,
    else the platform's user cache directory."""
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
