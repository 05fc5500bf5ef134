"""Summaries and the session index: what ``logs list`` and the review screen show."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import time
from pathlib import Path

import pytest
from test_logs_support import Plan, age, chunks, drive, write_chunks

from ndrc_oral.paths import cache_dir
from ndrc_oral.transcript import Store
from ndrc_oral.transcript.cache import database_path
from ndrc_oral.transcript.index import (
    FilterError,
    SessionFilter,
    filter_sessions,
    list_sessions,
    make_filter,
    sort_sessions,
)
from ndrc_oral.transcript.summary import SessionSummary, summarize

# --- summaries --------------------------------------------------------------------------


def test_summary_of_a_driven_session(store: Store) -> None:
    live = drive(store)
    s = summarize(live.path)
    assert s.id == live.session_id
    assert (s.exam_id, s.epreuve) == ("e6-ccf-a", "E6")
    assert s.exam_title.startswith("E6 – Relation client")
    assert (s.candidate_name, s.candidate_number, s.commission) == (
        "Zoé Lefèvre-Œuvray",
        "0421",
        "12",
    )
    assert s.mode == "live"
    assert s.date == "2026-06-02"
    assert s.started_at.startswith("2026-06-02T08:00:00")
    assert s.mark == 13.5 and s.outcome is None
    assert s.time_used_s == pytest.approx(1020)  # 500 s exposé + 520 s entretien, pause excluded
    assert s.overtime_s == pytest.approx(60)
    assert (s.integrity, s.finished, s.interrupted) == ("intact", True, False)
    assert s.notes == 2
    assert s.problem == ""


def test_an_unfinished_session_is_interrupted_with_an_outcome_absent(store: Store) -> None:
    unfinished = summarize(drive(store, Plan(finish=False)).path)
    assert (unfinished.finished, unfinished.interrupted) == (False, True)
    absent = summarize(drive(store, Plan(mark=None, outcome="absent")).path)
    assert absent.mark is None and absent.outcome == "absent"


@pytest.mark.parametrize(
    "content",
    [b"", b"not a transcript at all\n", b"\x00\xff\xfe binary", b"[[event]]\nseq = 'x'\n"],
    ids=["empty", "text", "binary", "bad-event"],
)
def test_an_unreadable_file_is_a_damaged_row_not_a_crash(store: Store, content: bytes) -> None:
    store.ensure()
    path = store.root / "20260601-090000-abcdef.toml"
    path.write_bytes(content)
    s = summarize(path)
    assert s.integrity == "damaged"
    assert s.id == "20260601-090000-abcdef"
    assert s.date == "2026-06-01"  # from the id, so date filters still find it
    assert s.problem
    assert not s.interrupted


def test_an_edited_session_is_listed_damaged_with_what_could_be_read(store: Store) -> None:
    live = drive(store)
    header, parts = chunks(live.path)
    parts[3] = parts[3].replace("alarme incendie", "alarme incendia")
    write_chunks(live.path, header, parts)
    s = summarize(live.path)
    assert s.integrity == "damaged"
    assert "événement 3" in s.problem
    assert s.candidate_name == "Zoé Lefèvre-Œuvray"  # the events before it still count
    assert not s.finished and not s.interrupted


def test_summary_round_trips_through_plain_data(store: Store) -> None:
    s = summarize(drive(store).path)
    assert SessionSummary.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    with pytest.raises((TypeError, ValueError)):
        SessionSummary.from_dict({**s.to_dict(), "mark": "treize"})


# --- the index -----------------------------------------------------------------------------


def _drive_many(store: Store, count: int) -> list[Path]:
    paths = [
        drive(store, Plan(candidate=f"Candidat {i}", number=f"{i:04d}")).path for i in range(count)
    ]
    for p in paths:
        age(p)
    return paths


def test_listing_uses_the_cache_then_rereads_only_what_changed(store: Store) -> None:
    paths = _drive_many(store, 3)
    first = list_sessions(store.root)
    assert (first.reread, first.reused) == (3, 0)
    cache = database_path(store.root)
    assert cache.parent.parent == cache_dir()  # never in the data directory
    assert sorted(p.name for p in store.root.iterdir()) == sorted(p.name for p in paths)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute("DELETE FROM heartbeats")  # a write: the WAL files exist while it is open
        for part in (Path(f"{cache}-wal"), Path(f"{cache}-shm")):
            assert stat.S_IMODE(part.stat().st_mode) == 0o600

    second = list_sessions(store.root)
    assert (second.reread, second.reused) == (0, 3)
    assert second.sessions == first.sessions

    # A session goes on (its file grows): only that file is read again.
    header, parts = chunks(paths[1])
    write_chunks(paths[1], header, parts[:-1])  # drop "finished": as if still running
    age(paths[1], 30)
    third = list_sessions(store.root)
    assert (third.reread, third.reused) == (1, 2)
    changed = next(s for s in third.sessions if s.path == str(paths[1]))
    assert changed.finished is False and changed.interrupted is True


def test_a_new_and_a_deleted_file_are_seen(store: Store) -> None:
    paths = _drive_many(store, 2)
    list_sessions(store.root)
    paths[0].unlink()
    new = drive(store, Plan(candidate="Nouvelle"))
    age(new.path)
    listing = list_sessions(store.root)
    assert [s.candidate_name for s in listing.sessions].count("Nouvelle") == 1
    assert len(listing.sessions) == 2
    assert listing.reread == 1


def test_a_file_changed_just_now_is_not_trusted_to_the_cache(store: Store) -> None:
    live = drive(store)  # mtime = now: a second write in the same tick could hide
    assert list_sessions(store.root).reread == 1
    assert list_sessions(store.root).reread == 1
    age(live.path)
    assert list_sessions(store.root).reread == 1
    assert list_sessions(store.root).reread == 0


@pytest.mark.parametrize(
    "garbage",
    [b"{not json", b"[]", b"SQLite format 3\x00" + b"\xff" * 200, b"\xff\xfe"],
    ids=["broken", "list", "torn-sqlite", "binary"],
)
def test_a_corrupt_cache_is_rebuilt_silently(store: Store, garbage: bytes) -> None:
    _drive_many(store, 2)
    expected = list_sessions(store.root).sessions
    cache = database_path(store.root)
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    cache.write_bytes(garbage)
    listing = list_sessions(store.root)
    assert listing.sessions == expected
    assert listing.reread == 2
    assert list_sessions(store.root).reread == 0  # and it was written back


def test_a_cache_of_another_version_is_rebuilt_silently(store: Store) -> None:
    _drive_many(store, 2)
    expected = list_sessions(store.root).sessions
    with sqlite3.connect(database_path(store.root)) as db:
        db.execute("PRAGMA user_version = 99")
    listing = list_sessions(store.root)
    assert listing.sessions == expected
    assert listing.reread == 2
    assert list_sessions(store.root).reread == 0


def test_a_bad_cache_entry_only_costs_that_file(store: Store) -> None:
    paths = _drive_many(store, 2)
    list_sessions(store.root)
    with sqlite3.connect(database_path(store.root)) as db:
        (data,) = db.execute(
            "SELECT data FROM summaries WHERE name = ?", (paths[0].name,)
        ).fetchone()
        doc = json.loads(data)
        doc["notes"] = "many"
        db.execute("UPDATE summaries SET data = ? WHERE name = ?", (json.dumps(doc), paths[0].name))
    listing = list_sessions(store.root)
    assert listing.reread == 1
    assert all(s.notes == 2 for s in listing.sessions)


def test_deleting_the_cache_loses_nothing(store: Store) -> None:
    _drive_many(store, 2)
    before = list_sessions(store.root).sessions
    database_path(store.root).unlink()
    assert list_sessions(store.root).sessions == before


def test_a_missing_data_directory_lists_nothing_and_creates_nothing(tmp_path: Path) -> None:
    root = tmp_path / "nowhere"
    assert list_sessions(root).sessions == []
    assert not root.exists()


def test_each_data_directory_has_its_own_cache_and_paths_follow_a_move(
    store: Store, tmp_path: Path
) -> None:
    # One database per data directory, keyed by its resolved path (issue 14): a
    # directory moved elsewhere is another directory, read once, its paths its own.
    _drive_many(store, 1)
    list_sessions(store.root)
    moved = tmp_path / "moved"
    store.root.rename(moved)
    listing = list_sessions(moved)
    assert (listing.reread, listing.reused) == (1, 0)
    assert database_path(moved) != database_path(store.root)
    assert Path(listing.sessions[0].path).parent == moved
    again = list_sessions(moved)
    assert again.reused == 1
    assert Path(again.sessions[0].path).parent == moved  # the cache keeps no path


# --- filter and sort -------------------------------------------------------------------------


def _row(**kw: object) -> SessionSummary:
    base: dict[str, object] = {
        "id": "20260602-080000-aaaaaa",
        "path": "",
        "exam_id": "e6-ccf-a",
        "exam_title": "E6 – Relation client et animation de réseaux (CCF, situation A)",
        "exam_title_en": "",
        "epreuve": "E6",
        "candidate_name": "Zoé Lefèvre-Œuvray",
        "candidate_number": "0421",
        "commission": "12",
        "mode": "live",
        "started_at": "2026-06-02T08:00:00.000+02:00",
        "date": "2026-06-02",
        "mark": 13.5,
        "outcome": None,
        "time_used_s": 1000.0,
        "overtime_s": 0.0,
        "integrity": "intact",
        "finished": True,
        "interrupted": False,
        "notes": 3,
        "mark_given": 13.5,
        "status": "mark",
        "source": "",
        "situation": "",
        "epreuve_id": "",
        "link_session": "",
        "corrections": 0,
        "situations": [],
    }
    base.update(kw)
    return SessionSummary.from_dict({**base, "problem": "", "moved_to": ""})


ROWS = [
    _row(id="a", candidate_name="Zoé Lefèvre-Œuvray", date="2026-06-02"),
    _row(
        id="b",
        candidate_name="Marc Durand",
        candidate_number="0777",
        commission="7",
        exam_id="e4-ponctuel",
        epreuve="E4",
        exam_title="E4 – Négociation-vente",
        date="2026-06-03",
        mark=None,
        outcome="nv",
    ),
    _row(
        id="c",
        candidate_name="Éloïse Martin",
        mode="rehearsal",
        exam_id="e6-ccf-b",
        date="2026-06-04",
        mark=8.0,
    ),
]


def _ids(rows: list[SessionSummary]) -> list[str]:
    return [r.id for r in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zoe", ["a"]),
        ("OEUVRAY", ["a"]),
        ("eloise", ["c"]),
        ("ÉLOÏSE", ["c"]),
        ("0777", ["b"]),
        ("negociation", ["b"]),
        ("e6", ["a", "c"]),
        ("durand 0777", ["b"]),
        ("durand 0421", []),
        ("  ", ["a", "b", "c"]),
    ],
)
def test_text_filter_ignores_case_and_accents(text: str, expected: list[str]) -> None:
    assert _ids(filter_sessions(ROWS, SessionFilter(text=text))) == expected


def test_filter_by_commission_exam_epreuve_dates_and_mode() -> None:
    assert _ids(filter_sessions(ROWS, SessionFilter(text="7"))) == ["b"]
    assert _ids(filter_sessions(ROWS, SessionFilter(exam="e6-ccf-b"))) == ["c"]
    assert _ids(filter_sessions(ROWS, SessionFilter(exam="E6"))) == ["a", "c"]
    assert _ids(filter_sessions(ROWS, make_filter(since="2026-06-03"))) == ["b", "c"]
    assert _ids(filter_sessions(ROWS, make_filter(until="2026-06-03"))) == ["a", "b"]
    assert make_filter(until="03/06/2026") == make_filter(until="2026-06-03")  # JJ/MM/AAAA
    both = make_filter(since="2026-06-03", until="2026-06-03")
    assert _ids(filter_sessions(ROWS, both)) == ["b"]
    assert _ids(filter_sessions(ROWS, make_filter(mode="rehearsal"))) == ["c"]
    assert _ids(filter_sessions(ROWS, make_filter(mode="live"))) == ["a", "b"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"since": "2026-13-01"},
        {"until": "31/02/2026"},
        {"until": "2/6/26"},
        {"since": "2026-06-05", "until": "2026-06-01"},
    ],
)
def test_a_bad_date_is_a_usage_error(kwargs: dict[str, str]) -> None:
    with pytest.raises(FilterError) as info:
        make_filter(**kwargs)
    assert info.value.code == 2


def test_sort_by_any_column() -> None:
    assert _ids(sort_sessions(ROWS, "candidate_name")) == ["c", "b", "a"]  # É sorts as E
    assert _ids(sort_sessions(ROWS, "date", descending=True)) == ["c", "b", "a"]
    assert _ids(sort_sessions(ROWS, "mark")) == ["c", "a", "b"]  # no mark: last
    assert _ids(sort_sessions(ROWS, "mark", descending=True)) == ["a", "c", "b"]
    assert _ids(sort_sessions(ROWS, "result")) == ["c", "a", "b"]
    with pytest.raises(FilterError):
        sort_sessions(ROWS, "shoe_size")


def test_filtering_ten_thousand_sessions_fits_a_keystroke() -> None:
    rows = [
        _row(id=f"{i:06d}", candidate_name=f"Élève n°{i} Dupré", candidate_number=f"{i:05d}")
        for i in range(10_000)
    ]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        kept = filter_sessions(rows, make_filter(text="dupre 0999", since="2026-01-01", exam="E6"))
        best = min(best, time.perf_counter() - start)
    assert len(kept) == 11  # 00999, 09990..09999
    assert best < 1.0  # not quadratic (10 ms idle; the figure is bench_review.py's)


def test_the_caller_is_told_before_files_are_read(store: Store) -> None:
    _drive_many(store, 2)
    told: list[int] = []
    list_sessions(store.root, on_read=told.append)
    list_sessions(store.root, on_read=told.append)
    assert told == [2]  # the second listing read nothing, so said nothing


def test_a_file_rewritten_to_its_size_and_given_back_its_mtime_is_read_again(
    store: Store,
) -> None:
    # The cache's key holds the last hash written in the file (issue 14): size and
    # mtime alone would keep the summary of the file as it was. An edit by hand that
    # keeps both (the last seal retyped too) is read again, and seen.
    (path,) = _drive_many(store, 1)
    before = list_sessions(store.root).sessions[0]
    assert before.integrity == "intact"
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    last = before.last_hash
    forged = last[:-1] + ("0" if last[-1] != "0" else "1")
    path.write_text(text.replace("Œuvray", "Œuvrax").replace(last, forged), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    listing = list_sessions(store.root)
    assert listing.reread == 1
    assert listing.sessions[0].integrity == "damaged"


# --- every core, inside the kiosk too -------------------------------------------------------

_INSIDE_AN_APP = """
import asyncio, json, sys
from pathlib import Path
from textual.app import App
from ndrc_oral.transcript import index

index.PARALLEL_FROM = 2  # a handful of files stands for thousands


class Bare(App[None]):
    pass


async def main() -> None:
    async with Bare().run_test():
        # Textual has replaced sys.stderr by a capture whose fileno() is -1.
        assert sys.stderr.fileno() == -1
        listing = index.list_sessions(Path(sys.argv[1]), use_cache=False)
        print(json.dumps({"workers": listing.workers, "problem": listing.pool_problem,
                          "names": sorted(s.candidate_name for s in listing.sessions)}),
              file=sys.__stdout__)


asyncio.run(main())
"""


def test_the_listing_uses_every_core_inside_a_textual_app(store: Store) -> None:
    # A fresh interpreter: no resource tracker already started by another test.
    import os
    import subprocess
    import sys

    _drive_many(store, 4)
    out = subprocess.run(
        [sys.executable, "-c", _INSIDE_AN_APP, str(store.root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["problem"] == ""
    assert result["workers"] == min(os.cpu_count() or 2, 8) > 1
    assert result["names"] == [f"Candidat {i}" for i in range(4)]


def test_a_pool_that_fails_says_so_and_the_files_are_read_here(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ndrc_oral.transcript import index

    def broken(root: Path, names: list[str]) -> object:
        raise OSError("no more processes")

    _drive_many(store, 3)
    monkeypatch.setattr(index, "PARALLEL_FROM", 2)
    monkeypatch.setattr(index, "_summarize_parallel", broken)
    listing = list_sessions(store.root)
    assert listing.workers == 1
    assert listing.pool_problem == "OSError: no more processes"
    assert len(listing.sessions) == 3
