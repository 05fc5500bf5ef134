"""Opening a session: its timeline at once, the integrity only once the chain is checked.

The review paints a session's timeline from its events but notes, unchecked,
under "vérification en cours…", then the full check (``skim.checked_session``)
replaces it. These tests hold the check back with a gate, so that what is on
screen before it ends is seen, whatever the machine's speed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import SessionIdentity
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.recorder import new_session
from ndrc_oral.tui.screens import session_detail
from ndrc_oral.tui.screens.session_detail import SessionDetailScreen
from ndrc_oral.tui.widgets.text_lines import TextLines
from ndrc_oral.tui.widgets.timeline import Timeline

from .conftest import until
from .review_sessions import Archive, build_archive
from .test_review import SIZE, names, review_app, settle, static_text, table_of


@pytest.fixture
def archive(catalog: Catalog, store: Store) -> Archive:
    return build_archive(store, catalog)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The full check waits for this event (set at the end in any case)."""
    opened = threading.Event()
    real = session_detail.checked_session

    def held(path: Path) -> Any:
        opened.wait(20)
        return real(path)

    monkeypatch.setattr(session_detail, "checked_session", held)
    yield opened
    opened.set()


async def enter_on(pilot: Pilot[None], candidate: str) -> SessionDetailScreen:
    """Enter on the candidate's row, then wait for the preview (not for the check)."""
    app: Any = pilot.app
    table = table_of(app)
    table.cursor = names(table).index(candidate)
    await pilot.press("enter")

    def previewed() -> bool:
        return isinstance(app.screen, SessionDetailScreen) and app.screen.previewed

    await until(pilot, previewed, "the timeline painted before the check")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SessionDetailScreen)
    return screen


async def pane_saying(pilot: Pilot[None], widget_id: str, words: str) -> str:
    """The text of a notes pane once it shows ``words`` (the worker's lines arrive)."""
    pane = pilot.app.screen.query_one(widget_id, TextLines)
    await until(pilot, lambda: pane.ready and words in pane.plain(), f"{words!r} in {widget_id}")
    return pane.plain()


def edit_a_note(path: Path) -> None:
    """Ada's third note edited by hand, same length, the file's time kept."""
    data = path.read_bytes()
    before = os.stat(path)
    edited = data.replace("Hésite sur la sélection".encode(), "Hésite sur la Sélection".encode())
    assert len(edited) == len(data) and edited != data
    path.write_bytes(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def timeline_text(screen: SessionDetailScreen) -> list[str]:
    return [line.plain for line in screen.query_one(Timeline).lines(96)]


async def test_the_timeline_shows_before_the_check_ends_under_a_checking_banner(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive, gate: threading.Event
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await enter_on(pilot, "Ada Lovelace")
        drawing = timeline_text(screen)
        assert any("Exposé" in line for line in drawing)
        banner = screen.query_one("#detail-integrity")
        assert banner.display and banner.has_class("-checking")
        checking = static_text(app, "#detail-integrity")
        assert "Vérification en cours" in checking and "pas encore vérifié" in checking
        # Nothing says intact, nor prints a fingerprint, before the check.
        assert "Vérification du fichier en cours" in static_text(app, "#detail-file")
        assert screen.report is None and screen.loaded is None
        assert not screen.check_action("settle", ()) and not screen.check_action("correct", ())

        gate.set()
        await settle(pilot)
        assert screen.report is not None
        assert not banner.display and not banner.has_class("-checking")  # intact
        assert timeline_text(screen) == drawing
        assert "Vérification" not in static_text(app, "#detail-file")


async def test_a_damage_found_by_the_check_after_the_timeline_shows_is_said_at_once(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive, gate: threading.Event
) -> None:
    # A note edited, same length, its time kept: the preview skips notes, the check sees it.
    edit_a_note(archive["ada"])

    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await enter_on(pilot, "Ada Lovelace")
        banner = screen.query_one("#detail-integrity")
        assert banner.has_class("-checking") and not banner.has_class("-damaged")

        gate.set()
        await settle(pilot)
        assert banner.display and banner.has_class("-damaged")
        assert not banner.has_class("-checking")
        said = static_text(app, "#detail-integrity")
        assert "ENDOMMAGÉ" in said and "ce qui s'affichait avant venait d'un fichier endommagé" in (
            said
        )
        assert screen.report is not None and screen.report.integrity == "damaged"


async def test_the_first_notes_show_unchecked_before_the_check_ends(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    archive: Archive,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Ada has three notes; the review shows the first one (of 200 in a real session)
    # while the check is held, says how many more there are, then shows them all.
    monkeypatch.setattr(session_detail, "FIRST_NOTES", 1)
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await enter_on(pilot, "Ada Lovelace")
        screen.action_tab("notes")
        early = await pane_saying(pilot, "#detail-notes", "Accroche claire")
        assert "3 note(s), dans l'ordre" in early
        assert "et 2 note(s) de plus, affichées une fois le fichier vérifié" in early
        assert "Hésite sur la sélection" not in early
        assert screen.query_one("#detail-integrity").has_class("-checking")
        assert screen.report is None  # nothing is decided from what is not checked
        screen.action_tab("criteria")
        waiting = await pane_saying(pilot, "#detail-by-criterion", "une fois le fichier vérifié")
        assert "Accroche claire" not in waiting

        gate.set()
        await settle(pilot)
        assert screen.report is not None
        screen.action_tab("notes")
        checked = await pane_saying(pilot, "#detail-notes", "Hésite sur la sélection")
        assert "de plus" not in checked and "Accroche claire" in checked
        by_criterion = await pane_saying(pilot, "#detail-by-criterion", "Accroche claire")
        assert "une fois le fichier vérifié" not in by_criterion


async def test_a_note_shown_before_the_check_and_found_edited_is_said_damaged(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    archive: Archive,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edit_a_note(archive["ada"])
    # The checked notes' layout held back (a big session's takes a quarter of a second):
    # meanwhile, nothing read unchecked may stay under the verdict.
    laid_out = threading.Event()
    real = session_detail.build_report

    def held(loaded: Any, lang: str, *, notes: bool = True) -> Any:
        if notes and gate.is_set():
            laid_out.wait(20)
        return real(loaded, lang, notes=notes)

    monkeypatch.setattr(session_detail, "build_report", held)
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await enter_on(pilot, "Ada Lovelace")
        screen.action_tab("notes")
        # Read unchecked, the edited note shows as it is in the file...
        await pane_saying(pilot, "#detail-notes", "Hésite sur la Sélection")
        gate.set()
        await until(pilot, lambda: screen.report is not None, "the check's verdict")
        await pilot.pause()
        # ...the check says at once that what showed came from a damaged file, and the
        # notes it showed are gone from both panes...
        said = static_text(app, "#detail-integrity")
        assert "ENDOMMAGÉ" in said and "ce qui s'affichait avant venait d'un fichier endommagé" in (
            said
        )
        for pane in ("#detail-notes", "#detail-by-criterion"):
            assert "Sélection" not in screen.query_one(pane, TextLines).plain()
        laid_out.set()
        # ...then come the notes the check could trust, the edited one not among them.
        checked = await pane_saying(pilot, "#detail-notes", "Accroche claire")
        assert "Sélection" not in checked


async def test_the_reader_keeps_their_place_when_the_checked_notes_replace_the_first(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    archive: Archive,
    gate: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live = new_session(store, catalog.get("e4-ponctuel"), clock, SessionIdentity("Zoé Many"))
    live.session.start()
    for n in range(40):
        clock.advance(2)
        live.session.note(f"Observation {n}")
    live.close()
    monkeypatch.setattr(session_detail, "FIRST_NOTES", 20)
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await enter_on(pilot, "Zoé Many")
        await pilot.press("2")
        await pane_saying(pilot, "#detail-notes", "20 note(s) de plus")
        pane = screen.query_one("#detail-notes", TextLines)
        assert pane.has_focus
        # The pane scrolls once the screen is laid out again with its lines (a scroll bar).
        await until(pilot, lambda: pane.allow_vertical_scroll, "the notes' scroll bar")
        await pilot.press("pagedown")
        await until(pilot, lambda: pane.scroll_y > 0, "the page down")  # animated or not
        place = pane.scroll_y
        assert 0 < place < pane.max_scroll_y - 2  # amid the notes (the banner leaves 2 rows)
        gate.set()
        await settle(pilot)
        await pane_saying(pilot, "#detail-notes", "Observation 39")
        assert pane.scroll_y == place  # where the reader was, in the checked notes
