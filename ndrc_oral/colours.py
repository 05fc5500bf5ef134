"""The colour vocabulary as ``tui/palette.tcss`` declares it, read without Textual.

``palette.tcss`` is the one place colours are written. The kiosk gives its
names to every stylesheet (``tui/palette.py``); the web page of the
candidate's view (``display/web.py``) takes the high-contrast values from it.
``$high-contrast--NAME`` is NAME's value in the high-contrast theme.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

PALETTE = Path(__file__).parent / "tui" / "palette.tcss"
HIGH_CONTRAST = "high-contrast--"
_DECLARATION = re.compile(r"^\$([a-z0-9-]+)\s*:\s*([^;]+);", re.MULTILINE)


@cache
def _read() -> dict[str, str]:
    text = re.sub(r"/\*.*?\*/", "", PALETTE.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {name: value.strip() for name, value in _DECLARATION.findall(text)}


@cache
def declared(high_contrast: bool = False) -> dict[str, str]:
    """The colour names of ``palette.tcss`` (no ``$``) and their values, in file order.

    ``high_contrast``: the values of the high-contrast theme, where it has its own.
    """
    values = {k: v for k, v in _read().items() if not k.startswith(HIGH_CONTRAST)}
    if high_contrast:
        variants = high_contrast_values()
        values = {k: variants.get(k, v) for k, v in values.items()}
    return values


def high_contrast_values() -> dict[str, str]:
    """The high-contrast theme's values (``theme-*``: the Textual theme's own colours)."""
    n = len(HIGH_CONTRAST)
    return {k[n:]: v for k, v in _read().items() if k.startswith(HIGH_CONTRAST)}
