"""The big timer: remaining time in ``TimerDigits``, the phase, who speaks, the status.

It is fed plain values (``TimerView`` and strings), never a session: the
candidate's screen uses it too, and there it cannot reach the grid or the notes.
Its digits grow with the window (``widgets.digits``): when their size changes,
it says how tall it needs to be (``Scaled``), and the screen makes room.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from ndrc_oral.exam_room.view import TimerView
from ndrc_oral.tui.widgets.digits import FRAME_ROWS, TimerDigits, digit_scale, rows_for


class TimerPanel(Vertical):
    """Digits coloured by tone: the class ``-normal``, ``-warn1``..., ``-over``, ``-paused``.

    The colours are app.tcss's (``session.tones.TONES``, one rule each).
    """

    DEFAULT_CSS = """
    TimerPanel {
        height: auto;
        align-horizontal: center;
    }
    TimerPanel Digits {
        width: auto;
        text-style: bold;
    }
    TimerPanel > Static { text-wrap: nowrap; text-overflow: ellipsis; }
    /* Larger digits, a larger window: the status may take two lines, never cut. */
    TimerPanel.-large > #timer-status { text-wrap: wrap; height: 2; }
    TimerPanel > #timer-phase { text-style: bold; }
    TimerPanel > #timer-speaker { color: $text-muted; }
    """

    class Scaled(Message):
        """The digits changed size: the panel needs ``height`` rows, its frame included."""

        def __init__(self, height: int) -> None:
            super().__init__()
            self.height = height

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: tuple[str, ...] | None = None
        self.tone = "idle"

    def compose(self) -> ComposeResult:
        yield TimerDigits("00:00", id="timer-digits")
        yield Static("", id="timer-phase", markup=False)
        yield Static("", id="timer-speaker", markup=False)
        yield Static("", id="timer-status", markup=False)

    def show(
        self, timer: TimerView, phase: str, speaker: str, status: str, marker: str = ""
    ) -> bool:
        """Paint these values; does nothing (and returns False) when they are already shown.

        ``marker``: the timer's state in words (``view.tone_marker``), on the frame's top.
        """
        shown = (timer.text, timer.tone, phase, speaker, status, marker)
        if shown == self._shown:
            return False
        before = self._shown
        self._shown = shown
        self.query_one(TimerDigits).update(timer.text)
        # While a phase runs only the digits change: the lines below are left alone.
        for name, text, index in (
            ("phase", phase, 2),
            ("speaker", speaker, 3),
            ("status", status, 4),
        ):
            if before is None or before[index] != text:
                self.query_one(f"#timer-{name}", Static).update(text)
        if before is None or before[5] != marker:
            self.border_title = marker
        if timer.tone != self.tone:
            self.remove_class(f"-{self.tone}")
            self.tone = timer.tone
        self.add_class(f"-{timer.tone}")
        return True

    @property
    def text(self) -> str:
        """The time on display (what a test or a reader of the screen sees)."""
        return self.query_one(TimerDigits).value

    def on_resize(self, event: events.Resize) -> None:
        # The width is the panel's own; the height a share of the whole window's.
        digits = self.query_one(TimerDigits)
        scale = digit_scale(self.content_region.width, self.app.size.height)
        if scale != digits.scale:
            digits.set_scale(scale)
            self.set_class(scale > 0, "-large")
            self.post_message(self.Scaled(rows_for(scale) + FRAME_ROWS + (scale > 0)))
