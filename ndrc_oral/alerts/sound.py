"""Playing the chime through what the system has, without ever blocking the kiosk.

The players are tried in this order, found with ``shutil.which``: ``pw-play``
(PipeWire), ``paplay`` (PulseAudio, and PipeWire's pulse layer), ``aplay``
(ALSA). ``$NDRC_ORAL_SOUND_PLAYER`` names another command (the file is added
as its last argument; the tests use a script that records its calls). With
none, ``SoundPlayer.available`` is False: the kiosk says so once and rings
the terminal's bell instead.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from ndrc_oral.alerts.chime import CHIME

PLAYER_ENV = "NDRC_ORAL_SOUND_PLAYER"

PLAYERS: tuple[tuple[str, ...], ...] = (
    ("pw-play",),
    ("paplay",),
    ("aplay", "-q"),
)
"""Each player's command before the file, in the order they are tried."""


def find_player(which: Callable[[str], str | None] = shutil.which) -> list[str] | None:
    """The command that plays a file here (``$NDRC_ORAL_SOUND_PLAYER`` first); ``None``: none."""
    custom = os.environ.get(PLAYER_ENV)
    if custom is not None:
        return shlex.split(custom) or None
    for command in PLAYERS:
        path = which(command[0])
        if path:
            return [path, *command[1:]]
    return None


class SoundPlayer:
    """Plays one file in a child process; never waits for it (``play`` returns at once)."""

    def __init__(self, command: Sequence[str] | None, sound: Path = CHIME) -> None:
        self.command = list(command) if command else None
        self.sound = sound
        self._children: list[subprocess.Popen[bytes]] = []
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.command is not None

    def play(self) -> bool:
        """Start playing (from any thread); False when there is no player or it cannot start."""
        if self.command is None:
            return False
        with self._lock:
            # Reap the players that have finished (no zombie is left behind).
            self._children = [c for c in self._children if c.poll() is None]
            try:
                child = subprocess.Popen(
                    [*self.command, str(self.sound)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,  # a Ctrl+C in the kiosk's terminal is not theirs
                )
            except OSError:
                return False
            self._children.append(child)
        return True

    def wait(self, timeout: float = 5.0) -> None:
        """Wait for the players started so far (tests; the kiosk never waits)."""
        with self._lock:
            children = list(self._children)
        for child in children:
            child.wait(timeout)
