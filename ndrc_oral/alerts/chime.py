"""The bundled chime, made once with the standard library (``chime.wav`` is this function's output).

Two soft tones a fourth apart (A5, then D6), each a sine with its
octave quietly above, a short attack and an exponential decay: pleasant,
clearly heard across a room, 0.7 s, mono 16-bit at 22,050 Hz (about 30 kB).
``tests/alerts/test_sound.py`` checks that the shipped file is exactly this.
Regenerate with ``python -m ndrc_oral.alerts.chime``.
"""

from __future__ import annotations

import io
import math
import struct
from pathlib import Path

CHIME = Path(__file__).with_name("chime.wav")
RATE = 22_050
TONES = ((880.0, 0.0), (1174.66, 0.22))
"""(frequency in Hz, start in seconds): A5, then D6."""
LENGTH_S = 0.7
VOLUME = 0.45


def samples() -> list[float]:
    """The chime as floats in [-1, 1]."""
    n = int(RATE * LENGTH_S)
    out = [0.0] * n
    for freq, start in TONES:
        first = int(start * RATE)
        for i in range(first, n):
            t = (i - first) / RATE
            envelope = min(1.0, t / 0.008) * math.exp(-t * 6.0)
            wave_ = math.sin(2 * math.pi * freq * t) + 0.25 * math.sin(4 * math.pi * freq * t)
            out[i] += VOLUME * envelope * wave_ / 1.25
    # Fade the last 20 ms to silence: no click at the end.
    tail = int(0.02 * RATE)
    for k in range(tail):
        out[n - tail + k] *= 1 - (k + 1) / tail
    return out


def render() -> bytes:
    """The WAV file's bytes."""
    import wave  # here: the kiosk imports CHIME (the file's path) at every start, never this

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        frames = b"".join(
            struct.pack("<h", max(-32767, min(32767, round(x * 32767)))) for x in samples()
        )
        wav.writeframes(frames)
    return buffer.getvalue()


if __name__ == "__main__":
    CHIME.write_bytes(render())
    print(f"{CHIME} ({CHIME.stat().st_size} bytes)")
