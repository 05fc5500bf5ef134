"""At 120x40 no status line, phase row or message is cut (issue 10): the E4's six phases
all show, its two phase-3 rows read apart, the status says all it has to."""

from __future__ import annotations

from textual.app import App
from textual.widget import Widget

from ndrc_oral.exam_room.view import fit_label
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.screens.run import RunScreen

from .conftest import kiosk, live_session
from .test_run_actions import write


def seen(app: App[None], widget: Widget) -> str:
    """The text the user sees in ``widget``'s region, its lines joined by a space."""
    lines = [strip.text for strip in app.screen._compositor.render_strips()]
    region = widget.region
    cut = [line[region.x : region.right] for line in lines[region.y : region.bottom]]
    return " ".join(" ".join(cut).split())


async def test_the_e4_at_120x40_shows_every_phase_and_every_status_whole(
    catalog: Catalog, store: Store, clock: FakeClock
) -> None:
    live = live_session(catalog, store, clock, exam="e4-ponctuel")
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.pause()
        status = screen.query_one("#timer-status")
        phases = seen(app, screen.query_one("#run-phases"))
        for label in ("Préparation en loge", "simulation de négociation"):
            assert label in phases
        assert phases.count("Phase 1 – ciblage et prospection") == 2
        assert ": présentation 10:00" in phases and ": entretien 10:00" in phases
        assert seen(app, status) == "Prêt · F2 pour commencer"

        await pilot.press("f2", "f3")
        await write(pilot, "Alarme incendie dans le bâtiment B")
        await pilot.press("enter")
        clock.advance(75)
        screen.refresh_clock()
        await pilot.pause()
        words = (
            "EN PAUSE depuis 01:15 · F3 pour reprendre · motif : Alarme incendie dans le bâtiment B"
        )
        assert seen(app, status) == words

        await pilot.press("f3", "f4", "left", "enter")  # the preparation ends
        await pilot.pause()
        assert seen(app, status) == "Entre deux phases · F2 pour commencer"
        assert "…" not in seen(app, screen.query_one("#run-timer"))


def test_a_label_is_cut_in_its_middle_to_keep_its_end() -> None:
    label = "Phase 3 – exploitation et mutualisation de l'information : présentation"
    assert fit_label(label, 80) == label
    assert fit_label(label, 50) == "Phase 3 – exploitation et mutualis… : présentation"
    assert len(fit_label(label, 50)) <= 50
    assert fit_label("Une phase au nom très long sans deux-points", 20) == "Une phase au nom tr…"
