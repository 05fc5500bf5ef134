"""The timer's tones as a ladder from a phase's warnings, and one colour vocabulary for them."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from rich.text import Text
from sessions import who
from textual.widgets import Digits

from ndrc_oral.exam_room.view import timer_view
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.exams.models import Exam
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session
from ndrc_oral.session.tones import TONES, WARNING_STEPS, ladder
from ndrc_oral.transcript import Store, new_session
from ndrc_oral.tui import palette
from ndrc_oral.tui.palette import paint
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.candidates import tone_style
from ndrc_oral.tui.widgets.cell import Cell
from ndrc_oral.tui.widgets.phases import PhaseList
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import kiosk

TUI = Path(palette.__file__).parent
FOUR = (240, 180, 120, 60)
"""Four warnings in the exposé (10 min): 4, 3, 2 and 1 minute before its end."""
COLOUR = re.compile(
    r"\b(ansi_\w+|bright_\w+|red|green|yellow|blue|cyan|magenta|white|black)\b"
    r"|#(?:[0-9a-fA-F]{3}){1,2}(?![\w-])"  # a hex colour, not an id such as #add-candidate
)


def four_warnings(catalog: Catalog) -> Exam:
    exam = catalog.get("e6-ccf-a")
    first = exam.phases[0].model_copy(update={"warnings_s": list(FOUR)})
    return exam.model_copy(update={"phases": [first, *exam.phases[1:]]})


def test_a_phase_climbs_one_tone_per_warning_then_overtime(
    catalog: Catalog, clock: FakeClock
) -> None:
    s = Session.create(
        four_warnings(catalog), clock, lambda e: None, session_id="s", identity=who("Ada")
    )
    s.start()
    seen = [timer_view(s.snapshot()).tone]
    for left in (*FOUR, 0):  # each threshold, then the planned end
        clock.advance(s.snapshot().remaining_s - left)
        seen.append(timer_view(s.snapshot()).tone)
    assert seen == ["normal", "warn1", "warn2", "warn3", "warn4", "over"]
    assert tuple(seen) == ladder(len(FOUR))
    s.pause("question")
    assert timer_view(s.snapshot()).tone == "paused"


def test_more_warnings_than_colours_keep_the_most_urgent_one_before_overtime() -> None:
    assert ladder(0) == ("normal", "over")
    assert ladder(2) == ("normal", "warn1", "warn2", "over")  # the E6: as before
    assert ladder(6) == ("normal", "warn1", "warn2", "warn3", "warn4", "warn4", "warn4", "over")
    assert WARNING_STEPS >= 3  # the E4 and the E5 have three warnings in a phase


async def test_each_threshold_has_its_own_colour_and_painted_text_has_the_timers(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = new_session(store, four_warnings(catalog), clock, who("Ada"), fsync=False)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        colours = {}
        for left in (*FOUR, 0):
            clock.advance(live.session.snapshot().remaining_s - left)
            screen.refresh_clock()
            await pilot.pause()
            panel = screen.query_one(TimerPanel)
            colours[panel.tone] = panel.query_one(Digits).styles.color
        assert list(colours) == ["warn1", "warn2", "warn3", "warn4", "over"]
        assert len(set(colours.values())) == len(colours)  # overtime differs from every warning
        # The candidate strip, the phase list, the review paint with the same names.
        # (A phase's time is painted by its own cell.)
        phases = screen.query_one(PhaseList).query_one(".-time", Cell)
        for tone, colour in colours.items():
            painted = paint(phases, Text.assemble(("05:00", tone_style(tone))))
            style = painted.spans[0].style
            assert not isinstance(style, str) and style.color == colour.rich_color, tone


def test_the_stylesheets_colour_every_tone() -> None:
    app_tcss = (TUI / "app.tcss").read_text(encoding="utf-8")
    declared = palette.declared()
    for tone in TONES:
        assert f"tone-{tone}" in declared
        assert f"TimerPanel.-{tone} Digits {{ color: $tone-{tone}; }}" in app_tcss
        assert f"#privacy.-{tone} BigClock {{ color: $tone-{tone}; }}" in app_tcss
    for name in declared:  # every palette colour can be painted into Rich text
        assert f".paint--{name} {{ color: ${name}; }}" in app_tcss


def test_colours_are_declared_once_and_named_nowhere_else() -> None:
    stylesheets = [p for p in TUI.glob("*.tcss") if p.name != "palette.tcss"]
    assert {p.name for p in stylesheets} >= {"app.tcss", "review.tcss"}
    for sheet in stylesheets:
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert not re.search(r"^\s*\$[\w-]+\s*:", text, re.MULTILINE), f"{sheet.name} declares"
        assert not COLOUR.search(text), f"{sheet.name}: {COLOUR.search(text)}"
        assert "$tone-" in text or "$integrity-" in text, f"{sheet.name} uses no palette name"
    for source in TUI.rglob("*.py"):
        tokens = tokenize.generate_tokens(io.StringIO(source.read_text("utf-8")).readline)
        for tok in tokens:
            if tok.type == tokenize.STRING:
                found = COLOUR.search(tok.string)
                assert not found, f"{source.name}:{tok.start[0]} names {found.group(0)}"


def test_the_palette_resolves_theme_names_against_the_theme() -> None:
    theme = {"success": "#00ff00", "warning": "#ffaa00", "error": "#ff0000", "primary": "#0000ff"}
    theme["text-muted"] = "auto 60%"
    variables = palette.css_variables(theme)
    assert variables["tone-normal"] == "#00ff00" and variables["tone-over"] == "#ff0000"
    assert variables["tone-warn2"] == "ansi_bright_red"
