"""Every action without F-keys (issue 10): each F-key has a Ctrl twin shown in the footer,
the command palette offers every action of the screen, keys are remapped in ``[keys]``;
no footer loses its Quit key at 80x24; the review's Escape says what it does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from ndrc_oral.cli import main
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.i18n import set_language
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.settings import SETTINGS_ENV, Alerts, Keys, Settings
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui import bindings
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import ExtendDialog, ReasonDialog
from ndrc_oral.tui.screens.day import DayScreen
from ndrc_oral.tui.screens.harmonisation import HarmonisationScreen
from ndrc_oral.tui.screens.privacy import PrivacyScreen
from ndrc_oral.tui.screens.rehearsals import RehearsalsScreen
from ndrc_oral.tui.screens.result import ResultScreen
from ndrc_oral.tui.screens.review import ReviewScreen
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.screens.session_detail import SessionDetailScreen
from ndrc_oral.tui.widgets.footer import KioskFooter
from ndrc_oral.tui.widgets.notes import NoteInput
from tests.day.roster_files import e4_rows, write_csv

from .conftest import kiosk, live_session, until
from .review_sessions import Archive, build_archive
from .test_e5 import app_of, three
from .test_review import names, open_row, review_app, settle, table_of


@pytest.fixture
def archive(catalog: Catalog, store: Store) -> Archive:
    return build_archive(store, catalog)


def footer(app: KioskApp) -> dict[str, tuple[str, str, int]]:
    """Each footer key by action: (keys shown, name, right edge on screen)."""
    return {
        k.action: (k.key_display, str(k.description), k.region.right)
        for k in app.screen.query(FooterKey)
    }


async def footer_of(pilot: Pilot[Any]) -> dict[str, tuple[str, str, int]]:
    """``footer`` once it shows the screen's current keys, laid out (it is remade after
    a refresh: a pause or two, more on a loaded machine)."""
    app: Any = pilot.app

    def current() -> bool:
        bars = app.screen.query(KioskFooter)
        return bool(bars) and bars.first().current

    await until(pilot, current, f"the footer of {app.screen!r}")
    return footer(app)


async def check_footer(pilot: Pilot[Any], where: str) -> None:
    """Quit is on the line, whole; every action bound to an F-key shows a Ctrl chord too."""
    app: Any = pilot.app
    shown = await footer_of(pilot)
    assert "request_quit" in shown, (where, shown)
    assert 0 < shown["request_quit"][2] <= app.size.width, (where, shown)
    fkeys = {
        b.action
        for _, b, _, _ in app.screen.active_bindings.values()
        if b.key.startswith("f") and b.key[1:].isdigit()
    }
    for action, (keys, _, right) in shown.items():
        assert right <= app.size.width, (where, action, shown)
        if action in fkeys:
            assert "^" in keys, (where, action, keys)


# --- the footer follows its keys, and only them ---------------------------------------------------


async def test_the_footer_is_remade_when_its_keys_change_and_only_then(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        shown = await footer_of(pilot)
        keys = list(app.screen.query(FooterKey))
        app.screen.refresh_bindings()  # a change of the bindings that changes no key
        await pilot.pause()
        assert list(app.screen.query(FooterKey)) == keys  # the same widgets: nothing redrawn
        await pilot.press("ctrl+s")  # the first phase starts: other keys, other names
        assert await footer_of(pilot) != shown
        await check_footer(pilot, "running")


# --- the footers at 80x24, every screen ----------------------------------------------------------


async def test_every_run_screen_footer_keeps_quit_and_shows_ctrl_twins_at_80x24(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    for exam in ("e6-ccf-a", "e4-ponctuel", "e6-ponctuel-2025", "e4-ponctuel-2025"):
        app = kiosk(catalog, store, clock, live_session(catalog, store, clock, exam=exam))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await check_footer(pilot, f"{exam} ready")
            await pilot.press("ctrl+s")  # F2's twin: the first phase starts
            assert app.screen.query_one(NoteInput).has_focus
            await pilot.pause()
            await check_footer(pilot, f"{exam} running")
            await pilot.press("ctrl+y")  # F6's twin: the candidate's view
            assert isinstance(app.screen, PrivacyScreen)
            await pilot.pause()
            await check_footer(pilot, f"{exam} privacy")
            await pilot.press("ctrl+y")
            assert isinstance(app.screen, RunScreen)
    lives = three(catalog, store, clock)
    app = app_of(catalog, store, clock, lives)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await check_footer(pilot, "e5")


async def test_home_day_and_result_footers_fit_at_80x24(
    tmp_path: Path, catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await check_footer(pilot, "home")
        assert app.import_day(write_csv(tmp_path / "liste.csv", e4_rows(4))) is None
        await pilot.press("ctrl+p")  # F3's twin: the commission's day
        await pilot.pause()
        assert isinstance(app.screen, DayScreen)
        await check_footer(pilot, "day")
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+s")
        clock.advance(600)
        await pilot.press("ctrl+f")  # F4's twin, at the planned end: no question
        await pilot.press("ctrl+s")
        clock.advance(300)
        await pilot.press("ctrl+f", "ctrl+t")  # F8's twin: the result form
        assert isinstance(app.screen, ResultScreen)
        await check_footer(pilot, "result")


async def test_every_review_footer_keeps_quit_at_80x24(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await check_footer(pilot, "review list")
        await open_row(pilot, "Ada Lovelace")
        await check_footer(pilot, "session")  # c Corriger, a Annuler pushed ^q off the line
        await pilot.press("escape")
        table = table_of(app)
        table.cursor = names(table).index("Inès Martin")
        await pilot.press("ctrl+l")  # F5's twin: the rehearsals
        await settle(pilot)
        assert isinstance(app.screen, RehearsalsScreen)
        await check_footer(pilot, "rehearsals")
        await pilot.press("escape", "ctrl+g")  # F7's twin: the harmonisation of the list
        await settle(pilot)
        assert isinstance(app.screen, HarmonisationScreen)
        await check_footer(pilot, "harmonisation")


async def test_wide_footers_show_both_keys(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert (await footer_of(pilot))["extend"][:2] == ("F5/^l", "Prolonger")


# --- the chords work while a note is typed ---------------------------------------------------------


async def test_ctrl_twins_act_from_the_note_and_keep_what_was_typed(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(120, 40)) as pilot:
        run = app.screen
        assert isinstance(run, RunScreen)
        await pilot.press("ctrl+s", *"hello")
        assert run.desk.status is Status.RUNNING
        await pilot.press("ctrl+p")  # F3's twin: the pause starts at once, its reason asked
        assert run.desk.status is Status.PAUSED
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("escape", "ctrl+p")  # the reason later; resumed
        assert run.desk.status is Status.RUNNING
        await pilot.press("ctrl+l")  # F5's twin
        assert isinstance(app.screen, ExtendDialog)
        await pilot.press("escape")
        assert run.query_one(NoteInput).value == "hello"
        assert run.query_one(NoteInput).has_focus


# --- the command palette --------------------------------------------------------------------------


async def palette_hits(pilot: Pilot[Any], query: str) -> list[str]:
    await pilot.press("ctrl+k")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*query)

    def hits() -> list[str]:
        return [str(o.prompt) for o in palette.query_one("CommandList").options]  # type: ignore[attr-defined]

    await until(pilot, hits, f"the palette's hits for {query!r}")  # a search in a worker
    return hits()


async def test_the_palette_offers_every_action_of_the_screen_in_its_language(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+s", *"hello")
        everything = await palette_hits(pilot, "")
        joined = "\n".join(everything)
        for name in ("Pause", "Fin phase", "Prolonger", "Cacher", "Terminer", "Quitter"):
            assert name in joined, (name, everything)
        assert "Move cursor" not in joined  # an input's editing keys are no actions
        await pilot.press("escape")
        hits = await palette_hits(pilot, "pause")
        assert any("Pause" in h for h in hits), hits
        await pilot.press("enter")
        await pilot.pause()
        run = app.screen_stack[1]
        assert isinstance(run, RunScreen) and run.desk.status is Status.PAUSED
        assert run.query_one(NoteInput).value == "hello"
    set_language("en")
    try:
        app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
        async with app.run_test(size=(120, 40)) as pilot:
            hits = await palette_hits(pilot, "")
            assert any("Extend" in h for h in hits) and not any("Prolonger" in h for h in hits)
    finally:
        set_language("fr")


async def test_the_palette_names_each_tab_of_a_session(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_row(pilot, "Ada Lovelace")
        hits = "\n".join(await palette_hits(pilot, ""))
        for name in ("Déroulé", "Par critère", "Fichier", "Corriger", "Annuler (erreur)"):
            assert name in hits, (name, hits)


# --- [keys] ------------------------------------------------------------------------------------------


async def test_keys_remapped_in_the_settings_move_the_action_and_the_footer(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    settings = Settings(alerts=Alerts(flash=False), keys=Keys({"ndrc.extend": "ctrl+z"}))
    app = KioskApp(
        catalog=catalog,
        store=store,
        clock=clock,
        session=live_session(catalog, store, clock),
        cursor_blink=False,
        settings=settings,
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert (await footer_of(pilot))["extend"][:2] == ("^z", "Prolonger")
        await pilot.press("ctrl+s", "f5")
        assert isinstance(app.screen, RunScreen)  # F5 no longer extends
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, ExtendDialog)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ('"ndrc.pause" = "ctrl+nope"', "keys.ndrc.pause"),
        ('"ndrc.pasue" = "ctrl+b"', "keys.ndrc.pasue"),
        ('"ndrc.pause" = ""', "keys.ndrc.pause"),
    ],
)
def test_a_bad_key_or_id_is_one_line_naming_the_file_and_the_key(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    line: str,
    said: str,
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text(f"[keys]\n{line}\n", encoding="utf-8")
    monkeypatch.setenv(SETTINGS_ENV, str(settings))
    assert main(["review", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(settings) in err and said in err, err


def test_every_id_of_the_readme_table_is_a_binding() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    ids = bindings.binding_ids()
    for key, twin in bindings.CTRL_TWINS.items():
        assert f"`{key.upper()}`" in readme and f"`{twin}`" in readme, (key, twin)
    for binding_id in ("ndrc.pause", "ndrc.extend", "ndrc.palette", "ndrc.quit"):
        assert binding_id in ids and f"`{binding_id}`" in readme, binding_id


# --- the review's Escape ---------------------------------------------------------------------------


async def test_the_review_list_names_what_escape_will_do(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert (await footer_of(pilot))["back"][
            1
        ] == "Quitter"  # ``ndrc-oral review``: leaving quits
        await pilot.press("a")  # a letter goes to the search box
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == "a"
        assert (await footer_of(pilot))["back"][1] == "Effacer"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.value == ""
        assert (await footer_of(pilot))["back"][1] == "Liste"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.focused, Input)
        assert (await footer_of(pilot))["back"][1] == "Quitter"
    app = review_app(catalog, store, clock, review=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert (await footer_of(pilot))["back"][1] == "Retour"
        await open_row(pilot, "Ada Lovelace")
        assert isinstance(app.screen, SessionDetailScreen)
        assert (await footer_of(pilot))["back"][1] == "Retour"
