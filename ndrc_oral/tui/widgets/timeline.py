"""The timeline of a session: each phase's planned length against what happened, as bars.

Two bars per phase, on one time scale for the whole session:

* ``prévu`` (planned): the definition's time (extra time included) ``░``, the
  time carried in from the phase before ``▒``, extensions ``▓``;
* ``réel`` (actual), from the phase's start to its end as the clock ran:
  running time ``█``, pauses ``╌`` where they happened, and the time run past
  the planned length ``▓`` in the colour of overtime (``$tone-over``).

``timeline_lines`` is pure (phases in, lines of text out) so that it can be
tested without an app; ``Timeline`` paints it at the widget's width.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.text import Text

from ndrc_oral.formatting import elapsed, left, overtime, shows_overtime
from ndrc_oral.i18n import t
from ndrc_oral.transcript.report import PhaseRow, oral_overtime_s, oral_used_s, planned_total_s
from ndrc_oral.tui.widgets.bars import BarLines, Segment, axis, clip, legend, raster

PLAN = ("plan", "░", "$bar-plan")
CARRIED = ("carried", "▒", "$bar-carried")
EXTENSION = ("ext", "▓", "$bar-extension")
RUN = ("run", "█", "$bar-run")
PAUSE = ("pause", "╌", "$bar-pause bold")
OVER = ("over", "▓", "$tone-over bold")

INDENT = 2
TAG_W = 7
NUMBERS_W = 16


def planned_segments(p: PhaseRow) -> list[Segment]:
    """The planned bar: base time, time carried in, extensions."""
    extended = sum(e.seconds for e in p.extensions)
    base = max(0.0, p.planned_s - p.carried_in_s - extended)
    return [
        (PLAN[0], base, PLAN[1], PLAN[2]),
        (CARRIED[0], p.carried_in_s, CARRIED[1], CARRIED[2]),
        (EXTENSION[0], extended, EXTENSION[1], EXTENSION[2]),
    ]


def actual_segments(p: PhaseRow, log_end_s: float) -> list[Segment]:
    """The actual bar, start to end in session time: running, paused, past the plan."""
    if p.started_s is None:
        return []
    end = p.ended_s if p.ended_s is not None else max(log_end_s, p.started_s)
    pieces: list[tuple[str, float]] = []  # ("run" | "pause", seconds)
    cursor = p.started_s
    for pause in sorted(p.pauses, key=lambda q: q.start_s):
        start = min(max(pause.start_s, cursor), end)
        stop = min(pause.end_s if pause.end_s is not None else end, end)
        pieces.append(("run", start - cursor))
        pieces.append(("pause", max(0.0, stop - start)))
        cursor = max(cursor, stop)
    pieces.append(("run", end - cursor))
    segments: list[Segment] = []
    ran = 0.0
    for kind, length in pieces:
        if length <= 0:
            continue
        if kind == "pause":
            segments.append((PAUSE[0], length, PAUSE[1], PAUSE[2]))
            continue
        within = max(0.0, min(length, p.planned_s - ran))
        segments.append((RUN[0], within, RUN[1], RUN[2]))
        segments.append((OVER[0], length - within, OVER[1], OVER[2]))
        ran += length
    return segments


def span_s(p: PhaseRow, log_end_s: float) -> float:
    """How long the phase lasted on the clock, pauses included."""
    return sum(length for _, length, _, _ in actual_segments(p, log_end_s))


def remarks(p: PhaseRow) -> str:
    """Pauses, extensions, early end, carried time: in words, on one line."""
    parts: list[str] = []
    if p.waited_s is not None:
        parts.append(t("logs.phase.waited", time=elapsed(p.waited_s)))
    for pause in p.pauses:
        end = pause.end_s if pause.end_s is not None else pause.start_s
        parts.append(
            t("logs.phase.pause", time=elapsed(end - pause.start_s), reason=pause.reason or "—")
        )
    for ext in p.extensions:
        parts.append(t("logs.phase.extension", time=left(ext.seconds), reason=ext.reason or "—"))
    if p.carried_in_s >= 0.5:
        parts.append(t("logs.phase.carried_in", time=left(p.carried_in_s)))
    if p.early and p.state == "done":
        parts.append(t("logs.phase.early"))
    if p.carried_s >= 0.5:
        parts.append(t("logs.phase.carried_out", time=left(p.carried_s)))
    return " · ".join(parts)


def timeline_lines(phases: Sequence[PhaseRow], log_end_s: float, width: int) -> list[Text]:
    """The whole drawing at ``width`` cells: axis, each phase's two bars, remarks, legend."""
    cells = max(10, width - INDENT - TAG_W - NUMBERS_W)
    scale = max([1.0] + [max(p.planned_s, span_s(p, log_end_s)) for p in phases])
    lines: list[Text] = [
        Text.assemble(" " * (INDENT + TAG_W), axis(scale, cells, t("tui.review.minutes")))
    ]
    for p in phases:
        lines.extend(_phase_lines(p, log_end_s, scale, cells, width))
    total_used = oral_used_s(phases)
    total_planned = planned_total_s(phases)
    over = oral_overtime_s(phases)
    total = Text(
        t("tui.review.timeline.total", used=elapsed(total_used), planned=left(total_planned)),
        "bold",
    )
    if shows_overtime(over):
        total.append("  " + t("tui.review.overtime", time=elapsed(over)), OVER[2])
    lines.append(total)
    lines.extend(
        legend(
            [
                (PLAN[1], PLAN[2], t("tui.review.legend.planned")),
                (CARRIED[1], CARRIED[2], t("tui.review.legend.carried")),
                (EXTENSION[1], EXTENSION[2], t("tui.review.legend.extension")),
                (RUN[1], RUN[2], t("tui.review.legend.run")),
                (PAUSE[1], PAUSE[2], t("tui.review.legend.pause")),
                (OVER[1], OVER[2], t("tui.review.legend.over")),
            ],
            width,
        )
    )
    return lines


def _phase_lines(p: PhaseRow, log_end_s: float, scale: float, cells: int, width: int) -> list[Text]:
    indent = " " * INDENT
    style = "dim strike" if p.state == "skipped" else ("dim" if p.state == "pending" else "bold")
    head = Text(clip(p.label, width).rstrip(), style)
    if p.state in ("skipped", "pending", "running"):
        head.append(
            " · " + t(f"logs.phase.{p.state}"),
            "$unfinished italic" if p.state == "running" else "italic dim",
        )
    planned = Text.assemble(indent, (clip(t("tui.review.timeline.planned"), TAG_W), "dim"))
    bar = raster(planned_segments(p), scale, cells)
    planned.append_text(bar)
    planned.append(" " * (cells - bar.cell_len + 1))
    planned.append(left(p.planned_s).rjust(7), "dim")
    lines = [head, planned]
    if p.state not in ("skipped", "pending"):
        actual = Text.assemble(indent, (clip(t("tui.review.timeline.actual"), TAG_W), "dim"))
        bar = raster(actual_segments(p, log_end_s), scale, cells)
        actual.append_text(bar)
        actual.append(" " * (cells - bar.cell_len + 1))
        actual.append(elapsed(p.elapsed_s).rjust(7))
        if shows_overtime(p.overtime_s):
            actual.append(" " + overtime(p.overtime_s), OVER[2])
        lines.append(actual)
    for piece in textwrap.wrap(remarks(p), max(20, width - INDENT)):
        lines.append(Text(indent + piece, "italic dim"))
    return lines


class Timeline(BarLines):
    """The timeline of one session's phases (see ``timeline_lines``)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(lambda width: [], id=id)

    def show(self, phases: Sequence[PhaseRow], log_end_s: float) -> None:
        """Draw these phases (``log_end_s``: where the log ends, for a phase still running)."""
        self.set_drawing(lambda width: timeline_lines(phases, log_end_s, width))
