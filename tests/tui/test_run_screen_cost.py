"""A second of a running phase repaints the cells that changed, nothing more (issue 15).

Four values change each second on the commission's screen: a digit of the
timer, the candidate's time in the strip, the running phase's actual time and
the total. Textual re-renders every widget that crosses a changed line: a
phase list drawn as one table, a strip line drawn as one text, went out whole
each second. Here the FakeClock moves by a second at a time and the test reads
what the compositor sends to the terminal.
"""

from __future__ import annotations

import pytest
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.widget import Widget

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets import phases as phases_module
from ndrc_oral.tui.widgets.candidates import CandidateLine, CandidateStrip
from ndrc_oral.tui.widgets.glyphs import Glyph
from ndrc_oral.tui.widgets.phases import PhaseLine, PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel
from tui.conftest import e5_running, spy


async def test_a_second_of_a_phase_sends_the_changed_values_alone(
    catalog: Catalog, store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with e5_running(catalog, store, clock) as (app, pilot):
        screen = app.screen
        assert isinstance(screen, RunScreen)
        line = screen.query_one(CandidateStrip).query(CandidateLine).first()
        phases = screen.query_one(PhaseList)
        frame = phases.region
        changing = [
            list(screen.query_one(TimerPanel).query(Glyph))[-1].region,  # the last digit
            line.query_one(".-time").region,  # the candidate's time in the strip
            phases.query(PhaseLine).first().time.region,  # the phase's actual time
            Region(frame.x, frame.bottom - 1, frame.width, 1),  # the total, in the border
        ]
        # Each span (line, from, to) the compositor sends; each widget asked for a layout.
        sent: list[tuple[int, int, int]] = []
        real = Compositor.render_partial_update

        def render(self: Compositor) -> ChopsUpdate | None:
            update = real(self)
            sent.extend(update.spans if update is not None else ())
            return update

        monkeypatch.setattr(Compositor, "render_partial_update", render)
        layouts = spy(
            monkeypatch,
            Widget,
            "refresh",
            lambda w, *_, layout=False, **__: type(w).__name__ if layout else None,
        )
        # The texts built: only those of the values that changed (the phase's time).
        built: list[str] = []
        for name in ("_head", "_time", "_details"):
            real_build = getattr(phases_module, name)
            monkeypatch.setattr(
                phases_module,
                name,
                lambda *a, _n=name, _f=real_build: built.append(_n) or _f(*a),
            )
        for shown in ("39:56", "39:55", "39:54"):
            sent.clear()
            clock.advance(1.0)
            screen.refresh_clock()
            await pilot.pause()
            assert screen.query_one(TimerPanel).text == shown
            assert sent, "nothing repainted"
            outside = [
                (y, x1, x2)
                for y, x1, x2 in sent
                if not any(r.contains_region(Region(x1, y, x2 - x1, 1)) for r in changing)
            ]
            assert outside == []  # every cell sent is one of a changed value
        assert layouts == []  # fixed widths: a new value never moves anything
        assert built == ["_time"] * 3  # one a second: the labels are not laid out again
        assert line.row is not None and line.row.time == "39:54"
        assert phases.rows[0].actual == "00:06" and phases.total == "Total 00:06 / 40:00"
