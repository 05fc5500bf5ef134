"""``ndrc-oral day``: import the day's roster, list the days, show one, export what it produces."""

from __future__ import annotations

import argparse
from pathlib import Path

from ndrc_oral.commands.logs import _write
from ndrc_oral.commands.output import deliver
from ndrc_oral.exams.loader import load_catalog
from ndrc_oral.formatting import elapsed
from ndrc_oral.i18n import language, t
from ndrc_oral.paths import config_dir, data_dir
from ndrc_oral.session.clock import SystemClock
from ndrc_oral.session.day import DayState
from ndrc_oral.transcript.day_log import list_days, read_day, resolve_day
from ndrc_oral.transcript.directory import Store
from ndrc_oral.transcript.exports import EMARGEMENT


def import_roster(args: argparse.Namespace) -> int:
    from ndrc_oral.exam_room.day import open_room
    from ndrc_oral.exam_room.roster import read_roster

    catalog = load_catalog(config_dir(args.config_dir))
    path = Path(args.file)
    rows = read_roster(path, catalog.ids())
    store = Store(data_dir(args.data_dir))
    room = open_room(store, catalog, SystemClock(), path.name, rows)
    room.close()
    _write(t("day.cli.imported", n=len(rows), file=path.name, id=room.log.day_id) + "\n")
    return 0


def list_all(args: argparse.Namespace) -> int:
    days = list_days(Store(data_dir(args.data_dir)))
    if not days:
        _write(t("day.cli.no_day") + "\n")
        return 0
    for record in days:
        state = record.state
        slots = state.in_order()
        first = slots[0].convoked().strftime("%d/%m/%Y") if slots else "—"
        _write(
            t("day.cli.row", id=record.day_id, date=first, n=len(slots), source=state.source) + "\n"
        )
    return 0


def show(args: argparse.Namespace) -> int:
    from ndrc_oral.transcript.export_day import day_summary

    store = Store(data_dir(args.data_dir))
    state = read_day(resolve_day(store, args.id)).state
    _write(_table(state))
    summary = day_summary(store, state)
    _write(
        t(
            "day.summary",
            convoked=summary.convoked,
            examined=summary.examined,
            absent=summary.absent,
            nv=summary.nv,
            reserved=summary.reserved,
            pending=summary.pending,
            used=elapsed(summary.used_s),
            planned=elapsed(summary.planned_s),
        )
        + "\n"
    )
    return 0


def _table(state: DayState) -> str:
    lines = [t("day.cli.head", id=state.day_id, source=state.source)]
    for slot in state.in_order():
        result = slot.outcome or ""
        if slot.mark is not None:
            result = f"{slot.mark:g}/20" + (" " + t("day.reserved") if slot.reserved else "")
        lines.append(
            f"{slot.number:>3}  {slot.convoked():%H:%M}  {slot.convocation.number:<10} "
            f"{slot.name[:30]:<30} {slot.exam_id:<18} {t(f'day.state.{slot.state}'):<16} {result}"
        )
    return "\n".join(lines) + "\n"


def export(args: argparse.Namespace) -> int:
    from ndrc_oral.transcript.export_day import day_entries, emargement_pdf
    from ndrc_oral.transcript.exports import default_name, render_many

    store = Store(data_dir(args.data_dir))
    record = read_day(resolve_day(store, args.id))
    lang = language()
    stem = f"day-{record.day_id}"
    if args.format == EMARGEMENT:
        data, name = emargement_pdf(record.state, lang), f"{stem}-emargement.pdf"
    else:
        data = render_many(day_entries(store, record.state), args.format, lang)
        name = default_name(stem, args.format)
    # A file unless ``-o -``, whatever the format: a day's export is handed over.
    return deliver(data, args.output or None, Path.cwd() / name, to_stdout=False)
