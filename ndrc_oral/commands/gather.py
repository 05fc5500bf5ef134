"""``ndrc-oral logs bundle / import / stats``: a centre of many rooms.

Each room's kiosk bundles its sessions (``bundle``: one ``.zip`` with a
manifest); the centre imports every bundle (``import``: checked, de-duplicated,
nothing already there changed) and prepares the harmonisation (``stats``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from ndrc_oral.commands.logs import _filter, _given_filters, _root, _write
from ndrc_oral.commands.output import deliver
from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import language, t
from ndrc_oral.paths import data_dir
from ndrc_oral.settings import load_settings
from ndrc_oral.transcript import index
from ndrc_oral.transcript.directory import Store


def bundle(args: argparse.Namespace) -> int:
    """Write the sessions the filters choose (all when none) into one bundle."""
    from ndrc_oral.transcript.bundle import write_bundle
    from ndrc_oral.transcript.exports import write_atomic_with

    root = _root(args)
    if _given_filters(args):
        listing = index.list_sessions(root)
        chosen = [Path(s.path) for s in index.filter_sessions(listing.sessions, _filter(args))]
    else:  # every transcript: no need to read them all first (a cold cache of 10,000)
        chosen = Store(root).paths()
    # The commissions' days travel with the sessions (issue 11's records): every one.
    chosen += Store(root).day_paths()
    if not chosen:
        raise NdrcError(t("bundle.nothing"))
    machine = load_settings().machine_name()
    target = Path(args.output)
    now = datetime.now().astimezone()
    made = []
    write_atomic_with(target, lambda out: made.append(write_bundle(out, chosen, machine, now)))
    _write(t("bundle.written", path=target, count=len(made[0].files)) + "\n")
    return 0


def import_bundle(args: argparse.Namespace) -> int:
    """Import a bundle or a directory of transcripts: 1 when anything was refused."""
    from ndrc_oral.transcript.bundle import import_sessions

    # The centre's data directory may not exist yet: the import makes it (0700).
    store = Store(data_dir(getattr(args, "data_dir", None)))
    report = import_sessions(store, Path(args.source))
    for name in report.ignored:
        print(t("cli.warning", message=t("logs.list.ignored_one", name=name)), file=sys.stderr)
    for name, why in report.refused:
        _write(t("bundle.refused", name=name, why=why) + "\n")
    summary = t(
        "bundle.summary",
        added=len(report.added),
        present=len(report.present),
        refused=len(report.refused),
    )
    _write(summary + "\n")
    return 1 if report.refused else 0


def stats(args: argparse.Namespace) -> int:
    """The harmonisation table of the sessions the filters choose."""
    from ndrc_oral.transcript.stats import harmonise
    from ndrc_oral.transcript.stats_report import render

    table = harmonise(_root(args), _filter(args))
    data = render(table, args.format, language())
    default = Path.cwd() / "harmonisation.xlsx"
    return deliver(data, args.output, default, to_stdout=args.format != "xlsx")
