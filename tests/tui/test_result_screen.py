"""The result screen as a commission meets it: Ctrl+Q asks, saving asks, the focused field is
marked, a stale error goes, the arrows choose the outcome, a result without its members or
appreciation is confirmed explicitly; a session started by mistake is cancelled."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, Select, Static

from ndrc_oral.exam_room.interrupted import find_interrupted
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import read_transcript
from ndrc_oral.transcript.summary import summarize
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.dialogs import ButtonsDialog, ConfirmDialog, ReasonDialog
from ndrc_oral.tui.screens.home import HomeScreen
from ndrc_oral.tui.screens.result import ResultScreen
from ndrc_oral.tui.widgets.memo import Memo
from ndrc_oral.tui.widgets.result_form import FieldLabel

from .conftest import kiosk, live_session


async def to_result(pilot: Pilot[None], clock: FakeClock) -> ResultScreen:
    """Run the demo session's phases to their end, then F8: the result form."""
    await pilot.press("f2")
    clock.advance(600)
    await pilot.press("f4")
    clock.advance(300)
    await pilot.press("f4", "f8")
    screen = pilot.app.screen
    assert isinstance(screen, ResultScreen)
    return screen


def error_of(screen: ResultScreen) -> str:
    return str(screen.query_one("#result-error", Static).render())


def kinds(store: Store) -> list[str]:
    [path] = store.root.glob("*.toml")
    return [e.kind for e in read_transcript(path).events]


async def test_ctrl_q_on_the_result_form_asks_and_no_keeps_what_was_typed(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        result = await to_result(pilot, clock)
        result.query_one("#mark", Input).value = "14,5"
        result.query_one(Memo).text = "Exposé clair."
        await pilot.press("ctrl+q")
        question = app.screen
        assert isinstance(question, ConfirmDialog), "Ctrl+Q quit at once"
        assert "Ada Lovelace n'est pas enregistré" in question.question
        await pilot.press("enter")  # "no" has the focus
        assert app.screen is result and app.is_running
        assert result.query_one("#mark", Input).value == "14,5"
        assert result.query_one(Memo).text == "Exposé clair."
        await pilot.press("ctrl+q", "left", "enter")  # quit, knowingly
    assert "result" not in kinds(store)
    assert [i.candidate for i in find_interrupted(store)] == ["Ada Lovelace"]  # to complete


async def test_saving_asks_first_naming_the_result_and_back_keeps_the_form(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        result = await to_result(pilot, clock)
        result.query_one("#mark", Input).value = "14,5"
        result.query_one(Memo).text = "Exposé clair."
        await pilot.press("f2")
        question = app.screen
        assert isinstance(question, ConfirmDialog), "saving did not ask"
        assert "Ada Lovelace : 14,5 / 20" in question.question
        assert "⚠" not in question.question  # nothing lacks: "save" has the focus
        assert question.query_one("#yes").has_focus
        await pilot.press("escape")
        assert app.screen is result and "result" not in kinds(store)
        assert result.query_one("#mark", Input).value == "14,5"
        await pilot.press("f2", "enter")
        assert isinstance(app.screen, HomeScreen)
    assert kinds(store)[-2:] == ["result", "finished"]


async def test_a_result_without_members_or_appreciation_is_confirmed_explicitly(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        result = await to_result(pilot, clock)
        result.query_one("#mark", Input).value = "12"
        for i in (1, 2):
            result.query_one(f"#member{i}", Input).value = ""
        await pilot.press("f2")
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert "⚠ Aucun membre de la commission n'est indiqué." in question.question
        assert "⚠ « Appréciation de la commission » est vide." in question.question
        assert question.yes == "Enregistrer quand même"
        await pilot.press("enter")  # the focus is on "back": Enter alone saves nothing
        assert app.screen is result and "result" not in kinds(store)
        await pilot.press("f2", "left", "enter")  # confirmed explicitly
        assert isinstance(app.screen, HomeScreen)
    assert "result" in kinds(store)


async def test_the_arrow_keys_choose_the_outcome_as_the_row_of_buttons_looks(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        result = await to_result(pilot, clock)
        await pilot.press("shift+tab")  # from the mark to the outcome
        assert result.query_one("#outcome").has_focus
        await pilot.press("right")
        assert result.query_one("#outcome-reserved", RadioButton).value
        await pilot.press("right")
        assert result.query_one("#outcome-nv", RadioButton).value, "the arrow only moved"
        assert result.query_one("#mark", Input).disabled
        assert result.query_one("#nv-reason").parent.display  # type: ignore[union-attr]
        await pilot.press("right", "left", "left", "left")
        assert result.query_one("#outcome-mark", RadioButton).value
        assert not result.query_one("#mark", Input).disabled


async def test_the_focused_field_is_marked_and_a_stale_error_goes_once_fixed(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        result = await to_result(pilot, clock)

        def marked() -> list[str]:
            return [
                label.text for label in result.query(FieldLabel) if str(label.render())[0] == "▸"
            ]

        assert result.query_one("#mark", Input).has_focus
        assert marked() == ["Note / 20"]
        await pilot.press("tab")
        assert marked() == ["Fiche(s) présentée(s)"]
        await pilot.press("shift+tab", "shift+tab")
        assert marked() == ["Résultat"]

        result.query_one("#mark", Input).value = "21"
        await pilot.press("f2")
        assert "Note invalide" in error_of(result)
        assert result.query_one("#mark", Input).has_focus
        await pilot.press("backspace", "backspace", "1")  # still wrong: "1" is right, "" not yet
        assert result.query_one("#mark", Input).value == "1"
        assert error_of(result) == "", "the error stayed after the mark was fixed"
        await pilot.press("backspace")
        assert error_of(result) == ""  # no new error until the next save

        await pilot.click("#outcome-nv")
        await pilot.press("f2")
        assert "motif de NV" in error_of(result)
        result.query_one("#nv-reason", Select).value = "hors-delai"
        await pilot.pause()
        assert error_of(result) == ""


async def test_a_session_started_by_mistake_is_cancelled_from_the_run_screen(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock, candidate="Ada Lovlace")
    app: KioskApp = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        clock.advance(20)
        await pilot.press("f8")
        question = app.screen
        assert isinstance(question, ButtonsDialog)
        await pilot.press("right", "enter")  # from "no" to "started by mistake"
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await pilot.press("enter")  # a reason is needed
        assert app.screen is dialog
        for key in "nom mal saisi":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert kinds(store)[-1] == "cancelled"
    row = summarize(live.path)
    assert row.status == "cancelled" and not row.interrupted
    assert find_interrupted(store) == []


async def test_a_session_is_cancelled_from_its_result_form(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock)
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_result(pilot, clock)
        await pilot.click("#cancel-session")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        dialog.query_one("#reason", Input).value = "mauvaise épreuve"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    events = read_transcript(live.path).events
    assert events[-1].kind == "cancelled" and events[-1].data["reason"] == "mauvaise épreuve"
    assert "result" not in [e.kind for e in events]


async def test_the_chosen_outcome_is_told_by_a_glyph_not_only_by_colour(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    """Without colour (``NO_COLOR``, a text capture, a colour-blind examiner) the row of
    outcomes must still say which one is chosen: its characters differ from the others'."""
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))
    async with app.run_test(size=(100, 30)) as pilot:
        result = await to_result(pilot, clock)

        def drawn() -> dict[str, str]:
            return {b.id or "": b.render().plain for b in result.query("#outcome RadioButton")}

        await pilot.press("shift+tab", "right")  # the outcome: "note réservée"
        await pilot.pause()
        shown = drawn()
        chosen = shown.pop("outcome-reserved")
        assert shown and all(other != chosen for other in shown.values()), (chosen, shown)
        glyphs = {text.split(" ", 1)[0] for text in shown.values()}
        assert len(glyphs) == 1 and chosen.split(" ", 1)[0] not in glyphs, (chosen, shown)
