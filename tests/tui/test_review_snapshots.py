"""SVG snapshots of the review screens (list, one session, rehearsal chart) at 80x24 and 120x40.

Deterministic: engine-made sessions at fixed wall times (``review_sessions``),
session ids without their random part (the ``store`` fixture), no cursor
blink, no animation, and nothing on screen that depends on the test's
temporary directory. After a deliberate change:
``pytest tests/tui/test_review_snapshots.py --snapshot-update``, then look.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.transcript.directory import Store
from ndrc_oral.tui.widgets.session_table import SessionTable

from .review_sessions import build_archive
from .test_review import review_app, settle

SIZES = [(80, 24), (120, 40)]
IDS = ["80x24", "120x40"]


@pytest.fixture(autouse=True)
def _archive(catalog: Catalog, store: Store) -> None:
    build_archive(store, catalog)


async def _on(pilot: Pilot[None], candidate: str) -> None:
    await settle(pilot)
    table = pilot.app.screen.query_one(SessionTable)
    table.cursor = [s.candidate_name for s in table.rows].index(candidate)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_review_list(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await _on(pilot, "Ada Lovelace")

    app = review_app(catalog, store, clock)
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_review_session_timeline(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await _on(pilot, "Ada Lovelace")
        await pilot.press("enter")
        await settle(pilot)

    app = review_app(catalog, store, clock)
    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_review_rehearsal_chart(
    snap_compare: Any, catalog: Catalog, store: Store, clock: FakeClock, size: Any
) -> None:
    async def before(pilot: Pilot[None]) -> None:
        await _on(pilot, "Inès Martin")
        await pilot.press("f5")
        await settle(pilot)

    app = review_app(catalog, store, clock)
    assert snap_compare(app, terminal_size=size, run_before=before)
