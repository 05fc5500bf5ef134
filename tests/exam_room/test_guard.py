"""The save guard, headless: a recording host, a session whose disk fails on demand.

Every operation says saved / not saved / refused to the host and never
raises; a failure is announced once until saving works again; a screen gets
no way to the bare session.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sessions import who

from ndrc_oral.exam_room.guard import GuardedSession, SaveGuard
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.engine import Session
from ndrc_oral.session.events import Event
from ndrc_oral.session.state import Status
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.recorder import LiveSession, new_session
from ndrc_oral.transcript.writer import SaveError

PACKAGE = Path(__file__).resolve().parents[2] / "ndrc_oral"


class Host:
    """Records what the guard tells a screen."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def on_saved(self, what: str, at: datetime) -> None:
        self.said.append(("saved", what))

    def on_save_failed(self, failure: str, what: str) -> None:
        self.said.append(("failed", failure))

    def on_recovered(self) -> None:
        self.said.append(("recovered", ""))

    def on_refused(self, message: str) -> None:
        self.said.append(("refused", message))

    def on_operation_done(self) -> None:
        self.said.append(("done", ""))


class Disk:
    """The session's sink, failing while ``full``."""

    def __init__(self, live: LiveSession) -> None:
        self.full = False
        self._append = live.writer.append
        live.session.set_sink(self.append)

    def append(self, event: Event) -> None:
        if self.full:
            raise SaveError("le disque est plein")
        self._append(event)


@pytest.fixture
def live(tmp_path: Path, catalog: Catalog, clock: FakeClock) -> Iterator[LiveSession]:
    live = new_session(Store(tmp_path), catalog.get("e4-ponctuel"), clock, who(), fsync=False)
    yield live
    live.close()


def test_a_saved_operation_says_so(live: LiveSession) -> None:
    host = Host()
    desk = SaveGuard(host).open(live)
    assert desk.start() is True
    assert host.said == [("saved", "début de phase"), ("done", "")]
    assert desk.status is Status.RUNNING


def test_a_failed_save_is_said_once_and_changes_nothing(live: LiveSession) -> None:
    host, disk = Host(), Disk(live)
    guard = SaveGuard(host)
    desk = guard.open(live)
    desk.start()
    disk.full = True
    host.said.clear()
    assert desk.note("Bonne accroche") is False
    assert desk.note("Bonne accroche") is False  # the same failure: no second alarm
    failure = "ÉCHEC DE L'ENREGISTREMENT (note) : le disque est plein"
    assert host.said == [("failed", failure), ("done", ""), ("done", "")]
    assert guard.failure == failure
    assert desk.state.notes == []
    disk.full = False
    host.said.clear()
    assert desk.note("Bonne accroche") is True
    assert host.said == [("recovered", ""), ("saved", "note"), ("done", "")]
    assert guard.failure is None


def test_an_operation_that_makes_no_sense_is_refused_not_raised(live: LiveSession) -> None:
    host = Host()
    guard = SaveGuard(host)
    assert guard.open(live).resume() is False  # nothing is paused
    assert [kind for kind, _ in host.said] == ["refused", "done"]
    assert guard.failure is None


def test_a_rating_names_its_criterion_and_level(live: LiveSession) -> None:
    host = Host()
    desk = SaveGuard(host).open(live)
    criterion = desk.exam.criterion_ids()[0]
    assert desk.rate(criterion, "S")
    kind, what = host.said[0]
    assert kind == "saved" and what.endswith(" : S")


def test_an_automatic_end_that_cannot_be_saved_is_retried(
    live: LiveSession, clock: FakeClock
) -> None:
    host, disk = Host(), Disk(live)
    guard = SaveGuard(host)
    desk = guard.open(live)
    desk.start()
    disk.full = True
    clock.advance(2410)  # past the end of the preparation, which ends by itself
    assert desk.tick() is None
    assert desk.tick() is None
    assert [kind for kind, _ in host.said].count("failed") == 1
    assert desk.status is Status.RUNNING
    disk.full = False
    ended = desk.tick()
    assert ended is not None and ended[0].t == pytest.approx(2400, abs=0.001)
    assert host.said[-1] == ("recovered", "")
    assert desk.tick() == []  # nothing more to save


def test_a_rescued_failure_is_over(live: LiveSession) -> None:
    host, disk = Host(), Disk(live)
    guard = SaveGuard(host)
    desk = guard.open(live)
    disk.full = True
    desk.start()
    guard.resolved()
    assert guard.failure is None
    desk.start()  # the same failure again is shown again: it is a new one
    assert [kind for kind, _ in host.said].count("failed") == 2


def test_two_guards_show_the_same_session(live: LiveSession) -> None:
    first, second = Host(), Host()
    desk = SaveGuard(first).open(live)
    other = desk.through(SaveGuard(second))
    assert other == desk and hash(other) == hash(desk)
    other.start()
    assert first.said == [] and second.said[0] == ("saved", "début de phase")


# --- the only door ------------------------------------------------------------------------------


def test_a_guarded_session_gives_no_way_to_the_bare_session(live: LiveSession) -> None:
    desk = SaveGuard(Host()).open(live)
    for name in dir(GuardedSession):
        if name.startswith("_") or callable(getattr(GuardedSession, name)):
            continue
        value = getattr(desk, name)
        assert not isinstance(value, Session | LiveSession), name


def _screen_modules() -> Iterator[Path]:
    for folder in ("screens", "dialogs", "widgets"):
        yield from sorted((PACKAGE / "tui" / folder).glob("*.py"))


def test_screens_never_reach_for_a_bare_session() -> None:
    # ``live.session`` is the bare engine: a screen that wrote it would bypass the guard.
    found = [
        f"{path.name}:{node.lineno}"
        for path in _screen_modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.Attribute) and node.attr == "session")
        or (
            isinstance(node, ast.ImportFrom)
            and node.module == "ndrc_oral.session.engine"
            and any(a.name == "Session" for a in node.names)
        )
    ]
    assert found == []
