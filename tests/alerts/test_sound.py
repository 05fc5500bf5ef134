"""The bundled chime and its players: what the system has, in order, never blocking."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import pytest

from ndrc_oral.alerts import chime
from ndrc_oral.alerts.sound import PLAYER_ENV, SoundPlayer, find_player


def test_the_shipped_chime_is_short_and_is_what_the_generator_makes() -> None:
    data = chime.CHIME.read_bytes()
    assert len(data) < 50_000
    with wave.open(str(chime.CHIME), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, chime.RATE)
        frames = wav.readframes(wav.getnframes())
        assert 0.3 < wav.getnframes() / chime.RATE < 1.0
    shipped = struct.unpack(f"<{len(frames) // 2}h", frames)
    made = [round(x * 32767) for x in chime.samples()]
    assert len(made) == len(shipped)
    # Within one step of rounding (another libm may round a sine differently).
    assert max(abs(a - b) for a, b in zip(made, shipped, strict=True)) <= 1
    assert max(abs(x) for x in shipped) > 8000 and shipped[-1] == 0  # heard, and no click


def test_players_are_tried_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    have = {"aplay": "/usr/bin/aplay", "paplay": "/usr/bin/paplay"}
    assert find_player(have.get) == ["/usr/bin/paplay"]
    have["pw-play"] = "/usr/bin/pw-play"
    assert find_player(have.get) == ["/usr/bin/pw-play"]
    assert find_player({"aplay": "/usr/bin/aplay"}.get) == ["/usr/bin/aplay", "-q"]
    assert find_player({}.get) is None


def test_the_environment_names_another_player(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PLAYER_ENV, "mpv --really-quiet")
    assert find_player(lambda name: None) == ["mpv", "--really-quiet"]


def test_playing_starts_the_player_with_the_chime_and_returns_at_once(tmp_path: Path) -> None:
    log = tmp_path / "log"
    script = tmp_path / "player"
    go, done = tmp_path / "go", tmp_path / "done"
    # A player that plays until told to stop: play() must not wait for it.
    script.write_text(
        f'#!/bin/sh\necho "$@" >> {log}\nwhile [ ! -e {go} ]; do sleep 0.05; done\ntouch {done}\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    player = SoundPlayer([str(script), "--quiet"])
    assert player.play()
    assert not done.exists()  # play() came back while the player was still playing
    go.touch()
    player.wait()
    assert done.exists()
    assert log.read_text().split() == ["--quiet", str(chime.CHIME)]


def test_no_player_or_a_broken_one(tmp_path: Path) -> None:
    assert not SoundPlayer(None).available and not SoundPlayer(None).play()
    assert not SoundPlayer([str(tmp_path / "missing")]).play()
