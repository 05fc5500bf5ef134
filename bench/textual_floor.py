"""The floor of a Textual countdown, for ``bench_compare.py --table``: one ``Static``
showing mm:ss, updated once a second, Textual's own driver and compositor, nothing else.

What the commission screen's "at most 0.5x termdown" is measured against: no Textual
program that repaints once a second costs less than this one.
"""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.widgets import Static

SECONDS = 40 * 60


class Countdown(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("40:00", id="left")

    def on_mount(self) -> None:
        self.start = time.monotonic()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        left = max(0, SECONDS - int(time.monotonic() - self.start))
        self.query_one("#left", Static).update(f"{left // 60:02d}:{left % 60:02d}")


if __name__ == "__main__":
    Countdown().run()
