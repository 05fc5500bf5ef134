"""The entry point: parse the arguments, pick which layer to start.

Handlers are imported lazily so that ``ndrc-oral exams`` or ``logs verify``
never pay for importing Textual. Every expected failure is an ``NdrcError``
(the layers' own error types are subclasses of it) and becomes one line on
stderr and a non-zero exit: never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ndrc_oral import argparse_i18n
from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import set_language, t
from ndrc_oral.printable import printable
from ndrc_oral.transcript.exports import FORMATS, day_formats

Handler = Callable[[argparse.Namespace], int]

SCREENS = frozenset({"kiosk:home", "kiosk:run", "kiosk:review", "display:display"})
"""The commands that open an app, whose ``freeze_heap`` turns the collector back on."""


def _meta(name: str) -> str:
    """A metavar (``NOM``, ``DOSSIER``...) in the current language."""
    return t(f"cli.meta.{name}")


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar=_meta("dir"),
        default=argparse.SUPPRESS,
        help=t("cli.help.data_dir"),
    )
    common.add_argument(
        "--config-dir",
        metavar=_meta("dir"),
        default=argparse.SUPPRESS,
        help=t("cli.help.config_dir"),
    )
    common.add_argument(
        "--lang",
        choices=["fr", "en"],
        default=argparse.SUPPRESS,
        help=t("cli.help.lang"),
    )
    return common


def _screen_options(*, web: bool) -> argparse.ArgumentParser:
    """The options of the commands that open a screen: the theme; the kiosk's web page."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--theme",
        choices=["default", "high-contrast"],
        default=None,
        help=t("cli.help.theme"),
    )
    if web:
        options.add_argument(
            "--web", metavar=_meta("host_port"), default=None, help=t("cli.help.web")
        )
    return options


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, subcommands included (argparse's words translated first)."""
    argparse_i18n.install()
    common = _common()
    kiosk = _screen_options(web=True)
    screen = _screen_options(web=False)
    parser = argparse.ArgumentParser(
        prog="ndrc-oral",
        description=t("cli.description"),
        parents=[common, kiosk],
    )
    parser.set_defaults(handler="kiosk:home")
    sub = parser.add_subparsers(dest="command", metavar=_meta("command"), title=t("cli.commands"))

    run = sub.add_parser("run", parents=[common, kiosk], help=t("cli.help.run"))
    run.add_argument("exam", metavar=_meta("exam"), help=t("cli.help.exam"))
    run.add_argument(
        "--candidate",
        required=True,
        action="append",
        metavar=_meta("name"),
        help=t("cli.help.candidate"),
    )
    run.add_argument(
        "--number",
        metavar="N",
        action="append",
        default=[],
        help=t("cli.help.number"),
    )
    run.add_argument("--commission", metavar="N", default="", help=t("cli.help.commission"))
    run.add_argument(
        "--member", metavar=_meta("name"), action="append", default=[], help=t("cli.help.member")
    )
    run.add_argument("--rehearsal", action="store_true", help=t("cli.help.rehearsal"))
    run.add_argument(
        "--extra-time", metavar="FRACTION", default=None, help=t("cli.help.extra_time")
    )
    run.add_argument(
        "--extra-time-for",
        metavar="K",
        type=int,
        default=None,
        help=t("cli.help.extra_time_for"),
    )
    run.add_argument("--cms", metavar=_meta("name"), default=None, help=t("cli.help.cms"))
    run.add_argument("--subject", metavar=_meta("letter"), default=None, help=t("cli.help.subject"))
    run.add_argument("--grid", metavar=_meta("file"), default=None, help=t("cli.help.grid"))
    run.set_defaults(handler="kiosk:run")

    review = sub.add_parser("review", parents=[common, screen], help=t("cli.help.review"))
    review.set_defaults(handler="kiosk:review")

    display = sub.add_parser("display", parents=[common, screen], help=t("cli.help.display"))
    display.add_argument(
        "session",
        metavar=_meta("session_id"),
        nargs="?",
        default=None,
        help=t("cli.help.display_session"),
    )
    display.add_argument("--poll", action="store_true", help=t("cli.help.poll"))
    display.set_defaults(handler="display:display")

    exams = sub.add_parser("exams", parents=[common], help=t("cli.help.exams"))
    exams.add_argument("--json", action="store_true", help=t("cli.help.json"))
    exams.set_defaults(handler="exams:list_exams")

    check = sub.add_parser("check-config", parents=[common], help=t("cli.help.check"))
    check.add_argument("paths", nargs="+", metavar=_meta("path"), help=t("cli.help.check_paths"))
    check.set_defaults(handler="exams:check_config")

    logs = sub.add_parser("logs", parents=[common], help=t("cli.help.logs"))
    logs_sub = logs.add_subparsers(
        dest="logs_command", metavar=_meta("action"), required=True, title=t("cli.actions")
    )
    lst = logs_sub.add_parser("list", parents=[common], help=t("cli.help.list"))
    lst.add_argument("--json", action="store_true", help=t("cli.help.list_json"))
    _add_filters(lst)
    lst.set_defaults(handler="logs:list_sessions")
    show = logs_sub.add_parser("show", parents=[common], help=t("cli.help.show"))
    show.add_argument("id", metavar="ID", help=t("cli.help.id"))
    show.set_defaults(handler="logs:show")
    export = logs_sub.add_parser("export", parents=[common], help=t("cli.help.export"))
    export.add_argument("id", metavar="ID", nargs="?", default=None, help=t("cli.help.export_id"))
    export.add_argument(
        "--format",
        required=True,
        choices=[f.key for f in FORMATS],
        help=t("cli.help.format", formats=", ".join(f"{f.key} ({t(f.label)})" for f in FORMATS)),
    )
    export.add_argument(
        "-o", "--output", metavar=_meta("file"), default=None, help=t("cli.help.output")
    )
    _add_filters(export)
    export.set_defaults(handler="logs:export")
    verify = logs_sub.add_parser("verify", parents=[common], help=t("cli.help.verify"))
    verify.add_argument("target", metavar=_meta("id_or_path"), help=t("cli.help.target"))
    verify.add_argument(
        "--empreinte",
        "--fingerprint",
        dest="empreinte",
        metavar="CODE",
        default=None,
        help=t("cli.help.fingerprint"),
    )
    verify.set_defaults(handler="logs:verify")
    settle = logs_sub.add_parser("settle", parents=[common], help=t("cli.help.settle"))
    settle.add_argument("id", metavar="ID", help=t("cli.help.id"))
    decision = settle.add_mutually_exclusive_group(required=True)
    decision.add_argument("--release", action="store_true", help=t("cli.help.release"))
    decision.add_argument("--nv", metavar=_meta("reason"), default=None, help=t("cli.help.nv"))
    settle.set_defaults(handler="logs:settle")
    bundle = logs_sub.add_parser("bundle", parents=[common], help=t("cli.help.bundle"))
    bundle.add_argument(
        "-o", "--output", metavar=_meta("file"), required=True, help=t("cli.help.bundle_output")
    )
    _add_filters(bundle)
    bundle.set_defaults(handler="gather:bundle")
    imp = logs_sub.add_parser("import", parents=[common], help=t("cli.help.import"))
    imp.add_argument(
        "source", metavar=f"{_meta('file')}|{_meta('dir')}", help=t("cli.help.import_source")
    )
    imp.set_defaults(handler="gather:import_bundle")
    stats = logs_sub.add_parser("stats", parents=[common], help=t("cli.help.stats"))
    stats.add_argument(
        "--format", choices=["md", "csv", "xlsx"], default="md", help=t("cli.help.stats_format")
    )
    stats.add_argument(
        "-o", "--output", metavar=_meta("file"), default=None, help=t("cli.help.output")
    )
    _add_filters(stats)
    stats.set_defaults(handler="gather:stats")
    _add_correct(logs_sub, common)
    _add_day(sub, common)
    cancel = logs_sub.add_parser("cancel", parents=[common], help=t("cli.help.cancel"))
    cancel.add_argument("id", metavar="ID", help=t("cli.help.amend_id"))
    cancel.add_argument(
        "--reason", metavar="MOTIF", required=True, help=t("cli.help.cancel_reason")
    )
    cancel.set_defaults(handler="logs:cancel")
    return parser


def _add_day(sub: Any, common: argparse.ArgumentParser) -> None:
    """``day import|list|show|export``: the commission's day."""
    day = sub.add_parser("day", parents=[common], help=t("cli.help.day"))
    day_sub = day.add_subparsers(dest="day_command", metavar="ACTION", required=True)
    imp = day_sub.add_parser("import", parents=[common], help=t("cli.help.day_import"))
    imp.add_argument("file", metavar=_meta("file"), help=t("cli.help.day_file"))
    imp.set_defaults(handler="day:import_roster")
    lst = day_sub.add_parser("list", parents=[common], help=t("cli.help.day_list"))
    lst.set_defaults(handler="day:list_all")
    show = day_sub.add_parser("show", parents=[common], help=t("cli.help.day_show"))
    show.add_argument("id", nargs="?", default=None, metavar="ID", help=t("cli.help.day_id"))
    show.set_defaults(handler="day:show")
    export = day_sub.add_parser("export", parents=[common], help=t("cli.help.day_export"))
    export.add_argument("id", nargs="?", default=None, metavar="ID", help=t("cli.help.day_id"))
    export.add_argument(
        "--format", required=True, choices=day_formats(), help=t("cli.help.day_format")
    )
    export.add_argument(
        "-o", "--output", metavar=_meta("file"), default=None, help=t("cli.help.day_output")
    )
    export.set_defaults(handler="day:export")


def _add_correct(logs_sub: Any, common: argparse.ArgumentParser) -> None:
    """``logs correct ID --reason MOTIF`` and what may change (the rest stays as saved)."""
    correct = logs_sub.add_parser("correct", parents=[common], help=t("cli.help.correct"))
    correct.add_argument("id", metavar="ID", help=t("cli.help.amend_id"))
    correct.add_argument(
        "--reason", metavar="MOTIF", required=True, help=t("cli.help.correct_reason")
    )
    outcome = correct.add_mutually_exclusive_group()
    outcome.add_argument("--mark", metavar="NOTE", default=None, help=t("cli.help.correct_mark"))
    outcome.add_argument("--nv", metavar="MOTIF_NV", default=None, help=t("cli.help.correct_nv"))
    outcome.add_argument("--absent", action="store_true", help=t("cli.help.correct_absent"))
    reserved = correct.add_mutually_exclusive_group()
    reserved.add_argument(
        "--reserved",
        dest="reserved",
        action="store_const",
        const=True,
        default=None,
        help=t("cli.help.correct_reserved"),
    )
    reserved.add_argument(
        "--not-reserved",
        dest="reserved",
        action="store_const",
        const=False,
        help=t("cli.help.correct_not_reserved"),
    )
    correct.add_argument(
        "--field",
        metavar="CHAMP=VALEUR",
        action="append",
        default=[],
        help=t("cli.help.correct_field"),
    )
    correct.add_argument(
        "--member",
        metavar=_meta("name"),
        action="append",
        default=[],
        help=t("cli.help.correct_member"),
    )
    correct.set_defaults(handler="logs:correct")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--exam", metavar="ID", default=None, help=t("cli.help.f_exam"))
    p.add_argument("--text", metavar=_meta("text"), default=None, help=t("cli.help.f_text"))
    p.add_argument("--since", metavar=_meta("date"), default=None, help=t("cli.help.f_since"))
    p.add_argument("--until", metavar=_meta("date"), default=None, help=t("cli.help.f_until"))
    p.add_argument("--mode", choices=["live", "rehearsal"], default=None, help=t("cli.help.f_mode"))


def _resolve(spec: str) -> Handler:
    module_name, func = spec.split(":")
    module = __import__(f"ndrc_oral.commands.{module_name}", fromlist=[func])
    handler: Handler = getattr(module, func)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = os.environ.get("NDRC_ORAL_LANG", "fr")
    if "--lang" in args_list:
        i = args_list.index("--lang")
        if i + 1 < len(args_list):
            lang = args_list[i + 1]
    set_language(lang if lang in ("fr", "en") else "fr")
    args = build_parser().parse_args(args_list)
    for name in ("data_dir", "config_dir", "lang"):
        if not hasattr(args, name):
            setattr(args, name, None)
    for name in ("data_dir", "config_dir"):
        if getattr(args, name) == "":
            # An empty value is no directory; taken as "not given", it would
            # quietly use the default one.
            option = "--" + name.replace("_", "-")
            print(t("cli.error", message=t("cli.error.empty_dir", option=option)), file=sys.stderr)
            return 2
    # Start-up makes ~250,000 objects that all stay alive (modules, the CSS, the widgets):
    # the cyclic collector ran ~240 times over them for nothing, 48 ms of a 470 ms launch.
    # Off until the app's ``freeze_heap`` (3 s after its first screen) collects once,
    # freezes what is alive and turns it on; ``finally`` covers every other way out.
    hold_gc = args.handler in SCREENS and gc.isenabled()
    if hold_gc:
        gc.disable()
    try:
        return _resolve(args.handler)(args)
    except KeyboardInterrupt:
        print(t("cli.interrupted"), file=sys.stderr)
        return 130
    except NdrcError as exc:
        print(t("cli.error", message=printable(str(exc))), file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        # `ndrc-oral logs list | head`: the reader left; not an error of ours.
        sys.stderr.close()
        return 0
    finally:
        if hold_gc:
            gc.enable()
