"""A session as JSON: everything the log says, derived fields included, and the raw log.

The shape is documented field by field in the README (section "Procès-verbaux").
``FORMAT`` changes when a field changes meaning or disappears; new fields may
be added without changing it.
"""

from __future__ import annotations

import json
from typing import Any

from ndrc_oral.transcript.recorder import LoadedSession
from ndrc_oral.transcript.report import PhaseRow, Report, build_report

FORMAT = "ndrc-oral/session/1"


def session_dict(loaded: LoadedSession, lang: str = "fr") -> dict[str, Any]:
    """The session as plain data (labels in ``lang``)."""
    return report_dict(build_report(loaded, lang))


def session_json(loaded: LoadedSession, lang: str = "fr") -> str:
    """``session_dict`` as indented UTF-8 JSON text (accents kept as they are)."""
    return json.dumps(session_dict(loaded, lang), ensure_ascii=False, indent=2) + "\n"


def report_dict(report: Report) -> dict[str, Any]:
    """The JSON shape of a report."""
    exam = report.exam
    result = report.result
    return {
        "format": FORMAT,
        "id": report.id,
        "exam": {
            "id": exam.id,
            "title": report.exam_title,
            "epreuve": exam.epreuve,
            "situation": exam.situation,
        },
        "candidate": {"name": report.candidate_name, "number": report.candidate_number},
        "commission": report.commission,
        "members": list(report.members),
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
        "notes": [
            {
                "at": n.at,
                "t": n.t,
                "phase": n.phase,
                "offset_s": n.offset_s,
                "criterion": n.criterion,
                "text": n.text,
            }
            for n in report.notes
        ],
        "ratings": {c: report.ratings[c] for c in exam.criterion_ids() if c in report.ratings},
        "result": None if result is None else _result(result),
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
        "extensions": [{"seconds": e.seconds, "reason": e.reason} for e in p.extensions],
        "pauses": [{"start_s": x.start_s, "end_s": x.end_s, "reason": x.reason} for x in p.pauses],
    }


def _result(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "mark" in result:
        out["mark"] = float(result["mark"])
    else:
        out["outcome"] = result.get("outcome")
    out["appreciation"] = result.get("appreciation", "")
    out["members"] = list(result.get("members", []))
    out["fiches"] = result.get("fiches")
    out["network"] = result.get("network")
    return out


def _round(seconds: float) -> float:
    return round(seconds, 3)
