"""``ndrc-oral`` (home screen), ``ndrc-oral run EXAM ...`` (straight to the timer), ``review``.

Everything is checked before the app starts: an unknown exam, a bad
``--extra-time``, an unusable data directory each give one line and exit 1.
Textual is imported only once the arguments are known to be good.
"""

from __future__ import annotations

import argparse
import importlib.util

from ndrc_oral.errors import NdrcError
from ndrc_oral.exams.loader import Catalog, load_catalog
from ndrc_oral.i18n import t
from ndrc_oral.paths import config_dir, data_dir
from ndrc_oral.session.clock import SystemClock
from ndrc_oral.transcript.store import Store
from ndrc_oral.tui.setup import SessionRequest, check_data_dir, check_request, create_session

REVIEW_MODULE = "ndrc_oral.tui.screens.review"


def _context(args: argparse.Namespace) -> tuple[Catalog, Store]:
    catalog = load_catalog(config_dir(args.config_dir))
    store = Store(data_dir(args.data_dir))
    check_data_dir(store)
    return catalog, store


def home(args: argparse.Namespace) -> int:
    """The home screen."""
    catalog, store = _context(args)
    from ndrc_oral.tui.app import KioskApp

    KioskApp(catalog=catalog, store=store, clock=SystemClock()).run()
    return 0


def run(args: argparse.Namespace) -> int:
    """A session straight away: the run screen, the home screen underneath for the next one."""
    catalog, store = _context(args)
    request = SessionRequest(
        exam_id=args.exam,
        candidate=args.candidate,
        number=args.number,
        commission=args.commission,
        members=tuple(args.member),
        rehearsal=args.rehearsal,
        extra_time=args.extra_time,
        extra_time_reason=t("tui.setup.extra_reason_cli") if args.extra_time else "",
        cms=args.cms,
    )
    checked = check_request(catalog, request)
    if checked.errors or checked.exam is None:
        raise NdrcError(checked.errors[0] if checked.errors else request.exam_id)
    clock = SystemClock()
    live = create_session(store, checked.exam, clock, request)
    from ndrc_oral.tui.app import KioskApp
    from ndrc_oral.tui.screens.home import HomeDefaults

    app = KioskApp(
        catalog=catalog,
        store=store,
        clock=clock,
        session=live,
        defaults=HomeDefaults.from_request(request),
    )
    try:
        app.run()
    finally:
        live.close()
    return 0


def review(args: argparse.Namespace) -> int:
    """The saved sessions: the review screen, once it exists."""
    if importlib.util.find_spec(REVIEW_MODULE) is None:
        raise NdrcError(t("tui.review.unavailable"))
    catalog, store = _context(args)
    from ndrc_oral.tui.app import KioskApp

    KioskApp(catalog=catalog, store=store, clock=SystemClock(), review=True).run()
    return 0
