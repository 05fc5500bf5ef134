"""The review's totals count the oral only, as the cap and the live total line do: an E4's
preparation "en loge" is neither planned nor used time of the oral."""

from __future__ import annotations

from ndrc_oral.exams.loader import Catalog
from ndrc_oral.formatting import elapsed, left
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.recorder import load_session
from ndrc_oral.transcript.report import (
    build_report,
    oral_overtime_s,
    oral_used_s,
    planned_total_s,
)
from ndrc_oral.transcript.summary import summarize
from ndrc_oral.tui.widgets.timeline import timeline_lines

from .review_sessions import live_e4


def test_the_timeline_total_of_an_e4_leaves_the_preparation_out(
    store: Store, catalog: Catalog
) -> None:
    loaded = load_session(live_e4(store, catalog))
    report = build_report(loaded)
    exam = catalog.get("e4-ponctuel")
    oral = sum(p.duration_s for p in exam.phases if not p.preparation)
    assert any(p.preparation for p in exam.phases)
    assert planned_total_s(report.phases) == oral + 120  # the 2-minute extension
    used = sum(p.elapsed_s for p in report.phases if not p.preparation)
    assert oral_used_s(report.phases) == used
    drawing = [line.plain for line in timeline_lines(report.phases, loaded.state.last_t, 100)]
    total = f"Total : {elapsed(used)} utilisées sur {left(oral + 120)} prévues"
    assert any(total in line for line in drawing), drawing


def test_the_listing_counts_the_oral_as_the_review_does(store: Store, catalog: Catalog) -> None:
    # Zoé's E4: 40 minutes en loge, then 53 minutes of oral. The list's "Durée", the CSV,
    # the JSON and the centre's means and "over planned" count the 53, as the timeline.
    path = live_e4(store, catalog)
    report = build_report(load_session(path))
    summary = summarize(path)
    used = oral_used_s(report.phases)
    assert summary.time_used_s == report.time_used_s == used
    assert all(p.preparation is False for p in report.phases[1:])
    assert used < sum(p.elapsed_s for p in report.phases) - 2000  # the 2,400 s en loge
    assert summary.planned_s == planned_total_s(report.phases)
    assert summary.overtime_s == report.overtime_s == oral_overtime_s(report.phases)
