"""Text that cannot drive a terminal: what the program prints of names, notes and files.

A candidate's name, a note or a key of a definition file may hold control
characters (pasted, or put there on purpose): ``ESC [ 2 J`` clears the screen,
``ESC ] 2 ; … ESC \\`` retitles the window, the 8-bit ``CSI``/``OSC`` do the same
on some terminals. They are kept as they are in transcripts (which escape
them); whatever is *shown* goes through here first.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL, and the C1 controls."""


def printable(text: str) -> str:
    """``text`` with each control character written out as ``\\u001b`` (valid in JSON too)."""
    if CONTROL.search(text) is None:
        return text
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
