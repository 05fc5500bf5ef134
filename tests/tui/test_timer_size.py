"""The commission's timer grows with the window, never at the grid's and the notes' cost,
and repaints only the glyphs that changed (issue 10)."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.digits import (
    TimerDigits,
    digit_scale,
    render_rows,
    rows_for,
    text_width,
)
from ndrc_oral.tui.widgets.glyphs import Glyph
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.notes import NoteInput, NotesLog
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import kiosk, live_session


@pytest.mark.parametrize(
    ("size", "rows", "grid_rows"),
    [((80, 24), 3, 8), ((120, 40), 5, 18), ((200, 60), 8, 35)],
)
async def test_the_digits_grow_with_the_window_and_leave_the_grid_its_room(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    size: tuple[int, int],
    rows: int,
    grid_rows: int,
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=size) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunScreen)
        digits = screen.query_one(TimerDigits)
        assert digits.region.height == rows == len(digits.lines)
        assert screen.query_one(TimerPanel).text == "10:00"
        # The digits are drawn whole, inside their panel.
        panel = screen.query_one(TimerPanel).content_region
        assert panel.contains_region(digits.region)
        # The grid, the notes and the note box keep their room below.
        grid = screen.query_one(GridList)
        assert grid.region.height >= grid_rows
        assert screen.query_one(NotesLog).region.height >= grid_rows
        note = screen.query_one(NoteInput).region
        assert note.height == 1 and note.bottom <= size[1] - 1  # above the footer
        assert not grid.region.overlaps(digits.region)


def test_the_scale_fits_the_panel_and_a_quarter_of_the_window() -> None:
    assert digit_scale(28, 24) == 0  # 80 x 24: Textual's 3-row font, as before
    assert digit_scale(76, 60) == 3  # 200 x 60: 8 rows
    assert rows_for(3) >= 7
    assert digit_scale(44, 40) == 2  # 120 x 40: 5 rows
    assert digit_scale(44, 60) == 2  # a narrow panel: the width decides
    assert digit_scale(200, 40) == 2  # a short window: the height decides
    for scale in (0, 2, 3, 4):
        for text in ("10:00", "+01:02", "1:02:03"):
            lines = render_rows(text, scale)
            assert len(lines) == rows_for(scale)
            assert {len(line) for line in lines} == {text_width(text, scale)}


async def test_a_second_repaints_only_the_glyphs_that_changed(
    catalog: Catalog, store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(200, 60)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(1)
        screen.refresh_clock()  # 09:59
        await pilot.pause()
        digits = screen.query_one(TimerDigits)
        repainted: list[str] = []
        real = Glyph.refresh

        def spy(self: Glyph, *regions: Region, **kw: bool) -> Glyph:
            repainted.append(self.character)
            return real(self, *regions, **kw)

        monkeypatch.setattr(Glyph, "refresh", spy)
        clock.advance(1)
        screen.refresh_clock()  # 09:58: one glyph
        assert repainted == ["8"]
        repainted.clear()
        clock.advance(9)
        screen.refresh_clock()  # 09:49: two glyphs
        assert repainted == ["4", "9"]
        await pilot.pause()
        assert digits.lines == render_rows("09:49", digits.scale)
        # Each glyph is a widget of its own: Textual then sends the terminal its cells only.
        glyphs = list(digits.query(Glyph))
        assert [g.character for g in glyphs] == list("09:49")
        assert sum(g.region.width for g in glyphs) == digits.region.width


async def test_overtime_looks_more_urgent_than_the_last_warning_and_the_cap_is_marked(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)  # exposé 10:00 (warnings 2:00, 0:30)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        panel = screen.query_one(TimerPanel)
        phases = screen.query_one("#run-phases")
        await pilot.press("f2")
        clock.advance(580)  # the last warning: 20 s left
        screen.refresh_clock()
        await pilot.pause()
        assert panel.tone == "warn2" and panel.styles.border_top[0] == "round"
        clock.advance(30)
        screen.refresh_clock()
        await pilot.pause()
        assert panel.tone == "over" and panel.styles.border_top[0] == "heavy"
        assert "temps dépassé" in str(panel.border_title)
        assert "plafond" not in str(phases.border_subtitle)
        clock.advance(300)  # 15:10 of a 15:00 oral
        screen.refresh_clock()
        await pilot.pause()
        assert "⚠ plafond 15:00 dépassé" in str(phases.border_subtitle)
        assert phases.has_class("-over-cap")


async def test_a_notification_never_covers_the_note_box(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = app.screen
        for n in range(3):
            app.notify(f"Ada Lovelace : il reste 2 min ({n})", timeout=30)
        await pilot.pause()
        toasts = [w.region for w in screen.query("Toast")]
        assert len(toasts) == 3
        box = screen.query_one("#note-box").region
        assert not any(toast.overlaps(box) for toast in toasts)


async def test_a_dialog_over_the_run_screen_draws_its_notifications_above_the_note_box(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    # The run screen's toasts stay drawn beneath a dialog; the dialog's own rack drew the
    # same notification again, at the bottom, over the note box (seen in tmux at F3).
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        run = app.screen
        await pilot.press("f2")
        app.notify("Aucun lecteur de son trouvé", timeout=30)
        await pilot.pause()
        await pilot.press("f3")  # the pause's reason is asked in a dialog
        await pilot.pause()
        assert app.screen is not run
        box = run.query_one("#note-box").region
        toasts = [w.region for w in app.screen.query("Toast")]
        assert toasts and not any(toast.overlaps(box) for toast in toasts)
