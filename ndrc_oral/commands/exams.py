"""``ndrc-oral exams`` (list the catalog) and ``ndrc-oral check-config`` (validate files).

The listing works on plain dicts from ``ndrc_oral.exams.listing`` (cached,
validated data) so that it starts fast; ``check-config`` always validates.
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
from ndrc_oral.formatting import minutes_words
from ndrc_oral.i18n import language, t
from ndrc_oral.paths import config_dir
from ndrc_oral.printable import printable


def list_exams(args: argparse.Namespace) -> int:
    """Print the catalog as a table, or as JSON with ``--json``."""
    lang = language()
    exams = [_public(e, lang) for e in catalog_dicts(config_dir(args.config_dir))]
    if getattr(args, "json", False):
        say(json.dumps(exams, ensure_ascii=False, indent=2) + "\n")
    else:
        say("\n\n".join(_table_entry(e) for e in exams) + "\n")
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
                phases=len(exam.phases),
                criteria=len(exam.criterion_ids()),
            )
            + "\n"
        )
    return status


def _label(label: dict[str, Any], lang: str) -> str:
    text = label.get("en") if lang == "en" else None
    return str(text or label["fr"])


def _public(exam: dict[str, Any], lang: str) -> dict[str, Any]:
    """The JSON shape of one exam, labels in ``lang``."""
    return {
        "id": exam["id"],
        "title": _label(exam["title"], lang),
        "epreuve": exam["epreuve"],
        "situation": exam["situation"],
        "phases": [
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
            }
            for p in exam["phases"]
        ],
        "competences": [
            {
                "id": c["id"],
                "label": _label(c["label"], lang),
                "criteria": [
                    {"id": cr["id"], "label": _label(cr["label"], lang)} for cr in c["criteria"]
                ],
            }
            for c in exam["competences"]
        ],
        "scale": [lvl["code"] for lvl in exam["scale"]],
        "total_cap_s": exam["total_cap_s"],
        "extra_time_phases": exam["extra_time_phases"],
        "max_candidates": exam["max_candidates"],
        "cms_choices": exam["cms_choices"],
        "source": exam["source"],
    }


def _table_entry(exam: dict[str, Any]) -> str:
    criteria = sum(len(c["criteria"]) for c in exam["competences"])
    oral = sum(p["duration_s"] for p in exam["phases"] if not p["preparation"])
    lines = [
        f"{exam['id']:<14}{exam['title']}",
        f"{'':<14}{t('exams.list.summary', criteria=criteria, minutes=minutes_words(oral))}",
    ]
    for p in exam["phases"]:
        extra = f"  ({t('exams.list.prep')})" if p["preparation"] else ""
        lines.append(f"{'':<16}{minutes_words(p['duration_s']):>12}  {p['label']}{extra}")
    return "\n".join(lines)
