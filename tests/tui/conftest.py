"""Fixtures of the kiosk tests: a temporary data directory, a ready app (``catalog`` and
``clock`` are the root conftest's).

Time never passes by itself here: a test moves the FakeClock and asks the run
screen to repaint (``refresh_clock``), as the screen's own timer would.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sessions import who
from textual.pilot import Pilot

from ndrc_oral.exam_room.requests import SessionRequest, create_session
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.settings import Alerts, Settings
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.recorder import LiveSession
from ndrc_oral.tui.app import KioskApp
from ndrc_oral.tui.screens.run import RunScreen


@pytest.fixture(autouse=True)
def _quick_pilot(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pilot waits for the app to go idle after each key by sleeping 20 ms slices.

    5 ms slices tell "idle" just as well (it compares CPU time with wall time
    over the slice) and cut the tests' time spent asleep by three quarters.
    """
    import textual._wait as wait

    monkeypatch.setattr(wait, "SLEEP_GRANULARITY", 0.005)
    monkeypatch.setattr(wait, "SLEEP_IDLE", 0.005 / 20)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    data = tmp_path / "data"
    monkeypatch.setenv("NDRC_ORAL_DATA_DIR", str(data))
    # Fixed session ids: a snapshot must not depend on a random suffix.
    monkeypatch.setattr("ndrc_oral.transcript.directory.secrets.token_hex", lambda n: "ab" * n)
    return Store(data)


@pytest.fixture
def bells(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Each ring of the terminal bell, as it happens (the bell is silent in tests)."""
    rung: list[float] = []
    monkeypatch.setattr(KioskApp, "bell", lambda self: rung.append(1.0))
    return rung


def request(exam: str = "e6-ccf-a", *, rehearsal: bool = False, **kw: Any) -> SessionRequest:
    """A request for Ada Lovelace's session (``SessionIdentity``'s fields as keywords)."""
    values: dict[str, Any] = {
        "candidate": "Ada Lovelace",
        "number": "0421",
        "commission": "12",
        "members": ("M. Martin", "Mme Durand"),
        "mode": "rehearsal" if rehearsal else "live",
    }
    values.update(kw)
    return SessionRequest(exam, who(**values))


def live_session(
    catalog: Catalog, store: Store, clock: FakeClock, exam: str = "e6-ccf-a", **kw: Any
) -> LiveSession:
    req = request(exam, **kw)
    return create_session(store, catalog.get(exam), clock, req)


def kiosk(
    catalog: Catalog,
    store: Store,
    clock: FakeClock,
    session: LiveSession | None = None,
    *,
    flash: bool = False,
) -> KioskApp:
    """The kiosk on the FakeClock, without what real time would vary: the cursor's blink, and
    the flash of an alert (it lasts ``FLASH_S`` of real time) unless ``flash``."""
    settings = Settings(alerts=Alerts(flash=flash))
    return KioskApp(
        catalog=catalog,
        store=store,
        clock=clock,
        session=session,
        cursor_blink=False,
        settings=settings,
    )


async def save_result(pilot: Pilot[Any]) -> None:
    """F2 on the result form, then "save" in the question it asks first."""
    from ndrc_oral.tui.dialogs import ConfirmDialog

    await pilot.press("f2")
    assert isinstance(pilot.app.screen, ConfirmDialog), "saving a result asks first"
    await pilot.click("#yes")
    await pilot.pause()  # the answer's callback runs after the dialog has closed


UNTIL_S = 30.0
"""How long ``until`` waits: what only a fault would cross, even on a loaded machine."""


async def until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    """Let the app (its workers, its timers) run until ``condition()`` holds: polled, for
    at most ``UNTIL_S`` of wall time, else ``what`` never came."""
    deadline = time.monotonic() + UNTIL_S
    while not condition():
        assert time.monotonic() < deadline, f"{what} never came"
        await pilot.pause(0.01)


def spy(
    monkeypatch: pytest.MonkeyPatch,
    cls: type,
    name: str,
    record: Callable[..., Any] = lambda self, *args, **kwargs: self,
) -> list[Any]:
    """What ``record`` says of each call of ``cls.name`` (its ``self`` and arguments), at the
    call; ``None`` is not kept."""
    calls: list[Any] = []
    real: Callable[..., Any] = getattr(cls, name)

    def spied(self: Any, *args: Any, **kwargs: Any) -> Any:
        said = record(self, *args, **kwargs)
        if said is not None:
            calls.append(said)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, spied)
    return calls


@asynccontextmanager
async def e5_running(
    catalog: Catalog, store: Store, clock: FakeClock
) -> AsyncIterator[tuple[KioskApp, Pilot[Any]]]:
    """The E5 pratique's run screen at 100x30, its phase started 3.5 s ago: 39:56.5 left,
    39:57 shown, so the next seconds change the timer's last digit alone."""
    live = live_session(catalog, store, clock, exam="e5-pratique")
    app = kiosk(catalog, store, clock, live)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunScreen)
        await pilot.press("f2")
        clock.advance(3.5)
        screen.refresh_clock()
        # Each pause waits for every widget's messages, then paints: the second one paints
        # what the first one's messages asked (the phase lines mounted, their layout).
        await pilot.pause()
        await pilot.pause()
        yield app, pilot
