"""Reading the keyboard as Linux terminals and tmux mean it.

Alt+digit reaches a program as ESC followed by the digit (xterm with
metaSendsEscape, GNOME Terminal, Konsole, the Linux console, tmux). Textual 8
reads those two bytes as the characters macOS's Option key types (ESC 3 -> "£",
ESC 1 -> "¡"...), so a rating key would put a "£" in the note instead. Dropping
those ten entries lets Textual's parser fall back to its generic rule: ESC +
character = alt+character. A "£" typed as such (Shift+$ on AZERTY) is a
different byte sequence and still types "£".
"""

from __future__ import annotations

import contextlib

_DIGIT_SEQUENCES = tuple(f"\x1b{d}" for d in "0123456789")


def read_alt_digits() -> bool:
    """Make ESC+digit parse as alt+digit; False if this Textual has no such table."""
    with contextlib.suppress(ImportError, AttributeError, TypeError):
        from textual import _ansi_sequences

        table: object = _ansi_sequences.ANSI_SEQUENCES_KEYS
        if not isinstance(table, dict):
            return False
        for sequence in _DIGIT_SEQUENCES:
            table.pop(sequence, None)
        return True
    return False
