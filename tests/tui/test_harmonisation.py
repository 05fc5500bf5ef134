"""The review's harmonisation table (F7): the figures of ``logs stats``, for the list's filter."""

from __future__ import annotations

import shutil

from rooms import make_room

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.i18n import language
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.index import make_filter
from ndrc_oral.transcript.stats import harmonise
from ndrc_oral.transcript.stats_report import markdown
from ndrc_oral.tui.screens.harmonisation import HarmonisationScreen
from ndrc_oral.tui.screens.review import ReviewScreen

from .test_review import SIZE, Notes, review_app, settle, static_text


async def test_f7_shows_the_harmonisation_of_the_list_live_then_rehearsals(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    notes = Notes()
    make_room(store.root, 4, 20, rehearsal_every=5)
    first = sorted(store.root.glob("*.toml"))[0]
    conflict = first.with_name(f"{first.stem}.sync-conflict-20270602-101010-ABCDEFG.toml")
    shutil.copy2(first, conflict)
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert any(conflict.name in text and "Syncthing" in text for _, text in notes.messages)
        await pilot.press("f7")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, HarmonisationScreen)
        assert "Harmonisation — examen" in static_text(app, "#harmonisation-top")
        live = markdown(harmonise(store.root, make_filter()), language())
        assert screen.text == live and "écart type (n−1)" in live and "| 4b |" in live
        await pilot.press("f5")
        await settle(pilot)
        assert "répétition" in static_text(app, "#harmonisation-top")
        rehearsal = markdown(harmonise(store.root, make_filter(mode="rehearsal")), language())
        assert screen.text == rehearsal != live
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
