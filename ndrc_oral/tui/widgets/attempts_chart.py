"""Rehearsals side by side: the time used in each phase against the plan, attempt by attempt.

One group of bars per attempt (oldest first), one bar per phase, all on the
same scale: the time used ``█``, the planned time not used ``░``, the planned
end ``│``, and the time past it ``▓`` in the colour of overtime. Reading down the chart shows how
each phase's timing changed from one attempt to the next.

``chart_lines`` is pure (attempts in, lines out); ``AttemptsChart`` paints it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from ndrc_oral.formatting import elapsed, left, overtime, shows_overtime
from ndrc_oral.i18n import t
from ndrc_oral.transcript.reader import Integrity
from ndrc_oral.transcript.report import PhaseRow, oral_overtime_s, oral_used_s, planned_total_s
from ndrc_oral.tui.widgets.bars import BarLines, axis, clip, legend

USED = ("█", "$bar-run")
UNUSED = ("░", "dim")
MARK = ("│", "bold")
OVER = ("▓", "$tone-over bold")

INDENT = 2
LABEL_W = 22
NUMBERS_W = 22


@dataclass(frozen=True, slots=True)
class Attempt:
    """One rehearsal as the chart needs it."""

    number: int
    """1 for the first attempt."""
    when: str
    """``YYYY-MM-DD HH:MM``."""
    who: str
    """The candidate's name ('' when every attempt is the same candidate's)."""
    phases: tuple[PhaseRow, ...]
    integrity: str
    finished: bool


def short_label(label: str, width: int) -> str:
    """A phase's name in ``width`` cells that still tells phases apart.

    ``Phase 1 – ciblage et prospection : exposé`` becomes ``Phase 1 · exposé``:
    the official labels share long beginnings, so a plain cut would make two
    phases look the same.
    """
    if cell_len(label) > width:
        head, sep, rest = label.partition(" – ")
        if sep:
            label = f"{head} · {rest.rpartition(' : ')[2]}"
    return clip(label, width)


def phase_bar(p: PhaseRow, scale: float, cells: int) -> Text:
    """One phase of one attempt: used, unused, the planned end, overtime."""
    if p.state in ("skipped", "pending"):
        return Text("·" * max(1, round(p.planned_s / scale * cells)), "dim")
    planned = round(p.planned_s / scale * cells)
    used = round(p.elapsed_s / scale * cells)
    if p.overtime_s >= 1 and used <= planned:
        used = planned + 1  # overtime always shows
    bar = Text()
    bar.append(USED[0] * min(used, planned), USED[1])
    bar.append(UNUSED[0] * max(0, planned - used), UNUSED[1])
    bar.append(MARK[0], MARK[1])
    bar.append(OVER[0] * max(0, used - planned), OVER[1])
    return bar


def chart_lines(attempts: Sequence[Attempt], width: int) -> list[Text]:
    """The chart at ``width`` cells: axis, then per attempt a title and a bar per phase."""
    label_w = min(LABEL_W, max(8, width // 4))
    cells = max(10, width - INDENT - label_w - NUMBERS_W - 2)
    scale = max([1.0] + [max(p.planned_s, p.elapsed_s) for a in attempts for p in a.phases])
    lines = [
        Text.assemble(
            " " * (INDENT + label_w),
            axis(scale * cells / (cells - 1), cells, t("tui.review.minutes")),
        )
    ]
    for attempt in attempts:
        lines.append(_title(attempt))
        for p in attempt.phases:
            line = Text(" " * INDENT)
            line.append(short_label(p.label, label_w - 1) + " ")
            bar = phase_bar(p, scale, cells - 1)
            line.append_text(bar)
            line.append(" " * max(1, cells - bar.cell_len + 1))
            line.append_text(_numbers(p))
            lines.append(line)
    lines.extend(
        legend(
            [
                (USED[0], USED[1], t("tui.review.chart.used")),
                (UNUSED[0], UNUSED[1], t("tui.review.chart.unused")),
                (MARK[0], MARK[1], t("tui.review.chart.planned_end")),
                (OVER[0], OVER[1], t("tui.review.legend.over")),
            ],
            width,
        )
    )
    return lines


def _title(a: Attempt) -> Text:
    used = oral_used_s(a.phases)
    planned = planned_total_s(a.phases)
    over = oral_overtime_s(a.phases)
    title = Text.assemble(
        (t("tui.review.chart.attempt", n=a.number), "bold"),
        (f" · {a.when}", "dim"),
    )
    if a.who:
        title.append(f" · {a.who}", "bold")
    title.append(" · " + t("tui.review.chart.total", used=elapsed(used), planned=left(planned)))
    if shows_overtime(over):
        title.append(" " + t("tui.review.overtime", time=elapsed(over)), OVER[1])
    if a.integrity == Integrity.DAMAGED:
        title.append("  " + t("tui.review.integrity.damaged"), "$integrity-damaged bold reverse")
    elif a.integrity == Integrity.TORN_TAIL:
        title.append("  " + t("tui.review.integrity.torn"), "$integrity-torn bold")
    if not a.finished:
        title.append("  " + t("tui.review.chart.unfinished"), "$unfinished italic")
    return title


def _numbers(p: PhaseRow) -> Text:
    if p.state == "skipped":
        return Text(t("logs.phase.skipped"), "dim italic")
    if p.state == "pending":
        return Text(t("logs.phase.pending"), "dim italic")
    text = Text(f"{elapsed(p.elapsed_s)} / {left(p.planned_s)}")
    if shows_overtime(p.overtime_s):
        text.append(" " + overtime(p.overtime_s), OVER[1])
    return text


class AttemptsChart(BarLines):
    """The rehearsal chart (see ``chart_lines``)."""

    def __init__(self, attempts: Sequence[Attempt] = (), *, id: str | None = None) -> None:
        super().__init__(lambda width: chart_lines(attempts, width), id=id)

    def show(self, attempts: Sequence[Attempt]) -> None:
        """Chart other attempts."""
        self.set_drawing(lambda width: chart_lines(attempts, width))
