from __future__ import annotations
import collections
from tui.conftest import kiosk, live_session
from textual.widget import Widget

async def test_probe(catalog, store, clock, monkeypatch) -> None:
    live = live_session(catalog, store, clock, exam="e5-pratique")
    app = kiosk(catalog, store, clock, live)
    counts = collections.Counter()
    refreshed = collections.Counter()
    orig = Widget._render_content
    def rc(self, *a, **k):
        counts[f"{type(self).__name__}#{self.id}"] += 1
        return orig(self, *a, **k)
    monkeypatch.setattr(Widget, "_render_content", rc)
    orig_r = Widget.refresh
    def rf(self, *a, **k):
        refreshed[f"{type(self).__name__}#{self.id} layout={k.get('layout', False)}"] += 1
        return orig_r(self, *a, **k)
    monkeypatch.setattr(Widget, "refresh", rf)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press("f2")
        clock.advance(3.5); screen.refresh_clock(); await pilot.pause()
        counts.clear(); refreshed.clear()
        for _ in range(10):
            clock.advance(1.0)
            screen.refresh_clock()
            await pilot.pause()
        print("RENDERED", counts.most_common())
        print("REFRESHED", refreshed.most_common())
