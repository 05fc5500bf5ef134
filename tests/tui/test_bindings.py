"""Every key is declared in ``tui.bindings``; its description is looked up when shown."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets._footer import FooterKey

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.i18n import en, fr, set_language
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui import bindings

from .conftest import kiosk, live_session


def _declared() -> list[Binding]:
    found: list[Binding] = []
    for value in vars(bindings).values():
        items = value if isinstance(value, list) else [value]
        found.extend(b for b in items if isinstance(b, Binding))
    return found


def test_every_description_is_a_key_of_both_languages() -> None:
    declared = _declared()
    assert len(declared) > 50
    described = [b.description for b in declared if b.description]
    assert described and all(d in fr.STRINGS and d in en.STRINGS for d in described), described


def _footer(app_screen: object) -> str:
    from textual.screen import Screen

    assert isinstance(app_screen, Screen)
    return " · ".join(str(k.description) for k in app_screen.query(FooterKey))


async def test_switching_language_after_import_gives_english_descriptions(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    assert bindings.HOME_REVIEW.description  # the module was imported in French
    set_language("en")
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = _footer(app.screen)
        assert "Extend" in shown and "Hide" in shown and "Quit" in shown, shown
        assert "Quitter" not in shown
    set_language("fr")
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = _footer(app.screen)
        assert "Sessions enregistrées" in shown and "Saved sessions" not in shown, shown
