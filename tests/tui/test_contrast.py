"""The high-contrast theme: every timer state at least 7:1 against its background (WCAG 2).

The contrast is computed from the colours the screen really paints (the
widget's resolved style, on the screen's background), in each tone, on the
commission's timer and on the candidate's view.
"""

from __future__ import annotations

import pytest
from textual.color import Color

from ndrc_oral.colours import declared, high_contrast_values
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.tones import TONES
from ndrc_oral.settings import Settings, Theme
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.themes import HIGH_CONTRAST_NAME
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import live_session


def luminance(c: Color) -> float:
    def channel(v: int) -> float:
        x = v / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: Color, b: Color) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_formula() -> None:
    assert contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21)
    assert contrast(Color(118, 118, 118), Color(255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_every_tone_of_the_palette_is_7_to_1_on_the_black_background() -> None:
    # The web page of the candidate's view uses these values too (display/web.py).
    values = declared(high_contrast=True)
    background = Color.parse(high_contrast_values()["theme-background"])
    for tone in TONES:
        colour = Color.parse(values[f"tone-{tone}"])
        assert contrast(colour, background) >= 7, tone


async def test_the_screen_paints_each_tone_at_7_to_1(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = KioskApp(
        catalog=catalog,
        store=store,
        clock=clock,
        session=live,
        cursor_blink=False,
        settings=Settings(theme=Theme.HIGH_CONTRAST),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == HIGH_CONTRAST_NAME
        screen = app.screen
        assert isinstance(screen, RunScreen)
        panel = screen.query_one(TimerPanel)
        digits = panel.query_one("#timer-digits")
        await pilot.press("f6")
        privacy = app.screen
        clock_widget = privacy.query_one("#privacy-clock")
        for tone in TONES:
            panel.set_classes(f"-{tone}")
            privacy.query_one("#privacy").set_classes(f"-{tone}")
            await pilot.pause()
            for widget, under in ((digits, screen), (clock_widget, privacy)):
                colour, background = widget.styles.color, under.styles.background
                assert contrast(colour, background) >= 7, (tone, colour, background)
