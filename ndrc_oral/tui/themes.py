"""The kiosk's Textual themes: the default one, and high contrast (``--theme high-contrast``).

The high-contrast theme's colours are declared in ``palette.tcss`` (the one
place colours are written), as ``$high-contrast--theme-*``; the timer's tones
take their ``$high-contrast--tone-*`` values there too (``palette.declared``).
"""

from __future__ import annotations

from textual.theme import Theme

from ndrc_oral.tui.palette import high_contrast_values

HIGH_CONTRAST_NAME = "ndrc-high-contrast"


def high_contrast_theme() -> Theme:
    values = high_contrast_values()

    def colour(name: str) -> str:
        return values[f"theme-{name}"]

    return Theme(
        name=HIGH_CONTRAST_NAME,
        primary=colour("primary"),
        secondary=colour("secondary"),
        accent=colour("accent"),
        warning=colour("warning"),
        error=colour("error"),
        success=colour("success"),
        foreground=colour("foreground"),
        background=colour("background"),
        surface=colour("surface"),
        panel=colour("panel"),
        dark=True,
        # Full-strength text: a muted 60 % grey on black is under 7:1.
        text_alpha=1.0,
    )
