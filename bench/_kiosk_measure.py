"""Shared helpers of the benchmarks that watch a real program in a terminal.

* ``PtyProgram``: a program in a pseudo-terminal of our own, of a given size.
  A thread reads everything it writes, timestamps each chunk on arrival
  (``time.monotonic``, the clock the kiosk's ``SystemClock`` uses too) and,
  on request, feeds it to a terminal emulator (``pyte``) so that the screen
  can be read as a person would see it.
* ``read_timer``: the time shown by the kiosk's big timer (Textual's
  ``Digits``, three rows of box-drawing characters), decoded from a screen.
* CPU time and peak memory of a process tree: see ``_proc.py``.
* ``busy_cores``: load every core with a busy loop for the length of a block.
* ``kiosk_run``: the command line that opens the kiosk straight on a session.

Used by ``bench_timer_accuracy.py`` and ``bench_compare.py``; the kiosk's own
CPU and display-delay benchmarks can use the same pieces.
"""

from __future__ import annotations

import codecs
import fcntl
import math
import os
import pty
import re
import select
import shlex
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

try:
    import pyte
except ImportError:  # a bench-only dependency
    raise SystemExit("pyte is needed: .venv/bin/pip install -e '.[bench]'") from None
from rich.segment import Segment
from rich.style import Style
from textual.renderables.digits import Digits

ROOT = Path(__file__).resolve().parent.parent
EXE = ROOT / ".venv" / "bin" / "ndrc-oral"
F2 = b"\x1bOQ"
"""The F2 key as xterm sends it (the kiosk's start key)."""
F3 = b"\x1bOR"
F6 = b"\x1b[17~"


# --- a program in a pty ------------------------------------------------------------------


@dataclass
class Chunk:
    """Bytes the program wrote, and when they arrived (``time.monotonic``)."""

    t: float
    size: int


@dataclass
class PtyProgram:
    """A program in a pseudo-terminal of ``cols`` x ``rows`` that we own and drain.

    ``emulate`` feeds the output to a ``pyte`` screen; ``on_output(t, screen)``
    is then called after each chunk, in the reader thread, with the lock held.
    Without it the output is only counted and thrown away (a program that
    nobody reads would block once the pty's buffer is full).
    """

    argv: Sequence[str]
    cols: int = 100
    rows: int = 30
    env: dict[str, str] | None = None
    emulate: bool = False
    on_output: Callable[[float, pyte.Screen], None] | None = None
    chunks: list[Chunk] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.screen = pyte.Screen(self.cols, self.rows)
        self._stream = pyte.Stream(self.screen)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        env = dict(os.environ if self.env is None else self.env)
        env.setdefault("TERM", "xterm-256color")
        env["COLUMNS"], env["LINES"] = str(self.cols), str(self.rows)
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            list(self.argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,  # its own session: the pty becomes its terminal
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.master], [], [], 0.5)
                if not ready:
                    if self.proc.poll() is not None:
                        return
                    continue
                data = os.read(self.master, 65536)
            except OSError:  # the program is gone (EIO) or we closed the pty
                return
            now = time.monotonic()
            if not data:
                return
            with self.lock:
                self.chunks.append(Chunk(now, len(data)))
                if self.emulate:
                    self._stream.feed(self._decoder.decode(data))
                    if self.on_output is not None:
                        self.on_output(now, self.screen)
                self.changed.notify_all()

    def send(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def text(self) -> str:
        """The screen as text, one line per row (emulated programs only)."""
        with self.lock:
            return "\n".join(self.screen.display)

    def wait_for(self, predicate: Callable[[pyte.Screen], bool], timeout: float) -> bool:
        """Wait until ``predicate(screen)`` holds (emulated programs only)."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while not predicate(self.screen):
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return predicate(self.screen)
                self.changed.wait(min(left, 0.2))
            return True

    def stop(self) -> None:
        """End the program (SIGTERM, then SIGKILL) and close the pty."""
        if self.proc.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(3)
        with suppress(OSError):
            os.close(self.master)
        self._reader.join(2)


class TmuxProgram:
    """A program alone in a detached tmux session of ``cols`` x ``rows``, on a private server.

    tmux is the terminal here: it reads the program's output and answers its
    queries, as it would for a person. ``pid`` is the pane's process (tmux may
    start the command through ``sh -c``; ``cpu_seconds`` counts descendants).
    """

    SERVER = ("tmux", "-L", "ndrc-bench-measure")
    """A tmux server of our own: nobody else's sessions are touched."""

    def __init__(self, name: str, argv: Sequence[str], cols: int = 100, rows: int = 30) -> None:
        self.name = name
        command = " ".join(shlex.quote(a) for a in argv)
        subprocess.run(
            [
                *self.SERVER,
                "new-session",
                "-d",
                "-s",
                name,
                "-x",
                str(cols),
                "-y",
                str(rows),
                command,
            ],
            check=True,
            env=kiosk_env(),  # the first session starts the server, with this environment
        )
        out = subprocess.run(
            [*self.SERVER, "display-message", "-p", "-t", name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        self.pid = int(out.strip())

    def send_key(self, key: str) -> None:
        """A key by tmux's name for it (``F2``, ``Enter``...)."""
        subprocess.run([*self.SERVER, "send-keys", "-t", self.name, key], check=True)

    def text(self) -> str:
        return subprocess.run(
            [*self.SERVER, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def wait_for(self, predicate: Callable[[list[str]], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.text().splitlines()):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        subprocess.run([*self.SERVER, "kill-session", "-t", self.name], check=False)

    @classmethod
    def kill_server(cls) -> None:
        subprocess.run([*cls.SERVER, "kill-server"], check=False, capture_output=True)


# --- the kiosk -----------------------------------------------------------------------------


def kiosk_run(exam: str, data_dir: Path, *extra: str) -> list[str]:
    """``ndrc-oral run EXAM`` on a data directory of its own, French, one candidate."""
    return [
        str(EXE),
        "run",
        exam,
        "--candidate",
        "Banc d'essai",
        "--data-dir",
        str(data_dir),
        *extra,
    ]


def kiosk_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("NDRC_ORAL_CONFIG_DIR", "NDRC_ORAL_LANG", "TMUX"):
        env.pop(name, None)
    return env


def _glyphs() -> dict[tuple[str, str, str], str]:
    """Each character of a timer, as the three rows of text ``Digits`` draws (plain and bold)."""
    chars = "0123456789:+"
    table: dict[tuple[str, str, str], str] = {}
    for bold in (False, True):
        segments = list(Digits(chars).render(Style(bold=bold)))
        rows = [s.text for s in segments if isinstance(s, Segment) and s.text != "\n"]
        for i, char in enumerate(chars):
            key = (
                rows[0][3 * i : 3 * i + 3],
                rows[1][3 * i : 3 * i + 3],
                rows[2][3 * i : 3 * i + 3],
            )
            table[key] = char
    return table


GLYPHS = _glyphs()
_TIMER = re.compile(r"\+?(\d+:)?\d\d:\d\d")


def read_timer(lines: Sequence[str]) -> str | None:
    """The text of the first ``Digits`` timer (``39:59``, ``+01:02``) on a screen, if any."""
    for r in range(len(lines) - 2):
        top, mid, bottom = lines[r], lines[r + 1], lines[r + 2]
        if not any(ch in top for ch in "┏╺╻━┓"):
            continue
        for c in range(len(top) - 2):
            decoded = []
            col = c
            while col + 3 <= len(top):
                char = GLYPHS.get((top[col : col + 3], mid[col : col + 3], bottom[col : col + 3]))
                if char is None:
                    break
                decoded.append(char)
                col += 3
            text = "".join(decoded)
            if _TIMER.fullmatch(text):
                return text
    return None


def timer_seconds(text: str) -> int:
    """``39:59`` -> 2399 (seconds left); ``+01:02`` -> -62 (seconds past the planned end)."""
    sign = -1 if text.startswith("+") else 1
    total = 0
    for part in text.lstrip("+").split(":"):
        total = total * 60 + int(part)
    return sign * total


# --- load -------------------------------------------------------------------------------------


@contextmanager
def busy_cores(count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` processes spinning in a busy loop for the length of the block, then killed."""
    hogs = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
        for _ in range(count)
    ]
    try:
        yield hogs
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()


# --- figures ------------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def wall_to_monotonic() -> float:
    """``time.time() - time.monotonic()``, read as tightly as possible (best of 5)."""
    best: tuple[float, float] | None = None
    for _ in range(5):
        a = time.monotonic()
        w = time.time()
        b = time.monotonic()
        if best is None or b - a < best[0]:
            best = (b - a, w - (a + b) / 2)
    assert best is not None
    return best[1]


# --- the candidate's display (BigClock: a clock in blocks) ---------------------------------


def read_bigclock(lines: Sequence[str]) -> str | None:
    """The text of a ``BigClock`` (``ndrc-oral display``, F6) on a screen, if one is there.

    Each pixel of its 3 x 5 glyphs is a block of 2k x k cells: the rows holding
    blocks give k, every k-th of them a pixel row; the columns are read 2k at a time.
    """
    from ndrc_oral.tui.widgets.bigclock import GLYPHS as BIG
    from ndrc_oral.tui.widgets.bigclock import ROWS

    rows = [line for line in lines if "█" in line]
    if not rows or len(rows) % ROWS:
        return None
    k = len(rows) // ROWS
    pixel_rows = [rows[i * k] for i in range(ROWS)]
    x0 = min(r.index("█") for r in pixel_rows)
    x1 = max(r.rindex("█") for r in pixel_rows) + 1
    width = (x1 - x0) // (2 * k)
    bitmap = [
        "".join(
            "#" if x0 + 2 * k * i < len(r) and r[x0 + 2 * k * i] == "█" else "."
            for i in range(width)
        )
        for r in pixel_rows
    ]
    text, p = [], 0
    glyphs = sorted(BIG.items(), key=lambda item: -len(item[1][0]))  # 3 wide before ':'
    while p < width:
        for char, glyph in glyphs:
            w = len(glyph[0])
            if char != " " and all(bitmap[r][p : p + w] == glyph[r] for r in range(ROWS)):
                text.append(char)
                p += w + 1
                break
        else:
            return None
    decoded = "".join(text)
    return decoded if _TIMER.fullmatch(decoded) else None
