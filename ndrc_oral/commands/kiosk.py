"""``ndrc-oral`` (home screen), ``ndrc-oral run EXAM ...`` (straight to the timer), ``review``.

Everything is checked before the app starts: an unknown exam, a bad
``--extra-time``, an unusable data directory each give one line and exit 1.
Textual is imported only once the arguments are known to be good.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ndrc_oral.alerts.sound import SoundPlayer, find_player
from ndrc_oral.commands.options import screen_settings
from ndrc_oral.display.channel import Channel, channel_dir
from ndrc_oral.display.publisher import Publisher
from ndrc_oral.errors import NdrcError
from ndrc_oral.exam_room.defaults import HomeDefaults
from ndrc_oral.exam_room.requests import (
    SessionRequest,
    check_data_dir,
    check_requests,
    create_sessions,
    place_requests,
)
from ndrc_oral.exams.loader import Catalog, load_catalog
from ndrc_oral.i18n import t
from ndrc_oral.paths import config_dir, data_dir
from ndrc_oral.printable import printable
from ndrc_oral.session.clock import Clock, SystemClock
from ndrc_oral.session.identity import Mode, SessionIdentity, members
from ndrc_oral.settings import Settings, parse_listen
from ndrc_oral.transcript import LiveSession, Store

if TYPE_CHECKING:
    from ndrc_oral.display.web import WebServer
    from ndrc_oral.tui.app import KioskApp

REVIEW_MODULE = "ndrc_oral.tui.screens.review"


def kiosk_settings(args: argparse.Namespace) -> Settings:
    """The settings file with ``--theme``, its ``[keys]`` checked (one line, exit 1)."""
    return keys_checked(screen_settings(args))


def keys_checked(settings: Settings) -> Settings:
    """``settings``, once its ``[keys]`` are checked (one line, exit 1). Textual is loaded
    for it: after what can be refused without it."""
    from ndrc_oral.tui.app import check_keys

    check_keys(settings)
    return settings


def need_terminal() -> None:
    """The kiosk draws on a terminal (Textual writes to stderr, reads the size from
    stdout): redirected to a file or a pipe it would only burn a core (73 % measured)
    drawing into it. One line instead."""
    for name, stream in (("stdout", sys.stdout), ("stderr", sys.stderr)):
        if not stream.isatty():  # say which: a 2>file looks like a terminal on screen
            raise NdrcError(t("cli.error.not_a_terminal", stream=t(f"cli.error.stream.{name}")))


class Context(NamedTuple):
    """What every screen command starts from, each read once."""

    catalog: Catalog
    store: Store
    notices: list[str]
    """The warnings to show once."""
    settings: Settings
    """The settings file with ``--theme`` (its ``[keys]``: ``keys_checked``)."""


def _context(args: argparse.Namespace) -> Context:
    """The catalog, the settings, the data directory (checked), the warnings to show once."""
    catalog = load_catalog(config_dir(args.config_dir))
    settings = screen_settings(args)
    store = Store(data_dir(args.data_dir), machine=settings.machine_name())
    check_data_dir(store)
    store.remove_stale_creations()
    store.remove_old_index()  # an upgrade from before issue 14
    notices = []
    if store.readable_by_others:
        # Its mode is the owner's choice (a shared directory): said, not changed.
        notices.append(t("store.open_to_others", path=store.root))
        print(t("cli.warning", message=printable(notices[-1])), file=sys.stderr)
    return Context(catalog, store, notices, settings)


class Outputs:
    """What a kiosk shows beyond its own screen: the candidate's display and the web page, the chime."""

    def __init__(
        self, args: argparse.Namespace, store: Store, clock: Clock, settings: Settings
    ) -> None:
        self.settings = keys_checked(settings)
        channel = Channel(channel_dir(store.root))
        channel.prune()
        self.display = Publisher(channel, clock)
        wanted = self.settings.alerts.sound
        self.sound = SoundPlayer(find_player()) if wanted else None
        listen = getattr(args, "web", None) or self.settings.web.listen
        self._web: WebServer | None = None
        if listen:
            try:
                host, port = parse_listen(listen)
            except ValueError as exc:
                raise NdrcError(str(exc)) from None
            # Imported only when asked for: http.server is a tenth of the kiosk's own imports.
            from ndrc_oral.display.web import WebServer

            try:
                self._web = WebServer(self.display, clock, host, port)
            except OSError as exc:
                raise NdrcError(
                    t("web.cannot_listen", address=listen, why=exc.strerror or exc)
                ) from exc

    @property
    def web_url(self) -> str | None:
        return self._web.url if self._web is not None else None

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        """The web page is served while the kiosk runs."""
        if self._web is not None:
            self._web.start()
        try:
            yield
        finally:
            if self._web is not None:
                self._web.stop()

    def app(
        self,
        catalog: Catalog,
        store: Store,
        clock: Clock,
        sessions: list[LiveSession] | None = None,
        defaults: HomeDefaults | None = None,
        notices: Sequence[str] = (),
    ) -> KioskApp:
        """The kiosk, given these outputs."""
        from ndrc_oral.tui.app import KioskApp

        return KioskApp(
            catalog=catalog,
            store=store,
            clock=clock,
            sessions=sessions or [],
            defaults=defaults,
            settings=self.settings,
            display=self.display,
            sound=self.sound,
            web_url=self.web_url,
            notices=notices,
        )


def home(args: argparse.Namespace) -> int:
    """The home screen."""
    catalog, store, notices, settings = _context(args)
    clock = SystemClock()
    outputs = Outputs(args, store, clock, settings)  # a bad --web address says so first
    need_terminal()
    app = outputs.app(catalog, store, clock, notices=notices)
    with outputs.running():
        app.run()
    return 0


def run(args: argparse.Namespace) -> int:
    """Sessions straight away: the run screen, the home screen underneath for the next one.

    One ``--candidate`` is one session; an exam that takes several candidates at
    once (E5) accepts up to that many, each with its ``--number`` in the same order.
    """
    catalog, store, notices, settings = _context(args)
    requests = _requests(args)
    checked = check_requests(catalog, requests)
    if checked.errors or checked.exam is None:
        raise NdrcError(checked.errors[0] if checked.errors else args.exam)
    clock = SystemClock()
    outputs = Outputs(args, store, clock, settings)  # a bad --web address says so first
    need_terminal()  # before any session is made
    # A CCF exam: the candidate's next situation (of an open épreuve, else a new one).
    requests = place_requests(store, checked.exam, clock, requests)
    lives = create_sessions(store, checked.exam, clock, requests)
    app = outputs.app(catalog, store, clock, lives, HomeDefaults.from_request(requests[0]), notices)
    try:
        with outputs.running():
            app.run()
    finally:
        for live in lives:
            live.close()
    return 0


def _requests(args: argparse.Namespace) -> list[SessionRequest]:
    """One request per ``--candidate``; the extra time goes to the one ``--extra-time-for`` names."""
    names: list[str] = args.candidate
    numbers: list[str] = args.number
    if len(numbers) > len(names):
        raise NdrcError(t("tui.setup.error.numbers", numbers=len(numbers), candidates=len(names)))
    extra_for: int | None = args.extra_time_for
    if extra_for is not None and args.extra_time is None:
        raise NdrcError(t("tui.setup.error.extra_for_alone"))
    if extra_for is None:
        if args.extra_time is not None and len(names) > 1:
            raise NdrcError(t("tui.setup.error.extra_for", n=len(names)))
        extra_for = 1
    if not 1 <= extra_for <= len(names):
        raise NdrcError(t("tui.setup.error.extra_for_range", found=extra_for, n=len(names)))
    reason = t("tui.setup.extra_reason_cli") if args.extra_time else ""
    shared = SessionIdentity(
        commission=args.commission,
        members=members(*args.member),  # their roles are not asked on the command line
        mode=Mode.REHEARSAL if args.rehearsal else Mode.LIVE,
        cms=args.cms,
        subject=args.subject,
        grid=Path(args.grid).name if args.grid else None,
    )
    return [
        SessionRequest(
            args.exam,
            shared.companion(
                candidate=name,
                number=numbers[i] if i < len(numbers) else "",
                extra_time=args.extra_time if i + 1 == extra_for else None,
                extra_time_reason=reason if i + 1 == extra_for else "",
            ),
            grid_file=args.grid,
        )
        for i, name in enumerate(names)
    ]


def review(args: argparse.Namespace) -> int:
    """The saved sessions: the review screen, once it exists."""
    if importlib.util.find_spec(REVIEW_MODULE) is None:
        raise NdrcError(t("tui.review.unavailable"))
    catalog, store, notices, settings = _context(args)
    keys_checked(settings)
    need_terminal()
    from ndrc_oral.tui.app import KioskApp

    KioskApp(
        catalog=catalog,
        store=store,
        clock=SystemClock(),
        review=True,
        settings=settings,
        notices=notices,
    ).run()
    return 0
