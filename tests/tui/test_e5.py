"""E5: up to three candidates on one screen, each with their own timer, grid, notes and transcript."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from ndrc_oral.cli import build_parser
from ndrc_oral.commands.kiosk import _requests
from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.guard import GuardedSession
from ndrc_oral.exam_room.requests import create_sessions
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import AddCandidateDialog, ButtonsDialog, ConfirmDialog
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.result import ResultScreen
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.candidates import CandidateStrip
from ndrc_oral.tui.widgets.notes import NoteInput
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import request, save_result

NAMES = ("Ada Lovelace", "Bob Martin", "Chloé Durand")


def three(catalog: Catalog, store: Store, clock: FakeClock, **kw: Any) -> list[LiveSession]:
    requests = [
        request("e5-pratique", candidate=name, number=f"04{i}", cms="PrestaShop", **kw)
        for i, name in enumerate(NAMES)
    ]
    return create_sessions(store, catalog.get("e5-pratique"), clock, requests)


def app_of(catalog: Catalog, store: Store, clock: FakeClock, lives: list[LiveSession]) -> KioskApp:
    return KioskApp(catalog=catalog, store=store, clock=clock, sessions=lives, cursor_blink=False)


def run_screen(app: KioskApp) -> RunScreen:
    screen = app.screen
    assert isinstance(screen, RunScreen)
    return screen


def strip(screen: RunScreen) -> list[tuple[str, str, str, bool]]:
    """(name, time, status, current) of each line of the strip."""
    rows = screen.query_one(CandidateStrip).rows
    return [(r.name, r.time, r.status, r.current) for r in rows]


def events(live: LiveSession | GuardedSession, kind: str) -> list[dict[str, Any]]:
    return [e.data for e in read_transcript(live.path).events if e.kind == kind]


async def write(pilot: Pilot[None], text: str) -> None:
    note = pilot.app.focused
    assert isinstance(note, Input)
    note.value = text
    note.cursor_position = len(text)
    await pilot.pause()


async def test_three_candidates_started_minutes_apart_keep_their_own_time(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    lives = three(catalog, store, clock)
    app = app_of(catalog, store, clock, lives)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        assert [r[0] for r in strip(screen)] == list(NAMES)
        await pilot.press("f2")  # Ada starts
        clock.advance(120)
        await pilot.press("ctrl+n", "f2")  # two minutes later, Bob
        clock.advance(180)
        await pilot.press("ctrl+n", "f2")  # three minutes after him, Chloé
        clock.advance(60)
        screen.refresh_clock()
        assert strip(screen) == [
            ("Ada Lovelace", "34:00", "en cours", False),
            ("Bob Martin", "36:00", "en cours", False),
            ("Chloé Durand", "39:00", "en cours", True),
        ]
        assert screen.query_one(TimerPanel).text == "39:00"  # the current candidate's
        assert "[3/3] Chloé Durand" in str(screen.query_one("#run-top").render())

        await pilot.press("ctrl+n")  # back to Ada: her timer, her top line
        assert screen.query_one(TimerPanel).text == "34:00"
        assert strip(screen)[0][3]
        await pilot.press("f3", "enter")  # Ada pauses (default reason): the others run on
        clock.advance(30)
        screen.refresh_clock()
        assert [r[1:3] for r in strip(screen)] == [
            ("34:00", "en pause"),
            ("35:30", "en cours"),
            ("38:30", "en cours"),
        ]
    starts = [events(live, "phase_started") for live in lives]
    times = [read_transcript(live.path).events[1].t for live in lives]
    assert all(s == [{"phase": "pratique"}] for s in starts)
    assert times == [0.0, 120.0, 300.0]  # each transcript holds its own start
    # Ada's pause at the key press, then its reason (the default, confirmed).
    assert [e.kind for e in read_transcript(lives[0].path).events][-2:] == [
        "paused",
        "pause_reason",
    ]
    assert not events(lives[1], "paused") and not events(lives[2], "paused")


async def test_notes_and_ratings_land_in_the_right_transcript(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    lives = three(catalog, store, clock)
    app = app_of(catalog, store, clock, lives)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        note = screen.query_one(NoteInput)
        await pilot.press("f2")
        clock.advance(65)
        await write(pilot, "Ada : bonne reformulation")
        await pilot.press("enter", "alt+3")  # a note and an S for Ada's first criterion
        await write(pilot, "Ada, à moitié tapé")
        assert str(screen.query_one("#note-box").border_title).startswith("Ada Lovelace · ")
        await pilot.press("ctrl+n")  # switching while typing: the draft stays with Ada
        assert note.has_focus and note.value == ""
        assert str(screen.query_one("#note-box").border_title).startswith("Bob Martin · ")
        await pilot.press("down", "alt+1")  # Bob's second criterion: TI
        await write(pilot, "Bob : hésitant sur PrestaShop")
        await pilot.press("enter")
        await pilot.press("ctrl+n", "ctrl+n")  # round to Ada again
        assert note.value == "Ada, à moitié tapé"
        await pilot.press("enter")
        ada, bob = screen.seats[0], screen.seats[1]
        assert screen.query_one(f"#{ada.pane}").display  # Ada's grid and notes are shown
        assert not screen.query_one(f"#{bob.pane}").display

    ada_notes = events(lives[0], "note")
    assert [(n["text"], n["phase"], n["offset_s"]) for n in ada_notes] == [
        ("Ada : bonne reformulation", "pratique", 65.0),
        ("Ada, à moitié tapé", "pratique", 65.0),
    ]
    assert [n["text"] for n in events(lives[1], "note")] == ["Bob : hésitant sur PrestaShop"]
    assert "phase" not in events(lives[1], "note")[0]  # Bob had not started: no phase stamp
    assert not events(lives[2], "note") and not events(lives[2], "rated")
    first, second = catalog.get("e5-pratique").criterion_ids()[:2]
    assert [(r["criterion"], r["level"]) for r in events(lives[0], "rated")] == [(first, "S")]
    assert [(r["criterion"], r["level"]) for r in events(lives[1], "rated")] == [(second, "TI")]
    created = [events(live, "created")[0] for live in lives]
    assert {c["cms"] for c in created} == {"PrestaShop"}  # the subject's CMS, in each
    assert len({c["group"] for c in created}) == 1  # one group: resumed together
    assert [c["candidate"]["name"] for c in created] == list(NAMES)


async def test_results_one_by_one_then_home(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    lives = three(catalog, store, clock)
    app = app_of(catalog, store, clock, lives)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        for _ in NAMES:  # everyone starts
            await pilot.press("f2", "ctrl+n")
        clock.advance(2400)
        await pilot.press("ctrl+n", "f4")  # Bob: at his planned end, ends without a question
        await pilot.press("f8")  # every phase over: straight to his result
        result = app.screen
        assert isinstance(result, ResultScreen) and result.desk.session_id == lives[1].session_id
        result.query_one("#mark", Input).value = "12"
        await save_result(pilot)
        assert app.screen is screen  # back to the others, not home
        assert [r[0] for r in strip(screen)] == ["Ada Lovelace", "Chloé Durand"]
        assert screen.desk.session_id == lives[2].session_id  # the next one in order is current
        assert "[2/2] Chloé Durand" in str(screen.query_one("#run-top").render())

        await pilot.press("f8")  # Chloé's phase is running: asked first, by her name
        dialog = app.screen
        assert isinstance(dialog, ButtonsDialog) and dialog.question.startswith("Chloé Durand · ")
        await pilot.press("left", "enter")
        result = app.screen
        assert isinstance(result, ResultScreen) and result.desk.session_id == lives[2].session_id
        result.query_one("#mark", Input).value = "15,5"
        await save_result(pilot)
        assert app.screen is screen and [d.session_id for d in screen.desks] == [
            lives[0].session_id
        ]
        clock.advance(10)
        await pilot.press("f4", "f8")
        app.screen.query_one("#mark", Input).value = "9"
        await save_result(pilot)
        assert isinstance(app.screen, HomeScreen)  # the last result: home for the next group
    marks = [events(live, "result")[0]["mark"] for live in lives]
    assert marks == [9.0, 12.0, 15.5]
    assert all(read_transcript(live.path).finished for live in lives)


async def test_a_candidate_joins_after_the_others_started(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    lives = three(catalog, store, clock)[:1]
    app = app_of(catalog, store, clock, lives)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        assert "^o : ajouter un candidat (1/3)" in screen.query_one(CandidateStrip).hint
        await pilot.press("f2")
        clock.advance(300)
        await pilot.press("ctrl+o")
        dialog = app.screen
        assert isinstance(dialog, AddCandidateDialog)
        assert "PrestaShop" in str(dialog.query_one("#dialog-question").render())
        await pilot.press("enter")  # no name: refused, nothing created
        assert app.screen is dialog
        await write(pilot, "Ada Lovelace")
        dialog.query_one("#add-number", Input).value = "040"
        await pilot.press("enter")  # the same candidate twice: refused
        assert "deux fois" in str(dialog.query_one("#dialog-error").render())
        dialog.query_one("#add-name", Input).value = "Dan Brown"
        dialog.query_one("#add-extra", Input).value = "1/3"
        dialog.query_one("#add-reason", Input).value = "PAP"
        await pilot.press("enter")
        assert app.screen is screen and len(screen.seats) == 2
        assert screen.desk.identity.candidate == "Dan Brown"
        assert screen.query_one(TimerPanel).text == "53:20"  # 40 min + 1/3, not started
        assert strip(screen)[0][1] == "35:00"  # Ada's time went on
        await pilot.press("f2")
        clock.advance(1)
        screen.refresh_clock()
        assert strip(screen)[1][1:3] == ("53:19", "en cours")
        dan = screen.desk
    created = events(dan, "created")[0]
    first = events(lives[0], "created")[0]
    assert dan.path != lives[0].path
    for key in ("cms", "group", "commission", "members", "mode"):
        assert created[key] == first[key], key
    assert created["extra_time"] == "1/3" and "extra_time" not in first


async def test_no_more_than_the_exams_maximum(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = app_of(catalog, store, clock, three(catalog, store, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        await pilot.press("ctrl+o")  # three already: the key does nothing
        assert app.screen is screen and len(screen.seats) == 3
        assert "ajouter" not in screen.query_one(CandidateStrip).hint
        assert "^n" in str(screen.query_one(CandidateStrip).hint)


async def test_another_candidates_threshold_rings_and_says_who(
    catalog: Catalog, store: Store, clock: FakeClock, bells: list[float]
) -> None:
    lives = three(catalog, store, clock)[:2]
    app = app_of(catalog, store, clock, lives)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        screen.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("f2", "ctrl+n")  # Ada runs; Bob (not started) is on screen
        clock.advance(1800)  # Ada: 10 min left, the first warning of the E5
        screen.refresh_clock()
        assert len(bells) == 1
        assert any("Ada Lovelace" in n and "10:00" in n for n in notes)
        assert screen.query_one(TimerPanel).text == "40:00"  # the screen stays on Bob
        clock.advance(480)  # 2 min left
        screen.refresh_clock()
        clock.advance(120)  # her planned end
        screen.refresh_clock()
        assert len(bells) == 3 and any("Ada Lovelace : fin prévue" in n for n in notes)


async def test_quit_asks_then_the_group_is_resumed_together(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    lives = three(catalog, store, clock)
    app = app_of(catalog, store, clock, lives)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        await pilot.press("f2", "ctrl+n", "f2")
        clock.advance(100)
        screen.refresh_clock()
        await pilot.press("ctrl+q")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "3 sessions" in dialog.question
        await pilot.press("left", "enter")
    assert not any(read_transcript(live.path).finished for live in lives)

    clock.advance(60)
    again = KioskApp(catalog=catalog, store=store, clock=clock, cursor_blink=False)
    async with again.run_test(size=(100, 30)) as pilot:
        await again.workers.wait_for_complete()
        await pilot.pause()
        home = again.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#interrupted", OptionList).option_count == 3
        await pilot.press("f4", "enter")  # one chosen: its whole group comes back
        screen = run_screen(again)
        assert [r[0] for r in strip(screen)] == list(NAMES)  # in the order they were entered
        statuses = {r[0]: r[2] for r in strip(screen)}
        assert statuses == {
            "Ada Lovelace": "en pause",
            "Bob Martin": "en pause",
            "Chloé Durand": "prêt",
        }
        by_name = {s.desk.identity.candidate: s.desk for s in screen.seats}
        assert by_name["Ada Lovelace"].status is Status.PAUSED
    for live in lives[:2]:
        assert len(events(live, "recovered")) == 1


async def test_home_starts_several_candidates_extra_time_for_one(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = KioskApp(catalog=catalog, store=store, clock=clock, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert not home.query_one("#candidate-row-2").display  # E6 first: one candidate
        home.query_one("#exam", Select).value = "e5-pratique"
        await pilot.pause()
        assert home.query_one("#candidate-row-3").display
        home.query_one("#candidate", Input).value = "Ada Lovelace"
        home.query_one("#candidate2", Input).value = "Bob Martin"
        home.query_one("#number2", Input).value = "0422"
        home.query_one("#cms", Select).value = "WordPress"
        home.query_one("#extra", Select).value = "1/3"
        await pilot.pause()
        home.query_one("#extra-for", Select).value = 3  # nobody in row 3
        await pilot.press("f2")
        assert "candidat 3 n'est pas saisi" in str(home.query_one("#home-errors").render())
        home.query_one("#extra-for", Select).value = 2
        await pilot.press("f2")
        screen = run_screen(app)
        assert [r[0] for r in strip(screen)] == ["Ada Lovelace", "Bob Martin"]
        assert [r[1] for r in strip(screen)] == ["40:00", "53:20"]  # Bob has tiers-temps
    created = sorted(
        (read_transcript(p).events[0].data for p in store.root.glob("*.toml")),
        key=lambda c: c["candidate"]["name"],
    )
    assert [c["candidate"]["number"] for c in created] == ["", "0422"]
    assert [c.get("extra_time") for c in created] == [None, "1/3"]
    assert {c["cms"] for c in created} == {"WordPress"}


def _cli(*argv: str) -> Any:
    return build_parser().parse_args(["run", *argv])


def test_the_command_line_takes_candidates_and_numbers_in_order() -> None:
    args = _cli(
        "e5-pratique",
        *("--candidate", "Ada", "--number", "01"),
        *("--candidate", "Bob", "--candidate", "Chloé", "--number", "02"),
        *("--extra-time", "1/3", "--extra-time-for", "3", "--cms", "WordPress"),
    )
    requests = [r.identity for r in _requests(args)]
    assert [(r.candidate, r.number, r.extra_time) for r in requests] == [
        ("Ada", "01", None),
        ("Bob", "02", None),
        ("Chloé", "", "1/3"),
    ]
    assert (
        _requests(_cli("e6-ccf-a", "--candidate", "Ada", "--extra-time", "1/3"))[
            0
        ].identity.extra_time
        == "1/3"
    )  # one candidate: the extra time is theirs


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--candidate", "A", "--number", "1", "--number", "2"], "plus de --number"),
        (["--candidate", "A", "--candidate", "B", "--extra-time", "1/3"], "--extra-time-for"),
        (["--candidate", "A", "--extra-time-for", "1"], "sans --extra-time"),
        (["--candidate", "A", "--extra-time", "1/3", "--extra-time-for", "2"], "de 1 à 1"),
    ],
)
def test_ambiguous_command_lines_are_refused(argv: list[str], expected: str) -> None:
    with pytest.raises(NdrcError, match=expected):
        _requests(_cli("e5-pratique", *argv))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            [
                "e5-pratique",
                "--cms",
                "WordPress",
                *["--candidate", "A"] * 1,
                "--candidate",
                "B",
                "--candidate",
                "C",
                "--candidate",
                "D",
            ],
            "au plus 3 candidat",
        ),
        (["e6-ccf-a", "--candidate", "A", "--candidate", "B"], "au plus 1 candidat"),
        (
            ["e5-pratique", "--cms", "WordPress", "--candidate", "A", "--candidate", "A"],
            "deux fois",
        ),
    ],
)
def test_too_many_or_twice_the_same_exit_1_before_any_screen(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], expected: str
) -> None:
    from ndrc_oral.cli import main

    code = main(["run", *argv, "--data-dir", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert code == 1 and expected in err and err.count("\n") == 1
    assert not list((tmp_path / "d").glob("*.toml"))


async def test_a_remapped_switch_key_is_named_before_there_is_anyone_to_switch_to(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    # With one candidate the switch is not offered; the strip names its key once a second
    # candidate joins, and that must be the [keys] one, not the default ^n.
    lives = three(catalog, store, clock)[:1]
    app = KioskApp(
        catalog=catalog,
        store=store,
        clock=clock,
        sessions=lives,
        cursor_blink=False,
        keymap={"ndrc.switch": "ctrl+w"},
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = run_screen(app)
        await pilot.press("f2")
        await pilot.press("ctrl+o")
        await write(pilot, "Dan Brown")
        await pilot.press("enter")
        assert app.screen is screen and len(screen.seats) == 2
        clock.advance(1)
        await pilot.pause()
        hint = str(screen.query_one(CandidateStrip).hint)
        assert "^w" in hint and "^n" not in hint, hint
