"""The real program in a real terminal: a detached tmux pane on a tmux server of its own.

Nothing waits a fixed delay: ``wait_for`` polls ``capture-pane`` until the
text it expects shows, with a deadline (a loaded machine included). Tests
that use it skip when tmux is missing (CI installs it: ``.ci/run``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

STEP_S = 10.0
"""The longest any one step may take to show on screen (a loaded CI machine included)."""


class Pane:
    """The kiosk in a detached tmux pane, on a tmux server of its own."""

    def __init__(self, socket: str, session: str) -> None:
        self.tmux = ["tmux", "-L", socket]
        self.target = session
        self.screen = ""

    def start(self, command: str, width: int = 100, height: int = 30) -> None:
        """Run a shell command line in a new pane of that size."""
        size = ("-x", str(width), "-y", str(height))
        self._run("new-session", "-d", "-s", self.target, *size, command)

    def outlive_kiosk(self) -> None:
        """Keep the tmux server once this pane's kiosk is gone (killed, to be started again):
        by default the server exits with its last pane, and a new pane started meanwhile
        meets a server on its way out."""
        self._run("set-option", "-s", "exit-empty", "off")

    def keys(self, *keys: str) -> None:
        """tmux key names (``F2``, ``M-3``, ``C-q``, ``Enter``)."""
        self._run("send-keys", "-t", self.target, *keys)

    def type(self, text: str) -> None:
        self._run("send-keys", "-t", self.target, "-l", text)

    def capture(self) -> str:
        """The screen now."""
        self.screen = self._run("capture-pane", "-p", "-t", self.target).stdout
        return self.screen

    def wait_for(self, text: str, timeout: float = STEP_S) -> str:
        """Poll the screen until ``text`` shows; the screen then. Fails with the last screen."""
        deadline = time.monotonic() + timeout
        while True:
            if text in self.capture():
                return self.screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never showed; last screen:\n{self.screen}")
            time.sleep(0.02)

    def wait_gone(self, text: str, timeout: float = STEP_S) -> str:
        """Poll the screen until ``text`` no longer shows (a dialog closed); the screen then.

        Before a next step that shows the same words again (a second dialog alike)."""
        deadline = time.monotonic() + timeout
        while True:
            if text not in self.capture():
                return self.screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never went; last screen:\n{self.screen}")
            time.sleep(0.02)

    def pid(self) -> int:
        """The process the pane runs (the kiosk itself when started with ``exec``)."""
        return int(self._run("display-message", "-p", "-t", self.target, "#{pane_pid}").stdout)

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, check=False)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.tmux, *args], capture_output=True, text=True, check=True, timeout=10
        )


def ndrc(*args: str) -> subprocess.CompletedProcess[str]:
    """The program run to its end, outside tmux (``logs verify``, ``logs export``)."""
    return subprocess.run(
        [sys.executable, "-m", "ndrc_oral", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
