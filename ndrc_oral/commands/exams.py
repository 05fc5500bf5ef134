"""``ndrc-oral exams`` (list the catalog) and ``ndrc-oral check-config`` (validate files).

The listing works on plain dicts from ``ndrc_oral.exams.listing`` (cached,
validated data) so that it starts fast; ``check-config`` always validates.
Both the table and the JSON list the exams by rule set (``exams.sources``):
the set in force first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ndrc_oral.commands.output import say
from ndrc_oral.exams.listing import catalog_dicts
from ndrc_oral.exams.loader import ConfigError, duplicate_id, load_exam_file
from ndrc_oral.exams.sources import grouped, source_line, source_text
from ndrc_oral.formatting import minutes_words
from ndrc_oral.i18n import language, t
from ndrc_oral.paths import config_dir
from ndrc_oral.printable import printable

ID_W = 21
"""The id column of the table (the longest shipped id is 19 characters)."""


def list_exams(args: argparse.Namespace) -> int:
    """Print the catalog as a table, or as JSON with ``--json``."""
    lang = language()
    groups = grouped(catalog_dicts(config_dir(args.config_dir)), lambda e: e.get("source"))
    if getattr(args, "json", False):
        exams = [_public(e, lang) for _, members in groups for e in members]
        say(json.dumps(exams, ensure_ascii=False, indent=2) + "\n")
    else:
        blocks = [
            "\n\n".join([f"== {source_line(source, lang)} ==", *map(_table_entry, members)])
            for source, members in groups
        ]
        say("\n\n\n".join(blocks) + "\n")
    return 0


def check_config(args: argparse.Namespace) -> int:
    """Validate each file: an OK line per good file, one message per bad one (exit 1).

    Two files with the same id are refused as the kiosk refuses them in one
    directory: the second is named with the first.
    """
    status = 0
    seen: dict[str, str] = {}
    for path in args.paths:
        try:
            exam = load_exam_file(path)
            if exam.id in seen:
                raise duplicate_id(Path(path), exam.id, Path(seen[exam.id]))
        except ConfigError as exc:
            print(t("cli.error", message=printable(exc.message)), file=sys.stderr)
            status = 1
            continue
        seen[exam.id] = path
        say(
            t(
                "exams.check.ok",
                path=path,
                id=exam.id,
                phases=len(exam.all_phases()),
                criteria=len(exam.criterion_ids()),
            )
            + "\n"
        )
    return status


def _label(label: dict[str, Any] | None, lang: str) -> str | None:
    if label is None:
        return None
    text = label.get("en") if lang == "en" else None
    return str(text or label["fr"])


def _fields(fields: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f["id"],
            "label": _label(f["label"], lang),
            "kind": f["kind"],
            "lines": f["lines"],
            "choices": [{"id": c["id"], "label": _label(c["label"], lang)} for c in f["choices"]],
            "hint": _label(f.get("hint"), lang),
        }
        for f in fields
    ]


def _phases(phases: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    return [
        {
            "id": p["id"],
            "label": _label(p["label"], lang),
            "duration_s": p["duration_s"],
            "speaker": p["speaker"],
            "warnings_s": p["warnings_s"],
            "carry_over": p["carry_over"],
            "preparation": p["preparation"],
            "auto_start": p["auto_start"],
            "auto_end": p["auto_end"],
            "milestones": [
                {"id": m["id"], "label": _label(m["label"], lang)} for m in p["milestones"]
            ],
            "fiche": _fields(p["fiche"], lang),
            "remark": _label(p.get("remark"), lang),
        }
        for p in phases
    ]


def _public(exam: dict[str, Any], lang: str) -> dict[str, Any]:
    """The JSON shape of one exam, labels in ``lang`` (documented in the README)."""
    source = exam.get("source")
    out: dict[str, Any] = {
        "id": exam["id"],
        "title": _label(exam["title"], lang),
        "epreuve": exam["epreuve"],
        "situation": exam["situation"],
        "source": None
        if not source
        else {
            "text": source_text(source, lang),
            "first_session": source["first_session"],
            "in_force": source["in_force"],
        },
        "ccf": bool(exam["situations"]),
    }
    if exam["situations"]:
        out["situations"] = [
            {
                "id": s["id"],
                "label": _label(s["label"], lang),
                "cap_s": s["cap_s"],
                "phases": _phases(s["phases"], lang),
                "fiche": _fields(s["fiche"], lang),
            }
            for s in exam["situations"]
        ]
    else:
        out["phases"] = _phases(exam["phases"], lang)
        out["total_cap_s"] = exam["total_cap_s"]
    out |= {
        "competences": [
            {
                "id": c["id"],
                "label": _label(c.get("label"), lang),
                "criteria": [
                    {
                        "id": cr["id"],
                        "label": _label(cr["label"], lang),
                        "covers": [_label(x, lang) for x in cr["covers"]],
                    }
                    for cr in c["criteria"]
                ],
            }
            for c in exam["competences"]
        ],
        "scale": [lvl["code"] for lvl in exam["scale"]],
        "extra_time_phases": exam["extra_time_phases"],
        "max_candidates": exam["max_candidates"],
        "cms_choices": exam["cms_choices"],
        "subject_grid": exam["subject_grid"],
        "fiche": _fields(exam["fiche"], lang),
        "file": exam["file"],
    }
    return out


def _table_entry(exam: dict[str, Any]) -> str:
    lang = language()
    rows = sum(len(c["criteria"]) for c in exam["competences"])
    covers = any(cr["covers"] for c in exam["competences"] for cr in c["criteria"])
    rows_text = t("exams.list.rows" if covers else "exams.list.criteria", criteria=rows)
    runs = [(None, exam["phases"], None)] if exam["phases"] else []
    runs += [(s, s["phases"], s["cap_s"]) for s in exam["situations"]]
    oral = sum(p["duration_s"] for _, phases, _ in runs for p in phases if not p["preparation"])
    lines = [
        f"{exam['id']:<{ID_W}}{_label(exam['title'], lang)}",
        f"{'':<{ID_W}}{t('exams.list.summary', rows=rows_text, minutes=minutes_words(oral))}",
    ]
    for situation, phases, cap in runs:
        if situation is not None:
            limit = (
                t("exams.list.situation_cap", minutes=minutes_words(cap))
                if cap
                else t("exams.list.untimed")
            )
            lines.append(f"{'':<{ID_W}}{_label(situation['label'], lang)} ({limit})")
        for p in phases:
            extra = f"  ({t('exams.list.prep')})" if p["preparation"] else ""
            lines.append(
                f"{'':<{ID_W + 2}}{minutes_words(p['duration_s']):>12}  {_label(p['label'], lang)}{extra}"
            )
            for m in p["milestones"]:
                lines.append(
                    f"{'':<{ID_W + 16}}{t('exams.list.milestone', label=_label(m['label'], lang))}"
                )
            if p.get("remark"):
                lines.append(f"{'':<{ID_W + 16}}{_label(p['remark'], lang)}")
    return "\n".join(lines)
