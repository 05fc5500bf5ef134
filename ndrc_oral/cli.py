"""The entry point: parse the arguments, pick which layer to start.

Handlers are imported lazily so that ``ndrc-oral exams`` or ``logs verify``
never pay for importing Textual. Every expected failure is an ``NdrcError``
(the layers' own error types are subclasses of it) and becomes one line on
stderr and a non-zero exit: never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from ndrc_oral.errors import NdrcError
from ndrc_oral.i18n import set_language, t
from ndrc_oral.printable import printable
from ndrc_oral.transcript.exports import FORMATS

Handler = Callable[[argparse.Namespace], int]


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=t("cli.help.data_dir"),
    )
    common.add_argument(
        "--config-dir",
        metavar="DIR",
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
        options.add_argument("--web", metavar="[HOST:]PORT", default=None, help=t("cli.help.web"))
    return options


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, subcommands included."""
    common = _common()
    kiosk = _screen_options(web=True)
    screen = _screen_options(web=False)
    parser = argparse.ArgumentParser(
        prog="ndrc-oral",
        description=t("cli.description"),
        parents=[common, kiosk],
    )
    parser.set_defaults(handler="kiosk:home")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", parents=[common, kiosk], help=t("cli.help.run"))
    run.add_argument("exam", help=t("cli.help.exam"))
    run.add_argument(
        "--candidate",
        required=True,
        action="append",
        metavar="NAME",
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
        "--member", metavar="NAME", action="append", default=[], help=t("cli.help.member")
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
    run.add_argument("--cms", metavar="NAME", default=None, help=t("cli.help.cms"))
    run.add_argument("--subject", metavar="LETTER", default=None, help=t("cli.help.subject"))
    run.add_argument("--grid", metavar="FILE", default=None, help=t("cli.help.grid"))
    run.set_defaults(handler="kiosk:run")

    review = sub.add_parser("review", parents=[common, screen], help=t("cli.help.review"))
    review.set_defaults(handler="kiosk:review")

    display = sub.add_parser("display", parents=[common, screen], help=t("cli.help.display"))
    display.add_argument(
        "session", metavar="SESSION_ID", nargs="?", default=None, help=t("cli.help.display_session")
    )
    display.add_argument("--poll", action="store_true", help=t("cli.help.poll"))
    display.set_defaults(handler="display:display")

    exams = sub.add_parser("exams", parents=[common], help=t("cli.help.exams"))
    exams.add_argument("--json", action="store_true", help=t("cli.help.json"))
    exams.set_defaults(handler="exams:list_exams")

    check = sub.add_parser("check-config", parents=[common], help=t("cli.help.check"))
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.set_defaults(handler="exams:check_config")

    logs = sub.add_parser("logs", parents=[common], help=t("cli.help.logs"))
    logs_sub = logs.add_subparsers(dest="logs_command", metavar="ACTION", required=True)
    lst = logs_sub.add_parser("list", parents=[common], help=t("cli.help.list"))
    lst.add_argument("--json", action="store_true")
    _add_filters(lst)
    lst.set_defaults(handler="logs:list_sessions")
    show = logs_sub.add_parser("show", parents=[common], help=t("cli.help.show"))
    show.add_argument("id", metavar="ID")
    show.set_defaults(handler="logs:show")
    export = logs_sub.add_parser("export", parents=[common], help=t("cli.help.export"))
    export.add_argument("id", metavar="ID", nargs="?", default=None)
    export.add_argument(
        "--format",
        required=True,
        choices=[f.key for f in FORMATS],
        help=t("cli.help.format", formats=", ".join(f"{f.key} ({t(f.label)})" for f in FORMATS)),
    )
    export.add_argument("-o", "--output", metavar="FILE", default=None)
    _add_filters(export)
    export.set_defaults(handler="logs:export")
    verify = logs_sub.add_parser("verify", parents=[common], help=t("cli.help.verify"))
    verify.add_argument("target", metavar="ID|PATH")
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
    settle.add_argument("id", metavar="ID")
    decision = settle.add_mutually_exclusive_group(required=True)
    decision.add_argument("--release", action="store_true", help=t("cli.help.release"))
    decision.add_argument("--nv", metavar="REASON", default=None, help=t("cli.help.nv"))
    settle.set_defaults(handler="logs:settle")
    bundle = logs_sub.add_parser("bundle", parents=[common], help=t("cli.help.bundle"))
    bundle.add_argument("-o", "--output", metavar="FILE", required=True)
    _add_filters(bundle)
    bundle.set_defaults(handler="gather:bundle")
    imp = logs_sub.add_parser("import", parents=[common], help=t("cli.help.import"))
    imp.add_argument("source", metavar="FILE|DIR")
    imp.set_defaults(handler="gather:import_bundle")
    stats = logs_sub.add_parser("stats", parents=[common], help=t("cli.help.stats"))
    stats.add_argument("--format", choices=["md", "csv", "xlsx"], default="md")
    stats.add_argument("-o", "--output", metavar="FILE", default=None)
    _add_filters(stats)
    stats.set_defaults(handler="gather:stats")
    return parser


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--exam", metavar="ID", default=None, help=t("cli.help.f_exam"))
    p.add_argument("--text", metavar="TEXT", default=None, help=t("cli.help.f_text"))
    p.add_argument("--since", metavar="YYYY-MM-DD", default=None, help=t("cli.help.f_since"))
    p.add_argument("--until", metavar="YYYY-MM-DD", default=None, help=t("cli.help.f_until"))
    p.add_argument("--mode", choices=["live", "rehearsal"], default=None)


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
