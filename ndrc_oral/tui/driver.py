"""Textual's Linux driver, with an input thread that sleeps until a key comes.

Textual's input thread polls the terminal with ``select(0.1)``: ten wake-ups a
second for as long as the program runs, each taking the GIL from the event
loop to find nothing (about 1 ms of CPU a second on the bench's machine: a
seventh of the kiosk's whole cost in a live phase). The poll is there for one
thing only: an escape key read alone is reported once ``ESCAPE_DELAY`` has
passed with nothing after it (``XTermParser.tick``). So this thread polls as
Textual does while that may be pending (for ``LINGER_S`` after the last
input), and otherwise blocks until input comes, or until ``disable_input``
wakes it through a pipe of its own (quitting, suspending).
"""

from __future__ import annotations

import os
import selectors
import threading
import time
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import Any

from textual import constants
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

POLL_S = 0.1
"""How often the parser is ticked while an escape may be pending (Textual's own poll)."""

LINGER_S = constants.ESCAPE_DELAY + 2 * POLL_S
"""After the last input, how long a tick may still have something to report."""

Selector = Callable[[], selectors.BaseSelector]


def read_input(
    fileno: int,
    wake: int,
    process: Callable[[Message], None],
    *,
    debug: bool = False,
    selector: Selector = selectors.SelectSelector,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Read ``fileno`` and hand what it parses to ``process`` until ``wake`` is readable.

    Blocks without a timeout when no escape can be pending; polls every
    ``POLL_S`` for ``LINGER_S`` after each input (the parser's ``tick``).
    """
    # Textual's own choice of selector (epoll refuses some terminals' file descriptors).
    chosen = selector()
    chosen.register(fileno, selectors.EVENT_READ)
    chosen.register(wake, selectors.EVENT_READ)
    parser = XTermParser(debug)
    decode = getincrementaldecoder("utf-8")().decode
    last_input = -LINGER_S
    try:
        while True:
            pending = clock() - last_input < LINGER_S
            ready = {key.fd for key, _ in chosen.select(POLL_S if pending else None)}
            if wake in ready:
                break
            if fileno in ready:
                raw = os.read(fileno, 4096)
                if not raw:  # end of input (a pipe): nothing more will come
                    break
                last_input = clock()
                text = decode(raw)
                # Nothing yet when a character is half read ("" would tell the parser: the end).
                for event in parser.feed(text) if text else ():
                    process(event)
            for event in parser.tick():
                process(event)
    finally:
        chosen.close()


class QuietDriver(LinuxDriver):
    """``LinuxDriver`` whose input thread wakes for input only (``read_input``)."""

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self._lock = threading.Lock()
        self._wake: tuple[int, int] | None = None
        """The pipe that ends the current input thread (read end, write end)."""

    def start_application_mode(self) -> None:
        # Made before the thread starts, so that ``disable_input`` always finds it.
        with self._lock:
            self._wake = os.pipe()
        super().start_application_mode()  # type: ignore[no-untyped-call]

    def run_input_thread(self) -> None:
        with self._lock:
            pipe = self._wake
        if pipe is None:
            return
        try:
            read_input(self.fileno, pipe[0], self.process_message, debug=self._debug)
        finally:
            with self._lock:
                if self._wake == pipe:
                    self._wake = None
            for fd in pipe:
                os.close(fd)

    def disable_input(self) -> None:
        with self._lock:
            if self._wake is not None:
                os.write(self._wake[1], b"\0")  # the thread ends; Textual's join returns
        super().disable_input()
