"""Correcting and cancelling from the kiosk: the review's session screen (a corrected result,
a cancelled session) and the home screen's interrupted sessions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from sessions import who
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from ndrc_oral.exam_room.requests import SessionRequest, create_session
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.identity import Member, Role
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.transcript.recorder import load_session
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import ConfirmDialog, ReasonDialog
from ndrc_oral.tui.screens.correction import CorrectionScreen
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.review import ReviewScreen
from ndrc_oral.tui.screens.session_detail import SessionDetailScreen
from ndrc_oral.tui.widgets.memo import Memo
from ndrc_oral.tui.widgets.session_table import SessionTable

from .conftest import kiosk

SIZE = (120, 40)
PARIS = timezone(timedelta(hours=1))


def on(day: int, hour: int = 9) -> FakeClock:
    return FakeClock(start=100.0, wall=datetime(2027, 6, day, hour, 0, tzinfo=PARIS))


def marked(store: Store, catalog: Catalog) -> Path:
    """Yann's E6 ponctuel 2025, marked 13, a member's name misspelt."""
    exam = catalog.get("e6-ponctuel-2025")
    members = (Member("M. Martin", Role.ENSEIGNANT), Member("Mme Durnad", Role.PROFESSIONNEL))
    request = SessionRequest(exam.id, who("Yann Le Goff", number="0042", members=members))
    live = create_session(store, exam, on(2), request)
    live.session.finish()
    live.session.set_result(mark=13.0, fields={"appreciation-p1": "Solide."}, members=members)
    live.close()
    return live.path


async def settled(pilot: Pilot[None]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_detail(pilot: Pilot[None], name: str) -> SessionDetailScreen:
    app = pilot.app
    await settled(pilot)
    review = app.screen
    assert isinstance(review, ReviewScreen)
    review.query_one("#review-text", Input).value = name
    await pilot.pause()
    await pilot.press("enter")
    await settled(pilot)
    detail = app.screen
    assert isinstance(detail, SessionDetailScreen)
    return detail


def result_tab(detail: SessionDetailScreen) -> str:
    content = detail.query_one("#detail-result", Static).content
    return str(content)


def review(catalog: Catalog, store: Store, clock: FakeClock) -> KioskApp:
    app = KioskApp(catalog=catalog, store=store, clock=clock, review=True, cursor_blink=False)
    app.animation_level = "none"
    return app


async def test_a_result_is_corrected_from_the_review_with_its_reason(
    catalog: Catalog, store: Store
) -> None:
    path = marked(store, catalog)
    app = review(catalog, store, on(3))
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, "Yann")
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CorrectionScreen), "no correction from the review"
        assert form.query_one("#mark", Input).value == "13"  # the saved result, filled in
        assert form.query_one("#member2", Input).value == "Mme Durnad"
        assert form.query_one("#fiche-appreciation-p1", Memo).text == "Solide."
        form.query_one("#mark", Input).value = "15"
        form.query_one("#member2", Input).value = "Mme Durand"
        await pilot.press("f2")
        assert app.screen is form  # no reason given
        assert "motif" in str(form.query_one("#result-error", Static).render())
        assert form.query_one("#correction-reason", Input).has_focus
        await pilot.press(*"typo", "f2")
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert "13 / 20 → 15 / 20" in question.question and "typo" in question.question
        await pilot.click("#yes")
        await settled(pilot)
        assert app.screen is detail
        shown = result_tab(detail)
        assert "15 / 20" in shown and "Corrections du résultat" in shown
        assert "typo" in shown and "Mme Durnad (professionnel) → " in shown
    results = [e for e in read_transcript(path).events if e.kind == "result"]
    assert [r.data["mark"] for r in results] == [13.0, 15.0]
    assert results[1].data["reason"] == "typo"


async def test_leaving_a_correction_asks_and_saves_nothing(catalog: Catalog, store: Store) -> None:
    path = marked(store, catalog)
    app = review(catalog, store, on(3))
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, "Yann")
        await pilot.press("c")
        form = app.screen
        assert isinstance(form, CorrectionScreen)
        form.query_one("#mark", Input).value = "15"
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # "no": back to the form, as typed
        assert app.screen is form and form.query_one("#mark", Input).value == "15"
        await pilot.press("escape", "left", "enter")
        await settled(pilot)
        assert app.screen is detail
    assert [e.kind for e in read_transcript(path).events].count("result") == 1


async def test_a_session_is_cancelled_from_the_review(catalog: Catalog, store: Store) -> None:
    path = marked(store, catalog)
    app = review(catalog, store, on(3))
    async with app.run_test(size=SIZE) as pilot:
        detail = await open_detail(pilot, "Yann")
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert "Yann Le Goff" in dialog.title_text
        dialog.query_one("#reason", Input).value = "mauvais candidat"
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is detail
        assert "SESSION ANNULÉE" in result_tab(detail) and "mauvais candidat" in result_tab(detail)
        assert not detail.check_action("correct", ()) and not detail.check_action(
            "cancel_session", ()
        )
        await pilot.press("escape")
        await settled(pilot)
        listed = app.screen
        assert isinstance(listed, ReviewScreen)
        table = listed.query_one(SessionTable)
        line = "".join(seg.text for seg in table.render_line(1))
        assert "Yann Le Goff" in line and "annulée" in line and "13/20" not in line
    assert read_transcript(path).events[-1].kind == "cancelled"
    state = load_session(path).state
    assert state.cancelled is not None and state.cancelled.reason == "mauvais candidat"


async def test_an_interrupted_session_is_cancelled_from_the_home_screen(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    exam = catalog.get("e6-ccf-a")
    started = create_session(store, exam, clock, SessionRequest(exam.id, who("Ada Lovlace")))
    started.session.start()
    started.close()  # the kiosk stopped: interrupted
    app = kiosk(catalog, store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        listing = home.query_one("#interrupted", OptionList)
        assert listing.option_count == 1
        await pilot.press("f8")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        assert "Ada Lovlace" in dialog.title_text
        dialog.query_one("#reason", Input).value = "nom mal orthographié"
        await pilot.press("enter")
        await settled(pilot)
        assert app.screen is home
        assert listing.option_count == 0
        assert str(home.query_one("#interrupted-none").render()).strip()
    events = read_transcript(started.path).events
    assert events[-1].kind == "cancelled" and events[-1].data["reason"] == "nom mal orthographié"
    assert "recovered" not in [e.kind for e in events]
