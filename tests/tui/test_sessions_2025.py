"""The session-2025 exams in the kiosk, end to end on a FakeClock (pilot tests).

Each new exam from the home screen to its saved result; a CCF épreuve over
two dates (situation B started weeks later on another day's clock, from the
list of open épreuves) with one result; NV from the home screen without a
timer; a reserved mark settled from the review.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, RadioButton, Select

from ndrc_oral.exam_room.epreuves import open_epreuves
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.verdict import Status
from ndrc_oral.transcript import Store, read_transcript
from ndrc_oral.transcript.recorder import load_session
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import ButtonsDialog, ChoiceDialog, ConfirmDialog
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.result import ResultScreen
from ndrc_oral.tui.screens.run import RunScreen
from ndrc_oral.tui.widgets.grid import GridList
from ndrc_oral.tui.widgets.memo import Memo
from ndrc_oral.tui.widgets.notes import NoteEntry, NotesLog
from ndrc_oral.tui.widgets.timer import TimerPanel

from .conftest import kiosk, save_result

PARIS = timezone(timedelta(hours=1))
SIZE = (120, 40)


def on(month: int, day: int) -> FakeClock:
    return FakeClock(wall=datetime(2027, month, day, 9, 0, tzinfo=PARIS))


def results(store: Store) -> list[dict[str, Any]]:
    """The last result of every transcript, oldest first."""
    out = []
    for path in sorted(store.root.glob("*.toml")):
        events = read_transcript(path).events
        found = [e.data for e in events if e.kind == "result"]
        if found:
            out.append(found[-1])
    return out


async def fill_home(
    pilot: Pilot[None], exam: str, name: str = "Zoé Martin", number: str = "0421"
) -> HomeScreen:
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    await pilot.app.workers.wait_for_complete()
    home.query_one("#exam", Select).value = exam
    home.query_one("#candidate", Input).value = name
    home.query_one("#number", Input).value = number
    home.query_one("#commission", Input).value = "7"
    home.query_one("#member1", Input).value = "Mme Durand"
    await pilot.pause()
    return home


async def run_through(pilot: Pilot[None], clock: FakeClock, seconds: list[float]) -> RunScreen:
    """Start each phase (those that wait), let it run ``seconds``, end it; then F8."""
    run = pilot.app.screen
    assert isinstance(run, RunScreen)
    for s in seconds:
        if run.desk.status.value in ("ready", "between"):
            await pilot.press("f2")
        clock.advance(s)
        run.refresh_clock()
        if run.desk.status.value == "running":
            await pilot.press("f4")
            if isinstance(pilot.app.screen, ConfirmDialog):
                await pilot.press("left", "enter")
    await pilot.press("f8")
    if isinstance(pilot.app.screen, ButtonsDialog):
        await pilot.press("left", "enter")
    return run


def form(app: KioskApp) -> ResultScreen:
    screen = app.screen
    assert isinstance(screen, ResultScreen)
    return screen


async def test_an_e6_ccf_epreuve_over_two_dates_with_one_result(
    catalog: Catalog, store: Store
) -> None:
    day1 = on(1, 12)
    app = kiosk(catalog, store, day1)
    async with app.run_test(size=SIZE) as pilot:
        home = await fill_home(pilot, "e6-ccf-2025")
        line = str(home.query_one("#situation-line").render())
        assert "Situation A" in line and "nouvelle épreuve" in line
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen) and run.run.situation_id == "a"
        assert run.query_one(TimerPanel).text == "15:00"  # one maximum: exposé and entretien
        await pilot.press("f2")
        day1.advance(420)
        run.query_one("#note-input", Input).value = "Expérience bien située"
        await pilot.press("enter", "alt+3")
        assert "^e : Début de l'entretien" in str(run.query_one("#timer-status").render())
        await pilot.press("ctrl+e")  # the entretien starts: marked, the timer unchanged
        assert "Début de l'entretien à +07:00" in str(run.query_one("#timer-status").render())
        await run_through(pilot, day1, [480])
        result = form(app)
        assert not result.query("#mark")  # the mark comes after the last situation
        assert result.query_one("#outcome-situation", RadioButton).value
        result.query_one("#fiche-fiche-a", Input).value = "1"
        result.query_one("#fiche-reseau-a--distributeurs", Checkbox).value = True
        result.query_one("#fiche-appreciation-a", Memo).text = "Expérience présentée avec clarté."
        await save_result(pilot)
        assert isinstance(app.screen, HomeScreen)
    [a] = results(store)
    assert a["situation_done"] is True
    assert a["fields"] == {
        "fiche-a": "1",
        "reseau-a": ["distributeurs"],
        "appreciation-a": "Expérience présentée avec clarté.",
    }
    a_path = next(store.root.glob("*.toml"))
    assert [e.kind for e in read_transcript(a_path).events].count("milestone") == 1

    day2 = on(3, 2)  # seven weeks later, another day's clock
    app = kiosk(catalog, store, day2)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        listing = home.query_one("#epreuves", OptionList)
        assert listing.option_count == 1
        await pilot.press("f6", "enter")  # the open épreuve fills the form
        assert home.query_one("#exam", Select).value == "e6-ccf-2025"
        assert home.query_one("#number", Input).value == "0421"
        line = str(home.query_one("#situation-line").render())
        assert "Situation B" in line and "12/01" in line
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen) and run.run.situation_id == "b"
        grid = run.query_one(GridList)
        assert grid._ratings == {"valoriser-offre": "S"}  # what A rated
        notes = [entry.note.text for entry in run.query_one(NotesLog).query(NoteEntry)]
        assert notes == ["Expérience bien située"]  # A's note, carried
        await run_through(pilot, day2, [900])
        result = form(app)
        suggestion = str(result.query_one("#result-suggestion").render())
        assert "1 critère(s) noté(s) sur 7" in suggestion
        result.query_one("#mark", Input).value = "14,5"
        result.query_one("#fiche-fiches-b", Input).value = "2/3"
        result.query_one("#fiche-reseau-b--partenaires", Checkbox).value = True
        await save_result(pilot)
        assert isinstance(app.screen, HomeScreen)
    a_again, b_result = results(store)
    assert a_again == a  # situation A is as it was left
    assert b_result["mark"] == 14.5
    assert b_result["fields"] == {"fiches-b": "2/3", "reseau-b": ["partenaires"]}
    assert open_epreuves(store) == []
    b_path = sorted(store.root.glob("*.toml"))[-1]
    b = load_session(b_path)
    assert b.state.created and b.events[0].at.startswith("2027-03-02")
    assert b.state.link is not None and b.state.link.session == a_path.stem


async def test_e4_ccf_untimed_a_opens_on_its_form_then_b_simulation(
    catalog: Catalog, store: Store
) -> None:
    clock = on(2, 1)
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await fill_home(pilot, "e4-ccf-2025")
        await pilot.press("f2")
        result = form(app)  # no timer: its form at once
        assert result.query_one("#fiche-date-a", Input).value == "01/02/2027"
        result.query_one("#fiche-date-a", Input).value = "15/01/2027"
        result.query_one("#fiche-appreciation-a", Memo).text = "Démarche de prospection solide."
        await save_result(pilot)
        assert isinstance(app.screen, HomeScreen)
        clock.advance(3600)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        home = await fill_home(pilot, "e4-ccf-2025")  # the same candidate: situation B
        assert "Situation B" in str(home.query_one("#situation-line").render())
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen)
        assert run.query_one(TimerPanel).text == "15:00"
        await run_through(pilot, clock, [900])
        result = form(app)
        result.query_one("#mark", Input).value = "12"
        result.query_one("#fiche-fiche-activite-b", Input).value = "4"
        result.query_one("#fiche-titre-b", Input).value = "Salon de l'habitat"
        await pilot.click("#fiche-activite-b--evenement-commercial")
        await save_result(pilot)
        assert isinstance(app.screen, HomeScreen)
    a, b = results(store)
    assert a["situation_done"] and a["fields"]["date-a"] == "2027-01-15"
    assert b["mark"] == 12.0 and b["fields"]["activite-b"] == "evenement-commercial"


async def test_e4_ponctuel_2025_preparation_then_three_phases_one_appreciation_each(
    catalog: Catalog, store: Store
) -> None:
    clock = on(5, 20)
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await fill_home(pilot, "e4-ponctuel-2025")
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen)
        assert run.query_one(TimerPanel).text == "40:00"  # the preparation (2018's figure)
        await pilot.press("f2")
        clock.advance(2400)
        run.refresh_clock()  # it ends by itself; the commission starts phase 1
        assert run.desk.status.value == "between"
        await pilot.press("f2")
        assert run.query_one(TimerPanel).text == "10:00"
        await run_through(pilot, clock, [600, 900, 900])
        result = form(app)
        for n, text in ((1, "Ciblage"), (2, "Simulation"), (3, "Remontée")):
            result.query_one(f"#fiche-appreciation-p{n}", Memo).text = text
        result.query_one("#fiche-fiche-activite", Input).value = "2"
        result.query_one("#mark", Input).value = "15"
        await save_result(pilot)
    [saved] = results(store)
    assert saved["fields"] == {
        "appreciation-p1": "Ciblage",
        "fiche-activite": "2",
        "appreciation-p2": "Simulation",
        "appreciation-p3": "Remontée",
    }


async def test_e5_2025_with_the_subjects_letter_and_its_own_grid(
    catalog: Catalog, store: Store, tmp_path: Path
) -> None:
    grid = tmp_path / "sujet-b.toml"
    grid.write_text(
        "[[scale]]\ncode = '1'\nlabel = { fr = 'non réalisée' }\n"
        "[[scale]]\ncode = '2'\nlabel = { fr = 'partielle' }\n"
        "[[competences]]\nid = 'q1'\nlabel = { fr = 'Question 1' }\n"
        "criteria = [{ id = 'q1-a', label = { fr = 'Mise à jour de la fiche produit' } }]\n"
    )
    clock = on(5, 21)
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        home = await fill_home(pilot, "e5-pratique-2025")
        assert home.query_one("#grid-row").display
        home.query_one("#cms", Select).value = "WordPress"
        home.query_one("#subject", Input).value = "B"
        home.query_one("#grid-file", Input).value = str(grid)
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen)
        assert run.exam.criterion_ids() == ["q1-a"]  # the subject's grid
        await pilot.press("f2", "alt+2")
        await run_through(pilot, clock, [2400])
        result = form(app)
        result.query_one("#mark", Input).value = "16"
        result.query_one("#fiche-appreciation", Memo).text = "Très à l'aise."
        await save_result(pilot)
    created = read_transcript(next(store.root.glob("*.toml"))).events[0].data
    assert (created["cms"], created["subject"], created["grid"]) == (
        "WordPress",
        "B",
        "sujet-b.toml",
    )
    assert created["exam_def"]["competences"][0]["criteria"][0]["id"] == "q1-a"
    [saved] = results(store)
    assert saved["mark"] == 16.0


async def test_ef2_and_e6_ponctuel_2025_end_to_end(catalog: Catalog, store: Store) -> None:
    clock = on(6, 3)
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await fill_home(pilot, "ef2-engagement-2025")
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen) and run.query_one(TimerPanel).text == "20:00"
        await run_through(pilot, clock, [1200])
        result = form(app)
        result.query_one("#fiche-organisation", Input).value = "Banque alimentaire"
        result.query_one("#mark", Input).value = "17"
        await save_result(pilot)
        clock.advance(3600)
        await fill_home(pilot, "e6-ponctuel-2025", name="Yann", number="0042")
        await pilot.press("f2")
        run = app.screen
        assert isinstance(run, RunScreen) and run.query_one(TimerPanel).text == "15:00"
        await pilot.press("f2")
        clock.advance(500)
        await pilot.press("ctrl+e")
        await run_through(pilot, clock, [400, 900])
        result = form(app)
        result.query_one("#fiche-reseau-p1--vente-directe", Checkbox).value = True
        result.query_one("#fiche-reseau-p2--distributeurs", Checkbox).value = True
        result.query_one("#outcome-reserved", RadioButton).value = True
        result.query_one("#mark", Input).value = "11,5"
        await save_result(pilot)
    ef2, e6 = results(store)
    assert ef2["mark"] == 17.0 and ef2["fields"]["organisation"] == "Banque alimentaire"
    assert (e6["mark"], e6["reserved"]) == (11.5, True)
    assert e6["fields"] == {"reseau-p1": ["vente-directe"], "reseau-p2": ["distributeurs"]}


async def test_nv_from_the_home_screen_without_a_timer(catalog: Catalog, store: Store) -> None:
    app = kiosk(catalog, store, on(1, 20))
    async with app.run_test(size=SIZE) as pilot:
        await fill_home(pilot, "e6-ponctuel-2025", name="Inès Petit", number="0077")
        await pilot.press("f7")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        await pilot.press("down", "enter")  # the second reason: the dossier came late
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.query_one("#candidate", Input).value == ""  # ready for the next one
    path = next(store.root.glob("*.toml"))
    kinds = [e.kind for e in read_transcript(path).events]
    assert kinds == ["created", "result", "finished"]  # no phase ran
    verdict = load_session(path).state.verdict
    assert verdict is not None and verdict.status is Status.NV and verdict.reason == "hors-delai"


async def test_a_reserved_mark_is_settled_from_the_review(catalog: Catalog, store: Store) -> None:
    from sessions import who

    from ndrc_oral.exam_room.requests import SessionRequest, create_session
    from ndrc_oral.tui.screens.review import ReviewScreen
    from ndrc_oral.tui.screens.session_detail import SessionDetailScreen

    exam = catalog.get("e6-ponctuel-2025")
    for name in ("Réservée Un", "Réservée Deux"):
        live = create_session(store, exam, on(4, 1), SessionRequest(exam.id, who(name)))
        live.session.finish()
        live.session.set_result(mark=13, reserved=True)
        live.close()
    app = KioskApp(catalog=catalog, store=store, clock=on(4, 15), review=True, cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        for name, decision in (("Réservée Un", "released"), ("Réservée Deux", "nv")):
            review = app.screen
            assert isinstance(review, ReviewScreen)
            await pilot.app.workers.wait_for_complete()
            review.query_one("#review-text", Input).value = name
            await pilot.pause()
            await pilot.press("enter")
            detail = app.screen
            assert isinstance(detail, SessionDetailScreen)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("f8")
            assert isinstance(app.screen, ChoiceDialog)
            await pilot.press(
                *(["enter"] if decision == "released" else ["down", "enter", "enter"])
            )
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is detail
            await pilot.press("escape")
    verdicts = {}
    for path in store.root.glob("*.toml"):
        loaded = load_session(path)
        verdicts[loaded.state.identity.candidate] = loaded.state.verdict
    assert verdicts["Réservée Un"] is not None and verdicts["Réservée Un"].status is Status.MARK
    deux = verdicts["Réservée Deux"]
    assert deux is not None and deux.status is Status.NV and deux.reason == "pas-de-dossier"
    assert deux.mark == 13.0  # the mark given is kept


async def test_a_ticked_network_is_told_by_its_glyph_not_only_by_colour(
    catalog: Catalog, store: Store
) -> None:
    # Textual draws ▐X▌ in every check box and tells a ticked one by colour only: in a
    # text capture (NO_COLOR, a colour-blind examiner) the three networks looked ticked.
    day1 = on(1, 12)
    app = kiosk(catalog, store, day1)
    async with app.run_test(size=SIZE) as pilot:
        await fill_home(pilot, "e6-ccf-2025")
        await pilot.press("f2", "f2")
        await run_through(pilot, day1, [900])
        result = form(app)
        boxes = {
            b.id: b for b in result.query(Checkbox) if (b.id or "").startswith("fiche-reseau-a--")
        }
        assert len(boxes) == 3
        boxes["fiche-reseau-a--partenaires"].value = True
        await pilot.pause()
        drawn = {i: b.render().plain[:3] for i, b in boxes.items()}
        ticked = drawn.pop("fiche-reseau-a--partenaires")
        assert ticked == "▐X▌" and set(drawn.values()) == {"▐ ▌"}, (ticked, drawn)
