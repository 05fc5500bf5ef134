"""The web page in headless Chromium, against the real kiosk on a FakeClock, over a minute.

No minute of wall time passes: Chromium's virtual time (``Emulation.
setVirtualTimePolicy``, a budget at a time) and the kiosk's FakeClock advance
in step, half a second at a time. At each step the test reads the time the
page shows and its colour, and checks them against the kiosk's own timer.
The kiosk writes its record once a second, as it does; in between the page
counts by itself. The page then loses its server (the kiosk stopped), says
so, and resyncs when a server is back on the same port (the kiosk restarted).

Skipped when Chromium is missing (``.ci/run`` installs Debian's).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from cdp import Browser, chromium

from ndrc_oral.display.web import WebServer
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import kiosk, live_session

pytestmark = pytest.mark.skipif(chromium() is None, reason="Chromium is not installed")

STEP_S = 0.5


class Page:
    """The page in Chromium, on virtual time."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser

    def open(self, url: str) -> None:
        self.browser.page("Emulation.setVirtualTimePolicy", policy="pause")
        self.browser.page("Page.enable")
        self.browser.page("Page.navigate", url=url)
        self.advance(0.05)

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of the page's time pass (timers fire; no wall time waited)."""
        budget = round(seconds * 1000)
        self.browser.page("Emulation.setVirtualTimePolicy", policy="advance", budget=budget)
        self.browser.wait_event("Emulation.virtualTimeBudgetExpired")

    def read(self) -> dict[str, Any]:
        value = self.browser.evaluate(
            "({shown: document.body.dataset.shown, beat: document.body.dataset.beat ?? '',"
            " cls: document.getElementById('time').className,"
            " status: document.getElementById('status').textContent,"
            " link: document.body.dataset.link ?? ''})"
        )
        assert isinstance(value, dict)
        return value

    def wait_beat(self, beat: int) -> dict[str, Any]:
        """Until the page has received the record ``beat`` (its time stands still meanwhile)."""
        return self.wait_for("beat", str(beat))

    def wait_for(self, key: str, value: str, timeout: float = 30) -> dict[str, Any]:
        """Until what ``read`` says under ``key`` is ``value`` (wall time; the page's stands still)."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.read()
            if seen[key] == value:
                return seen
            if time.monotonic() > deadline:
                raise AssertionError(f"{key} never became {value!r}: {seen}")
            time.sleep(0.005)


async def test_the_page_shows_the_kiosks_time_over_a_minute(
    catalog: Catalog, store: Store, clock: FakeClock, tmp_path: Path
) -> None:
    live = live_session(catalog, store, clock)  # exposé 10:00, warnings at 2:00 and 0:30
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(474.7)  # 2:05.3 left
        screen.refresh_clock()
        web = WebServer(app.candidate_display, clock).start()
        browser = await asyncio.to_thread(Browser, tmp_path / "profile")
        page = Page(browser)
        try:
            await asyncio.to_thread(page.open, web.url)
            publisher = app.candidate_display

            def kiosk_beats() -> int:
                """What the kiosk does each second: read, repaint, write its record."""
                screen.refresh_clock()
                publisher.beat()
                record = publisher.latest()
                assert record is not None
                return record.beat

            await asyncio.to_thread(page.wait_beat, kiosk_beats())
            compared, flashed, tones = 0, 0, set()
            for step in range(1, 2 * 100 + 1):  # 100 s of the page's time
                await asyncio.to_thread(page.advance, STEP_S)
                clock.advance(STEP_S)
                if step % 2 == 0:
                    await asyncio.to_thread(page.wait_beat, kiosk_beats())
                seen = await asyncio.to_thread(page.read)
                panel = screen.query_one(TimerPanel)
                kiosk_text = panel.text if step % 2 == 0 else _kiosk_text_now(screen)
                assert seen["shown"] == kiosk_text, (step, seen, kiosk_text)
                tone = seen["cls"].split()[0]
                assert tone == panel.tone or step % 2, (step, seen, panel.tone)
                tones.add(tone)
                flashed += "flash" in seen["cls"]
                compared += 1
            assert compared == 200 and tones == {"normal", "warn1", "warn2"}
            assert 2 <= flashed <= 8  # each of the two thresholds flashed for a moment

            # The kiosk stops: no more events, no more beats.
            web.stop()
            await asyncio.to_thread(page.wait_for, "link", "closed")
            lost = None
            for step in range(1, 13):
                await asyncio.to_thread(page.advance, STEP_S)
                clock.advance(STEP_S)
                if "connexion perdue" in (await asyncio.to_thread(page.read))["status"]:
                    lost = step * STEP_S
                    break
            assert lost is not None and lost <= 3.0
            # It comes back on the same port (restarted): the page resyncs by itself.
            web = WebServer(app.candidate_display, clock, port=web.port).start()
            beat = kiosk_beats()
            await asyncio.to_thread(page.advance, 1.0)  # EventSource retries after 1 s
            await asyncio.to_thread(page.wait_for, "link", "open")
            seen = await asyncio.to_thread(page.wait_beat, beat)
            assert seen["shown"] == screen.query_one(TimerPanel).text
            assert "connexion perdue" not in seen["status"]
        finally:
            await asyncio.to_thread(browser.close)
            web.stop()


def _kiosk_text_now(screen: RunScreen) -> str:
    """The kiosk's timer at this moment (between its own repaints)."""
    from ndrc_oral.exam_room.view import timer_view

    return timer_view(screen.desk.snapshot()).text
