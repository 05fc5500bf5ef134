"""The harmonisation table (``logs stats``) against a recomputation from the JSON exports.

The table is SQL over the cache; here the same figures are computed again
from each session's JSON export, with Python's ``statistics`` (``stdev``: the
sample standard deviation, n − 1, as the jury computes it).
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from rooms import make_room

from ndrc_oral.cli import main
from ndrc_oral.exams import Catalog
from ndrc_oral.session.clock import FakeClock
from ndrc_oral.session.suggestion import suggest_mark
from ndrc_oral.transcript import Store, load_session
from ndrc_oral.transcript.exports import render
from ndrc_oral.transcript.index import make_filter
from ndrc_oral.transcript.recorder import reopen_session
from ndrc_oral.transcript.stats import GroupStats, harmonise

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    root = tmp_path / "centre"
    for room in (1, 2, 3):
        make_room(root, room, 30, rehearsal_every=4)
    return root


def exports(root: Path) -> list[dict[str, Any]]:
    """The JSON export of every session of ``root``."""
    return [json.loads(render(load_session(p), "json")) for p in sorted(root.glob("*.toml"))]


def recomputed(
    docs: list[dict[str, Any]], catalog: Catalog, mode: str
) -> dict[tuple[str, str], dict[str, Any]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for d in docs:
        if d["mode"] == mode:
            groups[(d["commission"], d["exam"]["id"])].append(d)
    out = {}
    for key, members in groups.items():
        with_result = [
            d
            for d in members
            if d["result"] and d["result"]["status"] in ("mark", "reserved", "nv", "absent")
        ]
        marks = [d["result"]["mark"] for d in with_result if d["result"]["status"] == "mark"]
        exam = catalog.get(key[1])
        below = within = above = 0
        for d in with_result:
            if d["result"]["status"] != "mark":
                continue
            hint = suggest_mark(d["ratings"], exam.level_codes(), exam.criterion_ids())
            assert hint is not None  # every session of the rooms rates rows
            m = d["result"]["mark"]
            below += m < hint.low
            within += hint.low <= m <= hint.high
            above += m > hint.high
        finished = [d for d in members if d["finished"]]
        levels: dict[str, Counter[str]] = defaultdict(Counter)
        for d in with_result:
            for criterion, level in d["ratings"].items():
                levels[criterion][level] += 1
        out[key] = {
            "candidates": len(with_result),
            "marks": len(marks),
            "mean": statistics.mean(marks) if marks else None,
            "sd": statistics.stdev(marks) if len(marks) >= 2 else None,
            "min": min(marks, default=None),
            "max": max(marks, default=None),
            "statuses": Counter(d["result"]["status"] for d in with_result),
            "range": (below, within, above),
            "time": statistics.mean(oral_used(d) for d in finished),
            "planned": statistics.mean(oral_planned(d) for d in finished),
            "over": sum(oral_used(d) > oral_planned(d) for d in finished),
            "levels": {c: dict(n) for c, n in levels.items()},
        }
    return out


def oral_used(export: dict[str, Any]) -> float:
    """The oral's time from the phases of a JSON export: an E4's preparation aside."""
    return sum(p["elapsed_s"] for p in export["phases"] if not p["preparation"])


def oral_planned(export: dict[str, Any]) -> float:
    """The oral's planned time, as its cap counts it: skipped phases and a preparation
    aside, time carried from one phase to the next once."""
    return sum(
        p["planned_s"] - p["carried_in_s"]
        for p in export["phases"]
        if p["state"] != "skipped" and not p["preparation"]
    )


def check(group: GroupStats, expected: dict[str, Any]) -> None:
    assert (group.candidates, group.marks) == (expected["candidates"], expected["marks"])
    for name, value in (
        ("mean", group.mean),
        ("sd", group.sd),
        ("min", group.minimum),
        ("max", group.maximum),
    ):
        assert value == (
            None if expected[name] is None else pytest.approx(expected[name], abs=1e-9)
        ), name
    statuses = expected["statuses"]
    assert (group.reserved, group.nv, group.absent) == (
        statuses["reserved"],
        statuses["nv"],
        statuses["absent"],
    )
    assert (group.below, group.within, group.above) == expected["range"]
    assert group.time_used_mean_s == pytest.approx(expected["time"], abs=0.01)
    assert group.planned_mean_s == pytest.approx(expected["planned"], abs=0.01)
    assert group.over_planned == expected["over"]


@pytest.mark.parametrize("mode", ["live", "rehearsal"])
def test_the_harmonisation_equals_a_recomputation_from_the_json_exports(
    centre: Path, catalog: Catalog, mode: str
) -> None:
    table = harmonise(centre, make_filter(mode=mode))
    expected = recomputed(exports(centre), catalog, mode)
    assert table.mode == mode
    assert {(g.commission, g.exam_id) for g in table.groups} == set(expected)
    for g in table.groups:
        check(g, expected[(g.commission, g.exam_id)])
    rows: dict[tuple[str, str], dict[str, dict[str, int]]] = defaultdict(dict)
    for r in table.rows:
        rows[(r.commission, r.exam_id)][r.criterion] = {lv: n for lv, n in r.counts.items() if n}
    assert dict(rows) == {k: v["levels"] for k, v in expected.items() if v["levels"]}
    assert sum(g.marks for g in table.groups) > 10  # the figures were really there
    assert mode == "rehearsal" or sum(g.sd is not None for g in table.groups) > 3


def test_live_exams_never_mix_with_rehearsals(centre: Path) -> None:
    live = harmonise(centre, make_filter())
    rehearsal = harmonise(centre, make_filter(mode="rehearsal"))
    total = sum(g.candidates for g in live.groups) + sum(g.candidates for g in rehearsal.groups)
    assert total == 90
    assert sum(g.candidates for g in rehearsal.groups) == 3 * 7  # every 4th of 30, per room


def test_a_reserved_mark_is_counted_apart_not_in_the_figures(store: Store, centre: Path) -> None:
    before = {(g.commission, g.exam_id): g for g in harmonise(centre, make_filter()).groups}
    # A marked session whose mark is then reserved... is not one of the room's: one of
    # our own, reserved at 20/20, beside a group whose max is below 20.
    key, group = next(
        (k, g)
        for k, g in before.items()
        if g.maximum is not None and g.maximum < 20 and g.marks >= 2
    )
    reserved = next(
        s
        for s in (load_session(p) for p in sorted(centre.glob("*.toml")))
        if (s.state.identity.commission, s.exam.id) == key
        and s.state.verdict is not None
        and s.state.verdict.status == "mark"
    )
    live = reopen_session(Store(centre), reserved.id, FakeClock())
    live.session.correct_result("attestation de stage à vérifier", mark=20.0, reserved=True)
    live.close()
    after = {(g.commission, g.exam_id): g for g in harmonise(centre, make_filter()).groups}[key]
    assert after.reserved == group.reserved + 1
    assert after.marks == group.marks - 1
    assert after.maximum is not None and after.maximum < 20  # the reserved 20 is not in it
    assert after.candidates == group.candidates


def test_stats_through_the_command_line_in_every_format(
    centre: Path, tmp_path: Path, capsys: Capture
) -> None:
    data = ["--data-dir", str(centre)]
    assert main(["logs", "stats", *data]) == 0
    md = capsys.readouterr().out
    assert "écart type (n−1)" in md and "| TI | I | S | TS |" in md
    assert "note réservée n'y entre pas" in md
    assert main(["logs", "stats", *data, "--format", "csv", "--exam", "E4"]) == 0
    text = capsys.readouterr().out
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert table[0][:3] == ["commission", "épreuve", "candidats"]
    exams = {row[1] for row in table[1 : table.index([])]}
    assert exams and all(e.startswith("e4-") for e in exams)  # the filter applies
    target = tmp_path / "harmonisation.xlsx"
    assert main(["logs", "stats", *data, "--format", "xlsx", "-o", str(target)]) == 0
    book = load_workbook(target)
    assert book.sheetnames == ["Notes", "Lignes de grille"]
    marks = list(book["Notes"].iter_rows(values_only=True))
    groups = harmonise(centre, make_filter()).groups
    assert len(marks) == 1 + len(groups)
    assert marks[1][4] == round(groups[0].mean or 0, 2)  # a number, not a text
    assert main(["logs", "stats", *data, "--mode", "rehearsal", "--lang", "en"]) == 0
    assert "Harmonisation (rehearsal)" in capsys.readouterr().out


def test_a_commission_typed_like_a_formula_is_text_in_the_csv() -> None:
    from ndrc_oral.transcript.stats import Harmonisation, RowStats
    from ndrc_oral.transcript.stats_report import to_csv

    hostile = '=HYPERLINK("http://x")'
    group = GroupStats(
        hostile, "e4-ponctuel", "E4", 1, 1, 1, 12.0, None, 12.0, 12.0,
        0, 0, 0, 0, 1, 0, 0, 1800.0, 1800.0, 0,
    )  # fmt: skip
    table = Harmonisation("live", [group], [RowStats("+cmd", "e4-ponctuel", "c1", {"S": 1})])
    rows = list(csv.reader(io.StringIO(to_csv(table, "fr").lstrip("\ufeff")), delimiter=";"))
    cells = [cell for row in rows for cell in row]
    assert "'" + hostile in cells and "'+cmd" in cells  # as the results CSV does
    assert not any(cell.startswith(("=", "+")) for cell in cells)
    assert "12" in cells  # the figures stay numbers as written
