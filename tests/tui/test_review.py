"""The review screens, driven as a user would: list, sort, filter, open, damaged files, exports.

Every session is made by the engine (``review_sessions.build_archive``); the
damaged ones are engine-made files edited or cut afterwards. The assertions
read what the screens paint (the table's lines, the drawings' text) and the
notifications the app posts.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console, RenderableType
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import Input, Select, Static

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import ExportDirDialog
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.rehearsals import RehearsalsScreen
from ndrc_oral.tui.screens.review import ReviewScreen
from ndrc_oral.tui.screens.session_detail import SessionDetailScreen
from ndrc_oral.tui.widgets.attempts_chart import AttemptsChart
from ndrc_oral.tui.widgets.session_table import SessionTable
from ndrc_oral.tui.widgets.text_lines import TextLines
from ndrc_oral.tui.widgets.timeline import Timeline

from .conftest import until
from .review_sessions import Archive, build_archive

SIZE = (100, 30)


@pytest.fixture
def archive(catalog: Catalog, store: Store) -> Archive:
    return build_archive(store, catalog)


class Notes:
    """The notifications the app posted, in order."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.messages.append((message.notification.severity, message.notification.message))

    def last(self) -> tuple[str, str]:
        return self.messages[-1]


@pytest.fixture
def notes() -> Notes:
    return Notes()


def review_app(
    catalog: Catalog, store: Store, clock: FakeClock, *, review: bool = True
) -> KioskApp:
    """The app as ``ndrc-oral review`` starts it (``review=False``: as ``ndrc-oral`` does)."""
    app = KioskApp(catalog=catalog, store=store, clock=clock, review=review, cursor_blink=False)
    app.animation_level = "none"  # a tab's sliding underline would only slow the tests down
    return app


async def settle(pilot: Pilot[None]) -> None:
    """Let the worker threads finish and their results reach the screen."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table_of(app: KioskApp) -> SessionTable:
    return app.screen.query_one(SessionTable)


def painted(table: SessionTable) -> list[str]:
    """The table's lines as the user sees them (header first)."""
    return [
        "".join(seg.text for seg in table.render_line(y)).rstrip()
        for y in range(table.scrollable_content_region.height)
    ]


def names(table: SessionTable) -> list[str]:
    return [s.candidate_name for s in table.rows]


def plain(renderable: RenderableType, width: int = 100) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def static_text(app: KioskApp, widget_id: str) -> str:
    content = app.screen.query_one(widget_id, Static).content
    return content if isinstance(content, str) else plain(content)  # type: ignore[arg-type]


async def lines_of(pilot: Pilot[None], widget_id: str) -> str:
    """The text of a long pane (wrapped in a worker thread) once it is on screen."""
    widget = pilot.app.screen.query_one(widget_id, TextLines)
    await until(pilot, lambda: widget.ready, f"{widget_id} wrapped")
    return widget.plain()


async def open_row(pilot: Pilot[None], candidate: str) -> SessionDetailScreen:
    """Put the cursor on the candidate's row and press Enter."""
    app: Any = pilot.app
    table = table_of(app)
    table.cursor = names(table).index(candidate)
    await pilot.press("enter")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SessionDetailScreen)
    return screen


# --- the list -------------------------------------------------------------------------------------


async def test_the_list_shows_every_session_newest_first_with_its_flags(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen)
        table = table_of(app)
        lines = painted(table)
        assert lines[0].split()[:3] == ["Date", "▼", "Épreuve"]
        assert len(table.rows) == 10
        dates = [s.started_at for s in table.rows]
        assert dates == sorted(dates, reverse=True)
        row = {line.split(" ")[0] + " " + line.split(" ")[1]: line for line in lines[1:11]}
        assert "Ada Lovelace (0421)" in row["2026-06-02 08:00"]
        assert "14,5/20" in row["2026-06-02 08:00"] and "16:10" in row["2026-06-02 08:00"]
        assert "réservée" in row["2026-06-02 09:00"]
        assert "absent" in row["2026-06-03 14:00"]
        assert "✗ ENDOMMAGÉ" in row["2026-06-03 11:00"]  # Léa's edited file
        assert "⚠ tronqué" in row["2026-06-03 12:00"]  # Maël's torn one
        assert "inachevée" in row["2026-06-03 10:00"]  # Noé's interrupted session
        status = static_text(app, "#review-status")
        assert "10 session(s) affichée(s) sur 10" in status and "1 endommagée" in status

        await pilot.press("down", "down", "end", "up", "pageup", "home", "down")
        assert table.current is not None and table.current.candidate_name == "Maël Çelik"
        assert painted(table)[2].startswith("2026-06-03 12:00")

        ada = names(table).index("Ada Lovelace")
        await pilot.click(SessionTable, offset=(30, 1 + ada))  # one click: the cursor moves
        assert table.current is not None and table.current.candidate_name == "Ada Lovelace"
        assert isinstance(app.screen, ReviewScreen)
        await pilot.double_click(SessionTable, offset=(30, 1 + ada))  # two: the session opens
        await settle(pilot)
        assert isinstance(app.screen, SessionDetailScreen)
        assert app.screen.summary.candidate_name == "Ada Lovelace"


async def test_an_unreadable_file_is_listed_flagged_and_never_breaks_the_list(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    path = archive["theo"]
    path.write_bytes(path.read_bytes()[:60])  # cut inside the very first event
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = table_of(app)
        assert len(table.rows) == 10
        cut = next(s for s in table.rows if s.path == str(path))
        assert cut.damaged
        line = painted(table)[1 + list(table.rows).index(cut)]
        assert "✗ ENDOMMAGÉ" in line and line.startswith(" 2026-06-03") is False

        table.cursor = list(table.rows).index(cut)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionDetailScreen)
        assert "ne peut pas être lu" in static_text(app, "#detail-integrity")
        assert "illisible" in static_text(app, "#detail-file")


async def test_sort_by_keys_and_by_clicking_a_column_title(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("f3")  # next column: the exam, A to Z
        exams = [s.exam_id for s in table.rows]
        assert exams == sorted(exams) and exams[0] == "e4-ponctuel"
        assert "Épreuve ▲" in painted(table)[0]
        await pilot.press("f4")  # the other way
        assert [s.exam_id for s in table.rows] == sorted(exams, reverse=True)
        assert "Épreuve ▼" in painted(table)[0]

        header = painted(table)[0]
        await pilot.click(SessionTable, offset=(header.index("Candidat") + 1, 0))
        assert names(table) == sorted(names(table))
        assert names(table)[0] == "Ada Lovelace"
        await pilot.click(SessionTable, offset=(header.index("Candidat") + 1, 0))
        assert names(table)[0] == "Zoé Lefèvre"

        await pilot.click(SessionTable, offset=(header.index("Résultat") + 1, 0))
        marks = [s.mark for s in table.rows if s.mark is not None]
        assert marks == [14.5, 8.0] or marks == [14.5]  # the best mark first


async def test_filter_by_text_as_you_type_accents_and_case_aside(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = table_of(app)
        await pilot.press("f2")
        assert isinstance(app.focused, Input) and app.focused.id == "review-text"
        await pilot.press(*"ine")
        assert set(names(table)) == {"Inès Martin"} and len(table.rows) == 4
        await pilot.press("backspace", "backspace", "backspace", *"LEFEVRE")
        assert names(table) == ["Zoé Lefèvre"]
        await pilot.press(*" zzz")
        assert table.rows == [] or list(table.rows) == []
        assert "Aucune session ne correspond" in painted(table)[1]
        assert "0 session(s) affichée(s) sur 10" in static_text(app, "#review-status")


async def test_filter_by_exam_mode_and_date_range(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        table = table_of(app)
        exam: Select[str] = screen.query_one("#review-exam", Select)
        mode: Select[str] = screen.query_one("#review-mode", Select)
        since = screen.query_one("#review-since", Input)
        until = screen.query_one("#review-until", Input)

        exam.value = "E4"  # an épreuve: all its exams
        await pilot.pause()
        assert names(table) == ["Zoé Lefèvre"]
        exam.value = "e6-ccf-a"
        await pilot.pause()
        assert len(table.rows) == 7 and {s.exam_id for s in table.rows} == {"e6-ccf-a"}
        mode.value = "rehearsal"
        await pilot.pause()
        assert set(names(table)) == {"Inès Martin", "Maël Çelik"} and len(table.rows) == 5
        mode.value = "live"
        await pilot.pause()
        assert set(names(table)) == {"Ada Lovelace", "Léa Bœuf"}
        exam.value = "*"
        mode.value = "*"
        await pilot.pause()

        since.value = "2026-06-02"
        until.focus()
        until.value = "2026-06-02"
        await pilot.pause()
        assert set(names(table)) == {"Ada Lovelace", "Zoé Lefèvre"}
        assert static_text(app, "#review-error").strip() == ""

        await pilot.press("end", "backspace")  # "2026-06-0": not a date yet
        assert "date invalide" in static_text(app, "#review-error")
        assert until.has_class("-bad-day")
        assert len(table.rows) == 6  # since 2026-06-02 only: the bad bound is left out
        await pilot.press("1")  # until 2026-06-01, before since
        assert "est après" in static_text(app, "#review-error")
        assert len(table.rows) == 10


async def test_a_keystroke_repaints_only_the_visible_rows_of_a_long_list(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    archive: Archive,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dataclasses

    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        base = list(table_of(app).rows)
        many = [
            dataclasses.replace(base[i % len(base)], id=f"{i:05d}", candidate_number=f"{i:05d}")
            for i in range(10_000)
        ]
        screen._loaded(many)
        await pilot.pause()
        painted_rows: list[int] = []
        real = SessionTable.render_line

        def counting(self: SessionTable, y: int) -> Any:
            painted_rows.append(y)
            return real(self, y)

        monkeypatch.setattr(SessionTable, "render_line", counting)
        await pilot.press("f2", *"ine")
        await pilot.pause()
        painted_rows.clear()
        await pilot.press("s")  # one keystroke: 10,000 filtered, one screenful painted
        await pilot.pause()
        table = table_of(app)
        assert len(table.rows) == 4000 and names(table)[0] == "Inès Martin"
        height = table.scrollable_content_region.height
        assert 0 < len(painted_rows) <= 2 * height  # at most a repaint or two, never 4,000 rows


async def test_each_transcript_is_read_once_when_home_and_review_list_together(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    archive: Archive,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The home screen lists the sessions too (the interrupted ones): on a cold
    # index of thousands of files, F5 pressed meanwhile must not read them twice.
    from ndrc_oral.transcript import index

    for path in archive.paths.values():
        os.utime(path, (1e9, 1e9))  # old enough for the index to keep them
    read: list[Path] = []
    scans: list[Path] = []
    second_listing = threading.Event()
    real_scan, real_summarize = index._scan, index.summarize

    def scan(root: Path) -> Any:
        scans.append(root)
        if len(scans) == 2:
            second_listing.set()
        return real_scan(root)

    def summarize(path: Path, *a: Any) -> Any:
        if not read:  # a slow disk: the first file takes until F5 is pressed
            second_listing.wait(0.5)
        read.append(path)
        return real_summarize(path, *a)

    monkeypatch.setattr(index, "_scan", scan)
    monkeypatch.setattr(index, "summarize", summarize)
    app = review_app(catalog, store, clock, review=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")  # at once, while the home screen is still listing
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and len(table_of(app).rows) == 10
    assert sorted(read) == sorted(archive.paths.values())


# --- one session ------------------------------------------------------------------------------------


async def test_opening_a_session_shows_its_timeline_notes_grid_and_result(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_row(pilot, "Ada Lovelace")
        screen = app.screen
        assert not screen.query_one("#detail-integrity").display  # an intact file: no banner

        drawing = [line.plain for line in screen.query_one(Timeline).lines(96)]
        exposé = drawing.index("Exposé du candidat")
        planned, actual = drawing[exposé + 1], drawing[exposé + 2]
        assert "prévu" in planned and planned.rstrip().endswith("10:00")
        assert "réel" in actual and "╌" in actual and "09:00" in actual  # the pause shows
        assert "Alarme incendie" in drawing[exposé + 3]
        entretien = drawing.index("Entretien avec la commission")
        assert "▒" in drawing[entretien + 1]  # the minute carried in from the exposé
        assert "▓" in drawing[entretien + 2] and "+01:10" in drawing[entretien + 2]
        assert any("Total : 16:10 utilisées sur 15:00 prévues" in line for line in drawing)
        assert any("╌ pause" in line and "▓ dépassement" in line for line in drawing)

        await pilot.press("2")  # a long text is wrapped when its tab is first shown
        notes = await lines_of(pilot, "#detail-notes")
        first = notes.index("08:01:30 · Exposé du candidat +01:30")
        second = notes.index("08:11:00 · Exposé du candidat +09:00")
        third = notes.index("08:14:20 · Entretien avec la commission +03:20 · note générale")
        assert first < second < third
        assert "Accroche claire" in notes[first:second]

        await pilot.press("3")
        by_criterion = await lines_of(pilot, "#detail-by-criterion")
        assert by_criterion.index("Rigueur dans le suivi") < by_criterion.index("Accroche claire")
        assert by_criterion.index("NOTES GÉNÉRALES") < by_criterion.index("Hésite sur")

        await pilot.press("4")
        grid = static_text(app, "#detail-grid")
        assert "[S]" in grid and "[TS]" in grid and "[I]" in grid
        assert "5 critère(s) évalué(s) sur 12." in grid

        await pilot.press("5")
        result = static_text(app, "#detail-result")
        assert "Note : 14,5 / 20" in result
        assert "Exposé structuré, entretien un peu long." in result
        assert "M. Martin, Mme Durand" in result

        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_a_damaged_file_opens_with_what_could_be_read_under_a_banner(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await open_row(pilot, "Léa Bœuf")
        banner = screen.query_one("#detail-integrity")
        assert banner.display and banner.has_class("-damaged")
        assert "ENDOMMAGÉ" in static_text(app, "#detail-integrity")
        drawing = [line.plain for line in screen.query_one(Timeline).lines(96)]
        assert "Exposé du candidat · en cours à la fin du journal" in drawing
        await pilot.press("6")
        file_tab = static_text(app, "#detail-file")
        assert (
            "endommagé" in file_tab and "l'événement 2 (ligne" in file_tab and "modifié" in file_tab
        )
        await pilot.press("escape")

        screen = await open_row(pilot, "Maël Çelik")
        assert screen.query_one("#detail-integrity").has_class("-torn")
        assert "tronquée" in static_text(app, "#detail-integrity")


# --- rehearsals ---------------------------------------------------------------------------------------


async def test_a_students_rehearsals_are_charted_side_by_side(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = table_of(app)
        table.cursor = names(table).index("Inès Martin")
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RehearsalsScreen)
        assert "Répétitions de Inès Martin · 4 tentative(s)" in static_text(app, "#rehearsals-top")
        chart = [line.plain for line in screen.query_one(AttemptsChart).lines(96)]
        titles = [line for line in chart if line.startswith("Tentative")]
        assert [t.split(" · ")[1] for t in titles] == [
            "2026-05-20 18:00",
            "2026-05-25 18:00",
            "2026-05-28 18:00",
            "2026-06-01 18:00",
        ]
        exposés = [line for line in chart if line.strip().startswith("Exposé du candidat")]
        assert "12:30 / 10:00 +02:30" in exposés[0] and "▓" in exposés[0]
        assert "11:00 / 10:00 +01:00" in exposés[1]
        assert "09:50 / 10:00" in exposés[3] and "▓" not in exposés[3] and "+" not in exposés[3]
        # Same scale for every attempt: the planned end is at the same column.
        assert len({line.index("│") for line in exposés}) == 1
        over = [line.count("▓") for line in exposés]  # overtime shrinks attempt after attempt
        assert over[0] > over[1] > over[2] > over[3] == 0

        await pilot.press("f5")  # every rehearsal of the exam in the list
        await settle(pilot)
        chart = [line.plain for line in screen.query_one(AttemptsChart).lines(96)]
        titles = [line for line in chart if line.startswith("Tentative")]
        assert len(titles) == 5 and "Maël Çelik" in titles[-1] and "tronqué" in titles[-1]
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


# --- exports --------------------------------------------------------------------------------------------


async def test_exports_from_a_session_are_written_where_asked_and_said_so(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive, tmp_path: Path, notes: Notes
) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot)
        await open_row(pilot, "Ada Lovelace")
        await pilot.press("f7")
        assert isinstance(app.screen, ExportDirDialog)
        field = app.screen.query_one(Input)
        (tmp_path / "a-file").write_text("x", encoding="utf-8")
        field.value = str(tmp_path / "a-file")
        await pilot.press("enter")
        assert isinstance(app.screen, ExportDirDialog)  # stays open, says why
        assert "n'est pas un dossier" in static_text(app, "#dialog-error")
        field.value = str(out)
        await pilot.press("enter")
        assert isinstance(app.screen, SessionDetailScreen)

        for key in ("m", "j", "f", "g"):
            await pilot.press(key)
            await settle(pilot)
        written = sorted(p.name for p in out.iterdir())
        session_id = Path(archive["ada"]).stem
        # Named after the candidate, the exam and the day (issue 10; the id alone before).
        assert session_id.startswith("20260602-0800")
        session_id = "Ada-Lovelace_e6-ccf-a_2026-06-02_0800"
        assert written == sorted(
            f"{session_id}{ext}" for ext in (".md", ".json", "-fiche.pdf", "-grille.pdf")
        )
        said = [m for severity, m in notes.messages if severity == "information"]
        assert any(str(out / f"{session_id}-fiche.pdf") in m for m in said)
        assert "Ada Lovelace" in (out / f"{session_id}.md").read_text(encoding="utf-8")
        assert (out / f"{session_id}-grille.pdf").read_bytes().startswith(b"%PDF")

        shutil.rmtree(out)  # the USB key was pulled out: one clear line, no crash
        await pilot.press("m")
        await settle(pilot)
        severity, message = notes.last()
        assert severity == "error" and str(out) in message and "\n" not in message


async def test_csv_of_the_sessions_listed_with_the_current_filters(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive, tmp_path: Path, notes: Notes
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot)
        await pilot.press("f2", *"martin")
        assert len(table_of(app).rows) == 4
        await pilot.press("f6")
        assert isinstance(app.screen, ExportDirDialog)
        app.screen.query_one(Input).value = str(tmp_path)
        await pilot.press("enter")
        await settle(pilot)
        files = list(tmp_path.glob("sessions-*.csv"))
        assert [f.name for f in files] == ["sessions-20260602-080000.csv"]
        rows = list(csv.reader(io.StringIO(files[0].read_text("utf-8-sig")), delimiter=";"))
        assert len(rows) == 5 and {r[4] for r in rows[1:]} == {"Inès Martin"}
        assert str(files[0]) in notes.last()[1]


# --- leaving ---------------------------------------------------------------------------------------------


async def test_escape_clears_the_filter_then_quits_when_review_was_opened_directly(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f2", *"ada")
        assert len(table_of(app).rows) == 1
        await pilot.press("escape")  # clears what was typed, nothing else
        assert app.is_running and len(table_of(app).rows) == 10
        await pilot.press("escape")  # leaves the field for the list
        assert isinstance(app.focused, SessionTable) and app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert not app.is_running


async def test_from_the_home_screen_escape_goes_back_home(
    catalog: Catalog, store: Store, clock: FakeClock, archive: Archive
) -> None:
    app = review_app(catalog, store, clock, review=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ReviewScreen) and len(table_of(app).rows) == 10
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen) and app.is_running


async def test_leaving_while_the_list_or_an_export_is_under_way_loses_nothing(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    archive: Archive,
    tmp_path: Path,
    notes: Notes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ndrc_oral.tui.screens import review, session_detail

    gate = threading.Event()
    real_list = review.list_sessions
    real_render = session_detail.render

    def slow_list(*a: Any, **k: Any) -> Any:
        gate.wait(10)
        return real_list(*a, **k)

    def slow_render(*a: Any, **k: Any) -> Any:
        gate.wait(10)
        return real_render(*a, **k)

    app = review_app(catalog, store, clock, review=False)
    async with app.run_test(size=SIZE, message_hook=notes.hook) as pilot:
        await settle(pilot)
        monkeypatch.setattr(review, "list_sessions", slow_list)
        await pilot.press("f5")  # the list is still being read...
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")  # ...when the user goes back home
        gate.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # the late list went nowhere, no crash

        gate.clear()
        monkeypatch.setattr(review, "list_sessions", real_list)
        monkeypatch.setattr(session_detail, "render", slow_render)
        await pilot.press("f5")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        screen.exports.directory = tmp_path
        await open_row(pilot, "Ada Lovelace")
        await pilot.press("f", "escape", "escape")  # the PDF is still being made
        gate.set()
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert archive["ada"].stem.startswith("20260602-0800")  # named after Ada, E6, the day
        fiche = tmp_path / "Ada-Lovelace_e6-ccf-a_2026-06-02_0800-fiche.pdf"
        # The detail screen's worker is no longer awaited: polled.
        await until(
            pilot, lambda: any(str(fiche) in m for _, m in notes.messages), "the fiche written"
        )
        assert any(str(fiche) in message for _, message in notes.messages), notes.messages
        assert fiche.read_bytes().startswith(b"%PDF")


@pytest.fixture
def _no_app_run(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[KioskApp]]:
    started: list[KioskApp] = []
    monkeypatch.setattr(KioskApp, "run", lambda self, *a, **k: started.append(self))
    monkeypatch.setattr("ndrc_oral.commands.kiosk.need_terminal", lambda: None)  # captured
    yield started


def test_the_review_command_starts_the_app_on_the_review_screen(
    tmp_path: Path, _no_app_run: list[KioskApp]
) -> None:
    from ndrc_oral.cli import main

    assert main(["review", "--data-dir", str(tmp_path / "d")]) == 0
    assert len(_no_app_run) == 1 and _no_app_run[0]._review_first


def test_the_review_command_refuses_an_unusable_data_dir_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], _no_app_run: list[KioskApp]
) -> None:
    from ndrc_oral.cli import main

    occupied = tmp_path / "occupied"
    occupied.write_text("not a directory")
    assert main(["review", "--data-dir", str(occupied)]) == 1
    err = capsys.readouterr().err
    assert str(occupied) in err and err.count("\n") == 1 and "Traceback" not in err
    assert not _no_app_run
