"""A transcript is read with the cyclic collector paused, and the collector comes back."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from test_logs_support import drive

from ndrc_oral.transcript import Store, codec, load_session
from ndrc_oral.transcript.quiet_gc import collector_paused
from ndrc_oral.transcript.summary import summarize


def _spy_on_decode(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    seen: list[bool] = []
    real = codec.decode

    def decode(chunk: codec.Chunk, *args: Any) -> codec.Decoded:
        seen.append(gc.isenabled())
        return real(chunk, *args)

    monkeypatch.setattr(codec, "decode", decode)
    return seen


def test_reading_a_session_runs_without_the_collector_then_gives_it_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = drive(store).path
    seen = _spy_on_decode(monkeypatch)
    assert gc.isenabled()
    load_session(path)
    summarize(path)
    assert seen and not any(seen)  # off for every event read...
    assert gc.isenabled()  # ...and back on after


def test_overlapping_reads_give_the_collector_back_when_the_last_ends() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # another read is still under way
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
