"""A day made by the version before sealed events still opens, resumes and goes on.

``tests/fixtures/days/v1`` was written by the code of commit ``9a40e95`` (see its
README): a frozen file, not one made with today's codec. A commission that
started its day before an update must find it as it left it.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from ndrc_oral.exam_room.day import DayRoom
from ndrc_oral.exams.loader import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.day import SlotState
from ndrc_oral.transcript import codec
from ndrc_oral.transcript.day_log import DAY_HEADER_V1, open_day, read_day
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.reader import Integrity, read_transcript

FIXTURE = Path(__file__).parent.parent / "fixtures" / "days" / "v1"
DAY = "day-20260602-074500-5eb83d.toml"


def copied(tmp_path: Path) -> Store:
    root = tmp_path / "data"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("*.md", "*.txt"))
    root.chmod(0o700)
    return Store(root)


def test_the_old_day_reads_intact_as_format_1(tmp_path: Path) -> None:
    store = copied(tmp_path)
    day = read_day(store.root / DAY)
    assert day.transcript.format == 1
    assert day.transcript.integrity is Integrity.INTACT
    assert (store.root / DAY).read_text().startswith(DAY_HEADER_V1)
    for session in store.root.glob("2026*.toml"):
        assert read_transcript(session).integrity is Integrity.INTACT, session.name


def test_the_old_day_resumes_as_it_was_left_and_goes_on_in_format_1(
    tmp_path: Path, catalog: Catalog
) -> None:
    store = copied(tmp_path)
    clock = FakeClock(wall=datetime(2026, 6, 2, 8, 0).astimezone())
    room = DayRoom(open_day(store, None, clock, fsync=False), store, catalog, clock)
    state = room.state
    assert state.slot(1).state is SlotState.PREPARING
    assert state.slot(2).state is SlotState.EXPECTED  # absent, then given 16:00
    assert state.slot(3).state is SlotState.NV
    assert [s.number for s in state.in_order()] == [1, 3, 2]
    examined, problems = room.resume()
    assert problems == [] and examined == []
    assert set(room.preparing) == {1}  # slot 1's preparation, reopened
    room.sign_in(2)
    room.close()
    text = (store.root / DAY).read_text()
    assert codec.SEAL not in text  # a format-1 file stays format 1, unsealed
    again = read_day(store.root / DAY)
    assert again.transcript.integrity is Integrity.INTACT and again.transcript.format == 1
    assert again.transcript.events[-1].kind == "signed_in"


def test_the_old_day_is_listed_as_a_day_and_its_sessions_as_sessions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ndrc_oral.cli import main

    store = copied(tmp_path)
    data = ["--data-dir", str(store.root)]
    assert main(["logs", "list", *data]) == 0
    listed = capsys.readouterr().out
    sessions = sorted(p.stem for p in store.root.glob("2026*.toml"))
    assert all(s in listed for s in sessions) and DAY.removeprefix("day-")[:-5] not in listed
    for session_id in sessions:
        assert main(["logs", "verify", *data, session_id]) == 0
    assert main(["day", "list", *data]) == 0
    assert "20260602-074500-5eb83d" in capsys.readouterr().out
