"""A session as JSON: everything the log says, derived fields included, and the raw log.

The shape is documented field by field in the README (section "Procès-verbaux").
A CCF situation exports its whole épreuve (``EPREUVE_FORMAT``): its situations,
each in the session shape, with the épreuve's one grid and one result.
``FORMAT`` changes when a field changes meaning or disappears; new fields may
be added without changing it.
"""

from __future__ import annotations

import json
from typing import Any

from ndrc_oral.session.verdict import Verdict
from ndrc_oral.transcript.epreuve import check_link, epreuve_sessions
from ndrc_oral.transcript.recorder import LoadedSession
from ndrc_oral.transcript.report import FicheBlockRow, NoteRow, PhaseRow, Report, build_report

FORMAT = "ndrc-oral/session/1"
EPREUVE_FORMAT = "ndrc-oral/epreuve/1"


def session_dict(loaded: LoadedSession, lang: str = "fr") -> dict[str, Any]:
    """The session as plain data (labels in ``lang``); a CCF situation's: its whole épreuve."""
    if loaded.state.identity.epreuve_id:
        return epreuve_dict(epreuve_sessions(loaded), lang)
    return report_dict(build_report(loaded, lang))


def epreuve_dict(sessions: list[LoadedSession], lang: str = "fr") -> dict[str, Any]:
    """A CCF épreuve: every situation found (each as a session), its one grid, its one result.

    The grid is the latest situation's (it started from the earlier ones' and is
    what its screen showed); the result is the one that closes the épreuve (a
    mark, reserved or not, or NV), ``null`` before; ``links`` says whether each
    situation's link to the one before holds.
    """
    reports = [build_report(s, lang) for s in sessions]
    last = reports[-1]
    closing = [
        r for r in reports if r.verdict is not None and r.verdict.final and r.cancelled is None
    ]
    holder = closing[-1] if closing else None  # each situation has its own, besides
    session = report_dict(last)
    links = []
    for r, loaded in zip(reports, sessions, strict=True):
        if r.link is not None:
            check = check_link(loaded.transcript.path.parent, r.link)
            links.append(
                {
                    "session": r.id,
                    "to": r.link.session,
                    "status": str(check.status),
                    "problem": check.problem,
                }
            )
    return {
        "format": EPREUVE_FORMAT,
        "id": last.epreuve_id,
        "exam": session["exam"],
        "candidate": session["candidate"],
        "situations": [report_dict(r) for r in reports],
        "ratings": session["ratings"],
        "earlier_notes": session["earlier_notes"],
        "result": None if holder is None or holder.verdict is None else _result(holder.verdict),
        "fiche": session["fiche"],
        "links": links,
    }


def session_json(loaded: LoadedSession, lang: str = "fr") -> str:
    """``session_dict`` as indented UTF-8 JSON text (accents kept as they are)."""
    return json.dumps(session_dict(loaded, lang), ensure_ascii=False, indent=2) + "\n"


def report_dict(report: Report) -> dict[str, Any]:
    """The JSON shape of a report."""
    exam = report.exam
    source = exam.source
    return {
        "format": FORMAT,
        "id": report.id,
        "exam": {
            "id": exam.id,
            "title": report.exam_title,
            "epreuve": exam.epreuve,
            "situation": exam.situation,
            "source": None
            if source is None
            else {
                "text": source.text.get(report.lang),
                "first_session": source.first_session,
                "in_force": source.in_force,
            },
        },
        "situation": report.run.situation_id,
        "epreuve_id": report.epreuve_id,
        "link": report.link.to_data() if report.link is not None else None,
        "candidate": {"name": report.candidate_name, "number": report.candidate_number},
        "commission": report.commission,
        "machine": report.identity.machine or None,
        "members": list(report.members),
        "member_roles": [_member(m) for m in report.identity.members],
        "subject": report.identity.subject,
        "grid_file": report.identity.grid,
        "mode": report.mode,
        "extra_time": report.extra_time,
        "extra_time_reason": report.extra_time_reason or None,
        "cms": report.cms,
        "started_at": report.started_at,
        "status": report.status,
        "finished": report.finished,
        "time_used_s": _round(report.time_used_s),
        "overtime_s": _round(report.overtime_s),
        "phases": [_phase(p) for p in report.phases],
        "notes": [_note(n) for n in report.notes],
        "earlier_notes": [{"situation": n.situation, **_note(n)} for n in report.earlier_notes],
        "ratings": {c: report.ratings[c] for c in exam.criterion_ids() if c in report.ratings},
        "result": None if report.verdict is None else _result(report.verdict),
        "corrections": [
            {
                "seq": c.seq,
                "at": c.at,
                "reason": c.reason,
                "changes": [
                    {"id": x.id, "label": x.label, "before": x.before, "after": x.after}
                    for x in c.changes
                ],
            }
            for c in report.corrections
        ],
        "cancelled": None
        if report.cancelled is None
        else {"at": report.cancelled.at, "reason": report.cancelled.reason},
        "fiche": [_block(b) for b in report.fiche],
        "incidents": [
            {
                "at": i.get("at"),
                "t": i.get("t"),
                "reason": i.get("reason"),
                "downtime_s": i.get("downtime_s"),
            }
            for i in report.incidents
        ],
        "integrity": {
            "status": report.integrity,
            "problems": list(report.problems),
            "first_bad_seq": report.first_bad_seq,
        },
        "events": report.raw_events(),
    }


def _phase(p: PhaseRow) -> dict[str, Any]:
    return {
        "id": p.id,
        "label": p.label,
        "state": p.state,
        "preparation": p.preparation,
        "planned_s": _round(p.planned_s),
        "elapsed_s": _round(p.elapsed_s),
        "overtime_s": _round(p.overtime_s),
        "early": p.early,
        "carried_s": _round(p.carried_s),
        "carried_in_s": _round(p.carried_in_s),
        "started_s": p.started_s,
        "ended_s": p.ended_s,
        "waited_after_preparation_s": None if p.waited_s is None else _round(p.waited_s),
        "extensions": [{"seconds": e.seconds, "reason": e.reason} for e in p.extensions],
        "pauses": [{"start_s": x.start_s, "end_s": x.end_s, "reason": x.reason} for x in p.pauses],
        "milestones": [
            {"id": m.id, "label": m.label, "t": m.t, "offset_s": m.offset_s} for m in p.milestones
        ],
    }


def _note(n: NoteRow) -> dict[str, Any]:
    return {
        "at": n.at,
        "t": n.t,
        "phase": n.phase,
        "offset_s": n.offset_s,
        "criterion": n.criterion,
        "text": n.text,
    }


def _member(m: Any) -> dict[str, Any]:
    return {"name": m.name, "role": str(m.role) if m.role is not None else None}


def _result(verdict: Verdict) -> dict[str, Any]:
    out: dict[str, Any] = {"status": str(verdict.status)}
    if verdict.mark is not None:
        out["mark"] = verdict.mark
    if verdict.outcome is not None:
        out["outcome"] = verdict.outcome
    out["reserved"] = verdict.reserved
    out["nv_reason"] = verdict.reason
    settlement = verdict.settlement
    out["settlement"] = (
        None
        if settlement is None
        else {
            "decision": str(settlement.decision),
            "reason": settlement.reason,
            "at": settlement.at,
        }
    )
    out["fields"] = {k: list(v) if isinstance(v, tuple) else v for k, v in verdict.fields.items()}
    out["members"] = [m.name for m in verdict.members]
    out["member_roles"] = [_member(m) for m in verdict.members]
    # The keys of format 1 before fiche fields existed, read from the fields of those ids.
    out["appreciation"] = verdict.text("appreciation")
    out["fiches"] = verdict.text("fiches") or None
    out["network"] = verdict.text("network") or None
    return out


def _block(b: FicheBlockRow) -> dict[str, Any]:
    return {
        "scope": b.scope,
        "title": b.title,
        "situation": b.situation,
        "session": b.session_id,
        "started_at": b.started_at or None,
        "fields": [
            {
                "id": f.id,
                "label": f.label,
                "kind": str(f.kind),
                "value": f.value,
                "ticked": [label for label, on in f.choices if on],
            }
            for f in b.fields
        ],
        "members": [_member(m) for m in b.members],
    }


def _round(seconds: float) -> float:
    return round(seconds, 3)
