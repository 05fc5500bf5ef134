"""The input thread wakes for input, not ten times a second (issue 15, the floor of a second).

Textual's own thread polls the terminal every 0.1 s for as long as the program
runs; ours blocks until a key comes, polls only while an escape may still be
pending, and ends when its pipe is written to (what ``disable_input`` does).
"""

from __future__ import annotations

import os
import selectors
import sys
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from textual import events
from textual.message import Message

from ndrc_oral.tui.driver import LINGER_S, POLL_S, read_input


class ScriptedSelector(selectors.BaseSelector):
    """Answers each ``select`` with the next file descriptors of a script; keeps the timeouts."""

    def __init__(self, script: list[set[int]]) -> None:
        self.script = script
        self.timeouts: list[float | None] = []
        self._keys: dict[int, selectors.SelectorKey] = {}

    def register(self, fileobj: object, events: int, data: object = None) -> selectors.SelectorKey:
        assert isinstance(fileobj, int)
        key = selectors.SelectorKey(fileobj, fileobj, events, data)
        self._keys[fileobj] = key
        return key

    def unregister(self, fileobj: object) -> selectors.SelectorKey:
        assert isinstance(fileobj, int)
        return self._keys.pop(fileobj)

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        self.timeouts.append(timeout)
        return [(self._keys[fd], selectors.EVENT_READ) for fd in self.script.pop(0)]

    def get_map(self) -> Mapping[Any, selectors.SelectorKey]:
        return self._keys


@pytest.fixture
def pipes() -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    terminal, wake = os.pipe(), os.pipe()
    yield terminal, wake
    for fd in (*terminal, *wake):
        os.close(fd)


def keys(messages: list[Message]) -> list[str]:
    return [m.key for m in messages if isinstance(m, events.Key)]


@pytest.mark.skipif(sys.platform == "win32", reason="Textual's Linux driver only")
def test_idle_it_sleeps_until_input_and_polls_only_while_an_escape_may_be_pending(
    pipes: tuple[tuple[int, int], tuple[int, int]],
) -> None:
    (term_r, term_w), (wake_r, _) = pipes
    os.write(term_w, b"a")
    selector = ScriptedSelector([{term_r}, set(), {wake_r}])
    # Read at each select, and once at the key.
    clocks = iter([100.0, 100.0, 100.0 + POLL_S, 100.0 + LINGER_S + 0.01])
    got: list[Message] = []

    read_input(term_r, wake_r, got.append, selector=lambda: selector, clock=lambda: next(clocks))

    assert keys(got) == ["a"]
    # Idle: no timeout at all. After the key, Textual's poll until an escape could be
    # pending no more; then asleep again until the next key or the wake-up.
    assert selector.timeouts == [None, POLL_S, None]
    assert selector.script == []  # it ended at the wake-up, not before


def test_a_real_thread_reads_keys_and_ends_when_woken(
    pipes: tuple[tuple[int, int], tuple[int, int]],
) -> None:
    (term_r, term_w), (wake_r, wake_w) = pipes
    got: list[Message] = []
    seen = threading.Event()

    def process(message: Message) -> None:
        got.append(message)
        seen.set()

    thread = threading.Thread(target=read_input, args=(term_r, wake_r, process), daemon=True)
    thread.start()
    os.write(term_w, "é".encode())
    assert seen.wait(30)
    os.write(wake_w, b"\0")
    thread.join(30)
    assert not thread.is_alive()
    assert keys(got) == ["é"]


def test_a_character_read_in_two_halves_is_one_key(
    pipes: tuple[tuple[int, int], tuple[int, int]],
) -> None:
    (term_r, term_w), (wake_r, _) = pipes
    got: list[Message] = []
    first, second = "é".encode()[:1], "é".encode()[1:]

    class Halves(ScriptedSelector):
        def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
            if len(self.timeouts) < 2:
                os.write(term_w, (first, second)[len(self.timeouts)])
            return super().select(timeout)

    selector = Halves([{term_r}, {term_r}, {wake_r}])
    read_input(term_r, wake_r, got.append, selector=lambda: selector)
    assert keys(got) == ["é"]  # half a character is not the end of the input
