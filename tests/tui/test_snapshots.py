"""SVG snapshots of the home, run and result screens at 80x24 and 120x40.

Everything that could vary is fixed: the FakeClock (time and wall time), the
session id (no random suffix), no cursor blink. Update after a deliberate
change with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look
at the report.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.screens.run import RunScreen

from .conftest import kiosk, live_session

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_home(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    app = kiosk(catalog, store, clock)

    async def ready(pilot: Pilot[None]) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def _in_session(pilot: Pilot[None], clock: FakeClock) -> None:
    """Two minutes before the end of the exposé: two notes, two ratings, first warning."""
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    note = screen.query_one("#note-input", Input)
    await pilot.press("f2")
    clock.advance(95)
    note.value = "Accroche claire, contexte du réseau bien posé"
    await pilot.press("enter", "alt+3", "down", "down", "down")
    clock.advance(385)
    note.value = "Diagnostic du rayon précis, chiffres à l'appui"
    await pilot.press("enter", "alt+4")
    screen.refresh_clock()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_run(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))

    async def before(pilot: Pilot[None]) -> None:
        await _in_session(pilot, clock)

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_result(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    app = kiosk(catalog, store, clock, live_session(catalog, store, clock))

    async def before(pilot: Pilot[None]) -> None:
        await _in_session(pilot, clock)
        clock.advance(120)
        await pilot.press("f4")
        clock.advance(300)
        await pilot.press("f4", "f8")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=before)


# --- the result forms of the session-2025 exams (built from their fiche fields) -------------


def _result_form_app(catalog: Catalog, store: Store, clock: FakeClock, exam_id: str) -> Any:
    """The kiosk on a session of ``exam_id`` whose phases have all run, for the result form.

    E6 CCF: situation A is done (a week before), this is situation B.
    """
    from sessions import who

    from ndrc_oral.exam_room.epreuves import open_epreuves
    from ndrc_oral.exam_room.requests import SessionRequest, create_session, place_requests

    exam = catalog.get(exam_id)
    people = {"commission": "7", "members": ["Mme Durand"]}
    extra = {"cms": "WordPress", "subject": "B"} if exam.cms_choices else {}
    request = SessionRequest(exam.id, who("Zoé Martin", number="0421", **people, **extra))
    if exam.ccf:
        earlier = FakeClock(wall=clock.wall() - timedelta(days=7))
        [first] = place_requests(store, exam, earlier, [request])
        a = create_session(store, exam, earlier, first)
        a.session.start()
        earlier.advance(900)
        a.session.rate("valoriser-offre", "S")
        a.session.set_result(situation_done=True, fields={"appreciation-a": "Clair."})
        a.session.finish()
        a.close()
    [placed] = place_requests(store, exam, clock, [request], open_epreuves(store))
    live = create_session(store, exam, clock, placed)
    for phase in live.session.run.phases:
        if live.session.status.value in ("ready", "between"):
            live.session.start()
        clock.advance(phase.duration_s)
        live.session.tick()
        if live.session.status.value == "running":
            live.session.end_phase()
    return kiosk(catalog, store, clock, live)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("exam_id", ["e4-ponctuel-2025", "e6-ccf-2025", "e5-pratique-2025"])
def test_result_form_2025(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any, exam_id: str
) -> None:
    app = _result_form_app(catalog, store, clock, exam_id)

    async def before(pilot: Pilot[None]) -> None:
        await pilot.press("f8")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=before)
