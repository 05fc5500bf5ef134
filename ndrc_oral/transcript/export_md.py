"""A session as a Markdown transcript (French by default, English with ``lang="en"``).

Header, phases planned vs actual, notes in time order, notes by criterion, the
grid, the result, incidents and integrity. ``logs show`` prints the same text:
Markdown reads well as plain text too. A damaged transcript starts with a
warning, then shows what could be read.
"""

from __future__ import annotations

import re

from ndrc_oral.formatting import clock_time, day_and_time, elapsed, left, offset, shows_overtime
from ndrc_oral.i18n import tr
from ndrc_oral.transcript.recorder import LoadedSession
from ndrc_oral.transcript.report import (
    CorrectionRow,
    FicheBlockRow,
    NoteRow,
    PhaseRow,
    Report,
    build_report,
    is_intact,
    member_text,
    mode_text,
    note_stamp,
    result_text,
    source_text,
    warning_key,
)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def session_markdown(loaded: LoadedSession, lang: str = "fr") -> str:
    """The whole transcript of one session."""
    return report_markdown(build_report(loaded, lang))


def report_markdown(r: Report) -> str:
    """The Markdown of a report."""
    lang = r.lang
    out: list[str] = [f"# {tr(lang, 'logs.md.title')} — {_esc(r.exam_title)}", ""]
    if not is_intact(r):
        out += [_integrity_warning(r), ""]
    if r.cancelled is not None:
        out += [f"> **{_cancelled(r)}**", ""]
    out += _header(r)
    out += ["", f"## {tr(lang, 'logs.md.phases')}", ""]
    out += _phases(r)
    out += ["", f"## {tr(lang, 'logs.md.notes_time')}", ""]
    out += [_note_line(n, lang, with_criterion=True) for n in r.notes] or [_none(lang)]
    if r.earlier_notes:
        out += ["", f"## {tr(lang, 'logs.md.earlier_notes')}", ""]
        out += [_note_line(n, lang, with_criterion=True) for n in r.earlier_notes]
    out += ["", f"## {tr(lang, 'logs.md.notes_criteria')}", ""]
    out += _notes_by_criterion(r)
    out += ["", f"## {tr(lang, 'logs.md.grid')}", ""]
    out += _grid(r)
    out += ["", f"## {tr(lang, 'logs.md.result')}", ""]
    out += _result(r)
    if r.incidents:
        out += ["", f"## {tr(lang, 'logs.md.incidents')}", ""]
        out += [_incident(i, lang) for i in r.incidents]
    out += ["", f"## {tr(lang, 'logs.md.integrity')}", ""]
    out += _integrity(r)
    return "\n".join(out).rstrip("\n") + "\n"


def _esc(text: str) -> str:
    """Text that Markdown shows as typed (one line)."""
    return _SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", " ⏎ ")


def _block(text: str, indent: str) -> str:
    """A possibly multi-line text inside a list item: continuation lines indented."""
    lines = _SPECIAL.sub(r"\\\1", text).replace("\r", "").split("\n")
    return ("\n" + indent).join(lines)


def _none(lang: str) -> str:
    return f"*{tr(lang, 'logs.md.none')}*"


def _integrity_warning(r: Report) -> str:
    key = warning_key(r) or "logs.md.warn_damaged"
    problem = r.problems[0] if r.problems else ""
    return f"> **⚠ {tr(r.lang, key)}** {_esc(problem)}"


def _header(r: Report) -> list[str]:
    lang = r.lang
    candidate = _esc(r.candidate_name)
    if r.candidate_number:
        candidate += f" ({tr(lang, 'logs.number', number=_esc(r.candidate_number))})"
    commission = _esc(r.commission) if r.commission else "—"
    if r.members:
        commission += " — " + ", ".join(_esc(member_text(m, lang)) for m in r.identity.members)
    situation = r.situation_label
    exam = r.exam.epreuve + (f" — {_esc(situation)}" if situation else "")
    rows = [
        (tr(lang, "logs.field.candidate"), candidate),
        (tr(lang, "logs.field.commission"), commission),
        (tr(lang, "logs.field.date"), day_and_time(r.started_at)),
        (tr(lang, "logs.field.exam"), f"{exam} ({r.exam.id})"),
        (tr(lang, "logs.field.source"), _esc(source_text(r.exam, lang))),
        (tr(lang, "logs.field.mode"), mode_text(r.mode, lang)),
    ]
    if r.identity.machine:  # files made before it was recorded do not say it
        rows.append((tr(lang, "logs.field.machine"), _esc(r.identity.machine)))
    if r.epreuve_id:
        rows.append((tr(lang, "logs.field.epreuve_id"), f"`{r.epreuve_id}`"))
    if r.extra_time:
        reason = f" — {_esc(r.extra_time_reason)}" if r.extra_time_reason else ""
        rows.append((tr(lang, "logs.field.extra_time"), f"{r.extra_time}{reason}"))
    if r.cms:
        rows.append((tr(lang, "logs.field.cms"), _esc(r.cms)))
    if r.identity.subject:
        rows.append((tr(lang, "logs.field.subject"), _esc(r.identity.subject)))
    if r.identity.grid:
        rows.append((tr(lang, "logs.field.grid_file"), _esc(r.identity.grid)))
    rows += [
        (tr(lang, "logs.field.state"), r.state_text),
        (tr(lang, "logs.field.session"), f"`{r.id}`"),
    ]
    return ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in rows]


def _phases(r: Report) -> list[str]:
    lang = r.lang
    lines = [
        "| {} | {} | {} | {} | {} |".format(
            tr(lang, "logs.col.phase"),
            tr(lang, "logs.col.planned"),
            tr(lang, "logs.col.actual"),
            tr(lang, "logs.col.overtime"),
            tr(lang, "logs.col.remarks"),
        ),
        "|---|---:|---:|---:|---|",
    ]
    for p in r.phases:
        actual = "—" if p.state in ("pending", "skipped") else elapsed(p.elapsed_s)
        over = elapsed(p.overtime_s) if shows_overtime(p.overtime_s) else "—"
        lines.append(
            f"| {_esc(p.label)} | {left(p.planned_s)} | {actual} | {over} "
            f"| {_phase_remarks(p, lang)} |"
        )
    lines.append(
        f"| **{tr(lang, 'logs.col.total')}** | | **{elapsed(r.time_used_s)}** "
        f"| **{elapsed(r.overtime_s) if shows_overtime(r.overtime_s) else '—'}** | |"
    )
    return lines


def _phase_remarks(p: PhaseRow, lang: str) -> str:
    parts: list[str] = []
    if p.state == "skipped":
        parts.append(tr(lang, "logs.phase.skipped"))
    elif p.state == "pending":
        parts.append(tr(lang, "logs.phase.pending"))
    elif p.state == "running":
        parts.append(tr(lang, "logs.phase.running"))
    if p.waited_s is not None:
        parts.append(tr(lang, "logs.phase.waited", time=elapsed(p.waited_s)))
    if p.early:
        parts.append(tr(lang, "logs.phase.early"))
    if p.carried_s >= 0.5:
        parts.append(tr(lang, "logs.phase.carried_out", time=left(p.carried_s)))
    if p.carried_in_s >= 0.5:
        parts.append(tr(lang, "logs.phase.carried_in", time=left(p.carried_in_s)))
    for e in p.extensions:
        parts.append(tr(lang, "logs.phase.extension", time=left(e.seconds), reason=_esc(e.reason)))
    for x in p.pauses:
        length = "…" if x.end_s is None else elapsed(x.end_s - x.start_s)
        parts.append(tr(lang, "logs.phase.pause", time=length, reason=_esc(x.reason)))
    for m in p.milestones:
        parts.append(tr(lang, "logs.md.milestone", label=_esc(m.label), time=offset(m.offset_s)))
    return tr(lang, "logs.list_sep").join(parts)


def _note_line(n: NoteRow, lang: str, *, with_criterion: bool) -> str:
    about = ""
    if with_criterion and n.criterion_label is not None:
        about = f"[{_esc(n.criterion_label)}] "
    return f"- **{_esc(note_stamp(n, lang))}** — {about}{_block(n.text, '  ')}"


def _notes_by_criterion(r: Report) -> list[str]:
    lang = r.lang
    lines: list[str] = []
    for comp in r.exam.competences:
        block: list[str] = []
        for crit in comp.criteria:
            notes = r.notes_for(crit.id, earlier=True)
            if not notes:
                continue
            level = r.ratings.get(crit.id, "—")
            block += ["", f"**{_esc(crit.label.get(lang))}** — {level}", ""]
            block += [_note_line(n, lang, with_criterion=False) for n in notes]
        if block:
            heading = _esc(comp.label.get(lang)) if comp.label is not None else ""
            lines += ([f"### {heading}"] if heading else []) + [*block, ""]
    general = r.notes_for(None, earlier=True)
    lines += [f"### {tr(lang, 'logs.md.general_notes')}", ""]
    lines += [_note_line(n, lang, with_criterion=False) for n in general] or [_none(lang)]
    return lines


def _grid(r: Report) -> list[str]:
    lang = r.lang
    lines = [
        "| {} | {} | {} |".format(
            tr(lang, "logs.col.competence"),
            tr(lang, "logs.col.criterion"),
            tr(lang, "logs.col.level"),
        ),
        "|---|---|:---:|",
    ]
    levels = {lvl.code: lvl.label.get(lang) for lvl in r.exam.scale}
    for comp in r.exam.competences:
        for i, crit in enumerate(comp.criteria):
            level = r.ratings.get(crit.id)
            shown = f"**{level}** ({levels.get(level, '')})" if level else "—"
            first = _esc(comp.label.get(lang)) if i == 0 and comp.label is not None else ""
            row = _esc(crit.label.get(lang))
            if crit.covers:
                covers = ", ".join(c.get(lang) for c in crit.covers)
                row += f" ({_esc(covers)})"
            lines.append(f"| {first} | {row} | {shown} |")
    rated = sum(1 for c in r.exam.criterion_ids() if c in r.ratings)
    lines += ["", tr(lang, "logs.md.rated", rated=rated, total=len(r.exam.criterion_ids()))]
    return lines


def _result(r: Report) -> list[str]:
    lang = r.lang
    if r.verdict is None and not any(b.session_id and b.session_id != r.id for b in r.fiche):
        return [_none(lang)]
    sep = tr(lang, "logs.sep")
    lines = [f"- {tr(lang, 'logs.field.result')}{sep}**{result_text(r.verdict, lang)}**"]
    if r.cancelled is not None:
        lines.append(f"- {_cancelled(r)}")
    for block in r.fiche:
        lines += _fiche_block(block, lang, sep)
    if r.corrections:
        lines += ["", f"### {tr(lang, 'logs.md.corrections')}", ""]
        lines += [_correction(c, lang) for c in r.corrections]
    return lines


def _cancelled(r: Report) -> str:
    assert r.cancelled is not None
    at = day_and_time(r.cancelled.at)
    return _esc(tr(r.lang, "logs.cancelled.line", at=at, reason=r.cancelled.reason))


def _correction(c: CorrectionRow, lang: str) -> str:
    """``- 03/06/2027 10:00 — motif : …`` then each value changed, before → after."""
    lines = [f"- **{day_and_time(c.at)}** — {_esc(c.reason)}"]
    for change in c.changes:
        before, after = _esc(change.before) or "—", _esc(change.after) or "—"
        lines.append(f"  - {_esc(change.label)}{tr(lang, 'logs.sep')}{before} → **{after}**")
    return "\n".join(lines)


def _fiche_block(block: FicheBlockRow, lang: str, sep: str) -> list[str]:
    """One block of the fiche: its heading, its fields, who signed it."""
    lines: list[str] = []
    if block.title is not None:
        when = day_and_time(block.started_at) if block.started_at else tr(lang, "logs.md.not_yet")
        lines.append(f"- **{_esc(block.title)}** — {when}")
    indent = "  " if block.title is not None else ""
    for f in block.fields:
        if f.value:
            lines.append(f"{indent}- {_esc(f.label)}{sep}{_block(f.value, indent + '  ')}")
    if block.members:
        names = ", ".join(_esc(member_text(m, lang)) for m in block.members)
        lines.append(f"{indent}- {tr(lang, 'logs.field.members')}{sep}{names}")
    return lines


def _incident(i: dict[str, object], lang: str) -> str:
    at = clock_time(str(i.get("at", "")))
    reason = str(i.get("reason", ""))
    downtime = i.get("downtime_s")
    text = tr(lang, "logs.md.incident", at=at, reason=_esc(reason))
    if isinstance(downtime, int | float):
        text += " " + tr(lang, "logs.md.downtime", time=elapsed(float(downtime)))
    return f"- {text}"


def _integrity(r: Report) -> list[str]:
    lang = r.lang
    lines = [
        f"**{tr(lang, f'logs.integrity.{r.integrity}')}** — "
        + tr(lang, "logs.md.events", count=len(r.loaded.events))
    ]
    lines += [f"- {_esc(p)}" for p in r.problems]
    return lines
