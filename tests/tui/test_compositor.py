"""A partial update renders the rows it sends, and sends what Textual's compositor sends.

``SpanCompositor`` (every kiosk screen's, and the candidate's view's) renders
of each widget only the rows where it meets a changed region; Textual renders
every widget clipped by the screen, whole. Here each partial update of a run
screen (seconds of a phase, a note typed, a rating, the candidate's view and
back) is rendered both ways from the same state, and the bytes for the
terminal compared.
"""

from __future__ import annotations

import pytest
from textual._compositor import ChopsUpdate, Compositor
from textual._styles_cache import StylesCache
from textual.geometry import Region
from textual.widget import Widget

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.compositor import SpanCompositor
from ndrc_oral.tui.screens.privacy import PrivacyScreen
from ndrc_oral.tui.screens.run import RunScreen
from tui.conftest import e5_running


async def test_each_partial_update_sends_the_bytes_textual_would(
    catalog: Catalog, store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[type] = []
    different: list[tuple[str, str]] = []
    ours = SpanCompositor.render_partial_update

    def both(self: SpanCompositor) -> ChopsUpdate | None:
        dirty = set(self._dirty_regions)
        update = ours(self)
        self._dirty_regions.update(dirty)  # the same update again, Textual's way
        textual = Compositor.render_partial_update(self)
        assert (update is None) == (textual is None)
        if update is not None and textual is not None:
            console = app.console
            mine, theirs = update.render_segments(console), textual.render_segments(console)
            compared.append(type(app.screen))
            if mine != theirs:
                different.append((mine, theirs))
        return update

    async with e5_running(catalog, store, clock) as (app, pilot):
        monkeypatch.setattr(SpanCompositor, "render_partial_update", both)
        screen = app.screen
        assert isinstance(screen, RunScreen)
        for _ in range(3):
            clock.advance(1.0)
            screen.refresh_clock()
            await pilot.pause()
        await pilot.press(*"Bonne accroche", "enter")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, PrivacyScreen)
        for _ in range(2):
            clock.advance(1.0)
            screen.refresh_clock()
            await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        clock.advance(1.0)
        screen.refresh_clock()
        await pilot.pause()
    assert RunScreen in compared and PrivacyScreen in compared
    assert different == []


async def test_a_second_renders_the_widgets_of_the_changed_rows_alone(
    catalog: Catalog, store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with e5_running(catalog, store, clock) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, RunScreen)
        rendered: list[tuple[Widget, Region]] = []
        real = StylesCache.render_widget

        def render(self: StylesCache, widget: Widget, crop: Region) -> object:
            rendered.append((widget, crop))
            return real(self, widget, crop)

        monkeypatch.setattr(StylesCache, "render_widget", render)
        for _ in range(3):
            rendered.clear()
            clock.advance(1.0)
            screen.refresh_clock()
            await pilot.pause()
            names = {type(w).__name__ for w, _ in rendered}
            assert "Glyph" in names  # the timer's digit, at least
            # Below the upper half nothing changes: not the lower pane, the notes, the footer.
            upper = screen.query_one("#run-upper").region
            assert all(w.region.y < upper.bottom for w, _ in rendered)
            assert all(crop.height <= upper.height for _, crop in rendered)
            # Textual's own compositor rendered 28 widgets here, 94 lines (13 and 42 now).
            assert len(rendered) <= 16
            assert sum(crop.height for _, crop in rendered) <= 48
