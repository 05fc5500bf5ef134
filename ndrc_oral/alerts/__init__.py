"""Alerts nobody misses: a bundled chime played through what the system has, at the right moment.

``sound`` finds a player (PipeWire, PulseAudio, ALSA) and plays ``chime.wav``
without blocking; ``chime`` made that file; ``alarm`` plays each alert at its
moment from a thread of its own, once. No Textual here.
"""
