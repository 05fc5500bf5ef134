"""The review as a commission first uses it (issue 10): typing on the list searches, a
JJ/MM/AAAA date filters, a missing export folder is made, files are named after the
candidate, exam and date (never a path character from the name)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.exports import named_stem
from ndrc_oral.tui.dialogs import ExportDirDialog
from ndrc_oral.tui.screens.session_detail import SessionDetailScreen

from .review_sessions import Archive
from .test_review import archive, names, open_row, review_app, settle, table_of

__all__ = ["archive"]  # the fixture, shared with test_review


async def test_typing_on_the_list_goes_to_the_search_box(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = table_of(app)
        assert app.focused is table
        await pilot.press(*"ines")  # no F2 first: every letter counts
        assert isinstance(app.focused, Input) and app.focused.id == "review-text"
        assert app.focused.value == "ines"
        assert set(names(table)) == {"Inès Martin"}


async def test_a_french_date_filters_the_list(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one("#review-since", Input).value = "02/06/2026"
        app.screen.query_one("#review-until", Input).value = "02/06/2026"
        await settle(pilot)
        assert "Ada Lovelace" in names(table_of(app))
        assert all(row.date == "2026-06-02" for row in table_of(app).rows)
        assert not app.screen.query_one("#review-since").has_class("-bad-day")


async def test_a_missing_export_folder_is_made_and_files_named_after_the_candidate(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive, tmp_path: Path
) -> None:
    out = tmp_path / "oraux" / "juin"
    app = review_app(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_row(pilot, "Ada Lovelace")
        await pilot.press("f7")
        assert isinstance(app.screen, ExportDirDialog)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        assert isinstance(app.screen, SessionDetailScreen)
        assert out.is_dir()
        await pilot.press("m")
        await settle(pilot)
    assert [p.name for p in out.iterdir()] == ["Ada-Lovelace_e6-ccf-a_2026-06-02_0800.md"]


def test_a_file_name_takes_no_path_character_from_the_name() -> None:
    stem = named_stem("../../etc/Zoé L'Œuvray / 2", "e6-ccf-a", "20260602-081500-000000")
    assert stem == "etc-Zoé-L-Œuvray-2_e6-ccf-a_2026-06-02_0815"
    assert "/" not in named_stem("/", "e5", "x/y") and ".." not in named_stem("..", "e5", "..")
    assert named_stem("", "", "") == "session"


async def test_the_tab_keys_are_in_the_footer(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_row(pilot, "Ada Lovelace")
        footer = " ".join(strip.text for strip in app.screen._compositor.render_strips()[-1:])
        assert "1-6 Onglets" in footer
        await pilot.press("3")
        await settle(pilot)
        assert app.screen.query_one("TabbedContent").active.endswith("criteria")
