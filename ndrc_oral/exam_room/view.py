"""What the screens show, as plain values computed from a Snapshot. No Textual here.

The widgets only paint these values; keeping the arithmetic here makes it
testable without an app and keeps the candidate's view honest: it is built
from timing data alone (``CandidateView``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ndrc_oral.exams.models import Exam, Milestone, Run, Speaker
from ndrc_oral.formatting import (
    countdown,
    elapsed,
    hms,
    left,
    minutes_words,
    offset,
    overtime,
    whole_seconds,
)
from ndrc_oral.i18n import language, t
from ndrc_oral.session.state import SessionState, Snapshot, Status
from ndrc_oral.session.tones import NORMAL, OVER, PAUSED, timer_tone

# --- the exam list ---------------------------------------------------------------------


def exam_choice_label(exam: Exam) -> str:
    """How an exam appears in the home screen's list: its title and its total time
    (a CCF épreuve: each situation's, ``A 15 min + B 15 min``)."""
    lang = language()
    if exam.ccf:
        parts = [
            t(
                "tui.duration.situation",
                id=s.id.upper(),
                time=minutes_words(s.cap_s) if s.cap_s else t("tui.duration.untimed"),
            )
            for s in exam.situations
        ]
        return f"{exam.title.get(lang)} · {' + '.join(parts)}"
    oral = sum(p.duration_s for p in exam.phases if not p.preparation)
    prep = sum(p.duration_s for p in exam.phases if p.preparation)
    total = minutes_words(oral)
    if prep:
        total = t("tui.duration.with_prep", oral=total, prep=minutes_words(prep))
    return f"{exam.title.get(lang)} · {total}"


# --- the timer -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimerView:
    """The big number and its tone (a CSS class of the timer)."""

    text: str
    """``09:59`` counting down, ``+01:02`` past the planned end, ``1:02:03`` above an hour."""
    tone: str
    """One of ``session.tones.TONES``: ``idle``, ``normal``, ``warn1``..., ``over``, ``paused``."""


def timer_view(snap: Snapshot) -> TimerView:
    """The remaining time of the phase as the timer shows it."""
    if snap.phase_index is None:
        return TimerView(hms(0), timer_tone(snap))
    return TimerView(countdown(snap.remaining_s), timer_tone(snap))


def next_change_in(snap: Snapshot) -> float | None:
    """Seconds until a value on screen changes by itself; ``None`` when nothing moves.

    Only a running phase moves: its remaining time and the elapsed totals. The
    next repaint is due at the first of their next whole-second boundaries.
    """
    if snap.status is not Status.RUNNING:
        return None
    delays = [
        _to_next_second(-snap.remaining_s),
        _to_next_second(snap.elapsed_s),
        _to_next_second(snap.total_elapsed_s),
    ]
    return max(0.001, min(delays))


def _to_next_second(x: float) -> float:
    """Time until ``x`` (growing at one per second) reaches its next whole number."""
    step = whole_seconds(x) + 1 - x
    return step if step > 1e-6 else 1.0


# --- words for the state ---------------------------------------------------------------

_SPEAKER_KEYS: Mapping[Speaker, str] = {
    Speaker.CANDIDATE: "tui.speaker.candidate",
    Speaker.COMMISSION: "tui.speaker.commission",
    Speaker.BOTH: "tui.speaker.both",
}


def phase_label(run: Run, index: int | None) -> str:
    """The phase's name in the current language ('' past the last phase)."""
    if index is None or index >= len(run.phases):
        return ""
    return run.phases[index].label.get(language())


def speaker_text(run: Run, index: int | None) -> str:
    """Who speaks during the phase, in words."""
    if index is None or index >= len(run.phases):
        return ""
    return t(_SPEAKER_KEYS[run.phases[index].speaker])


def status_text(
    snap: Snapshot, run: Run, keys: Mapping[str, str], *, paused_for: float = 0.0
) -> str:
    """One line saying where the session stands and which key moves it on."""
    label = phase_label(run, snap.phase_index)
    if snap.status is Status.READY:
        return t("tui.status.ready", key=keys.get("start", ""), phase=label)
    if snap.status is Status.RUNNING:
        return t("tui.status.running")
    if snap.status is Status.PAUSED:
        return t(
            "tui.status.paused",
            reason=snap.pause_reason or t("tui.status.no_reason", key=keys.get("reason", "")),
            since=elapsed(paused_for),
            key=keys.get("resume", ""),
        )
    if snap.status is Status.BETWEEN:
        return t("tui.status.between", key=keys.get("start", ""), phase=label)
    if snap.status is Status.OVER:
        return t("tui.status.over", key=keys.get("finish", ""))
    return t("tui.status.finished")


def tone_marker(tone: str, remaining_s: float, warnings_s: Sequence[int]) -> str:
    """The timer's state in words, for who cannot tell its colours (``NO_COLOR``, colour blindness).

    ``⚠ moins de 2 min`` once a threshold is passed, ``⚠ temps dépassé``,
    ``⏸ en pause``; nothing while the time is calm or nothing runs.
    """
    if tone == OVER:
        return t("display.marker.over")
    if tone == PAUSED:
        return t("display.marker.paused")
    passed = [w for w in warnings_s if remaining_s <= w]
    if tone == NORMAL or not passed or not tone.startswith("warn"):
        return ""
    return t("display.marker.warn", left=threshold_words(min(passed)))


def threshold_words(seconds: int) -> str:
    """A warning threshold in words: ``2 min``, ``1 min 30 s``, ``30 s``."""
    return minutes_words(seconds) if seconds >= 60 else t("duration.seconds", s=seconds)


@dataclass(frozen=True, slots=True)
class CandidateView:
    """All the candidate's screen may show: the timer and the phase. Nothing else exists here."""

    timer: TimerView
    phase: str
    speaker: str
    status: str
    marker: str = ""
    """The timer's state in words (``tone_marker``)."""


def candidate_view(snap: Snapshot, run: Run) -> CandidateView:
    """The candidate's view of a snapshot: timing only (no grid, no notes, no result)."""
    if snap.status is Status.PAUSED:
        status = t("tui.candidate.paused")
    elif snap.status in (Status.READY, Status.BETWEEN):
        status = t("tui.candidate.waiting")
    elif snap.status in (Status.OVER, Status.FINISHED):
        status = t("tui.candidate.over")
    else:
        status = ""
    timer = timer_view(snap)
    index = snap.phase_index
    warnings = run.phases[index].warnings_s if index is not None else []
    return CandidateView(
        timer=timer,
        phase=phase_label(run, index),
        speaker=speaker_text(run, index),
        status=status,
        marker=tone_marker(timer.tone, snap.remaining_s, warnings),
    )


# --- marks -------------------------------------------------------------------------------


def parse_mark(text: str) -> float:
    """A mark out of 20 in half points: ``14,5``, ``14.5``, ``14`` or ``14,5/20``.

    ``ValueError`` with a message for the user otherwise.
    """
    raw = text.strip().replace(" ", "")
    raw = raw.removesuffix("/20").replace(",", ".")
    try:
        mark = float(raw)
    except ValueError:
        raise ValueError(t("tui.result.error.mark", found=text.strip())) from None
    if not math.isfinite(mark) or not 0 <= mark <= 20 or mark * 2 != int(mark * 2):
        raise ValueError(t("tui.result.error.mark", found=text.strip()))
    return mark


def parse_minutes(text: str) -> float:
    """An extension in minutes: ``2``, ``1,5`` or ``1:30``; seconds, or ``ValueError``."""
    raw = text.strip().replace(",", ".")
    try:
        if ":" in raw:
            minutes, secs = raw.split(":", 1)
            seconds = int(minutes or "0") * 60 + int(secs)
        else:
            seconds = round(float(raw) * 60)
    except ValueError:
        raise ValueError(t("tui.extend.error.minutes", found=text.strip())) from None
    if not 1 <= seconds <= 4 * 3600:
        raise ValueError(t("tui.extend.error.minutes", found=text.strip()))
    return float(seconds)


# --- the phase list ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhaseRow:
    """One phase in the list: planned and actual times, and what changed its length."""

    state: str
    """``pending``, ``running``, ``done`` or ``skipped``."""
    label: str
    planned: str
    actual: str
    overtime: str
    """``+01:05`` when the phase ran past its planned end, else ''."""
    details: str
    """Carried-over time, extensions, pauses, early end, in words ('' when none)."""


def phase_rows(snap: Snapshot, state: SessionState) -> list[PhaseRow]:
    """The phases of the session as the list shows them (timing data only)."""
    phases = state.run.phases
    rows: list[PhaseRow] = []
    for i, (view, run) in enumerate(zip(snap.phases, state.phases, strict=True)):
        details: list[str] = []
        if run.carried_in_s >= 0.5:
            details.append(t("tui.phases.carried_in", d=left(run.carried_in_s)))
        for seconds, _reason in run.extensions:
            details.append(t("tui.phases.extended", d=left(seconds)))
        if run.pauses and view.state == "done":
            details.append(t("tui.phases.paused", d=elapsed(run.paused_s), n=len(run.pauses)))
        if run.early and view.state == "done":
            details.append(t("tui.phases.early"))
        if run.carried_out_s >= 0.5:
            details.append(t("tui.phases.carried_out", d=left(run.carried_out_s)))
        started = view.state in ("running", "done")
        rows.append(
            PhaseRow(
                state=view.state,
                label=phases[i].label.get(language()),
                planned=left(view.planned_s),
                actual=elapsed(view.elapsed_s) if started else "",
                overtime=overtime(view.overtime_s),
                details=" · ".join(details),
            )
        )
    return rows


def fit_label(label: str, width: int) -> str:
    """A phase's label in ``width`` characters, cut in the middle so that what tells two
    phases apart stays: ``Phase 3 – exploitation… : présentation`` (after the last
    `` : ``), else cut at the end."""
    if len(label) <= width:
        return label
    head, sep, tail = label.rpartition(" : ")
    tail = sep + tail
    if sep and len(tail) + 8 <= width:
        return head[: width - len(tail) - 1].rstrip() + "…" + tail
    return label[: max(0, width - 1)].rstrip() + "…"


def total_line(snap: Snapshot, cap_s: int | None = None) -> str:
    """``Total 03:12 / 15:00``: time run so far over time planned (skipped phases and a
    preparation aside); past the exam's cap, it says so in words (``over_cap``)."""
    planned = snap.total_planned_s
    line = t("tui.phases.total", elapsed=elapsed(snap.total_elapsed_s), planned=left(planned))
    if over_cap(snap, cap_s):
        assert cap_s is not None
        line += " " + t("tui.phases.over_cap", cap=left(cap_s))
    return line


def over_cap(snap: Snapshot, cap_s: int | None) -> bool:
    """Whether the oral has run past the exam's cap (``total_cap_s``, preparation excluded)."""
    return bool(cap_s) and whole_seconds(snap.total_elapsed_s) > (cap_s or 0)


# --- several candidates at once (E5) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CandidateRow:
    """One candidate in the strip above the phases: who, where, how much time, which state."""

    position: int
    """1, 2 or 3: the candidate's place on the screen."""
    name: str
    phase: str
    time: str
    """The timer's text: remaining time, ``+mm:ss`` past the planned end."""
    tone: str
    """The timer's tone (``normal``, ``warn1``, ``over``...), for its colour."""
    status: str
    """A word or two: ready, running, paused, between phases, to finish, finished."""
    current: bool
    """The candidate the keys act on."""


_STRIP_STATUS: Mapping[Status, str] = {
    Status.READY: "tui.strip.ready",
    Status.RUNNING: "tui.strip.running",
    Status.PAUSED: "tui.strip.paused",
    Status.BETWEEN: "tui.strip.between",
    Status.OVER: "tui.strip.over",
    Status.FINISHED: "tui.strip.finished",
}


def strip_status_width() -> int:
    """The widest state word of the strip, in the current language (for a straight column)."""
    return max(len(t(key)) for key in _STRIP_STATUS.values())


def candidate_row(
    snap: Snapshot, state: SessionState, position: int, current: bool
) -> CandidateRow:
    """A candidate's line in the strip (timing data and the name only)."""
    timer = timer_view(snap)
    return CandidateRow(
        position=position,
        name=state.identity.candidate,
        phase=phase_label(state.run, snap.phase_index),
        time=timer.text,
        tone=timer.tone,
        status=t(_STRIP_STATUS[snap.status]),
        current=current,
    )


# --- the result form ---------------------------------------------------------------------------


def parse_date(text: str) -> str:
    """A date typed on a form, ``JJ/MM/AAAA`` or ``AAAA-MM-JJ``, as ``AAAA-MM-JJ``; "" for
    nothing typed. ``ValueError`` with a message for the user otherwise."""
    raw = text.strip()
    if not raw:
        return ""
    try:
        if "/" in raw:
            day, month, year = (int(x) for x in raw.split("/"))
            return date(year, month, day).isoformat()
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise ValueError(t("tui.result.error.date", found=raw)) from None


def form_date(iso: str) -> str:
    """``2027-01-12`` as the form shows it (``12/01/2027``)."""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return ""


# --- milestones (the entretien starts) -------------------------------------------------------


def next_milestone(state: SessionState) -> Milestone | None:
    """The running phase's first milestone not marked yet (``None``: nothing to mark)."""
    current = state.current
    if current is None or state.is_paused:
        return None
    marked = {m.id for m in state.phases[current].milestones}
    return next((m for m in state.run.phases[current].milestones if m.id not in marked), None)


def milestone_text(state: SessionState, key: str) -> str:
    """``Ctrl+E : début de l'entretien`` while it can be marked, then when it was."""
    milestone = next_milestone(state)
    lang = language()
    if milestone is not None:
        return t("tui.milestone.hint", key=key, label=milestone.label.get(lang))
    current = state.current
    if current is None or not state.phases[current].milestones:
        return ""
    last = state.phases[current].milestones[-1]
    found = state.run.phases[current].milestone(last.id)
    label = found.label.get(lang) if found is not None else last.id
    return t("tui.milestone.done", label=label, at=offset(last.offset_s))
